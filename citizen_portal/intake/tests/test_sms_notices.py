"""The notification SMS that invite a reply by SMS (resolved: YES or NO; information
requested: ANSWER) do so only where SMS replies are received, and stay within two SMS."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from citizen_portal.complaints.models import Outcome
from citizen_portal.complaints.services.officer_actions import (
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.intake.tests.sms_support import SECRET, texts_to
from citizen_portal.notifications.tests.helpers import sms_segments

pytestmark = pytest.mark.django_db(transaction=True)

LONG_QUESTION = "Please send a photo of the meter and of the November bill, both sides. " * 4


@pytest.fixture
def replies_on(settings: Any) -> None:
    settings.SMS_WEBHOOK_SECRET = SECRET
    # As long as a real deployment's address, so that the length is checked as sent.
    settings.PORTAL_BASE_URL = "https://citizenportal.gov.pk"


def test_the_resolved_sms_says_how_to_reply_yes_or_no(
    world: SimpleNamespace, sms_outbox: Any, replies_on: None
) -> None:
    complaint = lodge(world)
    complaint_resolve(
        complaint=complaint,
        officer=world.officers.se,
        remark="The meter cannot be replaced before the new stock arrives.",
        outcome=Outcome.RELIEF_NOT_POSSIBLE,
    )

    sms = texts_to(sms_outbox, world.citizen.phone)[-1]
    assert "Confirm or dispute by" in sms
    ref = complaint.reference
    assert f"Or reply YES {ref} 1-5 (stars) or NO {ref} 1-5 and why." in sms
    assert sms_segments(sms) <= 2, sms


def test_the_information_request_sms_says_how_to_answer_by_sms(
    world: SimpleNamespace, sms_outbox: Any, replies_on: None
) -> None:
    complaint = lodge(world)
    complaint_request_info(complaint=complaint, officer=world.officers.se, question=LONG_QUESTION)

    sms = texts_to(sms_outbox, world.citizen.phone)[-1]
    assert f"Reply ANSWER {complaint.reference} and your answer" in sms
    assert "Please send a photo of the meter" in sms
    assert f"/complaints/{complaint.reference}/" in sms
    assert sms_segments(sms) <= 2, sms


def test_without_sms_replies_no_sms_asks_for_one(
    world: SimpleNamespace, sms_outbox: Any, settings: Any
) -> None:
    settings.SMS_WEBHOOK_SECRET = ""
    resolved = lodge(world)
    complaint_resolve(complaint=resolved, officer=world.officers.se, remark="Bill corrected.")
    asked = lodge(world)
    complaint_request_info(complaint=asked, officer=world.officers.se, question=LONG_QUESTION)

    texts = texts_to(sms_outbox, world.citizen.phone)
    assert any("Confirm or dispute" in text for text in texts)
    assert any("the office needs information from you" in text for text in texts)
    assert not any("YES" in text or "ANSWER" in text for text in texts)
