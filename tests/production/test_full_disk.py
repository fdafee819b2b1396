"""Issue 12: the embedded default on a full disk. The portal runs as deployed (gunicorn with
deploy/gunicorn.conf.py, SQLite and attachments in PORTAL_VAR_DIR, the task queue in its SQLite
file there) on a small tmpfs; a citizen lodges through the API, the disk is filled to the last
byte, and whatever the citizen then sends or asks gets 503 with Retry-After and a message saying
what happened — never a 500. Once space is freed, the database passes SQLite's integrity check,
every complaint acknowledged before is there with an intact timeline, and lodging works again.

A full disk strikes SQLite in three ways, each tried:

A. Nobody holds the database open: SQLite cannot even create its shared-memory index to read,
   so every request that reads fails.
B. A connection holds it open (a backup, the worker): reads work and the first write finds no
   room for the write-ahead log: "database or disk is full".
C. The write-ahead log has room from earlier writes: the complaint's rows fit, its attachment
   does not (ENOSPC), and everything rolls back; a complaint without files commits, and if
   the task queued for its notifications then finds no room, the citizen still gets 201 and
   the reference (the failure is logged).

Needs root to mount the tmpfs: it fails, never skips, without.
"""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image
from prometheus_client.parser import text_string_to_metric_families

from citizen_portal.core.tests.processes import process_stop

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
TMPFS_SIZE = "32m"  # the seeded directory takes about 3 MB
LODGE = "/api/v1/complaints/"
DETAILS = {
    "category": "FED-LESCO.BILL.OVER",
    "area": "PK-PB-LHR-LHR",
    "subject": "Bill three times the usual",
    "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
}
# Settings of the test run that the portal under test must not inherit: it is the embedded
# default, configured by nothing but PORTAL_VAR_DIR.
NOT_INHERITED = {
    "SECRET_KEY",
    "DEPLOYMENT",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "CACHE_URL",
    "TASK_QUEUE",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "PROMETHEUS_MULTIPROC_DIR",
    "STORAGE_S3_BUCKET",
}
SEED = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_directory", verbosity=0)
call_command("seed_demo", force=True, verbosity=0)
from citizen_portal.accounts.models import User
from citizen_portal.api.services.tokens import token_issue
from citizen_portal.directory.services.demo import DEMO_CITIZEN_PHONE
_token, raw = token_issue(user=User.objects.get(phone=DEMO_CITIZEN_PHONE), second_factor=False)
print("TOKEN=" + raw)
"""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Portal:
    url: str
    var: Path
    env: dict[str, str]
    token: str
    log: Path
    answers: list[Answer] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.var / "portal.sqlite3"

    def call(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Every answer is kept, so that the test can say none was a server error."""
        request = urllib.request.Request(  # noqa: S310 (http to our own server)
            self.url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                answer = Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, dict(error.headers), error.read())
        self.answers.append(answer)
        return answer

    def lodge(self, *, photo: bytes | None = None, language: str = "en") -> Answer:
        if photo is None:
            body, content_type = json.dumps(DETAILS).encode(), "application/json"
        else:
            body, content_type = multipart(DETAILS, ("files", "meter.png", photo, "image/png"))
        headers = {**self.auth, "Accept-Language": language, "Content-Type": content_type}
        return self.call("POST", LODGE, body, headers)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def multipart(fields: dict[str, str], file: tuple[str, str, bytes, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    name, filename, content, content_type = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join([*parts, f"--{boundary}--\r\n".encode()]), (
        f"multipart/form-data; boundary={boundary}"
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


# --- The portal on its own small disk --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@contextmanager
def mounted_tmpfs(where: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.fail(
            "The full-disk test mounts a tmpfs and needs root: run `make test-prod` as root "
            "(as CI does)."
        )
    where.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0755", "tmpfs", str(where)]
    subprocess.run(mount, check=True)  # noqa: S603
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], check=False).returncode:  # noqa: S603, S607
            subprocess.run(["umount", "-l", str(where)], check=True)  # noqa: S603, S607


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    port = _free_port()
    env = {**env, "WEB_BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "1", "WEB_THREADS": "1"}
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603
            [str(GUNICORN), "-c", str(CONFIG), "citizen_portal.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=sink,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(f"{url}/livez", timeout=5):  # noqa: S310
                    break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield url
    finally:
        process_stop(process)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    base = tmp_path_factory.mktemp("full-disk")
    with mounted_tmpfs(base / "var") as var:
        env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        env.update(PORTAL_VAR_DIR=str(var), LOG_FORMAT="json")
        seeded = _manage(env, "shell", "--no-imports", "-c", SEED)
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr
        [token] = [line[6:] for line in seeded.stdout.splitlines() if line.startswith("TOKEN=")]
        log = base / "gunicorn.log"
        with gunicorn(env, log) as url:
            yield Portal(url=url, var=var, env=env, token=token, log=log)


# --- Filling the disk, and SQLite's three situations ----------------------------------------


@contextmanager
def disk_full(var: Path) -> Iterator[None]:
    """Writes a file until the disk refuses the last byte; deletes it on leaving."""
    filler = var / "filler"
    with filler.open("wb", buffering=0) as sink:
        for chunk in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            try:
                while True:
                    sink.write(b"\0" * chunk)
            except OSError as full:
                if full.errno != errno.ENOSPC:
                    raise
    assert os.statvfs(var).f_bavail == 0
    try:
        yield
    finally:
        filler.unlink()


@contextmanager
def reader_holding(database: Path) -> Iterator[None]:
    """A connection with a read transaction open: SQLite's index of the write-ahead log stays,
    and the log cannot start again from its beginning, so that a write must make it longer."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("BEGIN")
        connection.execute("SELECT count(*) FROM complaints_complaint").fetchone()
        yield
    finally:
        connection.close()


@contextmanager
def log_with_room(database: Path) -> Iterator[None]:
    """A connection kept open (no transaction) after the write-ahead log has grown to about
    2.5 MB and been copied into the database: the next writes reuse that room."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("CREATE TABLE full_disk_ballast (x)")
        connection.execute("BEGIN")
        for _ in range(600):
            connection.execute("INSERT INTO full_disk_ballast VALUES (randomblob(4000))")
        connection.execute("COMMIT")
        connection.execute("DROP TABLE full_disk_ballast")
        busy, _frames, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0
        yield
    finally:
        connection.close()


# --- What people must see --------------------------------------------------------------------

UNAVAILABLE = "The portal is briefly unavailable. Nothing already saved is lost."
NOT_SAVED = "What you just sent was not saved"
NOT_SAVED_UR = "آپ نے ابھی جو بھیجا وہ محفوظ نہیں ہوا"  # the catalogue's Urdu of NOT_SAVED


def assert_unavailable(answer: Answer, *, code: str = "service_unavailable") -> str:
    assert answer.status == 503, answer.body[:1000]
    assert answer.headers["Retry-After"] == "60"
    error = answer.json()["error"]
    assert error["code"] == code
    return str(error["message"])


def test_a_full_disk_gives_a_clear_error_and_loses_nothing(portal: Portal) -> None:
    photo = png()
    acknowledged = [portal.lodge().json()["reference"] for _ in range(2)]
    with_photo = portal.lodge(photo=photo)
    assert with_photo.status == 201, with_photo.body
    acknowledged.append(with_photo.json()["reference"])
    [attachment] = portal.call(
        "GET", f"{LODGE}{acknowledged[-1]}/timeline/", headers=portal.auth
    ).json()["events"][0]["attachments"]
    assert all(answer.status == 201 for answer in portal.answers[:3])
    attachment_path = urlsplit(attachment["url"]).path
    kept = portal.call("GET", attachment_path, headers=portal.auth)
    assert kept.status == 200

    # A: nothing holds the database open; even reading fails.
    with disk_full(portal.var):
        message = assert_unavailable(portal.lodge())
        assert message.startswith(UNAVAILABLE)
        assert NOT_SAVED in message
        assert NOT_SAVED_UR in assert_unavailable(portal.lodge(photo=photo, language="ur"))
        listed = portal.call("GET", LODGE, headers=portal.auth)
        assert "Please try again in a minute." in assert_unavailable(listed)
        page = portal.call("GET", "/transparency/", headers={"Cookie": "portal_language=ur"})
        assert page.status == 503
        assert page.headers["Retry-After"] == "60"
        html = page.body.decode()
        assert '<html lang="ur" dir="rtl">' in html
        assert "سٹیزن پورٹل" in html  # the page is in Urdu

    # B: a connection holds the database open; the first write finds no room.
    with reader_holding(portal.database), disk_full(portal.var):
        assert NOT_SAVED in assert_unavailable(portal.lodge())
    assert "database or disk is full" in portal.log.read_text()

    # C: the write-ahead log has room; the attachment does not.
    with log_with_room(portal.database), disk_full(portal.var):
        refused = portal.lodge(photo=photo)
        assert "What you wrote is kept" in assert_unavailable(refused, code="storage_unavailable")
        without_files = portal.lodge()
    # It commits; if its notification's task then finds no room in the queue, that is logged
    # and the citizen still gets the reference (complaints/services/transition.py).
    assert without_files.status == 201, without_files.body
    acknowledged.append(without_files.json()["reference"])

    _assert_nothing_lost(portal, acknowledged, attachment_path, kept.body)
    _assert_counted_and_never_a_server_error(portal)


def _assert_nothing_lost(
    portal: Portal, acknowledged: list[str], attachment: str, stored: bytes
) -> None:
    with sqlite3.connect(portal.database) as database:
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        lodged = [row[0] for row in database.execute("SELECT reference FROM complaints_complaint")]
    assert sorted(acknowledged) == sorted(lodged)
    timelines = _manage(portal.env, "verify_timelines")
    assert timelines.returncode == 0, timelines.stdout + timelines.stderr
    assert f"{len(lodged)} complaints checked, 0 broken" in timelines.stdout
    for reference in acknowledged:
        assert portal.call("GET", f"{LODGE}{reference}/", headers=portal.auth).status == 200
    served = portal.call("GET", attachment, headers=portal.auth)
    assert served.status == 200
    assert served.body == stored
    again = portal.lodge(photo=png())
    assert again.status == 201, again.body


def _assert_counted_and_never_a_server_error(portal: Portal) -> None:
    statuses = [answer.status for answer in portal.answers]
    assert 500 not in statuses, statuses
    assert "Internal Server Error" not in portal.log.read_text()
    metrics = portal.call("GET", "/metrics").body.decode()
    counted = sum(
        sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "portal_unavailable_total"
    )
    # Every 503 but the attachment's refusal, which its service explained (storage_unavailable).
    assert counted == statuses.count(503) - 1
