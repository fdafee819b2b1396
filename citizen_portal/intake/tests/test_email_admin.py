"""Staff see the mail held for review, download it as received, and have it handled again once
the cause is put right."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citizen_portal.directory.models import Category
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.intake.models import InboundMessage, InboundStatus
from citizen_portal.intake.services.email_process import inbound_email_process
from citizen_portal.intake.services.email_store import inbound_email_store
from citizen_portal.intake.tests.email_support import CITIZEN_ADDRESS, mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(world: SimpleNamespace) -> Any:
    return StaffFactory(
        username="director.it", role="administrator", is_staff=True, is_superuser=True
    )


@pytest.fixture
def held(world: SimpleNamespace, settings: Any, tmp_path: Path) -> InboundMessage:
    """Ayesha's mail, held because the portal had no general category when it came."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTAKE_GENERAL_CATEGORY = "NO.SUCH.CATEGORY"
    world.citizen.email = CITIZEN_ADDRESS
    world.citizen.email_verified_at = timezone.now()
    world.citizen.save()
    stored = inbound_email_store(raw=mail().as_bytes(), envelope_sender=CITIZEN_ADDRESS)
    message = inbound_email_process(message_id=stored.pk)
    assert message.status == InboundStatus.REVIEW
    return message


def test_held_mail_is_listed_with_its_reason_and_a_masked_sender(
    client: Client, administrator: Any, held: InboundMessage
) -> None:
    client.force_login(administrator)
    page = client.get(reverse("admin:intake_inboundmessage_changelist"), {"status": "review"})
    text = page.content.decode()
    assert "could not be lodged" in text
    assert "general category" in text
    assert "a••••••••••@example.pk" in text
    assert CITIZEN_ADDRESS not in text


def test_the_raw_message_downloads_exactly_as_received(
    client: Client, administrator: Any, held: InboundMessage
) -> None:
    client.force_login(administrator)
    response = client.get(reverse("admin:intake_inboundmessage_raw", args=[held.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    held.raw.open("rb")
    assert body == held.raw.read()
    assert b"No electricity in Gulberg" in body


def test_officers_cannot_download_mail(client: Client, world: SimpleNamespace, held: Any) -> None:
    client.force_login(world.officers.se)
    response = client.get(reverse("admin:intake_inboundmessage_raw", args=[held.pk]))
    assert response.status_code in {302, 403}


def test_handled_again_once_the_general_category_exists(
    client: Client, administrator: Any, held: InboundMessage, general: Category
) -> None:
    client.force_login(administrator)
    client.post(
        reverse("admin:intake_inboundmessage_changelist"),
        {"action": "handle_again", "_selected_action": [held.pk]},
    )
    held.refresh_from_db()
    assert held.status == InboundStatus.LODGED
    assert held.complaint is not None
    assert held.complaint.category == general
