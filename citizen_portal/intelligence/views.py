"""Category suggestions (issue 14) where people meet them: the citizen's lodge form (step 1, as
they type), the focal person's triage queue, and, through api/views_suggest.py, the apps.

The model and its scores are the selector's (selectors/suggest.py); this module only words
them for a page: "Category path — Department", with the department that serves the place. The
helpers below are what views_lodge.py and views_focal.py call; `lodge_suggestions` is the htmx
partial that refreshes the lodge form's suggestions without reloading the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from citizen_portal.accounts.models import CitizenProfile, User
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.selectors.lodge import (
    Options,
    categories_matching,
    district_check,
    lodge_department_ids,
)
from citizen_portal.complaints.services.lodge_drafts import draft_load
from citizen_portal.core.decorators import citizen_required
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.intelligence.selectors.suggest import CategorySuggestion, suggest_categories

SUGGESTED = 3  # the "three most likely categories"
TRIAGE_ROWS = 25  # triage rows of a page that get suggestions: one selector call each
TEXT_CHARS = 2_000  # the selector reads no more


def category_paths(categories: Sequence[Category]) -> dict[int, str]:
    """Each category's name with its parent's ("Billing › Over-billing"), as the lodge form's
    search shows them; the parents in one query whatever the number."""
    wanted = {c.parent_id for c in categories if c.parent_id is not None}
    parents = {p.pk: p for p in Category.objects.filter(pk__in=wanted)} if wanted else {}
    paths = {}
    for category in categories:
        parent = parents.get(category.parent_id) if category.parent_id else None
        paths[category.pk] = f"{parent.name} › {category.name}" if parent else category.name
    return paths


def citizen_place(user: User, district: object) -> AdminUnit | None:
    """Where the citizen's problem is, for the department that serves it: the draft's district
    if chosen, else the citizen's home district, else nowhere in particular."""
    unit = district_check(district).unit if district else None
    if unit is not None:
        return unit
    home = CitizenProfile.objects.filter(user_id=user.pk).values("home_district_id")
    return AdminUnit.objects.filter(pk__in=home, is_active=True).first()


def lodge_choices(text: str, place: AdminUnit | None, wanted: set[int]) -> Options:
    """The model's suggestions for a citizen's words, as choices of the lodge form's category
    field ("Category path — Department"); only categories of the departments a citizen can
    lodge with now (`wanted`, lodge_department_ids)."""
    found = suggest_categories(text[:TEXT_CHARS], district=place, limit=SUGGESTED)
    usable = [s for s in found if s.category.department_id in wanted and s.category.is_active]
    paths = category_paths([s.category for s in usable])
    return [(s.category.pk, f"{paths[s.category.pk]} — {s.department.name}") for s in usable]


@dataclass(frozen=True)
class Region:
    """What the lodge form's suggestions region shows."""

    suggested: Options  # the model's, first
    matches: Options  # the categories whose names match the words, without those above
    query: str
    searched: bool  # the citizen pressed Search: say so when nothing is found
    selected: str = ""  # the category chosen, if one is

    @property
    def choices(self) -> Options:
        return [*self.suggested, *self.matches]


def lodge_region(
    text: str,
    place: AdminUnit | None,
    *,
    searched: bool,
    selected: object = None,
    wanted: set[int] | None = None,
) -> Region:
    """The suggestions region for `text`: first the model's suggestions, then the categories
    whose names match the words (without repeating one)."""
    text = " ".join(text.split())
    if not text:
        return Region(suggested=[], matches=[], query="", searched=searched)
    wanted = lodge_department_ids() if wanted is None else wanted
    suggested = lodge_choices(text, place, wanted)
    shown = {pk for pk, _label in suggested}
    matches = categories_matching(text[:TEXT_CHARS], wanted)
    return Region(
        suggested=suggested,
        matches=[(pk, label) for pk, label in matches if pk not in shown],
        query=text,
        searched=searched,
        selected=str(selected or ""),
    )


@dataclass(frozen=True)
class Shown:
    """One suggestion as a triage row shows it."""

    path: str
    department: str
    percent: int


def triage_suggestions(complaints: Sequence[Complaint]) -> dict[int, list[Shown]]:
    """Up to three suggested categories for each of the first TRIAGE_ROWS complaints, from
    their subject and description, for the department serving their area: one selector call
    per complaint, and one query for all the categories' parents."""
    found: dict[int, list[CategorySuggestion]] = {}
    for complaint in complaints[:TRIAGE_ROWS]:
        text = f"{complaint.subject}\n{complaint.description}"
        found[complaint.pk] = suggest_categories(
            text[:TEXT_CHARS], district=complaint.area, limit=SUGGESTED
        )
    paths = category_paths([s.category for row in found.values() for s in row])
    return {
        pk: [
            Shown(paths[s.category.pk], s.department.name, round(s.score * 100))
            for s in suggestions
        ]
        for pk, suggestions in found.items()
    }


@require_GET
@login_required
@citizen_required
def lodge_suggestions(request: HttpRequest) -> HttpResponse:
    """The lodge form's suggestions region for the words typed so far (htmx, as the citizen
    types). Reads only: the words are kept in the draft when the form is sent."""
    user = request.user
    assert isinstance(user, User)
    text = str(request.GET.get("query", ""))[:TEXT_CHARS].replace("\x00", "")
    draft = draft_load(request.session, user.pk)
    place = citizen_place(user, draft.district)
    region = lodge_region(text, place, searched=False)
    return render(request, "intelligence/_lodge_suggestions.html", {"region": region})
