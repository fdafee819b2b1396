"""How an attachment is refused: one ApplicationError, with the file's name quoted safely."""

from __future__ import annotations

from typing import NoReturn

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.core.errors import ApplicationError


def quoted(name: str) -> str:
    # An isolate keeps a Latin name from reordering the words around it in an Urdu message.
    return f"“\u2068{name}\u2069”"


def refuse(message: StrOrPromise, code: str) -> NoReturn:
    raise ApplicationError(message, code=code)


def too_large(name: str, limit: int) -> NoReturn:
    refuse(
        _("%(name)s is larger than %(limit)s.")
        % {"name": quoted(name), "limit": filesizeformat(limit)},
        "attachment_too_large",
    )
