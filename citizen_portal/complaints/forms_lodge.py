"""The forms of the step-by-step lodge form (views_lodge.py), one per step. Each checks what
its step sent and writes it to the draft; ids are checked against the directory by the
selectors, never trusted from the page. The choices a step offers are set by the view for
display (`offer`), since they depend on the steps before."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.fields import MultipleFileField, limits_text
from citizen_portal.complaints.form_checks import category_checked, district_checked
from citizen_portal.complaints.models import Kind
from citizen_portal.complaints.selectors.lodge import (
    Groups,
    Options,
    department_for_lodging,
    posts_in_district,
    tehsil_in,
)
from citizen_portal.complaints.services.lodge_drafts import Draft, kept_text
from citizen_portal.complaints.services.lodge_wizard import LATITUDES, LONGITUDES, coordinate
from citizen_portal.complaints.services.lodging import KEY_PATTERN
from citizen_portal.directory.models import AdminUnit, Category, Department

LTR = {"dir": "ltr"}


def _choose(options: Options | Groups) -> list[Any]:
    return [("", _("Choose…")), *options]


class WhatForm(forms.Form):
    """Step 1: complaint or suggestion, and what about: a department then one of its
    categories, or a category found by words. `action` is the button pressed: "search",
    "department" (show its categories) or "next"."""

    kind = forms.ChoiceField(
        label=_("Is it a complaint or a suggestion?"),
        choices=Kind.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "A complaint asks an office to put something right, by a deadline. A suggestion "
            "proposes an improvement: the department acknowledges it and tells you whether it "
            "is adopted."
        ),
    )
    # The citizen's own words: category suggestions as they type (htmx asks the partial view
    # for them, dropping a request overtaken by the next keystroke), or on Search without
    # JavaScript; the words also start the description in step 3.
    query = forms.CharField(
        label=_("Describe the problem in your own words"),
        required=False,
        max_length=2000,
        help_text=_(
            "For example “my electricity bill is three times higher this month” or “no water "
            "in our street for a week”. The most likely categories are suggested."
        ),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "enterkeyhint": "search",
                "dir": "auto",
                "autocomplete": "off",
                "hx-get": reverse_lazy("intelligence:lodge_suggestions"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#lodge-suggestions",
                "hx-swap": "innerHTML",
                "hx-select": "unset",  # not the wizard's inherited "#main": the part is all
                "hx-sync": "this:replace",
            }
        ),
    )
    department = forms.CharField(
        label=_("Department or ministry"), required=False, widget=forms.Select
    )
    category = forms.CharField(label=_("Category"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, action: str = "next", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action

    def offer(self, *, departments: Groups, categories: Options | None, found: bool) -> None:
        """The department list, and the categories: a list to choose from after a search
        (`found`), a drop-down of the department's otherwise."""
        self.fields["department"].widget.choices = _choose(departments)
        category = self.fields["category"]
        if found:
            category.widget = forms.RadioSelect(choices=categories or [])
            category.label = _("Categories found")
        else:
            category.widget = forms.Select(choices=_choose(categories or []))

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or Kind.COMPLAINT)

    def clean_query(self) -> str:
        query = " ".join(str(self.cleaned_data.get("query") or "").split())
        if self.action == "search" and not query:
            raise forms.ValidationError(_("Type a few words to search for."), code="required")
        return query

    def clean_department(self) -> Department | None:
        value = self.cleaned_data.get("department") or ""
        if not value:
            if self.action == "department":
                raise forms.ValidationError(_("Choose a department from the list."), "required")
            return None
        department = department_for_lodging(value)
        if department is None:
            raise forms.ValidationError(_("Choose a department from the list."), "department")
        return department

    def clean_category(self) -> Category | None:
        value = self.cleaned_data.get("category") or ""
        if self.action != "next":
            return None
        if not value:
            raise forms.ValidationError(_("Choose what it is about."), code="required")
        return category_checked(value)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        department, category = data.get("department"), data.get("category")
        # Chosen from a department's list: it must be one of that department's (a form from
        # an earlier visit, or an edited page, may send another's).
        chosen = (department.pk, category.department_id) if department and category else None
        if chosen is not None and chosen[0] != chosen[1]:
            self.add_error(
                "category",
                forms.ValidationError(
                    _("That category is not one of this department's. Choose again."),
                    code="other_department",
                ),
            )
        return data

    def update(self, draft: Draft) -> None:
        """What a valid submission changes in the draft."""
        data = self.cleaned_data
        draft.kind = data["kind"]
        if self.action == "search":
            draft.query, draft.department, draft.category = data["query"], None, None
        elif self.action == "department":
            department = data["department"]
            if department.pk != draft.department:
                draft.category = None
            draft.query, draft.department = "", department.pk
        else:
            category = data["category"]
            draft.category, draft.department = category.pk, category.department_id
            # Chosen from the department's list: the search is over.
            draft.query = data["query"] if data["department"] is None else ""


