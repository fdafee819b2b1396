"""Category suggestions from a citizen's own words (issue 14).

The contract the lodge form and the API code against:

    suggest_categories(text, district=..., limit=3) -> list[CategorySuggestion]

The active model version is read from the database once per process and kept; every
CHECK_SECONDS a one-row query notices a newer active version (trained on another machine).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from citizen_portal.directory.models import AdminUnit, Category, Department
from citizen_portal.intelligence.models import CategoryModel
from citizen_portal.intelligence.selectors.resolution import Table, table_for
from citizen_portal.intelligence.services.textmodel import TextModel

logger = logging.getLogger(__name__)

MAX_TEXT = 2_000
MIN_LETTERS = 3
CHECK_SECONDS = 60
# Labels looked at before giving up on finding `limit` that resolve to a lodgeable category.
LOOK_AT = 12


@dataclass(frozen=True)
class CategorySuggestion:
    category: Category  # with .department and .department.tier loaded
    department: Department
    score: float  # 0..1


class _Loaded:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sha256: str | None = None
        self.model: TextModel | None = None
        self.checked = -1e9


_loaded = _Loaded()


def active_text_model(*, force: bool = False) -> TextModel | None:
    """The active version, loaded once per process; a newer one is noticed within
    CHECK_SECONDS (at once with force)."""
    now = time.monotonic()
    if not force and now - _loaded.checked < CHECK_SECONDS:
        return _loaded.model
    with _loaded.lock:
        _loaded.checked = now
        active = CategoryModel.objects.filter(is_active=True).values_list("version", "sha256")
        found = active.first()
        if found is None:
            _loaded.sha256, _loaded.model = None, None
        elif found[1] != _loaded.sha256:
            version, sha256 = found
            blob = (
                CategoryModel.objects.filter(version=version).values_list("blob", flat=True).first()
            )
            try:
                model = TextModel.from_bytes(bytes(blob)) if blob is not None else None
            except (ValueError, KeyError, OSError):
                logger.exception("category model v%s cannot be read", version)
                model = None
            if model is not None:
                model.meta["version"], model.meta["key"] = version, sha256
            _loaded.sha256, _loaded.model = sha256, model
    return _loaded.model


def active_model_forget() -> None:
    """Look again at the next suggestion (this process has just activated a version)."""
    _loaded.checked = -1e9


def suggest_categories(
    text: str, *, district: AdminUnit | None = None, limit: int = 3
) -> list[CategorySuggestion]:
    """[] when no model is active or the text has fewer than 3 letters. Never raises on odd input
    (very long text is cut to 2,000 characters)."""
    try:
        return _suggest(text, district=district, limit=limit)
    except Exception:  # a suggestion is a convenience: never the reason a form fails
        logger.exception("category suggestion failed")
        return []


def _suggest(text: str, *, district: AdminUnit | None, limit: int) -> list[CategorySuggestion]:
    if not isinstance(text, str) or limit <= 0:
        return []
    text = text[:MAX_TEXT]
    if sum(1 for char in text if char.isalpha()) < MIN_LETTERS:
        return []
    model = active_text_model()
    if model is None or not model.labels:
        return []
    scores = model.scores([text])[0]
    table = table_for(str(model.meta.get("key", "")), model.meta.get("topics") or {})
    return ranked_categories(model, table, scores, district=district, limit=limit)


def ranked_categories(
    model: TextModel,
    table: Table,
    scores: Any,
    *,
    district: AdminUnit | None,
    limit: int,
) -> list[CategorySuggestion]:
    """The `limit` best labels of one row of scores, each resolved to the category of the
    department that serves `district`; labels that resolve to nothing lodgeable, or to a
    category already offered, are passed over (at most LOOK_AT looked at). What citizens are
    offered, and what the evaluation scores."""
    found: list[CategorySuggestion] = []
    seen: set[int] = set()
    for column in scores.argsort()[::-1][:LOOK_AT]:
        category = table.resolve(model.labels[int(column)], district)
        if category is None or category.pk in seen:
            continue
        seen.add(category.pk)
        found.append(
            CategorySuggestion(
                category=category,
                department=category.department,
                score=round(float(scores[column]), 4),
            )
        )
        if len(found) >= limit:
            break
    return found
