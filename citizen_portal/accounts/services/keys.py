"""Rotating the keys that encrypt personal data.

1. Put the new key first in FIELD_ENCRYPTION_KEYS, keeping the old one after it, and restart:
   new values are encrypted with the new key, old ones still open with the old.
2. Run `manage.py rotate_field_keys`: every value still under an old key is re-encrypted.
3. Remove the old key and restart.
"""

from __future__ import annotations

from django.db import transaction

from citizen_portal.accounts import crypto
from citizen_portal.accounts.models import CitizenProfile, StaffTotp

BATCH = 1000

# Every encrypted column: (model, field).
Encrypted = type[CitizenProfile] | type[StaffTotp]
ENCRYPTED: list[tuple[Encrypted, str]] = [
    (CitizenProfile, "document_encrypted"),
    (StaffTotp, "secret_encrypted"),
]


def field_keys_rotate() -> int:
    """Re-encrypt every value not under the current key; returns how many."""
    total = 0
    for model, field in ENCRYPTED:
        total += _rotate(model, field)
    return total


def _rotate(model: Encrypted, field: str) -> int:
    rotated = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                model._default_manager.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", field)[:BATCH]
            )
            if not batch:
                return rotated
            stale = [row for row in batch if crypto.needs_rotation(getattr(row, field))]
            for row in stale:
                setattr(row, field, crypto.encrypt(crypto.decrypt(getattr(row, field))))
            model._default_manager.bulk_update(stale, [field])  # type: ignore[arg-type]
            rotated += len(stale)
            last_pk = batch[-1].pk
