"""The administrators' page: the active model version, its accuracy, its history, and a
button to train a new one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from citizen_portal.accounts.permissions import Perm
from citizen_portal.core.decorators import portal_permission_required, staff_required
from citizen_portal.intelligence.selectors.models import model_history


@staff_required
@portal_permission_required(Perm.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def models_page(request: HttpRequest) -> HttpResponse:
    from citizen_portal.intelligence.tasks import train_category_model_now, training_running

    if request.method == "POST":
        if training_running():
            messages.info(request, _("A model is being trained already; it will appear here."))
        else:
            train_category_model_now()
            messages.success(
                request, _("Training has started; the new version appears here when it is done.")
            )
        return redirect("intelligence:models")
    versions = model_history()
    active = next((version for version in versions if version.is_active), None)
    return render(
        request,
        "intelligence/models.html",
        {"active": active, "versions": versions, "running": training_running()},
    )
