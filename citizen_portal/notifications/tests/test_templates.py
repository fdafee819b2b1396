"""Every message in the mappings renders, in English and in Urdu, for a complaint and for a
suggestion, names the reference, and keeps an English SMS within two segments."""

from typing import Any

import pytest
from django.utils import timezone, translation

from citizen_portal.complaints.models import Complaint, Event, Kind
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.notifications.services.citizens import CITIZEN_MESSAGES, FOLLOWER_MESSAGES
from citizen_portal.notifications.services.context import event_context
from citizen_portal.notifications.services.delivery import letter_render
from citizen_portal.notifications.services.officers import OFFICER_MESSAGES
from citizen_portal.notifications.tests.helpers import sms_segments

pytestmark = pytest.mark.django_db

# Every detail any action writes, at a realistic length.
DATA = {
    "remark": "The meter was tested and the bill corrected. " * 3,
    "question": "Please send a photo of the meter and the November bill. " * 3,
    "expected_on": "2026-03-01",
    "due_on": "2026-02-20",
    "missed": "2026-02-10",
    "asked_until": "2026-02-15",
    "reason": "sub_judice",
    "outcome": "partial_relief",
    "explanation": "The same bill is before the civil court in Lahore. " * 3,
    "duplicate_of": "PB-2026-0000009-X",
    "appeal": 2,
    "final": True,
    "upheld": False,
    "window_days": 7,
    "instructions": "Read the meter and report.",
    "answer": "Meter 4471-B.",
}


def _letters(world, kind):
    complaint = lodge(world)
    Complaint.objects.filter(pk=complaint.pk).update(kind=kind)
    complaint.refresh_from_db()
    event = Event(
        complaint=complaint,
        seq=99,
        data=DATA,
        to_position=world.positions.se,
        from_position=world.positions.se,
        created_at=timezone.now(),
    )
    table: list[tuple[str, dict[str, Any]]] = [
        ("email", CITIZEN_MESSAGES),
        ("email", FOLLOWER_MESSAGES),
        ("officer", OFFICER_MESSAGES),
    ]
    for templates, messages in table:
        for action, message in messages.items():
            event.action = action
            context = {
                **event_context(event),
                "complaint": complaint,
                "original": complaint,
                "recipient": world.citizen,
                "post": world.positions.se,
            }
            yield (
                complaint,
                message,
                letter_render(
                    templates=templates,
                    name=message.template,
                    context=context,
                    url="/complaints/x/",
                    sms=getattr(message, "sms", False),
                ),
            )


@pytest.mark.parametrize("kind", [Kind.COMPLAINT, Kind.SUGGESTION])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_message_renders_and_names_the_reference(world, kind, language):
    with translation.override(language):
        for complaint, message, letter in _letters(world, kind):
            assert complaint.reference in letter.title + letter.body, message
            assert letter.body in letter.email_body
            if getattr(message, "sms", False):
                assert complaint.reference in letter.sms, message
                if language == "en":
                    assert sms_segments(letter.sms) <= 2, letter.sms
