"""What the model learns from: complaints whose final category an officer confirmed.

Confirmed means the complaint was resolved or closed in its category, or a focal person or
officer directed it (ROUTE) or transferred it (TRANSFER) into it. A complaint whose category an
officer changed after lodging (a TRANSFER that named the category it now has) is a correction:
counted apart and weighted more, since it is exactly what citizens get wrong.

Read newest first, in chunks by primary key, so a large table is never held at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from citizen_portal.complaints.models import Action, Complaint, Event, Status

CHUNK = 2_000
MAX_EXAMPLES = 200_000
CORRECTION_WEIGHT = 2.0
TEXT_CHARS = 2_000


@dataclass(frozen=True)
class Example:
    text: str
    category_code: str
    department_code: str
    language: str
    corrected: bool

    @property
    def weight(self) -> float:
        return CORRECTION_WEIGHT if self.corrected else 1.0


def confirmed_complaints() -> Q:
    placed = Event.objects.filter(
        complaint_id=OuterRef("pk"), action__in=[Action.ROUTE, Action.TRANSFER]
    )
    return Q(status__in=[Status.RESOLVED, Status.CLOSED]) | Q(Exists(placed))


def example_text(subject: str, description: str) -> str:
    return f"{subject}\n{description}"[:TEXT_CHARS]


def corpus_examples(*, limit: int = MAX_EXAMPLES, chunk: int = CHUNK) -> Iterator[Example]:
    """The newest `limit` confirmed complaints, newest first. Two queries per chunk."""
    found = 0
    last: int | None = None
    while found < limit:
        rows = Complaint.objects.filter(confirmed_complaints())
        if last is not None:
            rows = rows.filter(pk__lt=last)
        batch = list(
            rows.order_by("-pk").values_list(
                "pk",
                "subject",
                "description",
                "language",
                "category__code",
                "department__code",
            )[: min(chunk, limit - found)]
        )
        if not batch:
            return
        last = batch[-1][0]
        corrected = _corrected({pk: code for pk, _s, _d, _l, code, _dept in batch})
        for pk, subject, description, language, code, department in batch:
            yield Example(
                text=example_text(subject, description),
                category_code=code,
                department_code=department,
                language=language or "en",
                corrected=pk in corrected,
            )
        found += len(batch)


def _corrected(categories: dict[int, str]) -> set[int]:
    """Of these complaints, those an officer transferred into the category they now have."""
    transfers = Event.objects.filter(
        complaint_id__in=list(categories), action=Action.TRANSFER
    ).values_list("complaint_id", "data")
    return {
        pk
        for pk, data in transfers
        if isinstance(data, dict) and data.get("category") == categories.get(pk)
    }
