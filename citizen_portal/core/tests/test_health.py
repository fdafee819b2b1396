import json
import logging

import pytest
from huey import RedisHuey, SqliteHuey

from citizen_portal.core.health import task_queue_status
from citizen_portal.core.logging import JsonFormatter

READY = {"status": "ok", "database": "ok", "task_queue": "ok", "cache": "ok", "storage": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/readyz", "/healthz"])
def test_readiness_reports_each_dependency_under_both_names(client, address):
    response = client.get(address)
    assert response.status_code == 200
    assert response.json() == READY
    assert "no-cache" in response["Cache-Control"]


def test_liveness_answers_without_asking_any_dependency(client):
    # No django_db mark: pytest-django refuses every database query here, so a liveness
    # check that touched the database would fail this test.
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_an_attachment_folder_that_cannot_be_made_makes_the_process_unready(
    client, settings, tmp_path
):
    # A file where the media folder's parent should be (a mount gone wrong).
    (tmp_path / "srv").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "srv" / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {**READY, "status": "unavailable", "storage": "unreachable"}
    assert client.get("/livez").status_code == 200


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
