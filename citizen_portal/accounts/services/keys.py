"""Rotating the keys that encrypt personal data.

1. Put the new key first in FIELD_ENCRYPTION_KEYS, keeping the old one after it, and restart:
   new values are encrypted with the new key, old ones still open with the old.
2. Run `manage.py rotate_field_keys`: every value still under an old key is re-encrypted.
3. Remove the old key and restart.
"""

from __future__ import annotations

from django.db import transaction

from citizen_portal.accounts import crypto
from citizen_portal.accounts.models import CitizenProfile

BATCH = 1000


def field_keys_rotate() -> int:
    """Re-encrypt every document number not under the current key; returns how many."""
    rotated = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                CitizenProfile.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "document_encrypted")[:BATCH]
            )
            if not batch:
                return rotated
            stale = [p for p in batch if crypto.needs_rotation(p.document_encrypted)]
            for profile in stale:
                profile.document_encrypted = crypto.encrypt(
                    crypto.decrypt(profile.document_encrypted)
                )
            CitizenProfile.objects.bulk_update(stale, ["document_encrypted"])
            rotated += len(stale)
            last_pk = batch[-1].pk
