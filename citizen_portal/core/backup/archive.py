"""The backup archive: a `.tar.gz` holding the database, the uploaded files, the local secret
key if the portal uses one, and last a manifest with the SHA-256 of every other member.

The manifest comes last because the members' hashes are taken while they are written (a file
is read once). Reading checks everything before anything is used: the gzip stream's own
checksum, every member's name and hash against the manifest, and that no member is missing or
extra. A truncated or altered archive is refused with what was wrong.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

from citizen_portal.core.errors import ApplicationError

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.sqlite3"
SECRET_KEY = "secret_key"  # noqa: S105 (the member's name, not a key)
MEDIA = "media"
# A manifest lists one line per file: a few megabytes even for a million uploads.
MANIFEST_MAX_BYTES = 256 << 20
CHUNK = 1 << 20


@dataclass(frozen=True)
class Manifest:
    created_at: str  # ISO 8601, UTC
    portal_version: str | None
    portal_commit: str | None
    migrations: dict[str, str]  # app label → latest applied migration
    counts: dict[str, int]  # "complaints", "events"
    media_included: bool  # False when the files live in object storage
    files: dict[str, str] = field(default_factory=dict)  # member name → SHA-256
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data: dict[str, Any] = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ApplicationError(
                    f"The archive's format ({data.get('format')}) is not one this version reads.",
                    code="backup_format",
                )
            return cls(**data)
        except (ValueError, TypeError) as error:
            raise _damaged(f"its manifest cannot be read ({error})") from error


class _Hashing:
    """A file read through, keeping the SHA-256 of what was read."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def archive_write(target: Path, *, members: list[tuple[str, Path]], manifest: Manifest) -> Manifest:
    """Write `members` (archive name, file) then the manifest with their hashes; returns it.
    A file that vanished before it was opened (a lodging draft deleted meanwhile) is left out.
    The archive is private to its owner: it holds personal data and, often, the key."""
    files: dict[str, str] = {}
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for name, path in members:
            try:
                file = path.open("rb")
            except FileNotFoundError:
                continue
            with file:
                stat = os.fstat(file.fileno())
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
                reader = _Hashing(file)
                tar.addfile(info, cast("IO[bytes]", reader))  # read() is all tarfile uses
                files[name] = reader.sha256.hexdigest()
        final = Manifest(**{**asdict(manifest), "files": files})
        body = final.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
        tar.addfile(info, io.BytesIO(body))
        raw.flush()
        os.fsync(raw.fileno())
    return final


def archive_read(source: Path, staging: Path) -> Manifest:
    """Unpack `source` into the empty directory `staging` and check it; returns its manifest.
    Raises ApplicationError, saying what is wrong, if the archive is not intact."""
    found: dict[str, str] = {}
    manifest: bytes | None = None
    try:
        with tarfile.open(source, mode="r:gz") as tar:
            for member in tar:
                if not member.isfile():
                    raise _damaged(f"it holds {member.name!r}, which is not a plain file")
                reader = tar.extractfile(member)
                assert reader is not None  # a regular file always has content
                if member.name == MANIFEST:
                    manifest = reader.read(MANIFEST_MAX_BYTES + 1)
                    continue
                target = staging / _checked_name(member.name)
                if member.name in found or target.exists():
                    raise _damaged(f"it holds {member.name!r} twice")
                found[member.name] = _unpack(reader, target)
            # tarfile stops at the end-of-archive blocks; reading on to the end of the gzip
            # stream makes gzip check its CRC-32 and length of everything.
            assert tar.fileobj is not None
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise _damaged(f"it is incomplete or corrupt ({error or type(error).__name__})") from error
    except FileNotFoundError as error:
        raise ApplicationError(f"There is no file {source}.", code="backup_missing") from error
    if manifest is None or len(manifest) > MANIFEST_MAX_BYTES:
        raise _damaged("its manifest is missing (the archive may have been cut short)")
    parsed = Manifest.from_json(manifest)
    _compare(parsed, found)
    return parsed


def _unpack(reader: IO[bytes], target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("xb") as out:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _checked_name(name: str) -> PurePosixPath:
    """Only the names this module writes: nothing can land outside the staging directory."""
    path = PurePosixPath(name)
    if name in {DATABASE, SECRET_KEY}:
        return path
    inside = path.parts[1:]
    if path.parts[:1] == (MEDIA,) and inside and not {"", ".", ".."} & set(inside):
        return path
    raise _damaged(f"it holds {name!r}, which a portal backup never holds")


def _compare(manifest: Manifest, found: dict[str, str]) -> None:
    missing = sorted(set(manifest.files) - set(found))
    extra = sorted(set(found) - set(manifest.files))
    altered = sorted(
        n for n in found.keys() & manifest.files.keys() if found[n] != manifest.files[n]
    )
    for problem, names in (("missing", missing), ("not listed", extra), ("altered", altered)):
        if names:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            raise _damaged(f"{problem}: {shown}")
    if DATABASE not in found:
        raise _damaged("it holds no database")


def _damaged(why: str) -> ApplicationError:
    return ApplicationError(
        f"The archive cannot be trusted, nothing was changed: {why}.", code="backup_damaged"
    )
