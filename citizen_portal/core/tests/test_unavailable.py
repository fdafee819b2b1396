"""When the database or the disk fails, people read that the portal is briefly unavailable —
in their language, as a page, as the API's error or as Open311's — with 503 and Retry-After,
never a server error; what they sent is not half-saved, and the portal works again as soon
as the failure ends.

The failures are real ones, produced by SQLite, PostgreSQL or the kernel: a database that
cannot be reached (the connection pointed at a file that cannot be opened, or at a port with
nothing listening, as during a restart), a database turned read-only (SQLite's query_only,
PostgreSQL's default_transaction_read_only), a connection lost half-way through lodging, and
a full device (/dev/full, for files being received). Bugs stay 500s."""

from __future__ import annotations

import io
import logging
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Complaint, Event
from citizen_portal.complaints.tests.lodging_steps import fill_steps, step_url
from citizen_portal.core.tests.test_metrics import scrape, value
from citizen_portal.core.unavailable import (
    Outcome,
    unavailable_cause,
    unavailable_message,
    unavailable_outcome,
    unavailable_sentences,
)

pytestmark = pytest.mark.django_db(transaction=True)

COMPLAINTS = "/api/v1/complaints/"
OPEN311 = "/open311/v2/"


def sqlite() -> bool:
    return connection.vendor == "sqlite"


# --- Real failures ---------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again on leaving: nothing listens there


@contextmanager
def database_unreachable() -> Iterator[None]:
    """The next connection cannot be opened, as while PostgreSQL restarts: SQLite's file in a
    folder that does not exist, PostgreSQL at a port where nothing listens."""
    connection.close()
    saved = dict(connection.settings_dict)
    if sqlite():
        connection.settings_dict["NAME"] = "/nonexistent-portal-folder/portal.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@contextmanager
def database_read_only() -> Iterator[None]:
    """Reads work, every write is refused by the database itself."""
    with connection.cursor() as cursor:
        if sqlite():
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
    try:
        yield
    finally:
        connection.close()  # the setting belongs to this connection only


@contextmanager
def failing_after_the_complaint_row(tmp_path: Path) -> Iterator[None]:
    """Lodging fails half-way: the complaint's row is written, then writing its first event
    fails. SQLite: a trigger writes into a database attached read-only. PostgreSQL: a trigger
    ends the connection's own server process, as a restart would."""
    table = Event._meta.db_table
    if sqlite():
        frozen = tmp_path / "frozen.sqlite3"
        with sqlite3.connect(frozen) as setup:
            setup.execute("CREATE TABLE unavailable_probe (x)")
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE 'file:{frozen}?mode=ro' AS frozen")
            # `table` is the model's own table name, not input.
            cursor.execute(
                f'CREATE TEMP TRIGGER unavailable_half_way AFTER INSERT ON main."{table}" '  # noqa: S608
                "BEGIN INSERT INTO unavailable_probe VALUES (1); END"
            )
        try:
            yield
        finally:
            connection.close()  # the temporary trigger and the attachment go with it
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION unavailable_drop_connection() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$"
        )
        cursor.execute(
            f'CREATE TRIGGER unavailable_half_way AFTER INSERT ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION unavailable_drop_connection()"
        )
    try:
        yield
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TRIGGER IF EXISTS unavailable_half_way ON "{table}"')
            cursor.execute("DROP FUNCTION IF EXISTS unavailable_drop_connection()")


