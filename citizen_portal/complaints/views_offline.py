"""The one-page lodge form for writing a complaint offline (forms_offline.py).

The service worker keeps this page on the citizen's phone and shows it in place of the
step-by-step form when there is no network. The form's post, made offline, is kept on the
phone with its idempotency key and sent here when the network returns (core/service_worker.js):
sent once or five times, it lodges one complaint."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.forms_offline import OfflineLodgeForm
from citizen_portal.complaints.models import Kind
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.lodging_limits import LodgingLimitReached
from citizen_portal.core.decorators import citizen_required
from citizen_portal.core.errors import ApplicationError


@login_required
@citizen_required
def offline_lodge(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    initial = {"kind": Kind.COMPLAINT, "idempotency_key": str(uuid.uuid4())}
    form = OfflineLodgeForm(request.POST or None, request.FILES or None, initial=initial)
    limit: LodgingLimitReached | None = None
    if request.method == "POST" and form.is_valid():
        data = ComplaintInput(
            category=form.cleaned_data["category"],
            area=form.cleaned_data["district"],
            subject=form.cleaned_data["subject"],
            description=form.cleaned_data["description"],
            language=get_language() or "en",
            kind=form.cleaned_data["kind"],
        )
        try:
            complaint = complaint_lodge(
                citizen=user,
                data=data,
                idempotency_key=form.cleaned_data["idempotency_key"],
                files=form.cleaned_data["files"] or [],
            )
        except LodgingLimitReached as exc:
            # 429: the service worker keeps the post on the phone and sends it again later
            # (service_worker.js, settle), instead of marking it failed.
            limit = exc
            form.add_error(None, exc.message)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if complaint.kind == Kind.SUGGESTION:
                done = _("Your suggestion has been received. Its reference is %(ref)s.")
            else:
                done = _("Your complaint has been lodged. Its reference is %(ref)s.")
            messages.success(request, done % {"ref": complaint.reference})
            return redirect("complaints:detail", complaint.reference)
    status = 400 if form.is_bound else 200
    if limit is not None:
        page = render(request, "complaints/offline_lodge.html", {"form": form}, status=429)
        page["Retry-After"] = str(limit.retry_after)
        return page
    return render(request, "complaints/offline_lodge.html", {"form": form}, status=status)
