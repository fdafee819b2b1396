"""Checks behind GET /readyz (and its old name /healthz): can this process serve requests?

Each check answers "ok" or "unreachable" and logs a warning naming the error. None of them is
used by GET /livez, which must answer while a dependency is down (see core/views.py).
"""

from __future__ import annotations

import logging
import os
import uuid

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from huey.api import Huey

logger = logging.getLogger(__name__)

UNREACHABLE = "unreachable"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure at all means "not healthy"
        logger.warning("health check: database unreachable", extra={"error": str(exc)})
        return UNREACHABLE
    return "ok"


def task_queue_status(huey: Huey) -> str:
    if huey.immediate:
        return "ok"  # tasks run inline: there is no separate queue to reach
    try:
        huey.storage.queue_size()
    except Exception as exc:
        logger.warning("health check: task queue unreachable", extra={"error": str(exc)})
        return UNREACHABLE
    return "ok"


def cache_status() -> str:
    """Writes a short-lived key and reads it back: a cache that accepts writes but loses them
    (a full or misconfigured server) would otherwise pass."""
    key = f"portal:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        logger.warning("health check: cache unreachable", extra={"error": str(exc)})
        return UNREACHABLE
    if found != "1":
        logger.warning("health check: cache unreachable", extra={"error": "a key just set is gone"})
        return UNREACHABLE
    return "ok"


def _nearest_existing(path: str) -> str:
    while not os.path.exists(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path


def storage_status() -> str:
    """Attachments' storage. On local disk: MEDIA_ROOT (or, before the first upload, the
    folder it will be made in) must be a folder this process may write to. Elsewhere (object
    storage): one cheap existence query must answer."""
    try:
        if isinstance(default_storage, FileSystemStorage):
            place = _nearest_existing(str(default_storage.location))
            if not (os.path.isdir(place) and os.access(place, os.W_OK | os.X_OK)):
                raise OSError(f"{place} is not a folder this process may write to")
        else:
            default_storage.exists("attachments/")
    except Exception as exc:
        logger.warning("health check: attachment storage unreachable", extra={"error": str(exc)})
        return UNREACHABLE
    return "ok"


def readiness(huey: Huey) -> dict[str, str]:
    """Every dependency a request may need, by name."""
    return {
        "database": database_status(),
        "task_queue": task_queue_status(huey),
        "cache": cache_status(),
        "storage": storage_status(),
    }
