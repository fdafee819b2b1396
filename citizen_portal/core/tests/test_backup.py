"""`backup` and `restore` of the embedded default, run as an operator runs them: as commands in
processes of their own, against this test's SQLite database file and files directory. The
data is made in the test's process with the real services (the test database is a file, and a
restore copies into it with SQLite's backup API, so this process sees what was restored)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pty
import re
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from citizen_portal.complaints.models import Attachment, Complaint
from citizen_portal.complaints.services.integrity import timelines_scan
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.tests.test_integrity import set_data, trigger_bypassed
from citizen_portal.core.backup.archive import MANIFEST
from citizen_portal.core.tests.processes import NOT_INHERITED, ROOT

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.skipif(
        ON_POSTGRESQL,
        reason="backup and restore are for the embedded SQLite database; PostgreSQL is backed "
        "up with its own tools (docs/operators.md)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    """A files directory of this test's own: a restore renames the whole directory."""
    root = tmp_path / "portal" / "media"
    settings.MEDIA_ROOT = root
    return root


def portal(
    *args: str | Path, env: dict[str, str] | None = None, stdin: int = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    """`manage.py <args>` on this test's database and files; no terminal on stdin unless
    `stdin` is one."""
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    if "SECRET_KEY" in os.environ:  # the key the test's data was encrypted with
        clean["SECRET_KEY"] = os.environ["SECRET_KEY"]
    where = {
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *map(str, args)],
        env={**clean, **where, **(env or {})},
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def backup(tmp_path: Path, env: dict[str, str] | None = None) -> Path:
    result = portal("backup", "--output", tmp_path / "backups", env=env)
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def lodge_with_photo(world) -> Complaint:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            subject="Meter reading wrong",
            description="The photo shows the meter at 4,512 units; the bill says 9,512.",
        ),
        files=[SimpleUploadedFile("meter.jpg", out.getvalue(), content_type="image/jpeg")],
    )


def timelines() -> dict[str, list[tuple[int, str, str]]]:
    """Every complaint's events as the officer's timeline shows them, with their hashes."""
    return {
        complaint.reference: list(
            complaint.events.order_by("seq").values_list("seq", "action", "hash")
        )
        for complaint in Complaint.objects.order_by("reference")
    }


def kept_aside() -> set[Path]:
    """What restores have set aside, beside the database and beside the files."""
    database = Path(connection.settings_dict["NAME"])
    media = Path(settings.MEDIA_ROOT)
    return {*database.parent.glob("*.before-restore-*"), *media.parent.glob("*.before-restore-*")}


def test_a_restore_brings_back_the_complaints_events_and_files_as_backed_up(world, media, tmp_path):
    with_photo = lodge_with_photo(world)
    resolved = complaint_resolve(
        complaint=lodge(world),
        officer=world.officers.se,
        remark="The meter was read again and the bill corrected to Rs 15,200.",
    )
    attachment = Attachment.objects.get(complaint=with_photo)
    photo = attachment.file.read()
    backed_up = timelines()
    assert len(backed_up[resolved.reference]) > 2  # lodged, routed, resolved

    archive = backup(tmp_path)
    later = lodge(world, category=world.supply)
    stored = attachment.file.name
    attachment.file.delete(save=False)
    assert not (media / str(stored)).exists()
    result = portal("restore", archive, "--yes")

    assert result.returncode == 0, result.stderr
    assert timelines() == backed_up
    assert not Complaint.objects.filter(reference=later.reference).exists()
    restored = Attachment.objects.get(pk=attachment.pk)
    with restored.file.open("rb") as file:
        assert file.read() == photo
    assert "Timelines: 2 complaints checked, 0 broken" in result.stdout
    assert list(timelines_scan(Complaint.objects.all())) == []
    # What was replaced is kept: the database with the later complaint, the files without.
    assert f"{connection.settings_dict['NAME']}.before-restore-" in result.stdout
    assert f"{media}.before-restore-" in result.stdout


def test_a_restore_names_a_timeline_that_was_tampered_with_before_the_backup(
    world, media, tmp_path
):
    intact, tampered = lodge(world), lodge(world)
    with trigger_bypassed():  # behind the portal's back, as a tamperer would
        set_data(tampered.events.get(seq=1), {"channel": "letter"})
    archive = backup(tmp_path)

    result = portal("restore", archive, "--yes")

    assert result.returncode == 1
    assert f"{tampered.reference} seq=1" in result.stdout
    assert intact.reference not in result.stdout
    assert "2 complaints checked, 1 broken" in result.stdout
    assert "1 complaint timelines are broken" in result.stderr


