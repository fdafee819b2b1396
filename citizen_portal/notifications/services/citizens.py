"""What the citizen is told, and on which channels, when their complaint changes; and what the
citizens who follow it as duplicates are told.

Adding a message is one entry in `CITIZEN_MESSAGES` (or `FOLLOWER_MESSAGES`) and its templates:
`notifications/email/<name>_subject.txt` (e-mail subject and in-app title),
`notifications/email/<name>.txt` (in-app text and the heart of the e-mail) and, for an SMS,
`notifications/sms/<name>.txt`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import translation

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, Complaint, Event
from citizen_portal.notifications.services.context import event_context
from citizen_portal.notifications.services.delivery import letter_deliver, letter_render

Condition = Callable[[Event], bool]


def always(event: Event) -> bool:
    return True


def final_dispute(event: Event) -> bool:
    # A dispute with an appeal left is followed at once by route_up, which says it all.
    return bool(event.data.get("final"))


def overturned(event: Event) -> bool:
    return event.data.get("upheld") is False


@dataclass(frozen=True)
class CitizenMessage:
    template: str
    sms: bool = True
    when: Condition = always


# The timeline actions a citizen is told about. Internal events are never told, whatever this
# says; actions the citizen took themselves (answer, confirm, dispute with an appeal left) are
# not listed.
CITIZEN_MESSAGES: dict[str, CitizenMessage] = {
    Action.AUTO_ROUTE: CitizenMessage("lodged"),
    Action.ROUTE: CitizenMessage("routed"),
    Action.TRANSFER: CitizenMessage("transferred"),
    Action.REQUEST_INFO: CitizenMessage("info_requested"),
    Action.INTERIM_REPLY: CitizenMessage("interim_reply"),
    Action.RESOLVE: CitizenMessage("resolved"),
    Action.SILENCE_WINDOW: CitizenMessage("closed_silence"),
    Action.ROUTE_UP: CitizenMessage("reopened"),
    Action.DISPUTE: CitizenMessage("decision_stands", when=final_dispute),
    Action.DROP: CitizenMessage("dropped"),
    Action.INFO_TIMEOUT: CitizenMessage("info_timeout"),
    Action.LINK_DUPLICATE: CitizenMessage("linked"),
    Action.REVIEW_DROP: CitizenMessage("drop_overturned", when=overturned),
    Action.ESCALATE: CitizenMessage("escalated"),
    Action.REMARK: CitizenMessage("remark", sms=False),
    Action.ACKNOWLEDGE: CitizenMessage("suggestion_acknowledged"),
    Action.CONSIDER: CitizenMessage("suggestion_considering"),
    Action.ADOPT: CitizenMessage("suggestion_adopted"),
    Action.NOTE: CitizenMessage("suggestion_noted"),
}

# What the citizens whose complaints were linked to this one (as duplicates) are told.
FOLLOWER_MESSAGES: dict[str, CitizenMessage] = {
    Action.RESOLVE: CitizenMessage("follower_resolved"),
    Action.CONFIRM: CitizenMessage("follower_closed"),
    Action.SILENCE_WINDOW: CitizenMessage("follower_closed"),
    Action.DISPUTE: CitizenMessage("follower_closed", when=final_dispute),
    Action.ROUTE_UP: CitizenMessage("follower_reopened"),
}


def _sms_to(citizen: User) -> str:
    # A number SMS could not reach at registration is not tried again for updates.
    return (citizen.phone or "") if citizen.phone_verified else ""


def _email_to(citizen: User) -> str:
    # Only an address the citizen proved is theirs: anyone may type any address.
    return citizen.email if citizen.email and citizen.email_verified_at else ""


def _tell(
    *,
    citizen: User,
    complaint: Complaint,
    event: Event,
    message: CitizenMessage,
    context: dict[str, Any],
) -> None:
    url = reverse("complaints:detail", args=[complaint.reference])
    email_to = _email_to(citizen)
    with translation.override(citizen.preferred_language):
        letter = letter_render(
            templates="email",
            name=message.template,
            context={**context, "complaint": complaint, "recipient": citizen},
            url=url,
            sms=message.sms,
            email=bool(email_to),
        )
    letter_deliver(
        user=citizen,
        event=event,
        complaint=complaint,
        letter=letter,
        sms_to=_sms_to(citizen) if message.sms else "",
        email_to=email_to,
    )


def notify_citizen_of_event(event: Event, context: dict[str, Any] | None = None) -> None:
    """SMS, e-mail (to a verified address) and in-app message, in the citizen's language."""
    message = CITIZEN_MESSAGES.get(event.action)
    if message is None or not event.is_public or not message.when(event):
        return
    complaint = event.complaint
    _tell(
        citizen=complaint.citizen,
        complaint=complaint,
        event=event,
        message=message,
        context=context if context is not None else event_context(event),
    )


def notify_followers_of_event(event: Event, context: dict[str, Any] | None = None) -> None:
    """Tell the citizen of every complaint linked to this one as a duplicate, on their own
    complaint, naming both references."""
    message = FOLLOWER_MESSAGES.get(event.action)
    if message is None or not event.is_public or not message.when(event):
        return
    followers = Complaint.objects.filter(duplicate_of_id=event.complaint_id).select_related(
        "citizen"
    )
    shared = context if context is not None else event_context(event)
    for follower in followers.order_by("pk"):
        _tell(
            citizen=follower.citizen,
            complaint=follower,
            event=event,
            message=message,
            context={**shared, "original": event.complaint},
        )
