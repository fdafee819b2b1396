import json
import logging

import pytest
from huey import RedisHuey, SqliteHuey

from citizen_portal.core.health import task_queue_status
from citizen_portal.core.logging import JsonFormatter


@pytest.mark.django_db
def test_healthz_reports_database_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "task_queue": "ok"}


def test_a_reachable_sqlite_queue_is_healthy(tmp_path):
    assert task_queue_status(SqliteHuey(filename=str(tmp_path / "q.db"))) == "ok"


def test_an_unreachable_queue_is_reported():
    # A real Redis client pointed at a port where nothing listens.
    huey = RedisHuey(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    assert task_queue_status(huey) == "unreachable"


def test_log_lines_are_one_json_object_with_the_extra_fields():
    record = logging.makeLogRecord(
        {"name": "portal", "levelname": "INFO", "msg": "citizen %s", "args": ("notified",)}
    )
    record.reference = "PB-2026-0000001-A"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "citizen notified"
    assert line["reference"] == "PB-2026-0000001-A"
    assert line["level"] == "INFO"
    assert "time" in line
