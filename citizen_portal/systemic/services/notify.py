"""What systemic issues tell people, after the commit, once per (person, timeline event):

- a complaint grouped with a wider problem: its citizen (in-app and e-mail) and its followers;
- a wider problem fixed: the citizen of each linked complaint that the fix did not resolve
  (a resolved one is told by the RESOLVE message, with the feedback request) and, for every
  linked complaint, its followers (in-app, SMS, e-mail);
- an issue new to its owner post: the post's holder (in-app, e-mail).

Messages are `templates/systemic/messages/<name>_subject.txt` and `<name>.txt`, and, for an
SMS, `systemic/messages/<name>_sms.txt`, rendered in the reader's language. Followers are
linked to their list of followed complaints: another citizen's complaint is not theirs to open.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, Complaint, Event
from citizen_portal.complaints.selectors.related import public_stage
from citizen_portal.notifications.models import Notification
from citizen_portal.notifications.services.delivery import (
    Letter,
    channels_queue,
    letter_deliver,
    letter_render,
)
from citizen_portal.notifications.services.officers import acting_holders
from citizen_portal.systemic.models import Follow, SystemicIssue
from citizen_portal.systemic.services.similar import district_of


def _sms_to(user: User) -> str:
    return (user.phone or "") if user.phone_verified else ""


def _email_to(user: User) -> str:
    return user.email if user.email and user.email_verified_at else ""


def _letter(name: str, context: dict[str, Any], url: str, *, sms: bool) -> Letter:
    return letter_render(
        folder="systemic",
        templates="messages",
        name=name,
        context=context,
        url=url,
        sms=sms,
        sms_template=f"systemic/messages/{name}_sms.txt",
    )


def _tell(user: User, event: Event, complaint: Complaint, name: str, url: str, sms: bool) -> None:
    with translation.override(user.preferred_language):
        context = {
            "complaint": complaint,
            "recipient": user,
            "title": event.data.get("title", ""),
            "issue": event.data.get("issue", ""),
            "remark": event.data.get("remark", ""),
            "category": complaint.category.name,
            "district": district_of(complaint.area).name,
            "stage": public_stage(event.to_status),
        }
        letter = _letter(name, context, url, sms=sms)
    letter_deliver(
        user=user,
        event=event,
        complaint=complaint,
        letter=letter,
        sms_to=_sms_to(user) if sms else "",
        email_to=_email_to(user),
    )


def notify_complaint_event(event_id: int) -> None:
    event = Event.objects.select_related(
        "complaint__citizen", "complaint__category", "complaint__area__parent"
    ).get(pk=event_id)
    complaint = event.complaint
    fixed = event.action == Action.SYSTEMIC_FIXED
    if fixed and not event.data.get("resolves"):
        url = reverse("complaints:detail", args=[complaint.reference])
        _tell(complaint.citizen, event, complaint, "fixed", url, sms=True)
    elif event.action == Action.LINK_SYSTEMIC:
        url = reverse("complaints:detail", args=[complaint.reference])
        _tell(complaint.citizen, event, complaint, "linked", url, sms=False)
    following = reverse("systemic:following")
    follows = Follow.objects.filter(complaint=complaint).select_related("citizen").order_by("pk")
    for follow in follows:
        name = "follower_fixed" if fixed else "follower_linked"
        _tell(follow.citizen, event, complaint, name, following, sms=fixed)


# The steps of a followed complaint its followers are told of, besides grouping and fixing
# (above): where it stands now, never the office's remarks or the other citizen's words.
PROGRESS = frozenset(
    {
        Action.RESOLVE,
        Action.CONFIRM,
        Action.SILENCE_WINDOW,
        Action.DISPUTE,
        Action.DROP,
        Action.LINK_DUPLICATE,
        Action.INFO_TIMEOUT,
        Action.REVIEW_DROP,
    }
)


def notify_followers_of_progress(event: Event) -> None:
    """Tell the citizens who follow the complaint (instead of lodging their own) that it was
    resolved, closed, reopened or dropped, with its stage now. Called for every event by the
    notifications app; a resolution that came with a fixed systemic issue was told with it."""
    if event.action not in PROGRESS or not event.is_public or event.data.get("issue"):
        return
    follows = list(
        Follow.objects.filter(complaint_id=event.complaint_id)
        .select_related("citizen")
        .order_by("pk")
    )
    if not follows:
        return
    complaint = Complaint.objects.select_related("category", "area__parent").get(
        pk=event.complaint_id
    )
    following = reverse("systemic:following")
    for follow in follows:
        _tell(follow.citizen, event, complaint, "follower_progress", following, sms=False)


def notify_owner(issue_id: int) -> None:
    """Tell whoever answers for the owner post now that the issue is theirs."""
    issue = SystemicIssue.objects.select_related("owner__office").get(pk=issue_id)
    url = reverse("systemic:detail", args=[issue.reference])
    for recipient in acting_holders(issue.owner):
        officer = recipient.user
        with translation.override(officer.preferred_language):
            letter = _letter("owner", {"issue": issue, "recipient": officer}, url, sms=False)
        Notification.objects.create(
            user=officer, title=letter.title, body=letter.body, url=letter.url
        )
        channels_queue(letter=letter, email_to=officer.email or "")
