"""Directory tools for administrators."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from citizen_portal.accounts.permissions import Perm
from citizen_portal.core.decorators import portal_permission_required
from citizen_portal.directory.forms import RouteCheckForm
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.directory.selectors.routing import explain_route


@staff_member_required
@portal_permission_required(Perm.MANAGE_DIRECTORY)
def route_check(request: HttpRequest) -> HttpResponse:
    """ "Where would this go?": the position, the rule that matched, who holds it, the deadline."""
    form = RouteCheckForm(request.GET or None)
    explanation = None
    if form.is_bound and form.is_valid():
        explanation = explain_route(
            category=form.cleaned_data["category"],
            area=form.cleaned_data["area"],
            start=timezone.localdate(),
        )
    context = {
        "form": form,
        "explanation": explanation,
        "category_codes": Category.objects.filter(is_active=True).values_list("code", "name_en"),
        "area_codes": AdminUnit.objects.filter(
            level__in=[AdminUnit.Level.DISTRICT, AdminUnit.Level.TEHSIL]
        ).values_list("code", "name_en"),
    }
    return render(request, "directory/route_check.html", context)
