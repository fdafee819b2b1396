"""The generator's entry point: citizens first, then complaints in batches, each batch one
transaction that issues its references, writes its rows and moves the counters on."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import TypeVar

from django.db import connection, transaction
from django.utils.translation import gettext as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Event, Feedback
from citizen_portal.complaints.services.generator.clock import Clock, seeded
from citizen_portal.complaints.services.generator.drafts import complaint_drafts
from citizen_portal.complaints.services.generator.indexes import Rebuild, indexes_deferred
from citizen_portal.complaints.services.generator.people import (
    USER_COLUMNS,
    Citizens,
    citizen_drafts,
    citizen_row,
    existing_phones,
)
from citizen_portal.complaints.services.generator.pipeline import batches_numbered, built_ahead
from citizen_portal.complaints.services.generator.rows import (
    COMPLAINT_COLUMNS,
    EVENT_COLUMNS,
    FEEDBACK_COLUMNS,
    NextIds,
)
from citizen_portal.complaints.services.generator.sinks import (
    Sink,
    Table,
    counters_locked,
    counters_read,
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
    # PostgreSQL: drop the complaint and event tables' declared indexes while writing, then
    # build them again (see generator/indexes.py). For an empty benchmark database.
    defer_indexes: bool = False


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
    complaint_seconds: float = 0.0  # writing complaints, events and feedback (and indexes)
    indexes_rebuilt: int = 0  # with defer_indexes
    index_seconds: float = 0.0  # … and how long building them again took

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
    with _collector_paused():
        return _generate(data, progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Batches are millions of small objects without reference cycles: reference counting
    frees them, while the cyclic garbage collector kept scanning them and found nothing (about
    a tenth of the generator's CPU, measured). It runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(data: GeneratorInput, progress: ProgressCallback | None) -> GeneratorReport:
    started = time.monotonic()
    world = world_load(seed=data.seed)
    clock = Clock(anchor=data.anchor)
    sink = sink_for_connection()
    report = GeneratorReport()
    citizens = _write_citizens(data, world, clock, sink, report, progress)
    phase = time.monotonic()
    with indexes_deferred() if data.defer_indexes else nullcontext(Rebuild()) as rebuild:
        _write_complaints(data, world, clock, citizens, sink, report, progress)
    report.indexes_rebuilt, report.index_seconds = rebuild.indexes, rebuild.seconds
    report.complaint_seconds = time.monotonic() - phase
    report.seconds = time.monotonic() - started
    return report


def _check(data: GeneratorInput) -> None:
    if data.citizens < 0 or data.complaints < 0 or data.batch_size < 1:
        raise ApplicationError(_("Counts cannot be negative and batches hold at least one."))
    if data.complaints and not data.citizens:
        raise ApplicationError(_("Complaints need citizens: ask for at least one citizen."))
    if data.defer_indexes and connection.vendor != "postgresql":
        raise ApplicationError(_("Deferring the indexes needs PostgreSQL."))


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
    # 1. On PostgreSQL, batch k+1 is built on a worker thread while batch k is written (see
    #    pipeline.py): every route is asked now, because that thread must not query. SQLite
    #    works in this process, under the same GIL: building ahead gained nothing there.
    ahead = connection.vendor == "postgresql"
    if ahead:
        world.routes_resolve()
    drafts = complaint_drafts(
        total=data.complaints, world=world, clock=clock, citizens=citizens, seed=data.seed
    )
    batches = batches_numbered(
        drafts,
        size=data.batch_size,
        first=NextIds(*(table.next_id() for table in tables)),
        counters=counters_read(),
        clock=clock,
    )
    started = time.monotonic()
    # 2. Each batch is simulated, numbered and hashed, then written in one transaction: lock
    #    the reference counters, check that keys and counters are what the batch was numbered
    #    after (else number it again), write the rows, move the sequences and counters past.
    with built_ahead(batches) if ahead else nullcontext(batches) as built:
        for batch in built:
            with transaction.atomic():
                before = counters_locked()
                ids = NextIds(*(table.next_id() for table in tables))
                if (ids, before) != (batch.first, batch.before):
                    batch = batch.numbered(first=ids, counters=before, clock=clock)
                rows = batch.rows
                per_table = (rows.complaints, rows.events, rows.feedback)
                for table, table_rows, first in zip(tables, per_table, _ids(ids), strict=True):
                    sink.write(table, table_rows)
                    if table_rows:
                        sink.sync_sequence(table, first + len(table_rows) - 1)
                counters_save(before, batch.after)
            report.complaints += len(rows.complaints)
            report.events += len(rows.events)
            report.feedback += len(rows.feedback)
            if progress:
                progress(
                    Progress("complaints", report.complaints, data.complaints, _since(started))
                )


def _ids(ids: NextIds) -> tuple[int, int, int]:
    return ids.complaint, ids.event, ids.feedback


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _since(started: float) -> float:
    return time.monotonic() - started
