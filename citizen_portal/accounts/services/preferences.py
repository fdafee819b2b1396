"""What a person chose for themselves and the portal remembers on their account."""

from __future__ import annotations

from django.conf import settings

from citizen_portal.accounts.models import User


def account_set_language(*, user: User, language: str) -> bool:
    """Store `language` as the account's language: its pages on a new device and its SMS and
    e-mails. True when it changed; a language the portal does not offer is ignored."""
    if language not in dict(settings.LANGUAGES) or user.preferred_language == language:
        return False
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return True
