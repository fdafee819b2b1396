"""The supervisors' integrity pages: the flags for a department or office and period, and one
flag with its evidence. Thin: the form checks the scope, the selectors compute and filter.

Anyone who may not see figures at all (citizens, staff with no post and no leadership role)
gets 404, as does a flag that is not there or not theirs to see; the flagged officer never sees
their own flags."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from citizen_portal.accounts.models import User
from citizen_portal.analytics.access import may_view_figures
from citizen_portal.integrity.forms import ScopeForm
from citizen_portal.integrity.selectors import people, remarks, stats
from citizen_portal.integrity.selectors.deadlines import MIN_WINDOW
from citizen_portal.integrity.selectors.flags import flags_for, flags_visible_to
from citizen_portal.integrity.selectors.types import Signal, SubjectKind


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_view_figures(user):
        raise Http404
    return user


THRESHOLDS = {
    "min_hits": stats.MIN_HITS,
    "min_ratio": stats.MIN_RATIO,
    "max_p": stats.MAX_P_VALUE,
    "min_window": MIN_WINDOW,
    "min_group": remarks.MIN_GROUP,
    "min_share": int(100 * remarks.MIN_SHARE),
    "similarity": int(100 * remarks.SIMILARITY),
    "min_devices": people.MIN_DEVICE_MATCHES,
    "window_days": people.MATCH_WINDOW.days,
}


@login_required(login_url="accounts:staff_login")
def flag_list(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    form = ScopeForm(request.GET or None, user=user)
    context = {"form": form, "thresholds": THRESHOLDS}
    if not form.is_bound:
        return render(request, "integrity/flags.html", context)
    if not form.is_valid():
        return render(request, "integrity/flags.html", context, status=400)
    scope = form.scope()
    context.update(
        scope=scope,
        flags=flags_visible_to(user, scope, flags_for(scope)),
        query=urlencode(form.query()),
    )
    return render(request, "integrity/flags.html", context)


@login_required(login_url="accounts:staff_login")
def flag_detail(request: HttpRequest, signal: str, subject: str, subject_id: int) -> HttpResponse:
    user = _viewer(request)
    if signal not in Signal.values or subject not in SubjectKind.values:
        raise Http404
    form = ScopeForm(request.GET, user=user)
    if not form.is_valid():
        return render(request, "integrity/flag_detail.html", {"form": form}, status=400)
    scope = form.scope()
    wanted = (signal, subject, subject_id)
    found = [f for f in flags_visible_to(user, scope, flags_for(scope)) if f.key == wanted]
    if not found:
        raise Http404
    context = {
        "form": form,
        "scope": scope,
        "flag": found[0],
        "query": urlencode(form.query()),
        "thresholds": THRESHOLDS,
    }
    return render(request, "integrity/flag_detail.html", context)
