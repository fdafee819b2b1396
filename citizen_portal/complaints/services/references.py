"""Human-readable complaint references: PREFIX-YEAR-SEQUENCE-CHECK, e.g. PB-2026-0001234-K.

The check letter catches a mistyped digit when a citizen reads a reference over the phone. A
reference reveals nothing by itself: every view still checks that the viewer may see it.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

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


# UPDATE … RETURNING: PostgreSQL, and SQLite from 3.35.
_BUMP = (
    'UPDATE "complaints_referencecounter" SET "last" = "last" + 1 '
    'WHERE "prefix" = %s AND "year" = %s RETURNING "last"'
)


def _bump(prefix: str, year: int) -> int | None:
    """Add one to the counter and return it, in one statement (None: no counter yet)."""
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [prefix, year])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def reference_next(*, prefix: str, year: int) -> str:
    """Issue the next reference for (prefix, year).

    Called outside the lodging transaction, the counter is bumped by one statement that is a
    transaction of its own, so its row lock is held for that statement only: lodging in one
    tier is not serialised behind whole lodging transactions (issue 7's benchmark). The price
    is a gap in the numbering when a lodge fails after taking its number; references are
    identifiers, unique and increasing, not a count of complaints. Inside a caller's
    transaction the lock lasts until that transaction ends, as any row lock does."""
    last = _bump(prefix, year)
    if last is None:
        # The first reference of a prefix and year. A concurrent first creates the row too:
        # the unique constraint lets one through, and the other bumps what it created.
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(prefix=prefix, year=year, last=1)
            last = 1
        except IntegrityError:
            last = _bump(prefix, year)
    assert last is not None
    body = f"{prefix}-{year}-{last:07d}"
    return f"{body}-{check_letter(body)}"
