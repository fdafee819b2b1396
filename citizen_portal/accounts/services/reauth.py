"""The password asked for again before a change that would hand the account to whoever has the
session (its mobile number or e-mail address) or end it.

Every try goes through `django.contrib.auth.authenticate`, so that django-axes counts a wrong
password together with the login page's (same mobile number, same client address) and refuses
every try once that pair is locked. Checking the hash directly would give a borrowed session an
oracle to guess the password at leisure, and the login lock-out would protect nothing.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.core.errors import ApplicationError


def password_reconfirm(*, request: HttpRequest, user: User, password: str) -> None:
    """Raise ApplicationError unless `password` is `user`'s.

    The request is needed because django-axes identifies the client by it, and flags it when
    the pair is locked (code "locked"): its middleware then answers with the lock page (HTTP
    429) whatever the view returns.
    """
    found = authenticate(request, username=user.get_username(), password=password)
    if getattr(request, "axes_locked_out", False):
        raise ApplicationError(
            _("Too many failed attempts. This login is locked for one hour."), code="locked"
        )
    if not isinstance(found, User) or found.pk != user.pk:
        raise ApplicationError(_("That password is not right."), code="password")
