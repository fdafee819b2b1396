"""The category-suggestion model is retrained every week (and when an administrator asks)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, lock_task

from citizen_portal.core.errors import ApplicationError
from citizen_portal.intelligence.services.training import category_model_train

logger = logging.getLogger(__name__)

LOCK = "category-model-train"


def training_running() -> bool:
    return bool(HUEY.lock_task(LOCK).is_locked())


def _train() -> None:
    try:
        category_model_train()
    except ApplicationError as error:
        # Nothing to learn from yet: the active version (if any) stays.
        logger.info("category model not trained: %s", error)


@db_periodic_task(crontab(day_of_week="0", hour="2", minute="43"))
@lock_task(LOCK)
def retrain_category_model() -> None:
    """Sundays at night: a new version from the week's confirmed complaints."""
    _train()


@db_task()
@lock_task(LOCK)
def train_category_model_now() -> None:
    """The administrators' "Train now" button."""
    _train()
