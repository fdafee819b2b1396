"""Who may open a page at all. Object-level checks live in the selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "core/wrong_account.html", status=403)


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
