"""One form per officer action on the complaint page. Each says what the action is for and
what the citizen will see (`title`, `intro`, `submit`); the services enforce the rules (lengths,
who may, which post), so these forms only check the shape of the input."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.complaints.fields import MultipleFileField, limits_text
from citizen_portal.complaints.models import (
    OFFICER_DROP_REASONS,
    Action,
    Complaint,
    DropReason,
    Outcome,
)
from citizen_portal.directory.models import Category, Position
from citizen_portal.directory.selectors.catalogue import category_choices, out_of_scope_grounds
from citizen_portal.directory.selectors.positions import positions_below

TEXT_MAX = 2000


def _text(
    label: StrOrPromise, help_text: StrOrPromise = "", *, required: bool = True
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _posts(queryset: Any) -> Any:
    return queryset.select_related("office").order_by("office__name_en", "title_en", "pk")


class ActionForm(forms.Form):
    """The form of one action on one complaint. Field ids carry the action's name, so that the
    page can show several forms with a field of the same name."""

    title: ClassVar[StrOrPromise]
    intro: ClassVar[StrOrPromise]
    submit: ClassVar[StrOrPromise]

    def __init__(self, *args: Any, complaint: Complaint, action: Action, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{action.value}_%s")
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.action = action

    def intro_values(self) -> dict[str, Any]:
        """Figures the intro quotes; read per request, as settings may change."""
        return {}

    def usable(self) -> bool:
        """Whether there is anything to choose: a post with no posts below it is not shown a
        mark-down form with an empty list."""
        return True

    def introduction(self) -> str:
        return str(self.intro) % self.intro_values()

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


class MarkDownForm(ActionForm):
    title = _("Mark down")
    intro = _(
        "Send it to a post below yours with instructions. The deadline does not change: the "
        "time already used counts. The citizen sees the post it is now with."
    )
    submit = _("Mark down")

    to = forms.ModelChoiceField(
        queryset=Position.objects.none(),
        label=_("To the post"),
        empty_label=_("Choose…"),
        help_text=_("Posts in use below yours."),
    )
    instructions = _text(_("Instructions"), _("What the officer should do. Officers only."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        here = self.complaint.assigned_position
        below = [p.pk for p in positions_below(here)] if here is not None else []
        to = self.fields["to"]
        assert isinstance(to, forms.ModelChoiceField)
        to.queryset = _posts(Position.objects.filter(pk__in=below))
        self.below = below

    def usable(self) -> bool:
        return bool(self.below)


class ReturnUpForm(ActionForm):
    title = _("Return up")
    intro = _(
        "Give it back to the post above yours, for example when it was marked to you by "
        "mistake. The deadline does not change."
    )
    submit = _("Return up")

    remark = _text(_("Why you are returning it"), _("At least 10 characters."))

    def usable(self) -> bool:
        here = self.complaint.assigned_position
        return here is not None and here.supervisor_id is not None


class RouteForm(ActionForm):
    title = _("Direct to a post")
    intro = _(
        "This complaint came to triage because no routing rule covers its category and "
        "district. Choose the post of this department that must act; its deadline starts "
        "today. To send it to another department, transfer it."
    )
    submit = _("Direct it")

    to = forms.ModelChoiceField(
        queryset=Position.objects.none(), label=_("To the post"), empty_label=_("Choose…")
    )
    instructions = _text(
        _("Instructions (optional)"), _("What the officer should do. Officers only."),
        required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ModelChoiceField)
        to.queryset = _posts(
            Position.objects.filter(
                office__department_id=self.complaint.department_id, is_active=True
            )
        )


class TransferForm(ActionForm):
    title = _("Transfer to another department")
    intro = _(
        "When another department is responsible, choose the category it files this under. It "
        "goes to that department's post for the category and district, with a new deadline. "
        "After %(n)d transfers it goes to the government's complaint cell instead."
    )
    submit = _("Transfer")

    category = forms.ChoiceField(label=_("Category of the other department"))
    reason = _text(_("Why it belongs there"), _("The citizen reads this. At least 10 characters."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = set(
            Category.objects.filter(department_id=self.complaint.department_id).values_list(
                "pk", flat=True
            )
        )
        groups = [
            (label, [(pk, name) for pk, name in options if pk not in own])
            for label, options in category_choices()
        ]
        blank: list[Any] = [("", _("Choose…"))]
        groups = [g for g in groups if g[1]]
        self._choice_field("category").choices = blank + groups
        self.has_choices = bool(groups)

    def usable(self) -> bool:
        return self.has_choices

    def intro_values(self) -> dict[str, Any]:
        return {"n": settings.MAX_TRANSFERS}

    def clean_category(self) -> Category:
        category = (
            Category.objects.select_related("department__tier")
            .filter(pk=self.cleaned_data["category"], is_active=True)
            .first()
        )
        if category is None:
            raise forms.ValidationError(_("Choose a category from the list."), code="category")
        return category


class RequestInfoForm(ActionForm):
    title = _("Ask the citizen for information")
    intro = _(
        "The citizen is asked by SMS and on the complaint's page. Your deadline is paused until "
        "they answer. Unanswered after %(n)d days, the complaint is dropped as incomplete."
    )
    submit = _("Send the question")

    question = _text(_("Your question"), _("Say exactly what you need. At least 10 characters."))

    def intro_values(self) -> dict[str, Any]:
        return {"n": settings.INFO_REQUEST_DAYS}


class InterimReplyForm(ActionForm):
    title = _("Interim reply")
    intro = _(
        "Tell the citizen when to expect relief, and why it takes that long. This does not move "
        "your deadline: the complaint still escalates if it is not resolved by then."
    )
    submit = _("Send the interim reply")

    expected_on = forms.DateField(
        label=_("Relief expected by"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    reason = _text(
        _("Why it takes that long"), _("The citizen reads this. At least 10 characters.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_on"].help_text = _("Between today and %(n)d days from now.") % {
            "n": settings.INTERIM_MAX_DAYS
        }


class ResolveForm(ActionForm):
    title = _("Resolve")
    intro = _(
        "The resolution is provisional: the citizen confirms it or disputes it, and a dispute "
        "goes to a senior officer. Without an answer it closes after %(n)d days."
    )
    submit = _("Mark as resolved")

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        initial=Outcome.RELIEF_GRANTED,
        required=False,
        widget=forms.RadioSelect,
    )
    remark = forms.CharField(
        label=_("What was done"),
        max_length=TEXT_MAX,
        help_text=_(
            "The citizen reads this and decides whether the problem was really solved. At least "
            "10 characters; if relief is not possible, explain why in at least 30."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Named as Django's own `files` (the uploads): the form metaclass takes declared fields
    # off the class, so the two never meet at run time; only the stubs see a clash.
    files = MultipleFileField(  # type: ignore[assignment]
        required=False,
        label=_("Evidence (optional)"),
        help_text=format_lazy(
            "{} {}",
            _("Photos or documents showing what was done. The citizen can open them."),
            limits_text(),
        ),
    )

    def intro_values(self) -> dict[str, Any]:
        return {"n": settings.FEEDBACK_WINDOW_DAYS}

    def clean_outcome(self) -> Outcome:
        # Left out, it is the common case: relief granted.
        return Outcome(self.cleaned_data.get("outcome") or Outcome.RELIEF_GRANTED)


class DropForm(ActionForm):
    title = _("Drop")
    intro = _(
        "Only on one of these grounds; a complaint for another department is transferred, not "
        "dropped. The citizen reads your explanation, and your supervisor may overturn the drop."
    )
    submit = _("Drop the complaint")

    reason = forms.ChoiceField(
        label=_("Ground"),
        choices=[(r.value, r.label) for r in OFFICER_DROP_REASONS],
        widget=forms.RadioSelect,
    )
    explanation = _text(_("Explanation for the citizen"), _("At least 10 characters."))
    ground = forms.ModelChoiceField(
        queryset=out_of_scope_grounds(),
        required=False,
        label=_("Why it is outside the portal"),
        empty_label=_("Choose…"),
        help_text=_("Only for “Outside what the portal can handle”; the citizen sees its reason."),
    )

    def clean_reason(self) -> DropReason:
        return DropReason(self.cleaned_data["reason"])


class ReviewDropForm(ActionForm):
    title = _("Review the drop")
    intro = _(
        "Uphold the drop, or overturn it: an overturned complaint goes back where it was "
        "dropped, with a new deadline. Each drop is reviewed once."
    )
    submit = _("Record the review")

    overturn = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Uphold the drop")), ("overturn", _("Overturn it: reopen"))],
        coerce=lambda value: value == "overturn",
        widget=forms.RadioSelect,
    )
    remark = _text(_("Your reasons"), _("The citizen reads this. At least 10 characters."))


class LinkDuplicateForm(ActionForm):
    title = _("Link as a duplicate")
    intro = _(
        "When an earlier complaint of this department is about the same problem: this one is "
        "closed, and its citizen follows the earlier one's status and resolution."
    )
    submit = _("Link")

    earlier_reference = forms.CharField(
        label=_("Reference of the earlier complaint"),
        max_length=30,
        help_text=_("For example PB-2026-0000001-Q."),
    )


class RemarkForm(ActionForm):
    title = _("Public remark")
    intro = _("A note on the timeline that the citizen reads. The status does not change.")
    submit = _("Add the remark")

    remark = _text(_("Remark"), _("At least 5 characters."))


class InternalNoteForm(RemarkForm):
    title = _("Internal note")
    intro = _("A note for officers only: the citizen never sees it.")
    submit = _("Add the note")

    remark = _text(_("Note"), _("At least 5 characters."))


class SuggestionStepForm(ActionForm):
    remark = _text(_("Message to the citizen (optional)"), required=False)


class AcknowledgeForm(SuggestionStepForm):
    title = _("Acknowledge")
    intro = _("Tell the citizen their suggestion has been read.")
    submit = _("Acknowledge")


class ConsiderForm(SuggestionStepForm):
    title = _("Take under consideration")
    intro = _("Tell the citizen the department is considering it.")
    submit = _("Take under consideration")


class AdoptForm(SuggestionStepForm):
    title = _("Adopt")
    intro = _("The department adopts the suggestion. This closes it.")
    submit = _("Adopt")

    remark = _text(_("What follows, for the citizen"), _("At least 10 characters."))


class NoteForm(SuggestionStepForm):
    title = _("Note without adopting")
    intro = _("The department notes the suggestion but does not adopt it. This closes it.")
    submit = _("Note it")

    remark = _text(_("Why, for the citizen"), _("At least 10 characters."))