def test_the_archive_says_what_it_holds(world, media, tmp_path):
    lodge_with_photo(world)
    archive = backup(tmp_path)

    assert archive.parent == tmp_path / "backups"
    assert re.fullmatch(r"portal-\d{8}T\d{6}Z\.tar\.gz", archive.name)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        names = tar.getnames()
    assert manifest["counts"] == {"complaints": 1, "events": 2}
    assert manifest["migrations"]["complaints"].startswith("00")
    assert names[-1] == MANIFEST
    assert set(manifest["files"]) == set(names) - {MANIFEST}
    assert sum(name.startswith("media/") for name in names) == 1
    assert oct(archive.stat().st_mode & 0o777) == oct(0o600)


def test_a_damaged_archive_is_refused_and_nothing_changes(world, media, tmp_path):
    first = lodge_with_photo(world)
    archive = backup(tmp_path)
    later = lodge(world)
    damaged = bytearray(archive.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    flipped = tmp_path / "flipped.tar.gz"
    flipped.write_bytes(damaged)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: len(damaged) * 2 // 3])
    files_before = sorted(p.relative_to(media) for p in media.rglob("*"))
    aside_before = kept_aside()

    for bad in (flipped, cut):
        result = portal("restore", bad, "--yes")
        assert result.returncode == 1
        assert "The archive cannot be trusted, nothing was changed" in result.stderr
        assert "Traceback" not in result.stderr

    assert set(Complaint.objects.values_list("pk", flat=True)) == {first.pk, later.pk}
    assert sorted(p.relative_to(media) for p in media.rglob("*")) == files_before
    assert kept_aside() == aside_before
    assert list(media.parent.glob(".restore-*")) == []  # nothing unpacked is left behind


def test_restore_asks_first_and_refuses_without_a_terminal(world, media, tmp_path):
    archive = backup(tmp_path)
    later = lodge(world)

    result = portal("restore", archive)

    assert result.returncode == 1
    assert "add --yes" in result.stderr
    assert Complaint.objects.filter(pk=later.pk).exists()


def test_on_a_terminal_restore_asks_and_anything_but_yes_changes_nothing(world, media, tmp_path):
    archive = backup(tmp_path)
    later = lodge(world)
    typing, terminal = pty.openpty()
    os.write(typing, b"no\n")
    try:
        result = portal("restore", archive, stdin=terminal)
    finally:
        os.close(terminal)
        os.close(typing)

    assert result.returncode == 1
    assert "Type yes to go on" in result.stdout
    assert "Nothing was changed." in result.stderr
    assert Complaint.objects.filter(pk=later.pk).exists()


def test_an_archive_from_a_newer_version_is_refused(world, media, tmp_path):
    archive = backup(tmp_path)
    newer = _with_migration(archive, tmp_path, ("complaints", "9999_from_the_future"))
    later = lodge(world)

    result = portal("restore", newer, "--yes")

    assert result.returncode == 1
    assert "made by a newer version" in result.stderr
    assert "complaints.9999_from_the_future" in result.stderr
    assert Complaint.objects.filter(pk=later.pk).exists()


def test_an_archive_from_an_older_version_is_brought_up_to_this_one(tmp_path):
    # A database of its own, which an older version of the portal (one without the
    # accessibility app) would have left.
    own = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'older.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for step in (("migrate", "--noinput"), ("migrate", "accessibility", "zero")):
        assert portal(*step, env=own).returncode == 0
    archive = backup(tmp_path, env=own)
    assert portal("migrate", "--noinput", env=own).returncode == 0

    result = portal("restore", archive, "--yes", env=own)

    assert result.returncode == 0, result.stderr
    assert "the backup had not: accessibility.0001_initial\n" in result.stdout
    shown = portal("showmigrations", "accessibility", env=own).stdout
    assert "[X] 0001_initial" in shown


def test_backup_and_restore_refuse_postgresql_and_point_to_its_tools(tmp_path):
    postgresql = {"DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    made = portal("backup", "--output", tmp_path, env=postgresql)
    put_back = portal("restore", tmp_path / "portal.tar.gz", "--yes", env=postgresql)

    for result in (made, put_back):
        assert result.returncode == 1
        assert "back it up with the database's own tools" in result.stderr
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def _with_migration(archive: Path, tmp_path: Path, migration: tuple[str, str]) -> Path:
    """The archive as a newer portal would have written it: one more migration applied, and
    a manifest whose checksums match."""
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    with closing(sqlite3.connect(unpacked / "database.sqlite3")) as db:
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2099-01-01')",
            migration,
        )
        db.commit()
    manifest = json.loads((unpacked / MANIFEST).read_text())
    manifest["files"]["database.sqlite3"] = _sha256(unpacked / "database.sqlite3")
    (unpacked / MANIFEST).write_text(json.dumps(manifest))
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(newer, "w:gz") as tar:
        for name in [*manifest["files"], MANIFEST]:
            tar.add(unpacked / name, arcname=name)
    return newer


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
