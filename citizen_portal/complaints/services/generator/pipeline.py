"""Building the next batch while the database takes the last one.

Writing a batch is mostly waiting: PostgreSQL parses the COPY, maintains the indexes and checks
the foreign keys at commit on a core of its own, while Python blocks on the socket with the GIL
released. So batches are built (simulated, numbered, hashed) on a worker thread, one ahead of
the caller's thread, which alone talks to the database: the worker never queries, so the
connection, and any transaction the caller is inside (the tests' is), stay on one thread.

The worker numbers each batch after the one it built before, from keys and counters read once
at the start. The writer checks that prediction under the counters' lock and, if anyone wrote
meanwhile, numbers the batch again from what it finds (and so every later one, whose prediction
then fails too): rows never take someone else's key or reference.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from queue import Full, Queue
from typing import TypeVar

from citizen_portal.complaints.services.generator.clock import Clock
from citizen_portal.complaints.services.generator.drafts import ComplaintDraft
from citizen_portal.complaints.services.generator.rows import (
    BatchRows,
    Counters,
    NextIds,
    batch_rows,
)

T = TypeVar("T")

# How often a worker blocked on a full queue looks whether the consumer has given up.
_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Batch:
    drafts: list[ComplaintDraft]
    first: NextIds  # the keys its rows start at
    before: Counters  # the reference counters its references follow
    after: Counters  # … and as its references leave them
    rows: BatchRows

    def numbered(self, *, first: NextIds, counters: Counters, clock: Clock) -> Batch:
        """The same drafts numbered from other keys and counters."""
        ids, after = replace(first), dict(counters)
        rows = batch_rows(self.drafts, ids=ids, counters=after, clock=clock)
        return Batch(self.drafts, replace(first), dict(counters), after, rows)


def batches_numbered(
    drafts: Iterable[ComplaintDraft], *, size: int, first: NextIds, counters: Counters, clock: Clock
) -> Iterator[Batch]:
    """Batches of `size` drafts, each numbered after the one before, the first from `first`
    and `counters`."""
    ids, current = replace(first), dict(counters)
    iterator = iter(drafts)
    while chunk := list(islice(iterator, size)):
        start, before = replace(ids), dict(current)
        rows = batch_rows(chunk, ids=ids, counters=current, clock=clock)
        yield Batch(chunk, start, before, dict(current), rows)


@dataclass(frozen=True)
class _End:
    error: BaseException | None = None


@contextmanager
def built_ahead(items: Iterable[T]) -> Iterator[Iterator[T]]:
    """`items`, computed on a worker thread one item ahead of the consumer. An error on the
    worker is raised to the consumer; leaving the block early stops the worker."""
    queue: Queue[T | _End] = Queue(maxsize=1)
    stop = threading.Event()

    def put(item: T | _End) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=_POLL_SECONDS)
                return True
            except Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_End())
        except BaseException as error:  # the consumer raises it, whatever it is
            put(_End(error))

    def consume() -> Iterator[T]:
        while not isinstance(item := queue.get(), _End):
            yield item
        if item.error is not None:
            raise item.error

    worker = threading.Thread(target=work, name="generator-builder", daemon=True)
    worker.start()
    try:
        yield consume()
    finally:
        stop.set()
        worker.join()
