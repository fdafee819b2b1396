"""The name on a citizen's account: what officers see on their complaints and letters begin
with. It is read from the account every time (accounts/disclosure.py, the API), never copied
onto complaints, so a change shows everywhere at once; letters already sent keep the old one."""

from __future__ import annotations

import unicodedata

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import AccountEvent, User
from citizen_portal.core.errors import ApplicationError

NAME_MAX = User._meta.get_field("full_name").max_length or 150
NAME_MIN_LETTERS = 2
# Besides letters: what names are written with in Pakistan, in English and in Urdu. The Urdu
# full stop (۔) ends an abbreviation such as "م۔"; the zero-width non-joiner keeps two Urdu
# letters from joining, as Urdu keyboards type it.
NAME_PUNCTUATION = frozenset(" .'’‘-۔\u200c")
SCRIPTS = ("LATIN ", "ARABIC ")


def _allowed(char: str) -> bool:
    if char in NAME_PUNCTUATION:
        return True
    kind = unicodedata.category(char)
    name = unicodedata.name(char, "")
    if kind.startswith("L"):  # a letter of the Latin or Arabic script (Urdu is written in it)
        return name.startswith(SCRIPTS)
    if kind == "Mn":  # a mark on a letter: Urdu's vowel signs, a Latin accent typed apart
        return name.startswith(("ARABIC ", "COMBINING "))
    return False


def name_clean(raw: str) -> str:
    """The name as it is kept: composed (NFC), single spaces, none at the ends. Raise
    ApplicationError when it is empty, too long, or not written in Urdu or Latin letters."""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name:
        raise ApplicationError(_("Please enter your name."), code="name_empty")
    if len(name) > NAME_MAX:
        raise ApplicationError(
            _("A name can have at most %(max)d characters.") % {"max": NAME_MAX},
            code="name_long",
        )
    if not all(_allowed(char) for char in name) or not unicodedata.category(name[0]).startswith(
        "L"
    ):
        raise ApplicationError(
            _(
                "Write your name in Urdu or English letters. Spaces, hyphens, apostrophes and "
                "full stops may come between them; digits and other signs may not."
            ),
            code="name_characters",
        )
    if sum(unicodedata.category(char).startswith("L") for char in name) < NAME_MIN_LETTERS:
        raise ApplicationError(_("A name has at least 2 letters."), code="name_short")
    return name


@transaction.atomic
def account_change_name(*, user: User, full_name: str) -> bool:
    """The citizen renames their account. True when the name changed."""
    name = name_clean(full_name)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.full_name == name:
        return False
    old = locked.full_name
    locked.full_name = name
    locked.save(update_fields=["full_name"])
    user.full_name = name
    AccountEvent.objects.create(
        user=user,
        action=AccountEvent.Action.NAME_CHANGED,
        actor=user,
        reason=f"{old} → {name}"[:500],
    )
    return True
