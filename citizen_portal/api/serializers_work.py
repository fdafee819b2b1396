"""Shapes of the officers' endpoints: the inbox, drops to review, a complaint's work page and
the result of an action. Built as plain data by the `*_data` functions, written through these
serializers (see serializers_complaints.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from rest_framework import serializers
from rest_framework.request import Request

from citizen_portal.accounts.models import User
from citizen_portal.api.selectors_complaints import is_overdue
from citizen_portal.api.serializers_actions import OFFICER_ACTIONS
from citizen_portal.api.serializers_common import day_json, moment_json
from citizen_portal.api.serializers_complaints import (
    CodeNameSerializer,
    DropSerializer,
    EventSerializer,
    FollowedSerializer,
    code_name,
    drop_data,
    event_data,
    followed_data,
    question_asked,
)
from citizen_portal.complaints.models import (
    Action,
    Channel,
    Complaint,
    DropReason,
    Kind,
    Outcome,
    Status,
)
from citizen_portal.complaints.selectors.attachments import attachments_shown
from citizen_portal.complaints.selectors.complaints import complaint_for_staff, full_timeline
from citizen_portal.complaints.selectors.inbox import Sort, Tab
from citizen_portal.complaints.services.transition import offered
from citizen_portal.complaints.views_officer import STEPS
from citizen_portal.complaints.views_timeline import Entry, timeline_entries
from citizen_portal.directory.models import Position
from citizen_portal.directory.selectors.positions import is_vacant

ACTION_CHOICES = [(action.value, action.label) for action in OFFICER_ACTIONS]


class PositionSerializer(serializers.Serializer[Any]):
    """A post, with the id that `mark_down` and `route` take."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    office = serializers.CharField()


class StaffEventSerializer(EventSerializer):
    internal = serializers.BooleanField(help_text="An internal note: the citizen never sees it.")
    actor = serializers.CharField(
        allow_null=True, help_text="Who acted, as the web page names them; null for the system."
    )


class CitizenSerializer(serializers.Serializer[Any]):
    """The complainant as the officer's web page shows them: name and masked number."""

    name = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True, help_text="Masked: +923••••••567.")


class InboxItemSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField()
    category = CodeNameSerializer()
    area = CodeNameSerializer()
    assigned_to = PositionSerializer(allow_null=True)
    vacant = serializers.BooleanField(help_text="At a vacant post reporting to yours.")
    due_on = serializers.DateField(allow_null=True, help_text="Null for suggestions.")
    paused = serializers.BooleanField(help_text="Waiting for the citizen: the time stands.")
    overdue = serializers.BooleanField(help_text="The deadline has passed.")
    lodged_at = serializers.DateTimeField()


class InboxPageSerializer(serializers.Serializer[Any]):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = InboxItemSerializer(many=True)


class DropItemSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    subject = serializers.CharField()
    drop_reason = serializers.ChoiceField(choices=DropReason.choices)
    drop_reason_display = serializers.CharField()
    assigned_to = PositionSerializer(allow_null=True, help_text="Where it was dropped.")
    dropped_at = serializers.DateTimeField()


class DropPageSerializer(serializers.Serializer[Any]):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DropItemSerializer(many=True)


class PositionChoicesSerializer(serializers.Serializer[Any]):
    """The posts the actions that take one (`to`) may choose from now."""

    mark_down = PositionSerializer(many=True)
    route = PositionSerializer(many=True)


class WorkDetailSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    subject = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField()
    category = CodeNameSerializer()
    department = CodeNameSerializer()
    area = CodeNameSerializer()
    channel = serializers.ChoiceField(choices=Channel.choices)
    entered_by = serializers.CharField(
        allow_null=True,
        help_text="The helpline agent or mail-room operator who lodged it for the citizen.",
    )
    language = serializers.CharField()
    citizen = CitizenSerializer()
    assigned_to = PositionSerializer(allow_null=True)
    vacant = serializers.BooleanField(help_text="Nobody holds the post it is at.")
    lodged_at = serializers.DateTimeField()
    due_on = serializers.DateField(allow_null=True)
    paused = serializers.BooleanField()
    paused_at = serializers.DateTimeField(allow_null=True)
    info_due_on = serializers.DateField(allow_null=True)
    question = serializers.CharField(allow_blank=True, help_text="While waiting for the citizen.")
    expected_on = serializers.DateField(allow_null=True, help_text="Promised by an interim reply.")
    overdue = serializers.BooleanField()
    escalation_level = serializers.IntegerField()
    transfer_count = serializers.IntegerField()
    max_transfers = serializers.IntegerField(help_text="Then it goes to the complaint cell.")
    dispute_count = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_null=True)
    outcome_display = serializers.CharField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    drop = DropSerializer(allow_null=True)
    drop_reviewed_at = serializers.DateTimeField(allow_null=True)
    followed = FollowedSerializer(allow_null=True)
    latitude = serializers.FloatField(allow_null=True, help_text="Only if the citizen shared it.")
    longitude = serializers.FloatField(allow_null=True)
    timeline = StaffEventSerializer(many=True, help_text="Every event, internal notes included.")
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=ACTION_CHOICES),
        help_text="What you may do now: POST /api/v1/complaints/{reference}/actions/{action}/.",
    )
    positions = PositionChoicesSerializer()


class ActionResultSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField()
    assigned_to = PositionSerializer(allow_null=True)
    message = serializers.CharField(help_text="What was done, in the request's language.")
    visible = serializers.BooleanField(
        help_text="Whether you still see the complaint (not after transferring it away)."
    )
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=ACTION_CHOICES), help_text="What you may do now."
    )


class InboxFilterSerializer(serializers.Serializer[Any]):
    tab = serializers.ChoiceField(
        choices=list(Tab.LABELS.items()),
        required=False,
        help_text="The inbox's tab (default all); see the API guide for what each holds.",
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    category = serializers.CharField(
        max_length=80, required=False, help_text="A category's code: it and its subcategories."
    )
    area = serializers.CharField(
        max_length=40, required=False, help_text="An area's code: it and the units within it."
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    older_than_days = serializers.IntegerField(
        min_value=1, max_value=3650, required=False, help_text="Lodged at least this long ago."
    )
    escalated = serializers.BooleanField(
        required=False, default=False, help_text="true: only those escalated at least once."
    )
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="true: only those past their deadline."
    )
    q = serializers.CharField(
        max_length=200,
        required=False,
        help_text="A reference, or words to find in the subject, description and remarks.",
    )
    sort = serializers.ChoiceField(
        choices=list(Sort.LABELS.items()),
        required=False,
        default=Sort.DEADLINE,
    )
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=25)


class PageFilterSerializer(serializers.Serializer[Any]):
    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=25)


def position_data(position: Position | None) -> dict[str, Any] | None:
    if position is None:
        return None
    return {"id": position.pk, "title": position.title, "office": position.office.name}


def staff_event_data(entry: Entry, request: Request) -> dict[str, Any]:
    event = entry.event
    return {
        **event_data(entry, request),
        "internal": not event.is_public,
        "actor": str(event.actor) if event.actor is not None else None,
    }


def inbox_item_data(complaint: Complaint, vacant_ids: set[int]) -> dict[str, Any]:
    """One row of the inbox as JSON, in the form InboxItemSerializer documents (built directly:
    see serializers_common.moment_json)."""
    position = complaint.assigned_position
    return {
        "reference": complaint.reference,
        "kind": complaint.kind,
        "subject": complaint.subject,
        "status": complaint.status,
        "status_display": complaint.get_status_display(),
        "category": {"code": complaint.category.code, "name": complaint.category.name},
        "area": {"code": complaint.area.code, "name": complaint.area.name},
        "assigned_to": None
        if position is None
        else {"id": position.pk, "title": position.title, "office": position.office.name},
        "vacant": complaint.assigned_position_id in vacant_ids,
        "due_on": day_json(complaint.due_on),
        "paused": complaint.is_paused,
        "overdue": is_overdue(complaint),
        "lodged_at": moment_json(complaint.created_at),
    }