class WhereForm(forms.Form):
    """Step 2: the district (and tehsil), and the map point if the citizen shares it.
    `action`: "district" (show its tehsils), "next" or "back"."""

    district = forms.CharField(label=_("District"), required=False, widget=forms.Select)
    tehsil = forms.CharField(label=_("Tehsil (optional)"), required=False, widget=forms.Select)
    share_location = forms.BooleanField(
        required=False,
        label=_("Share the location with the office"),
        help_text=_(
            "The office then sees the point below and where your photos were taken. Without "
            "it, no location is kept and the place is removed from your photos."
        ),
    )
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **LTR}),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **LTR}),
    )

    def __init__(self, *args: Any, action: str = "next", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action

    def offer(self, *, districts: Groups, tehsils: Options) -> None:
        self.fields["district"].widget.choices = _choose(districts)
        self.fields["tehsil"].widget.choices = [("", _("None: the whole district")), *tehsils]

    def clean_district(self) -> AdminUnit | None:
        value = self.cleaned_data.get("district") or ""
        if not value:
            if self.action == "back":
                return None
            raise forms.ValidationError(_("Choose the district where the problem is."), "required")
        return district_checked(value)

    def _point(self, name: str, bounds: Any) -> str:
        text = kept_text(self.cleaned_data.get(name))
        try:
            coordinate(text, bounds)
        except ValueError:
            raise forms.ValidationError(
                _("This is not a point in Pakistan. Check the number, or leave it empty."),
                code="coordinate",
            ) from None
        return text.strip()

    def clean_latitude(self) -> str:
        return self._point("latitude", LATITUDES)

    def clean_longitude(self) -> str:
        return self._point("longitude", LONGITUDES)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        district, tehsil = data.get("district"), data.get("tehsil") or ""
        data["tehsil"] = None
        # A new district (the "show its tehsils" button) starts with none of its tehsils.
        if district is not None and tehsil and self.action != "district":
            found = tehsil_in(district, tehsil)
            if found is None:
                self.add_error("tehsil", _("Choose a tehsil of the district, or none."))
            else:
                data["tehsil"] = found
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is not None and longitude is not None and bool(latitude) != bool(longitude):
            self.add_error(
                "longitude" if latitude else "latitude",
                _("A location needs both latitude and longitude."),
            )
        return data

    def update(self, draft: Draft) -> None:
        data = self.cleaned_data
        district, tehsil = data.get("district"), data.get("tehsil")
        draft.district = district.pk if district is not None else None
        draft.tehsil = tehsil.pk if isinstance(tehsil, AdminUnit) else None
        draft.share_location = bool(data.get("share_location"))
        draft.latitude, draft.longitude = data.get("latitude", ""), data.get("longitude", "")

    def keep(self, draft: Draft) -> None:
        """Left with "Back" with something wrong: keep what can be kept, to correct later."""
        draft.share_location = bool(self.data.get("share_location"))
        draft.latitude = kept_text(self.data.get("latitude"))[:30]
        draft.longitude = kept_text(self.data.get("longitude"))[:30]


class DetailsForm(forms.Form):
    """Step 3: subject, description and, for a complaint, the post it is about."""

    # dir="auto": a citizen may write in Urdu, English or Roman Urdu on a page in either.
    subject = forms.CharField(
        label=_("Subject"),
        min_length=5,
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        min_length=20,
        max_length=5000,
        help_text=_("What happened, where exactly, since when, and what you have tried."),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    against = forms.CharField(
        label=_("Is it about an officer? (optional)"),
        required=False,
        widget=forms.Select,
        help_text=_(
            "Choose the officer's post, not the person. The complaint then goes to the officer "
            "above that post, never to it or to anyone who reports to it."
        ),
    )

    def __init__(
        self,
        *args: Any,
        department: Department | None = None,
        district: AdminUnit | None = None,
        suggestion: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.posts = (
            posts_in_district(department, district)
            if department is not None and district is not None and not suggestion
            else []
        )
        if suggestion:
            self.fields["description"].label = _("Describe your suggestion")
            self.fields["description"].help_text = _(
                "What should change, why, and who would benefit."
            )
        if not self.posts:
            del self.fields["against"]
            return
        options = [(post.pk, f"{post.title}, {post.office.name}") for post in self.posts]
        self.fields["against"].widget.choices = [("", _("No, not about an officer")), *options]

    def clean_against(self) -> int | None:
        value = str(self.cleaned_data.get("against") or "")
        if not value:
            return None
        chosen = next((post.pk for post in self.posts if str(post.pk) == value), None)
        if chosen is None:
            raise forms.ValidationError(_("Choose a post from the list, or none."), "against")
        return chosen

    def update(self, draft: Draft) -> None:
        draft.subject = self.cleaned_data["subject"]
        draft.description = self.cleaned_data["description"]
        draft.against = self.cleaned_data.get("against")

    def keep(self, draft: Draft) -> None:
        draft.subject = kept_text(self.data.get("subject"))
        draft.description = kept_text(self.data.get("description"))
        draft.against = self.cleaned_data.get("against")


class FilesForm(forms.Form):
    """Step 4: the files to attach; judged by the attachment service when they are kept."""

    # Named as Django's own `files` (the uploads): the form metaclass takes declared fields
    # off the class, so the two never meet at run time; only the stubs see a clash.
    files = MultipleFileField(  # type: ignore[assignment]
        required=False,
        label=_("Photos or documents (optional)"),
        help_text=format_lazy(
            "{} {}", _("For example a photo of the problem or a copy of the bill."), limits_text()
        ),
    )


class ReviewForm(forms.Form):
    # Shown with the review and sent back with it: the draft's key, so that the same review
    # sent twice (a double click, a retry on a slow connection) lodges one complaint.
    # No max_length: a garbled key must not stop the lodging, only its protection.
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_idempotency_key(self) -> str | None:
        key = self.cleaned_data.get("idempotency_key") or ""
        return key if KEY_PATTERN.match(key) else None
