"""Checks behind GET /healthz."""

from __future__ import annotations

import logging

from django.db import connection
from huey.api import Huey

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure at all means "not healthy"
        logger.warning("health check: database unreachable", extra={"error": str(exc)})
        return "unreachable"
    return "ok"


def task_queue_status(huey: Huey) -> str:
    if huey.immediate:
        return "ok"  # tasks run inline: there is no separate queue to reach
    try:
        huey.storage.queue_size()
    except Exception as exc:
        logger.warning("health check: task queue unreachable", extra={"error": str(exc)})
        return "unreachable"
    return "ok"
