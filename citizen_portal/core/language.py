"""The language of the pages: chosen once, remembered, and the same on every page after.

Before anyone chooses, Django's LocaleMiddleware takes the browser's Accept-Language, and every
page offers the choice (English / اردو) in a banner. Choosing stores it in the language
cookie, and, for a citizen who is logged in, on the account (which also decides the language of
their SMS and e-mails). On a device without the cookie, a citizen's pages follow the account as
soon as they log in, and the cookie is set from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from citizen_portal.accounts.models import User
from citizen_portal.accounts.services.preferences import account_set_language


def _citizen(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and user.is_citizen:
        return user
    return None


class AccountLanguageMiddleware:
    """After AuthenticationMiddleware: a citizen on a device with no language cookie gets the
    account's language, and the cookie, so that it stays after logging out. A cookie that is
    there wins: it is the latest choice made on this device (choosing while logged in updates
    both). The API answers in the request's Accept-Language and is left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookie = settings.LANGUAGE_COOKIE_NAME
        if cookie in request.COOKIES or request.path_info.startswith(("/api/", "/open311/")):
            return self.get_response(request)
        citizen = _citizen(request)
        language = citizen.preferred_language if citizen else None
        if language not in dict(settings.LANGUAGES):
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if cookie not in response.cookies:  # the language view may have just set it
            response.set_cookie(
                cookie,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
            )
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's own view (the cookie, and back to `next`), and the account for a citizen."""
    response = django_set_language(request)
    citizen = _citizen(request)
    language = request.POST.get("language", "")
    if citizen is not None and translation.check_for_language(language):
        account_set_language(user=citizen, language=language)
    return response


def language_choice(request: HttpRequest) -> dict[str, Any]:
    """Template context: whether to offer the first-visit choice of language."""
    chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES or _citizen(request) is not None
    return {"language_unchosen": not chosen}
