"""Forms of the focal person's pages: a response template, a bulk action on a queue, and the
one-click "direct it there" of the triage queue. They check the shape of the input; the
services (responses.py, bulk_actions.py, officer_actions.py) enforce the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.models import TemplateAction
from citizen_portal.complaints.models.responses import TEMPLATE_TEXT_MAX
from citizen_portal.complaints.selectors.focal import Queue
from citizen_portal.complaints.services.bulk_actions import MAX_BATCH, BulkAction
from citizen_portal.complaints.services.responses import TITLE_MAX
from citizen_portal.directory.models import Category, Department, Position

REFERENCE_MAX = 30


class CategoryChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.department.name} — {obj.name}"


class PostChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}, {obj.office.name} ({obj.office.department.name})"


class ResponseTemplateForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), label=_("Department"), empty_label=_("Choose…")
    )
    category = CategoryChoice(
        queryset=Category.objects.none(),
        required=False,
        label=_("Category (optional)"),
        empty_label=_("Every category of the department"),
        help_text=_("A template for a category is also offered for the categories below it."),
    )
    action = forms.ChoiceField(
        label=_("For"), choices=TemplateAction.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_("What officers see in the list, e.g. “Meter replaced”."),
    )
    text_en = forms.CharField(
        label=_("Text in English"),
        required=False,
        max_length=TEMPLATE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "ltr", "lang": "en"}),
    )
    text_ur = forms.CharField(
        label=_("Text in Urdu"),
        required=False,
        max_length=TEMPLATE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "rtl", "lang": "ur"}),
    )

    def __init__(self, *args: Any, departments: Sequence[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [d.pk for d in departments]
        department = self.fields["department"]
        category = self.fields["category"]
        assert isinstance(department, forms.ModelChoiceField)
        assert isinstance(category, forms.ModelChoiceField)
        department.queryset = Department.objects.filter(pk__in=ids).order_by("name_en")
        category.queryset = (
            Category.objects.filter(department_id__in=ids, is_active=True, out_of_scope=False)
            .select_related("department")
            .order_by("department__name_en", "code")
        )
        if len(ids) == 1:
            self.fields["department"].initial = ids[0]


class ReferencesField(forms.Field):
    """The references of the complaints ticked on a queue page (one checkbox each)."""

    widget = forms.MultipleHiddenInput  # reads every value posted under the name

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        references: list[str] = []
        for raw in values:
            reference = str(raw).strip().upper()
            if reference and reference not in references:
                references.append(reference)
        return references

    def validate(self, value: Any) -> None:
        if not value:
            raise forms.ValidationError(_("Select at least one complaint."), code="required")
        if len(value) > MAX_BATCH:
            raise forms.ValidationError(
                _("Select at most %(n)d complaints at a time.") % {"n": MAX_BATCH}, code="many"
            )
        if any(len(reference) > REFERENCE_MAX for reference in value):
            raise forms.ValidationError(_("That is not a complaint reference."), code="invalid")


# The bulk actions each queue offers: only a complaint in triage can be directed, and only one
# with an office can be marked down.
QUEUE_ACTIONS = {
    Queue.TRIAGE: (BulkAction.ROUTE, BulkAction.LINK_DUPLICATE),
    Queue.DESK: (BulkAction.MARK_DOWN, BulkAction.LINK_DUPLICATE),
}


class BulkForm(forms.Form):
    queue = forms.ChoiceField(
        choices=[(Queue.TRIAGE, Queue.TRIAGE), (Queue.DESK, Queue.DESK)],
        widget=forms.HiddenInput,
    )
    complaints = ReferencesField(label=_("Complaints"))
    action = forms.ChoiceField(label=_("What to do"), widget=forms.RadioSelect)
    to = PostChoice(
        queryset=Position.objects.none(),
        required=False,
        label=_("To the post"),
        empty_label=_("Choose…"),
    )
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    earlier_reference = forms.CharField(
        label=_("Reference of the earlier complaint"),
        required=False,
        max_length=REFERENCE_MAX,
        help_text=_("For linking duplicates: the complaint they all follow."),
    )

    def __init__(self, *args: Any, queue: str, posts: QuerySet[Position], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_bulk_%s")
        kwargs.setdefault("initial", {"queue": queue})
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ModelChoiceField)
        to.queryset = posts
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [(a.value, a.label) for a in QUEUE_ACTIONS[queue]]
        if queue == Queue.TRIAGE:
            self.fields["to"].help_text = _("Where to direct them; one post of their department.")
            self.fields["instructions"].help_text = _(
                "Optional: what the officer should do. Officers only; the citizen does not see it."
            )
        else:
            self.fields["to"].help_text = _("Where to mark them down: a post below theirs.")
            self.fields["instructions"].help_text = _(
                "What the officer should do, at least 10 characters. Officers only."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in (BulkAction.ROUTE, BulkAction.MARK_DOWN) and not data.get("to"):
            self.add_error("to", _("Choose the post."))
        if action == BulkAction.MARK_DOWN and len((data.get("instructions") or "").strip()) < 10:
            self.add_error("instructions", _("Please give instructions (at least 10 characters)."))
        if (
            action == BulkAction.LINK_DUPLICATE
            and not (data.get("earlier_reference") or "").strip()
        ):
            self.add_error("earlier_reference", _("Give the reference of the earlier complaint."))
        return data


class RouteOneForm(forms.Form):
    """The one-click "direct it there" button of a triage row: the post a rule suggests."""

    to = forms.ModelChoiceField(queryset=Position.objects.filter(is_active=True))
