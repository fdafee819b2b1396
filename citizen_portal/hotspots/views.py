"""The hotspot alerts pages: the list for focal persons, department heads and leadership, one
alert with the complaints behind it (focal persons only), and the acknowledge form. Thin: the
selectors decide who sees what (selectors/alerts.py), the service acknowledges."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizen_portal.accounts.models import User
from citizen_portal.core import clock
from citizen_portal.core.decorators import staff_required
from citizen_portal.core.errors import ApplicationError
from citizen_portal.hotspots.forms import AcknowledgeForm
from citizen_portal.hotspots.models import HotspotAlert
from citizen_portal.hotspots.selectors import alerts as selectors
from citizen_portal.hotspots.selectors.detection import Rule
from citizen_portal.hotspots.services.alerts import alert_acknowledge


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _alert(user: User, pk: int) -> HotspotAlert:
    alert = selectors.visible_alerts(user).filter(pk=pk).first()
    if alert is None:
        raise Http404
    return alert


@login_required(login_url="accounts:staff_login")
@staff_required
def alert_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.may_see_any(user):
        return render(request, "403.html", status=403)
    lists = selectors.alert_lists(user, clock.now())
    context = {"lists": lists, "rule": Rule.from_settings()}
    return render(request, "hotspots/list.html", context)


def _detail(request: HttpRequest, alert: HotspotAlert, form: AcknowledgeForm) -> HttpResponse:
    user = _user(request)
    focal = alert.department_id in selectors.acknowledgeable_departments(user)
    complaints = (
        list(selectors.complaints_behind(alert)[: selectors.COMPLAINTS_SHOWN]) if focal else None
    )
    context = {
        "alert": alert,
        "focal": focal,
        "form": form,
        "complaints": complaints,
        "shown": selectors.COMPLAINTS_SHOWN,
        "rule": Rule.from_settings(),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "hotspots/detail.html", context, status=status)


@login_required(login_url="accounts:staff_login")
@staff_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert(_user(request), pk)
    return _detail(request, alert, AcknowledgeForm(initial={"note": alert.note}))


@login_required(login_url="accounts:staff_login")
@staff_required
@require_POST
def alert_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    alert = _alert(user, pk)
    if alert.department_id not in selectors.acknowledgeable_departments(user):
        # Leadership and heads see the alert but do not answer for it.
        return render(request, "403.html", status=403)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _detail(request, alert, form)
    try:
        alert_acknowledge(alert=alert, user=user, note=form.cleaned_data["note"])
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _detail(request, alert, form)
    messages.success(request, _("The alert is acknowledged."))
    return redirect("hotspots:detail", pk=alert.pk)
