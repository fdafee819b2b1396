"""When the file storage fails: one error that services raise and pages show.

The default storage is a directory (MEDIA_ROOT) or an S3-compatible object store
(STORAGE_S3_BUCKET). Either can fail — a full disk, an object store that is down or refuses
the request — and a citizen attaching a photo must then read what happened and keep what they
wrote, not meet a server error. `storage_guard()` turns those failures into
`StorageUnavailable`, an ApplicationError that every page and the API already show.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _

from citizen_portal.core.errors import ApplicationError

logger = logging.getLogger(__name__)


class StorageUnavailable(ApplicationError):  # noqa: N818 (reads as the state it reports)
    """The file storage could not be written or read just now; trying later may work."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The portal cannot store or read attached files just now. What you wrote is "
                "kept: please try again in a few minutes."
            ),
            code="storage_unavailable",
        )


def storage_errors() -> tuple[type[BaseException], ...]:
    """What the storage backends raise when they fail: OSError from the local disk, and
    botocore's errors from S3. botocore is looked up, not imported: only the S3 backend loads
    it, and where it is not loaded nothing can raise its errors."""
    errors: list[type[BaseException]] = [OSError]
    botocore = sys.modules.get("botocore.exceptions")
    if botocore is not None:
        errors += [botocore.BotoCoreError, botocore.ClientError]
    return tuple(errors)


@contextmanager
def storage_guard(action: str) -> Iterator[None]:
    """Run a storage operation; its failure becomes StorageUnavailable, logged with `action`
    (what was being done, for the operator). FileNotFoundError passes through: a missing file
    is not an outage, and callers answer it themselves."""
    try:
        yield
    except FileNotFoundError:
        raise
    except storage_errors() as exc:
        logger.warning("file storage failed: %s", action, extra={"error": repr(exc)})
        raise StorageUnavailable from exc
