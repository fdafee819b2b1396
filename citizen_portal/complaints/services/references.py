"""Human-readable complaint references: PREFIX-YEAR-SEQUENCE-CHECK, e.g. PB-2026-0001234-K.

The check letter catches a mistyped digit when a citizen reads a reference over the phone. A
reference reveals nothing by itself: every view still checks that the viewer may see it.
"""

from __future__ import annotations

from django.db import transaction

from citizen_portal.complaints.models import ReferenceCounter

# No I, O, S, Z, B: letters people confuse with digits when reading aloud or writing by hand.
CHECK_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY"


def check_letter(body: str) -> str:
    """Weighted sum of the characters' code points, so that swapping two digits changes it."""
    total = sum((i + 1) * ord(ch) for i, ch in enumerate(body))
    return CHECK_ALPHABET[total % len(CHECK_ALPHABET)]


def reference_is_well_formed(reference: str) -> bool:
    parts = reference.split("-")
    if len(parts) != 4 or len(parts[3]) != 1:
        return False
    return check_letter("-".join(parts[:3])) == parts[3]


def reference_next(*, prefix: str, year: int) -> str:
    """Issue the next reference for (prefix, year). Runs inside the caller's transaction; the
    counter row lock serialises lodging within one tier and year only."""
    with transaction.atomic():
        counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        counter.last += 1
        counter.save(update_fields=["last"])
    body = f"{prefix}-{year}-{counter.last:07d}"
    return f"{body}-{check_letter(body)}"
