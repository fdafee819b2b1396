"""Request bodies of the officers' actions (POST /api/v1/complaints/{reference}/actions/{action}/),
one serializer per action.

Each checks the shape of the JSON (or form data) and turns it into what the web form of the same
action (complaints/forms_officer.py) receives. `step_input` then validates that with the web form
itself and hands its cleaned data to the web page's own step (`views_officer.STEPS`): the same
choices, the same service call, the same rules, and no second copy of them to drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction
from rest_framework import serializers

from citizen_portal.api.serializers_requests import (
    UploadsField,
    form_lengths,
)
from citizen_portal.complaints import forms_officer as f
from citizen_portal.complaints.models import OFFICER_DROP_REASONS, Action, Complaint, Outcome
from citizen_portal.complaints.views_officer import STEPS
from citizen_portal.directory.models import Category, OutOfScopeGround

# The largest primary key the databases store: a larger number cannot name a post.
MAX_ID = 2**63 - 1


def _text(
    form: type[forms.Form], name: str, help_text: str, *, required: bool = True
) -> serializers.CharField:
    optional: dict[str, Any] = {}
    if not required:
        optional = {"required": False, "allow_blank": True, "default": ""}
    return serializers.CharField(help_text=help_text, **form_lengths(form, name), **optional)


def _post(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text)


class ActionInput(serializers.Serializer[Any]):
    # Fields sent as a code where the web form takes a primary key: a refusal by the form is
    # told with this message rather than one quoting the key.
    coded: ClassVar[dict[str, StrOrPromise]] = {}

    def form_data(self) -> dict[str, str]:
        """The validated input as the web form's POST data."""
        data: dict[str, str] = {}
        for name, value in self.validated_data.items():
            if name == "files":
                continue
            if value is None:
                data[name] = ""
            elif isinstance(value, date):
                data[name] = value.isoformat()
            else:
                data[name] = str(value)
        return data

    def form_errors(self, errors: dict[str, Any]) -> dict[str, list[str]]:
        """The web form's refusals, by the API's field names."""
        result: dict[str, list[str]] = {}
        for name, messages in errors.items():
            key = "non_field_errors" if name == NON_FIELD_ERRORS else name
            shown = [self.coded[name]] if name in self.coded else messages
            result[key] = [str(message) for message in shown]
        return result


class RouteAction(ActionInput):
    """`route`: direct a complaint in triage to a post of its department; that post's time
    starts today."""

    to = _post("Id of the post: one of `positions.route` in the work detail.")
    instructions = _text(
        f.RouteForm, "instructions", "For the officer (officers only).", required=False
    )


class MarkDownAction(ActionInput):
    """`mark_down`: send it to a post below yours, with instructions. The deadline stands."""

    to = _post("Id of the post: one of `positions.mark_down` in the work detail.")
    instructions = _text(f.MarkDownForm, "instructions", "At least 10 characters; officers only.")


class ReturnUpAction(ActionInput):
    """`return_up`: give it back to the post above yours, saying why."""

    remark = _text(f.ReturnUpForm, "remark", "Why; at least 10 characters.")


class TransferAction(ActionInput):
    """`transfer`: send it to the department that can act, under one of its categories."""

    coded: ClassVar[dict[str, StrOrPromise]] = {
        "category": _("Choose a category of another department on the portal.")
    }
    category = serializers.CharField(
        max_length=80, help_text="The code of a category of another department."
    )
    reason = _text(f.TransferForm, "reason", "The citizen reads this; at least 10 characters.")

    def validate_category(self, code: str) -> int:
        found = Category.objects.filter(code=code).values_list("pk", flat=True).first()
        if found is None:
            raise serializers.ValidationError(_("No category has this code."))
        return found


class RequestInfoAction(ActionInput):
    """`request_info`: ask the citizen; the deadline pauses until they answer."""

    question = _text(f.RequestInfoForm, "question", "At least 10 characters.")


class InterimReplyAction(ActionInput):
    """`interim_reply`: tell the citizen when to expect relief, and why. The deadline stands."""

    expected_on = serializers.DateField(help_text="Between today and INTERIM_MAX_DAYS from now.")
    reason = _text(f.InterimReplyForm, "reason", "The citizen reads this; at least 10 characters.")


class ResolveAction(ActionInput):
    """`resolve`: resolve it, provisionally; the citizen confirms or disputes. Evidence files
    come with it as multipart form data, under `files`."""

    outcome = serializers.ChoiceField(
        choices=Outcome.choices, default=Outcome.RELIEF_GRANTED, required=False
    )
    remark = _text(
        f.ResolveForm,
        "remark",
        "What was done: at least 10 characters; for relief_not_possible, why, in 30.",
    )


class ResolveUploadAction(ResolveAction):
    """As ResolveAction, sent as multipart form data with evidence files."""

    files = UploadsField(help_text="Photos or documents showing what was done.")


class DropAction(ActionInput):
    """`drop`: drop it on one of the fixed grounds, explained to the citizen."""

    coded: ClassVar[dict[str, StrOrPromise]] = {
        "ground": _("Choose one of the portal's out-of-scope grounds.")
    }
    reason = serializers.ChoiceField(choices=[(r.value, r.label) for r in OFFICER_DROP_REASONS])
    explanation = _text(f.DropForm, "explanation", "For the citizen; at least 10 characters.")
    ground = serializers.CharField(
        max_length=40,
        required=False,
        allow_null=True,
        default=None,
        help_text="For out_of_scope: the code of the out-of-scope ground.",
    )

    def validate_ground(self, code: str | None) -> int | None:
        if not code:
            return None
        found = OutOfScopeGround.objects.filter(code=code).values_list("pk", flat=True).first()
        if found is None:
            raise serializers.ValidationError(_("No out-of-scope ground has this code."))
        return found


