"""The cache, the file storage and the read replica are chosen by environment variables alone
(docs/operators.md, "Production configuration"). Settings are read once, at start, so each
configuration is tried in a process of its own, as a deployment would start it; the Redis and
S3 it names are real servers on this machine."""

from __future__ import annotations

import json
import uuid

import pytest
import redis
from django.core.cache import caches
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.analytics.services.rollups import rollups_refresh
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core.deployment import cache_from_url
from citizen_portal.core.tests.processes import manage, portal_python
from citizen_portal.directory.tests.factories import StaffFactory

# Database 14 of the machine's Redis: kept apart from a developer's queue (0) and cache (1).
REDIS_URL = "redis://127.0.0.1:6379/14"

CHOSEN = """
import json
from django.conf import settings
from django.core.files.storage import storages
from django.db import connections
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_at": settings.CACHES["default"].get("LOCATION", ""),
    "storage": type(storages["default"]).__name__,
    "databases": sorted(connections.settings),
    "replica_mirrors": connections.settings.get("replica", {}).get("TEST", {}).get("MIRROR"),
    "sessions": settings.SESSION_ENGINE,
}))
"""


def _chosen(**env: str) -> dict[str, object]:
    chosen: dict[str, object] = json.loads(portal_python(CHOSEN, **env).strip().splitlines()[-1])
    return chosen


@pytest.fixture
def redis_db() -> redis.Redis:
    """Redis database 14 at 127.0.0.1:6379. Not there is a failure, never a skip: CI and every
    developer machine run this Redis, and a missing one must be noticed."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis is not reachable at 127.0.0.1:6379 ({exc}). These tests need it: start "
            "it (redis-server --daemonize yes) and run them again.",
            pytrace=False,
        )
    return client


def test_with_no_variables_the_embedded_default_is_kept():
    chosen = _chosen()
    assert chosen == {
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "cache_at": "",
        "storage": "FileSystemStorage",
        "databases": ["default"],
        "replica_mirrors": None,
        "sessions": "django.contrib.sessions.backends.db",
    }


def test_each_variable_switches_its_backend(s3_server):
    bucket = s3_server.new_bucket()
    chosen = _chosen(
        CACHE_URL=REDIS_URL,
        DATABASE_REPLICA_URL="postgres://portal@127.0.0.1:5432/portal",
        **bucket.environ(),
    )
    assert chosen["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert chosen["cache_at"] == REDIS_URL
    assert chosen["storage"] == "S3Storage"
    assert chosen["databases"] == ["default", "replica"]
    assert chosen["replica_mirrors"] == "default"  # in tests, the replica is the primary
    # Sessions are rows of the primary database: every web process sees every session.
    assert chosen["sessions"] == "django.contrib.sessions.backends.db"


def test_a_cache_url_that_is_not_redis_stops_the_start_with_a_reason():
    result = manage("check", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must be redis://" in result.stderr


def test_a_file_saved_by_one_process_with_the_bucket_set_is_in_the_bucket(s3_server):
    bucket = s3_server.new_bucket()
    saved = portal_python(
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "print(default_storage.save('checks/written.txt', ContentFile(b'from another process')))",
        **bucket.environ(),
    )
    name = saved.strip().splitlines()[-1]
    assert bucket.keys("checks/") == [name]
    assert bucket.read(name) == b"from another process"
    assert "http://acs.amazonaws.com/groups/global/AllUsers" not in bucket.grantees(name)


@pytest.mark.redis
def test_with_cache_url_two_processes_share_what_they_cache(redis_db):
    key = f"shared-{uuid.uuid4().hex}"
    portal_python(
        f"from django.core.cache import cache\ncache.set({key!r}, 'kept by the first', 60)",
        CACHE_URL=REDIS_URL,
    )
    read = portal_python(
        f"from django.core.cache import cache\nprint(cache.get({key!r}))", CACHE_URL=REDIS_URL
    )
    assert read.strip().splitlines()[-1] == "kept by the first"


@pytest.mark.redis
def test_a_value_set_through_one_cache_connection_is_read_through_a_fresh_one(redis_db, settings):
    settings.CACHES = {"default": cache_from_url(REDIS_URL)}
    key = f"fresh-{uuid.uuid4().hex}"
    first = caches.create_connection("default")
    first.set(key, {"lodged": 3, "resolved": 1}, 60)
    second = caches.create_connection("default")  # a new client and connection pool
    assert second is not first
    assert second.get(key) == {"lodged": 3, "resolved": 1}
    first.delete(key)
    assert second.get(key) is None


@pytest.mark.redis
@pytest.mark.django_db
def test_dashboard_panels_are_kept_in_redis_for_every_process(client, world, redis_db, settings):
    settings.CACHES = {"default": cache_from_url(REDIS_URL)}
    lodge(world)
    rollups_refresh()
    client.force_login(StaffFactory(username="pmdu.analyst", role=Role.ANALYST))
    before = set(redis_db.scan_iter("*analytics:panels:*"))
    assert client.get(reverse("analytics:dashboard", args=["nation", 0])).status_code == 200
    [kept] = set(redis_db.scan_iter("*analytics:panels:*")) - before
    # Another process (here a fresh connection) finds the panels under the same key.
    panels = caches.create_connection("default").get(kept.decode().split(":", 2)[2])
    assert panels["totals"] is not None
    redis_db.delete(kept)
