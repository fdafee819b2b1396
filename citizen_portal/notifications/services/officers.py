"""What officers are told: work arriving at their post, a citizen's answer, a deadline coming
up, and a drop below them that they may review. In-app always, e-mail where the officer has an
address, in the officer's language; no SMS.

Messages go to the current holder of a post. A vacant post's work falls to the holder of its
direct supervisor post (who acts for it, as the inbox and `capacities` have it), so they are
told instead. The officer who did the thing is never told about it.

Adding a message is one entry in `OFFICER_MESSAGES` and two templates:
`notifications/officer/<name>_subject.txt` and `notifications/officer/<name>.txt`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import translation

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, Event
from citizen_portal.directory.models import Position, PositionHolding
from citizen_portal.directory.selectors.memo import memo
from citizen_portal.notifications.services.citizens import Condition, always, overturned
from citizen_portal.notifications.services.context import event_context
from citizen_portal.notifications.services.delivery import letter_deliver, letter_render


def arrived_at(event: Event) -> Position | None:
    return event.to_position


def above_dropping_post(event: Event) -> Position | None:
    # A drop leaves the complaint where it was: the post that dropped it is the one it was at.
    return event.from_position.supervisor if event.from_position else None


@dataclass(frozen=True)
class OfficerMessage:
    template: str
    post: Callable[[Event], Position | None] = arrived_at  # whose (acting) holder is told
    when: Condition = always


OFFICER_MESSAGES: dict[str, OfficerMessage] = {
    Action.AUTO_ROUTE: OfficerMessage("arrived"),
    Action.ROUTE: OfficerMessage("arrived"),
    Action.MARK_DOWN: OfficerMessage("arrived"),
    Action.RETURN_UP: OfficerMessage("arrived"),
    Action.TRANSFER: OfficerMessage("arrived"),
    Action.ESCALATE: OfficerMessage("arrived"),
    Action.ROUTE_UP: OfficerMessage("arrived"),
    Action.REVIEW_DROP: OfficerMessage("arrived", when=overturned),
    Action.PROVIDE_INFO: OfficerMessage("info_provided"),
    Action.DEADLINE_WARNING: OfficerMessage("deadline_warning"),
    Action.DROP: OfficerMessage("drop_review", post=above_dropping_post),
}


@dataclass(frozen=True)
class Recipient:
    user: User
    acting_for: Position | None  # the vacant post they act for, if that is why they are told


def acting_holders(position: Position) -> list[Recipient]:
    """Who answers for `position` now: its holder, or, while it is vacant, the holder of its
    direct supervisor post. One query."""
    posts = [position.pk] + ([position.supervisor_id] if position.supervisor_id else [])
    holdings = {
        holding.position_id: holding.user
        for holding in PositionHolding.objects.filter(
            position_id__in=posts, ended_at__isnull=True, user__is_active=True
        ).select_related("user")
    }
    if position.pk in holdings:
        return [Recipient(holdings[position.pk], None)]
    if position.supervisor_id in holdings:
        return [Recipient(holdings[position.supervisor_id], position)]
    return []


def notify_officers_of_event(event: Event, context: dict[str, Any] | None = None) -> None:
    message = OFFICER_MESSAGES.get(event.action)
    if message is None or not message.when(event):
        return
    post = message.post(event)
    if post is None:
        return
    complaint = event.complaint
    url = reverse("complaints:work_detail", args=[complaint.reference])
    shared = context if context is not None else event_context(event)
    # Remembered with the directory (memo.py): a change of holder saved in this process is
    # seen at once, elsewhere within DIRECTORY_MEMO_SECONDS.
    for recipient in memo.get(("holders", post.pk), lambda: acting_holders(post)):
        officer = recipient.user
        if officer.pk == event.actor_id:
            continue
        with translation.override(officer.preferred_language):
            letter = letter_render(
                templates="officer",
                name=message.template,
                context={
                    **shared,
                    "complaint": complaint,
                    "recipient": officer,
                    "officer": True,
                    "post": post,
                    "acting_for": recipient.acting_for,
                },
                url=url,
                sms=False,
                email=bool(officer.email),
            )
        letter_deliver(
            user=officer, event=event, complaint=complaint, letter=letter, email_to=officer.email
        )