class FullDeviceUploadHandler(FileUploadHandler):
    """Receives uploaded files onto /dev/full, where the kernel refuses every write with
    ENOSPC, exactly as on a full disk. The one stand-in of this file: an ordinary test cannot
    fill a disk (tests/production/test_full_disk.py fills a real one, as root)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.device = open("/dev/full", "wb", buffering=0)  # noqa: SIM115 (closed below)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        try:
            self.device.write(raw_data)
        except OSError:
            self.device.close()
            raise
        return None

    def file_complete(self, file_size: int) -> None:
        self.device.close()


# --- Helpers ---------------------------------------------------------------------------------


def signed_in(user: Any, language: str | None = None, *, handler500: bool = False) -> Client:
    """A browser signed in as `user`. The test client raises an exception that reached Django's
    own error handling (and its error reports), as one the portal did not answer would;
    `handler500=True` for a failure only handler500 can answer, outside every view."""
    client = Client(raise_request_exception=not handler500)
    client.force_login(user)
    if language is not None:
        client.cookies["portal_language"] = language
    return client


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def details(**extra: Any) -> dict[str, Any]:
    return {
        "category": "FED-LESCO.BILL.OVER",
        "area": "PK-PB-LHR-LHR",
        "subject": "Bill three times the usual",
        "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
        **extra,
    }


def in_urdu(outcome: Outcome) -> list[str]:
    with translation.override("ur"):
        return unavailable_sentences(outcome)


def assert_retry_later(response: Any) -> None:
    assert response.status_code == 503, response.content.decode()[:2000]
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]


# --- Web pages -------------------------------------------------------------------------------


def test_a_page_whose_database_cannot_be_reached_says_to_try_again_in_a_minute(world):
    browser = signed_in(world.citizen, "en")
    mine = reverse("complaints:mine")
    with database_unreachable():
        response = browser.get(mine)
    assert_retry_later(response)
    page = response.content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "<h1>Briefly unavailable</h1>" in page
    assert "The portal is briefly unavailable. Nothing already saved is lost." in page
    assert "Please try again in a minute." in page
    assert f'<a href="{mine}">Try again</a>' in page
    assert "was not saved" not in page  # nothing was sent
    # The database is back: the same page answers again, on a fresh connection.
    assert browser.get(mine).status_code == 200


def test_the_page_is_in_urdu_also_when_the_failure_comes_before_the_view(world):
    """Without a language cookie the portal reads the citizen's account to choose the language,
    in a middleware, before any view: that failure is answered by handler500."""
    browser = signed_in(world.citizen, handler500=True)
    with database_unreachable():
        response = browser.get(reverse("complaints:mine"), HTTP_ACCEPT_LANGUAGE="ur")
    assert_retry_later(response)
    page = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in page
    assert "سٹیزن پورٹل" in page  # "Citizen Portal", from the catalogue
    assert "ہوم پیج پر واپس جائیں" in page  # "Back to the home page"
    for sentence in in_urdu("read"):
        assert f"<p>{sentence}</p>" in page
    assert response["Content-Language"] == "ur"


def test_a_complaint_sent_while_the_database_is_read_only_is_not_saved_and_can_be_sent_again(
    world, sms_outbox
):
    browser = signed_in(world.citizen, "en")
    key = fill_steps(browser, world)
    with database_read_only():
        refused = browser.post(step_url("review"), {"idempotency_key": key})
    assert_retry_later(refused)
    page = refused.content.decode()
    assert "What you just sent was not saved: in a minute, go back and send it again." in page
    assert "Try again" not in page  # sending it again is the citizen's choice, not a link's
    assert not Complaint.objects.exists()
    # The draft is still there: sending the review again lodges it, once.
    lodged = browser.post(step_url("review"), {"idempotency_key": key})
    assert lodged.status_code == 302
    assert Complaint.objects.count() == 1


def test_a_file_received_onto_a_full_disk_answers_503_and_logs_no_file_name(
    world, settings, caplog
):
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.FullDeviceUploadHandler"]
    browser = signed_in(world.citizen, "ur")
    fill_steps(browser, world)
    photo = SimpleUploadedFile("cnic-35202-1234567-1.png", png(), content_type="image/png")
    with caplog.at_level(logging.ERROR, logger="citizen_portal.core.unavailable"):
        response = browser.post(step_url("attachments"), {"files": [photo], "action": "next"})
    assert_retry_later(response)
    page = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in page
    for sentence in in_urdu("not_saved"):
        assert f"<p>{sentence}</p>" in page
    [record] = [r for r in caplog.records if r.name == "citizen_portal.core.unavailable"]
    assert record.levelno == logging.ERROR
    assert record.cause == "disk"
    assert "ENOSPC" in record.error
    assert "cnic" not in caplog.text


# --- API and Open311 -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_api_answers_its_own_error_when_the_database_cannot_be_reached(world, language):
    api = api_for(world.citizen)
    with database_unreachable():
        listed = api.get(COMPLAINTS, HTTP_ACCEPT_LANGUAGE=language)
        sent = api.post(COMPLAINTS, details(), format="json", HTTP_ACCEPT_LANGUAGE=language)
    answers: list[tuple[Any, Outcome]] = [(listed, "read"), (sent, "not_saved")]
    for response, outcome in answers:
        assert_retry_later(response)
        assert response["Content-Language"] == language
        with translation.override(language):
            message = unavailable_message(outcome)
        assert response.json() == {
            "error": {"code": "service_unavailable", "message": message, "fields": {}}
        }
    assert api.get(COMPLAINTS).status_code == 200


def test_the_api_answers_503_when_the_redis_holding_its_rate_limits_is_away(world, settings):
    """At scale the cache (rate limits, remembered pages) is on Redis: Redis restarting must not
    turn every request into a server error."""
    api = api_for(world.citizen)
    _text, before = scrape()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    sent = api.post(COMPLAINTS, details(), format="json")
    assert_retry_later(sent)
    assert sent.json()["error"]["code"] == "service_unavailable"
    assert sent.json()["error"]["message"] == unavailable_message("not_saved")
    assert not Complaint.objects.exists()
    _text, after = scrape()
    counted = "portal_unavailable_total"
    assert value(after, counted, cause="redis") == value(before, counted, cause="redis") + 1


def test_a_task_queue_away_after_the_commit_is_told_as_saved(world):
    """A task queued on commit into a Redis that is away: saved, and said so."""
    from huey import RedisHuey

    queue = RedisHuey("unavailable-test", url=f"redis://127.0.0.1:{_closed_port()}/0")
    with pytest.raises(redis.exceptions.ConnectionError) as failure, transaction.atomic():
        transaction.on_commit(lambda: queue.storage.enqueue(b"task"))
    assert unavailable_cause(failure.value) == "redis"
    assert unavailable_outcome("POST", failure.value) == "saved"


def test_a_lodge_cut_off_half_way_leaves_nothing_half_written(world, sms_outbox, tmp_path):
    api = api_for(world.citizen)
    _text, before = scrape()
    with failing_after_the_complaint_row(tmp_path):
        response = api.post(COMPLAINTS, details(), format="json")
    assert_retry_later(response)
    assert response.json()["error"]["code"] == "service_unavailable"
    assert not Complaint.objects.exists()
    assert not Event.objects.exists()
    _text, after = scrape()
    counted = value(after, "portal_unavailable_total", cause="database")
    assert counted == value(before, "portal_unavailable_total", cause="database") + 1
    # The connection is healthy again: the same complaint lodges.
    again = api.post(COMPLAINTS, details(), format="json")
    assert again.status_code == 201, again.json()
    assert Complaint.objects.count() == 1


def test_an_api_upload_onto_a_full_disk_answers_503_and_saves_nothing(world, settings):
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.FullDeviceUploadHandler"]
    api = api_for(world.citizen)
    photo = SimpleUploadedFile("meter.png", png(), content_type="image/png")
    response = api.post(COMPLAINTS, details(files=[photo]), format="multipart")
    assert_retry_later(response)
    assert response.json()["error"]["code"] == "service_unavailable"
    assert not Complaint.objects.exists()


def test_open311_answers_in_its_own_format_json_and_xml(world):
    client = Client()
    with database_unreachable():
        as_json = client.get(f"{OPEN311}services.json")
        as_xml = client.get(f"{OPEN311}services.xml")
    assert_retry_later(as_json)
    assert as_json.json() == [{"code": 503, "description": unavailable_message("read")}]
    assert_retry_later(as_xml)
    assert b"<errors><error><code>503</code><description>The portal is briefly" in (as_xml.content)


# --- Only availability failures --------------------------------------------------------------


def _raised(sql: str, *params: Any) -> DatabaseError:
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return exc
    raise AssertionError(f"{sql} did not fail")


def test_bugs_are_not_dressed_up_as_outages(world):
    """A missing table (SQLite reports it with the same OperationalError class as a full disk)
    and a broken uniqueness rule stay server errors, for the operator to fix."""
    assert unavailable_cause(_raised("SELECT * FROM no_such_table_here")) is None
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE unavailable_once (x integer UNIQUE)")
        cursor.execute("INSERT INTO unavailable_once VALUES (1)")
    duplicate = _raised("INSERT INTO unavailable_once VALUES (1)")
    assert isinstance(duplicate, IntegrityError)
    assert unavailable_cause(duplicate) is None
    with database_read_only():
        refused = _raised("DELETE FROM django_session WHERE 1 = 0")
    assert unavailable_cause(refused) == "database"


def test_a_failure_after_the_commit_is_told_as_saved_not_as_lost(world):
    """A callback run on commit (a task queued into a queue on the same full disk) can fail
    after the transaction committed: the answer must then not say that nothing was saved."""
    with pytest.raises(DatabaseError) as failure:
        _commit_then_write_read_only()
    connection.close()
    assert unavailable_cause(failure.value) == "database"
    assert unavailable_outcome("POST", failure.value) == "saved"
    assert unavailable_message("saved").endswith("look for it before sending it again.")
    refused_before_commit = _raised_write_read_only()
    assert unavailable_outcome("POST", refused_before_commit) == "not_saved"
    assert unavailable_outcome("GET", refused_before_commit) == "read"


def _commit_then_write_read_only() -> None:
    with transaction.atomic():
        transaction.on_commit(_raised_write)
        with connection.cursor() as cursor:  # takes effect once this transaction commits
            cursor.execute(
                "PRAGMA query_only = ON" if sqlite() else "SET default_transaction_read_only = on"
            )


def _raised_write() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_session WHERE 1 = 0")


def _raised_write_read_only() -> DatabaseError:
    with database_read_only():
        return _raised("DELETE FROM django_session WHERE 1 = 0")
