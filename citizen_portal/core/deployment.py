"""The parts of a deployment at scale that settings.py builds from environment variables: the
shared cache (CACHE_URL), the object storage for files (STORAGE_S3_*) and the read replica
(DATABASE_REPLICA_URL). Each is absent, and the embedded default used, when its variable is
unset. Imported by settings.py before Django is set up: nothing here touches models or apps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dj_database_url

LOCAL_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
S3_STORAGE = "storages.backends.s3.S3Storage"


def cache_from_url(url: str) -> dict[str, Any]:
    """CACHES["default"] for CACHE_URL: empty is each process's own memory (Django's default),
    `redis://host:port/db` (or `rediss://` for TLS) a Redis that every process shares."""
    url = url.strip()
    if not url:
        return {"BACKEND": LOCAL_MEMORY_CACHE}
    if not url.startswith(("redis://", "rediss://")):
        raise RuntimeError("CACHE_URL must be redis://host:port/db (or rediss://…), or unset.")
    return {
        "BACKEND": REDIS_CACHE,
        "LOCATION": url,
        # A Redis that stops answering must not hold every web worker for the kernel's TCP
        # timeout: a page fails after these seconds instead (the error is logged).
        "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
    }


def s3_storage(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """STORAGES["default"] in S3-compatible object storage when STORAGE_S3_BUCKET is set,
    otherwise None (files on local disk under MEDIA_ROOT)."""
    bucket = environ.get("STORAGE_S3_BUCKET", "").strip()
    if not bucket:
        return None
    # Imported here: only a deployment that uses S3 loads botocore.
    from botocore.config import Config

    return {
        "BACKEND": S3_STORAGE,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("STORAGE_S3_ENDPOINT_URL") or None,
            "access_key": environ.get("STORAGE_S3_ACCESS_KEY") or None,
            "secret_key": environ.get("STORAGE_S3_SECRET_KEY") or None,
            "region_name": environ.get("STORAGE_S3_REGION") or None,
            # Private: no ACL is sent, so objects get the bucket's own (owner only; buckets
            # that refuse ACLs accept this too). Files reach people only through the portal's
            # permission-checked views, never by a link to the bucket.
            "default_acl": None,
            "querystring_auth": True,
            # Names are generated; an existing object is never replaced.
            "file_overwrite": False,
            # Files read back (to serve or lodge them) are kept in memory up to this size,
            # then spooled to a temporary file: a 25 MB video does not sit in a worker's memory.
            "max_memory_size": 2 * 1024 * 1024,
            # A store that does not answer fails the request in seconds, not minutes, and the
            # citizen is told (core/storage.py); botocore's standard mode retries twice.
            "client_config": Config(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }


def replica_database(url: str, primary: Mapping[str, Any]) -> dict[str, Any] | None:
    """DATABASES["replica"] for DATABASE_REPLICA_URL (None when unset): connected like the
    primary, and in tests a mirror of it (a replica has no test database of its own)."""
    url = url.strip()
    if not url:
        return None
    replica: dict[str, Any] = dict(
        dj_database_url.parse(
            url,
            conn_max_age=primary.get("CONN_MAX_AGE", 0),
            conn_health_checks=primary.get("CONN_HEALTH_CHECKS", False),
        )
    )
    if replica["ENGINE"] == primary["ENGINE"] and primary.get("OPTIONS"):
        replica["OPTIONS"] = dict(primary["OPTIONS"])
    replica["TEST"] = {"MIRROR": "default"}
    return replica
