"""The task queue on Redis (core/task_queue.py): a task held by a consumer that dies goes back
to the queue, once; a live consumer's tasks stay with it; each minute's periodic tasks are
enqueued by one consumer only. Against the machine's Redis (database 12), so these run in
`make test-prod`; the whole fleet, with consumers killed mid-task, is in tests/production."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis
from huey import crontab

from citizen_portal.core.task_queue import ReliableRedisHuey, ReliableRedisStorage

pytestmark = pytest.mark.redis

REDIS_URL = "redis://127.0.0.1:6379/12"
BEAT = 0.2  # seconds: a dead consumer is noticed after 3 beats


@pytest.fixture
def queue_name() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at 127.0.0.1:6379 ({exc}); start it and run again.")
    client.flushdb()
    yield "queue-test"
    client.flushdb()


def storage(name: str) -> ReliableRedisStorage:
    return ReliableRedisStorage(name, heartbeat_seconds=BEAT, url=REDIS_URL, read_timeout=1)


def test_a_task_held_by_a_consumer_that_was_killed_goes_back_to_the_queue_once(queue_name):
    survivor = storage(queue_name)
    survivor.enqueue(b"task-1")
    # Another process takes the task and is killed before it finishes (kill -9: no cleanup).
    holder = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from citizen_portal.core.task_queue import ReliableRedisStorage\n"
            f"s = ReliableRedisStorage({queue_name!r}, heartbeat_seconds={BEAT}, "
            f"url={REDIS_URL!r})\n"
            "print(s.dequeue().decode(), flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "task-1"
    assert survivor.queue_size() == 0
    assert [n for n in survivor.in_hand().values() if n] == [1]
    holder.send_signal(signal.SIGKILL)
    holder.wait()

    # Until its heartbeat runs out, the dead consumer's task is left alone.
    assert survivor.requeue_dead() == 0
    time.sleep(BEAT * 3 + 0.3)
    assert survivor.requeue_dead() == 1
    assert survivor.requeue_dead() == 0, "a second sweep must not put it back twice"
    assert survivor.dequeue() == b"task-1"
    assert survivor.dequeue() is None
    assert survivor.in_hand()[survivor.consumer_id()] == 1


def test_a_live_consumers_tasks_stay_with_it_and_leave_when_acknowledged(queue_name):
    worker, other = storage(queue_name), storage(queue_name)
    worker.enqueue(b"task-1")
    data = worker.dequeue()
    assert data == b"task-1"
    time.sleep(BEAT * 4)  # its heartbeat keeps it alive
    assert other.requeue_dead() == 0
    worker.acknowledge(data)
    assert worker.in_hand()[worker.consumer_id()] == 0
    assert other.dequeue() is None


def test_a_task_that_fails_is_acknowledged_and_huey_retries_it_from_the_queue(queue_name):
    huey = ReliableRedisHuey(queue_name, url=REDIS_URL, heartbeat_seconds=BEAT)
    runs: list[int] = []

    @huey.task(retries=1)  # type: ignore[untyped-decorator]
    def flaky(n: int) -> None:
        runs.append(n)
        if len(runs) == 1:
            raise RuntimeError("first run fails")

    flaky(7)
    first = huey.dequeue()
    assert first is not None
    huey.execute(first)
    assert huey.storage.in_hand()[huey.storage.consumer_id()] == 0
    assert huey.pending_count() == 1  # the retry, enqueued by huey
    second = huey.dequeue()
    assert second is not None
    huey.execute(second)
    assert runs == [7, 7]
    assert huey.pending_count() == 0
    assert huey.storage.in_hand()[huey.storage.consumer_id()] == 0


def test_each_minutes_periodic_tasks_are_enqueued_by_one_consumer_only(queue_name):
    consumers = [
        ReliableRedisHuey(queue_name, url=REDIS_URL, heartbeat_seconds=BEAT) for _ in range(3)
    ]
    for huey in consumers:

        @huey.periodic_task(crontab(minute="*"), name="sweep")  # type: ignore[untyped-decorator]
        def sweep() -> None:
            pass

    minute = datetime(2026, 12, 1, 3, 15, 20, tzinfo=UTC).replace(tzinfo=None)
    found = [len(huey.read_periodic(minute)) for huey in consumers]
    assert sorted(found) == [0, 0, 1]
    # The same minute read again, a few seconds later, by anyone: nothing more.
    assert [len(h.read_periodic(minute.replace(second=50))) for h in consumers] == [0, 0, 0]
    # The next minute is someone's again.
    following = minute.replace(minute=16)
    assert sorted(len(h.read_periodic(following)) for h in consumers) == [0, 0, 1]