def drop_item_data(complaint: Complaint) -> dict[str, Any]:
    return {
        "reference": complaint.reference,
        "kind": complaint.kind,
        "subject": complaint.subject,
        "drop_reason": complaint.drop_reason,
        "drop_reason_display": complaint.get_drop_reason_display(),
        "assigned_to": position_data(complaint.assigned_position),
        "dropped_at": complaint.closed_at,
    }


def officer_actions(user: User, complaint: Complaint) -> list[Action]:
    """`offered(user, complaint)`, limited to the officers' actions, in the page's order."""
    allowed = set(offered(user, complaint))
    return [action for action in OFFICER_ACTIONS if action in allowed]


def position_choices(complaint: Complaint, allowed: list[Action]) -> dict[str, list[Any]]:
    """The posts the web forms of mark-down and route offer (their own querysets)."""
    choices: dict[str, list[Any]] = {"mark_down": [], "route": []}
    for action in (Action.MARK_DOWN, Action.ROUTE):
        if action in allowed:
            form = STEPS[action].form(complaint=complaint, action=action)
            field = form.fields["to"]
            assert hasattr(field, "queryset")
            choices[action.value] = [position_data(p) for p in field.queryset]
    return choices


def work_detail_data(complaint: Complaint, user: User, request: Request) -> dict[str, Any]:
    """The officer's view of a complaint (the page `complaints:work_detail`)."""
    allowed = officer_actions(user, complaint)
    entries = timeline_entries(
        full_timeline(complaint), staff=True, attachments=attachments_shown(user, complaint)
    )
    position = complaint.assigned_position
    citizen = complaint.citizen
    return {
        "reference": complaint.reference,
        "kind": complaint.kind,
        "subject": complaint.subject,
        "description": complaint.description,
        "status": complaint.status,
        "status_display": complaint.get_status_display(),
        "category": code_name(complaint.category),
        "department": code_name(complaint.department),
        "area": code_name(complaint.area),
        "channel": complaint.channel,
        "entered_by": str(complaint.entered_by) if complaint.entered_by_id else None,
        "language": complaint.language,
        "citizen": {"name": citizen.full_name, "phone": citizen.masked_phone},
        "assigned_to": position_data(position),
        "vacant": position is not None and is_vacant(position),
        "lodged_at": complaint.created_at,
        "due_on": complaint.due_on,
        "paused": complaint.is_paused,
        "paused_at": complaint.paused_at,
        "info_due_on": complaint.info_due_on,
        "question": question_asked(complaint),
        "expected_on": complaint.expected_on if complaint.is_open else None,
        "overdue": is_overdue(complaint),
        "escalation_level": complaint.escalation_level,
        "transfer_count": complaint.transfer_count,
        "max_transfers": settings.MAX_TRANSFERS,
        "dispute_count": complaint.dispute_count,
        "outcome": complaint.outcome or None,
        "outcome_display": complaint.get_outcome_display() if complaint.outcome else None,
        "resolved_at": complaint.resolved_at,
        "closed_at": complaint.closed_at,
        "drop": drop_data(complaint),
        "drop_reviewed_at": complaint.drop_reviewed_at,
        "followed": followed_data(complaint),
        "latitude": complaint.latitude,
        "longitude": complaint.longitude,
        "timeline": [staff_event_data(entry, request) for entry in entries],
        "actions": allowed,
        "positions": position_choices(complaint, allowed),
    }


def action_result_data(moved: Complaint, user: User, message: str) -> dict[str, Any]:
    try:
        visible: Complaint | None = complaint_for_staff(user, moved.reference)
    except Http404:  # transferred out of the officer's sight
        visible = None
    return {
        "reference": moved.reference,
        "status": moved.status,
        "status_display": moved.get_status_display(),
        "assigned_to": position_data(moved.assigned_position),
        "message": message,
        "visible": visible is not None,
        "actions": officer_actions(user, visible) if visible is not None else [],
    }