class ReviewDropAction(ActionInput):
    """`review_drop`: uphold the drop, or overturn it (back where it was, with a new
    deadline)."""

    overturn = serializers.BooleanField(
        help_text="true reopens the complaint; false upholds the drop."
    )
    remark = _text(f.ReviewDropForm, "remark", "The citizen reads this; at least 10 characters.")

    def form_data(self) -> dict[str, str]:
        data = super().form_data()
        data["overturn"] = "overturn" if self.validated_data["overturn"] else "uphold"
        return data


class LinkDuplicateAction(ActionInput):
    """`link_duplicate`: close it as a duplicate of an earlier complaint of the department."""

    earlier_reference = _text(
        f.LinkDuplicateForm, "earlier_reference", "The earlier complaint's reference."
    )


class RemarkAction(ActionInput):
    """`remark`: a note on the timeline that the citizen reads."""

    remark = _text(f.RemarkForm, "remark", "At least 5 characters.")


class InternalNoteAction(ActionInput):
    """`internal_note`: a note for officers only."""

    remark = _text(f.InternalNoteForm, "remark", "At least 5 characters.")


class AcknowledgeAction(ActionInput):
    """`acknowledge` (suggestions): tell the citizen it has been read."""

    remark = _text(f.AcknowledgeForm, "remark", "To the citizen (optional).", required=False)


class ConsiderAction(ActionInput):
    """`consider` (suggestions): tell the citizen the department is considering it."""

    remark = _text(f.ConsiderForm, "remark", "To the citizen (optional).", required=False)


class AdoptAction(ActionInput):
    """`adopt` (suggestions): adopt it, telling the citizen what follows. Closes it."""

    remark = _text(f.AdoptForm, "remark", "What follows; at least 10 characters.")


class NoteAction(ActionInput):
    """`note` (suggestions): note it without adopting it, telling the citizen why. Closes it."""

    remark = _text(f.NoteForm, "remark", "Why; at least 10 characters.")


ACTION_INPUTS: dict[Action, type[ActionInput]] = {
    Action.ROUTE: RouteAction,
    Action.RESOLVE: ResolveAction,
    Action.INTERIM_REPLY: InterimReplyAction,
    Action.REQUEST_INFO: RequestInfoAction,
    Action.MARK_DOWN: MarkDownAction,
    Action.RETURN_UP: ReturnUpAction,
    Action.TRANSFER: TransferAction,
    Action.LINK_DUPLICATE: LinkDuplicateAction,
    Action.DROP: DropAction,
    Action.REVIEW_DROP: ReviewDropAction,
    Action.ACKNOWLEDGE: AcknowledgeAction,
    Action.CONSIDER: ConsiderAction,
    Action.ADOPT: AdoptAction,
    Action.NOTE: NoteAction,
    Action.REMARK: RemarkAction,
    Action.INTERNAL_NOTE: InternalNoteAction,
}
# Sent as form data, an action may carry files: only a resolution takes them.
UPLOAD_INPUTS: dict[Action, type[ActionInput]] = {
    **ACTION_INPUTS,
    Action.RESOLVE: ResolveUploadAction,
}
# The actions of the endpoint: the web page's, in its order.
OFFICER_ACTIONS = [action for action in STEPS if action in ACTION_INPUTS]


def step_input(action: Action, complaint: Complaint, data: Any, *, upload: bool) -> dict[str, Any]:
    """The input of `action` on `complaint`, checked by its request serializer and then by the
    web form of the action: the web step's cleaned data. Raises ValidationError (400)."""
    body = (UPLOAD_INPUTS if upload else ACTION_INPUTS)[action](data=data)
    body.is_valid(raise_exception=True)
    files = MultiValueDict({"files": list(body.validated_data.get("files", []))})
    form = STEPS[action].form(body.form_data(), files, complaint=complaint, action=action)
    if not form.is_valid():
        raise serializers.ValidationError(body.form_errors(form.errors))
    return form.cleaned_data


class ActionBody(serializers.Serializer[Any]):
    """For the schema only: the body of the action endpoint is the request of the action in
    the path. Shown as `anyOf`, not `oneOf`: several actions take the same shape (a remark)."""

    def __init__(self, component_name: str, choices: Sequence[type[ActionInput]]) -> None:
        super().__init__()
        self.component_name = component_name
        self.choices = choices


class ActionBodyExtension(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    target_class = ActionBody

    def get_name(self, auto_schema: AutoSchema, direction: Direction) -> str | None:
        return str(self.target.component_name)

    def map_serializer(self, auto_schema: AutoSchema, direction: Direction) -> dict[str, Any]:
        refs = []
        for choice in self.target.choices:
            resolved = auto_schema.resolve_serializer(choice, direction)
            refs.append(resolved.ref)
        return {"anyOf": refs}


ACTION_BODY = ActionBody("OfficerAction", list(dict.fromkeys(ACTION_INPUTS.values())))
ACTION_UPLOAD_BODY = ActionBody("OfficerActionUpload", list(dict.fromkeys(UPLOAD_INPUTS.values())))
