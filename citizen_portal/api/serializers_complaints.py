"""What the citizens' complaint endpoints answer, and the pieces the officers' endpoints share
(posts, attachments, timeline entries). Their request bodies are in serializers_requests.py.

Output is built as plain data by the `*_data` functions from what the complaint selectors read,
and always written through these serializers: what is sent is what the schema says."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from citizen_portal.accounts.models import User
from citizen_portal.api.serializers_common import day_json, moment_json
from citizen_portal.complaints.models import (
    Action,
    Attachment,
    Complaint,
    DropReason,
    Kind,
    Outcome,
    Status,
)
from citizen_portal.complaints.selectors.complaints import (
    followed_complaint,
    ground_named,
    latest_event,
)
from citizen_portal.complaints.services.transition import offered
from citizen_portal.complaints.views_timeline import Entry
from citizen_portal.directory.models import AdminUnit, Category, Department, Position

# --- Pieces ---------------------------------------------------------------------------


class CodeNameSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")


class PostSerializer(serializers.Serializer[Any]):
    """A post and its office: complaints are with posts, never with named officers."""

    title = serializers.CharField()
    office = serializers.CharField()


class AttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The uploader's file name, cleaned; for display.")
    file_kind = serializers.ChoiceField(choices=Attachment.Kind.choices)
    content_type = serializers.CharField(help_text="From the file's content, not its name.")
    size = serializers.IntegerField(help_text="In bytes.")
    url = serializers.URLField(
        help_text="Where to download the file with the same token (`attachment_download`)."
    )


class FactSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    value = serializers.CharField()


class QuoteSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    text = serializers.CharField(help_text="As its author wrote it.")


class EventSerializer(serializers.Serializer[Any]):
    """One entry of the timeline, described as the web page describes it."""

    seq = serializers.IntegerField()
    action = serializers.ChoiceField(choices=Action.choices)
    action_display = serializers.CharField()
    at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=Status.choices, help_text="The status it left.")
    position = PostSerializer(
        allow_null=True, help_text="The post the complaint went to, when this event moved it."
    )
    facts = FactSerializer(many=True)
    quotes = QuoteSerializer(many=True)
    attachments = AttachmentSerializer(many=True, help_text="The files that came with it.")


class TimelineSerializer(serializers.Serializer[Any]):
    events = EventSerializer(many=True, help_text="Oldest first. Public events only.")


class GroundSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField(help_text="Why the portal cannot take such a matter.")


class DropSerializer(serializers.Serializer[Any]):
    drop_reason = serializers.ChoiceField(choices=DropReason.choices)
    drop_reason_display = serializers.CharField()
    explanation = serializers.CharField(allow_blank=True, help_text="The officer's, if any.")
    ground = GroundSerializer(allow_null=True, help_text="For a matter outside the portal.")


class FollowedSerializer(serializers.Serializer[Any]):
    """The earlier complaint a duplicate follows: its public status and resolution only."""

    reference = serializers.CharField()
    status_display = serializers.CharField()
    resolution = serializers.CharField(allow_blank=True)


# --- The citizen's complaints --------------------------------------------------------

# What the citizen may do now, by endpoint, and the lifecycle actions each one performs.
CITIZEN_ACTIONS: dict[str, frozenset[Action]] = {
    "answer": frozenset({Action.PROVIDE_INFO}),
    "feedback": frozenset({Action.CONFIRM, Action.DISPUTE}),
}


class ComplaintSummarySerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField()
    category = CodeNameSerializer()
    area = CodeNameSerializer()
    assigned_to = PostSerializer(allow_null=True, help_text="The post holding it now.")
    lodged_at = serializers.DateTimeField()
    due_on = serializers.DateField(
        allow_null=True,
        help_text="The reply is due by this day; null once closed and while paused.",
    )
    paused = serializers.BooleanField(
        help_text="The office waits for the citizen's answer; its time stands still meanwhile."
    )


class ComplaintSerializer(ComplaintSummarySerializer):
    description = serializers.CharField()
    department = CodeNameSerializer()
    question = serializers.CharField(
        allow_blank=True, help_text="What the office asks, while it waits for an answer."
    )
    info_due_on = serializers.DateField(
        allow_null=True, help_text="Unanswered by then, the complaint is dropped as incomplete."
    )
    expected_on = serializers.DateField(
        allow_null=True, help_text="Relief expected by (an interim reply), while open."
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_null=True)
    outcome_display = serializers.CharField(allow_null=True)
    drop = DropSerializer(allow_null=True, help_text="Why it was dropped, once dropped.")
    followed = FollowedSerializer(
        allow_null=True, help_text="For a duplicate: the earlier complaint it follows."
    )
    dispute_count = serializers.IntegerField(help_text="Appeals made so far (at most 2).")
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    share_location = serializers.BooleanField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    allowed_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(CITIZEN_ACTIONS)),
        help_text="What the citizen may do now: `answer` (POST …/answer/) while information "
        "is asked, `feedback` (POST …/feedback/) once resolved.",
    )


class ComplaintPageSerializer(serializers.Serializer[Any]):
    next = serializers.URLField(allow_null=True, help_text="The next page, if any.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, if any.")
    results = ComplaintSummarySerializer(many=True)


def code_name(item: Category | AdminUnit | Department) -> dict[str, str]:
    return {"code": item.code, "name": item.name}


def post_data(position: Position | None) -> dict[str, str] | None:
    if position is None:
        return None
    return {"title": position.title, "office": position.office.name}


def attachment_data(attachment: Attachment, request: Request) -> dict[str, Any]:
    url = reverse("api-attachment", args=[attachment.pk])
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "file_kind": attachment.kind,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": request.build_absolute_uri(url),
    }


def event_data(entry: Entry, request: Request) -> dict[str, Any]:
    event = entry.event
    moved = event.to_position_id is not None and event.to_position_id != event.from_position_id
    return {
        "seq": event.seq,
        "action": event.action,
        "action_display": event.get_action_display(),
        "at": event.created_at,
        "status": event.to_status,
        "position": post_data(event.to_position) if moved else None,
        "facts": [{"label": str(label), "value": str(value)} for label, value in entry.facts],
        "quotes": [{"label": str(label), "text": text} for label, text in entry.quotes],
        "attachments": [attachment_data(a, request) for a in entry.attachments],
    }


def summary_data(complaint: Complaint) -> dict[str, Any]:
    running = complaint.is_open and not complaint.is_paused
    return {
        "reference": complaint.reference,
        "kind": complaint.kind,
        "subject": complaint.subject,
        "status": complaint.status,
        "status_display": complaint.get_status_display(),
        "category": code_name(complaint.category),
        "area": code_name(complaint.area),
        "assigned_to": post_data(complaint.assigned_position),
        "lodged_at": moment_json(complaint.created_at),
        "due_on": day_json(complaint.due_on) if running else None,
        "paused": complaint.is_paused,
    }


def question_asked(complaint: Complaint) -> str:
    if complaint.status != Status.AWAITING_CITIZEN:
        return ""
    asked = latest_event(complaint, Action.REQUEST_INFO)
    return str(asked.data.get("question", "")) if asked is not None else ""


def drop_data(complaint: Complaint) -> dict[str, Any] | None:
    """Why a dropped complaint was dropped, as its web page says it."""
    if complaint.status != Status.DROPPED or not complaint.drop_reason:
        return None
    # The newest of the ways a complaint is closed unheard: an earlier drop may have been
    # overturned before this one.
    event = latest_event(complaint, Action.DROP, Action.LINK_DUPLICATE, Action.INFO_TIMEOUT)
    data = event.data if event is not None and event.action == Action.DROP else {}
    ground = ground_named(data.get("ground"))
    return {
        "drop_reason": complaint.drop_reason,
        "drop_reason_display": complaint.get_drop_reason_display(),
        "explanation": str(data.get("explanation", "")),
        "ground": (
            {"code": ground.code, "name": str(ground.name), "reason": str(ground.reason)}
            if ground
            else None
        ),
    }


def followed_data(complaint: Complaint) -> dict[str, Any] | None:
    followed = followed_complaint(complaint)
    if followed is None:
        return None
    return {
        "reference": followed.reference,
        "status_display": str(followed.status),
        "resolution": followed.resolution,
    }


def complaint_data(complaint: Complaint, user: User) -> dict[str, Any]:
    """The citizen's view of their complaint (the page `complaints:detail`), as JSON in the
    form ComplaintSerializer documents, built directly (serializers_common.moment_json): every
    lodging answers with it, and running the serializer over it cost a lodging more CPU than
    the complaint's insert."""
    allowed = set(offered(user, complaint))
    return {
        **summary_data(complaint),
        "description": complaint.description,
        "department": code_name(complaint.department),
        "question": question_asked(complaint),
        "info_due_on": (
            day_json(complaint.info_due_on) if complaint.status == Status.AWAITING_CITIZEN else None
        ),
        "expected_on": day_json(complaint.expected_on) if complaint.is_open else None,
        "outcome": complaint.outcome or None,
        "outcome_display": complaint.get_outcome_display() if complaint.outcome else None,
        "drop": drop_data(complaint),
        "followed": followed_data(complaint),
        "dispute_count": complaint.dispute_count,
        "resolved_at": moment_json(complaint.resolved_at),
        "closed_at": moment_json(complaint.closed_at),
        "share_location": complaint.share_location,
        "latitude": None if complaint.latitude is None else float(complaint.latitude),
        "longitude": None if complaint.longitude is None else float(complaint.longitude),
        "allowed_actions": [name for name, acts in CITIZEN_ACTIONS.items() if acts & allowed],
    }
