"""Mail stored while the worker was down is handled by the periodic sweep, once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from citizen_portal.complaints.models import Complaint
from citizen_portal.directory.models import Category
from citizen_portal.intake.models import InboundStatus
from citizen_portal.intake.services.email_store import inbound_email_store
from citizen_portal.intake.tasks import requeue_stored_email
from citizen_portal.intake.tests.email_support import CITIZEN_ADDRESS, mail

pytestmark = pytest.mark.django_db


def test_mail_stored_but_never_handled_is_lodged_by_the_sweep(
    world: SimpleNamespace,
    general: Category,
    settings: Any,
    tmp_path: Path,
    travel: Callable[..., None],
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    world.citizen.email = CITIZEN_ADDRESS
    world.citizen.email_verified_at = timezone.now()
    world.citizen.save()
    stored = inbound_email_store(raw=mail().as_bytes(), envelope_sender=CITIZEN_ADDRESS)

    requeue_stored_email()  # too fresh: its own task may still be queued
    stored.refresh_from_db()
    assert stored.status == InboundStatus.RECEIVED

    travel(minutes=11)
    requeue_stored_email()
    requeue_stored_email()
    stored.refresh_from_db()
    assert stored.status == InboundStatus.LODGED
    assert Complaint.objects.count() == 1
