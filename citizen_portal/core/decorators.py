"""Who may open a page at all. Object-level checks live in the selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]


def _refuse(request: HttpRequest) -> HttpResponse:
    _audit_refusal(request)
    return render(request, "core/wrong_account.html", status=403)


def _audit_refusal(request: HttpRequest) -> None:
    # Imported here: the audit app's models need the app registry, this module does not.
    from citizen_portal.audit.services.refusals import refusal_record

    refusal_record(request)


def citizen_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_citizen", False):
            return _refuse(request)
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "is_citizen", True):
            return _refuse(request)
        return view(request, *args, **kwargs)

    return wrapper


def portal_permission_required(perm: Any) -> Callable[[View], View]:
    """The role must carry `perm` (accounts/permissions.py); otherwise 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from citizen_portal.accounts.models import User
            from citizen_portal.accounts.permissions import has_perm

            user = request.user
            if not isinstance(user, User) or not has_perm(user, perm):
                _audit_refusal(request)
                return render(request, "403.html", status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
