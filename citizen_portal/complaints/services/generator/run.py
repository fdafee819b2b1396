"""The generator's entry point: citizens first, then complaints in batches, each batch one
transaction that issues its references, writes its rows and moves the counters on."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Event, Feedback
from citizen_portal.complaints.services.generator.clock import Clock, seeded
from citizen_portal.complaints.services.generator.drafts import complaint_drafts
from citizen_portal.complaints.services.generator.people import (
    USER_COLUMNS,
    Citizens,
    citizen_drafts,
    citizen_row,
    existing_phones,
)
from citizen_portal.complaints.services.generator.rows import (
    COMPLAINT_COLUMNS,
    EVENT_COLUMNS,
    FEEDBACK_COLUMNS,
    NextIds,
    batch_rows,
)
from citizen_portal.complaints.services.generator.sinks import (
    Sink,
    Table,
    counters_locked,
    counters_save,
    sink_for_connection,
)
from citizen_portal.complaints.services.generator.world import World, world_load
from citizen_portal.core.errors import ApplicationError

T = TypeVar("T")


@dataclass(frozen=True)
class GeneratorInput:
    citizens: int
    complaints: int
    seed: int
    anchor: date  # the generated year ends at this date's midnight (local time)
    batch_size: int = 10_000


@dataclass(frozen=True)
class Progress:
    what: str  # "citizens" or "complaints"
    done: int
    total: int
    seconds: float  # since the phase started


@dataclass
class GeneratorReport:
    citizens: int = 0
    complaints: int = 0
    events: int = 0
    feedback: int = 0
    seconds: float = 0.0  # the whole run
    complaint_seconds: float = 0.0  # writing complaints, events and feedback

    @property
    def rate(self) -> float:
        """Complaints (with their events and feedback) per second of the complaint phase."""
        return self.complaints / self.complaint_seconds if self.complaint_seconds else 0.0


ProgressCallback = Callable[[Progress], None]


def complaints_generate(
    *, data: GeneratorInput, progress: ProgressCallback | None = None
) -> GeneratorReport:
    """Create `data.citizens` citizens and `data.complaints` complaints spread over the year
    before `data.anchor`, with their timelines and feedback. The same input on the same
    directory gives the same rows. Raises ApplicationError when the directory is not ready."""
    _check(data)
    started = time.monotonic()
    world = world_load(seed=data.seed)
    clock = Clock(anchor=data.anchor)
    sink = sink_for_connection()
    report = GeneratorReport()
    citizens = _write_citizens(data, world, clock, sink, report, progress)
    phase = time.monotonic()
    _write_complaints(data, world, clock, citizens, sink, report, progress)
    report.complaint_seconds = time.monotonic() - phase
    report.seconds = time.monotonic() - started
    return report


def _check(data: GeneratorInput) -> None:
    if data.citizens < 0 or data.complaints < 0 or data.batch_size < 1:
        raise ApplicationError(_("Counts cannot be negative and batches hold at least one."))
    if data.complaints and not data.citizens:
        raise ApplicationError(_("Complaints need citizens: ask for at least one citizen."))


def _write_citizens(
    data: GeneratorInput,
    world: World,
    clock: Clock,
    sink: Sink,
    report: GeneratorReport,
    progress: ProgressCallback | None,
) -> Citizens:
    users = Table(User, USER_COLUMNS)
    rng = seeded(data.seed, "citizens")
    drafts = citizen_drafts(
        count=data.citizens, world=world, clock=clock, rng=rng, taken=existing_phones()
    )
    citizens = Citizens()
    started = time.monotonic()
    for chunk in _chunks(drafts, data.batch_size):
        with transaction.atomic():
            first = users.next_id()
            rows = []
            for pk, draft in enumerate(chunk, start=first):
                rows.append(citizen_row(pk, draft, clock))
                citizens.add(pk=pk, language=draft.language, abroad=draft.abroad, home=draft.home)
            sink.write(users, rows)
            sink.sync_sequence(users, first + len(rows) - 1)
        report.citizens += len(rows)
        if progress:
            progress(Progress("citizens", report.citizens, data.citizens, _since(started)))
    return citizens


def _write_complaints(
    data: GeneratorInput,
    world: World,
    clock: Clock,
    citizens: Citizens,
    sink: Sink,
    report: GeneratorReport,
    progress: ProgressCallback | None,
) -> None:
    tables = (
        Table(Complaint, COMPLAINT_COLUMNS),
        Table(Event, EVENT_COLUMNS),
        Table(Feedback, FEEDBACK_COLUMNS),
    )
    drafts = complaint_drafts(
        total=data.complaints, world=world, clock=clock, citizens=citizens, seed=data.seed
    )
    started = time.monotonic()
    # 1. Simulate a batch outside any transaction (routing queries included), then
    # 2. in one transaction: lock the reference counters, take keys after the current
    #    largest, hash and write the rows, move the sequences and counters past them.
    for chunk in _chunks(drafts, data.batch_size):
        with transaction.atomic():
            before = counters_locked()
            counters = dict(before)
            ids = NextIds(*(table.next_id() for table in tables))
            rows = batch_rows(chunk, ids=ids, counters=counters, clock=clock)
            batches = (rows.complaints, rows.events, rows.feedback)
            for table, table_rows, next_id in zip(tables, batches, _ids(ids), strict=True):
                sink.write(table, table_rows)
                if table_rows:
                    sink.sync_sequence(table, next_id - 1)
            counters_save(before, counters)
        report.complaints += len(rows.complaints)
        report.events += len(rows.events)
        report.feedback += len(rows.feedback)
        if progress:
            progress(Progress("complaints", report.complaints, data.complaints, _since(started)))


def _ids(ids: NextIds) -> tuple[int, int, int]:
    return ids.complaint, ids.event, ids.feedback


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _since(started: float) -> float:
    return time.monotonic() - started
