"""The task queue on Redis for a fleet of consumers: no task lost when a consumer dies, and the
periodic tasks enqueued once per minute however many consumers run.

huey's own Redis queue pops a task and forgets it: a consumer killed in the middle of a task
(out of memory, a host lost, `kill -9`) loses it. Here a consumer *moves* the task, in one
atomic step (BLMOVE), from the queue to a list of the tasks in its hands, and removes it from
there when the task has finished, whatever its outcome (huey itself re-enqueues a task that
will retry). Every consumer process renews a heartbeat key; when one stops renewing it, any
other consumer puts the dead one's tasks back at the head of the queue, where the next free
worker takes them. Delivery is therefore at least once: a task may run again after its
consumer died part-way through it, so every task is written to be safe to repeat (the SMS
claim, the export job's status, the sweeps' conditional updates).

The periodic tasks (huey's scheduler, one per consumer) are claimed per minute with SET NX:
the first consumer to check a minute enqueues its periodic tasks, the others skip that minute.
So every consumer runs with the scheduler on, and losing any one of them loses no schedule.

Keys, besides huey's own (`huey.redis.<name>` is the queue):
- `huey.consumers.<name>`: set of consumer ids (host:pid:random);
- `huey.alive.<name>.<id>`: the heartbeat, expiring after 3 beats;
- `huey.inhand.<name>.<id>`: the tasks that consumer holds;
- `huey.periodic.<name>.<YYYYmmddHHMM>`: who enqueued that minute's periodic tasks.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import datetime
from typing import Any

from huey import RedisHuey
from huey.api import Task
from huey.storage import RedisStorage

logger = logging.getLogger(__name__)

# KEYS: in-hand list, queue, consumers set, heartbeat key; ARGV: consumer id. Checked again
# inside the script, so two consumers reaping at once cannot both move the same tasks, and a
# consumer whose heartbeat came back in between keeps its own.
REQUEUE_LUA = """
if redis.call('EXISTS', KEYS[4]) == 1 then
  return -1
end
local moved = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'RIGHT') do
  moved = moved + 1
end
redis.call('SREM', KEYS[3], ARGV[1])
return moved
"""


class ReliableRedisStorage(RedisStorage):  # type: ignore[misc]  # huey has no types
    """huey's RedisStorage with tasks held per consumer until acknowledged (module docstring)."""

    def __init__(self, name: str = "huey", heartbeat_seconds: float = 10, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.heartbeat_seconds = heartbeat_seconds
        self.consumers_key = f"huey.consumers.{self.name}"
        self._requeue = self.conn.register_script(REQUEUE_LUA)
        self._identity: tuple[int, str] | None = None
        self._identity_lock = threading.Lock()

    # --- who holds what ---------------------------------------------------------------------

    def alive_key(self, consumer: str) -> str:
        return f"huey.alive.{self.name}.{consumer}"

    def in_hand_key(self, consumer: str) -> str:
        return f"huey.inhand.{self.name}.{consumer}"

    def consumer_id(self) -> str:
        """This process's id, registered (with its heartbeat started) on first use. A forked
        process gets an id of its own."""
        pid = os.getpid()
        with self._identity_lock:
            if self._identity is None or self._identity[0] != pid:
                consumer = f"{socket.gethostname()}:{pid}:{uuid.uuid4().hex[:8]}"
                self._beat(consumer)
                self._identity = (pid, consumer)
                threading.Thread(
                    target=self._heartbeat, args=(pid, consumer), name="huey-heartbeat", daemon=True
                ).start()
            return self._identity[1]

    def _beat(self, consumer: str) -> None:
        # Registered again with every beat: a consumer paused longer than its heartbeat (a
        # stopped process, a host that froze) may have been taken for dead and removed, and
        # must be found again should it die for good later.
        pipe = self.conn.pipeline()
        pipe.set(self.alive_key(consumer), str(time.time()), px=int(self.heartbeat_seconds * 3000))
        pipe.sadd(self.consumers_key, consumer)
        pipe.execute()

    def _heartbeat(self, pid: int, consumer: str) -> None:
        while os.getpid() == pid:
            time.sleep(self.heartbeat_seconds)
            try:
                self._beat(consumer)
                self.requeue_dead()
            except Exception:  # Redis away for a moment: the next beat tries again
                logger.exception("task queue heartbeat failed")

    def requeue_dead(self) -> int:
        """Put back in the queue every task held by a consumer whose heartbeat has expired;
        returns how many."""
        moved = 0
        for raw in self.conn.smembers(self.consumers_key):
            consumer = raw.decode()
            if self.conn.exists(self.alive_key(consumer)):
                continue
            count = int(
                self._requeue(
                    keys=[
                        self.in_hand_key(consumer),
                        self.queue_key,
                        self.consumers_key,
                        self.alive_key(consumer),
                    ],
                    args=[consumer],
                )
            )
            if count > 0:
                logger.warning(
                    "requeued tasks of a consumer that stopped",
                    extra={"consumer": consumer, "tasks": count},
                )
                moved += count
        return moved

    def in_hand(self) -> dict[str, int]:
        """Tasks held, by consumer (for operators and tests)."""
        return {
            raw.decode(): int(self.conn.llen(self.in_hand_key(raw.decode())))
            for raw in self.conn.smembers(self.consumers_key)
        }

    def in_hand_of(self, consumer: str) -> list[bytes]:
        """The raw messages a consumer holds."""
        return list(self.conn.lrange(self.in_hand_key(consumer), 0, -1))

    # --- huey's storage interface -----------------------------------------------------------

    def dequeue(self) -> bytes | None:
        in_hand = self.in_hand_key(self.consumer_id())
        if self.blocking:
            data = self.conn.blmove(self.queue_key, in_hand, self.read_timeout, "RIGHT", "LEFT")
        else:
            data = self.conn.lmove(self.queue_key, in_hand, "RIGHT", "LEFT")
        return data  # type: ignore[no-any-return]

    def acknowledge(self, data: bytes) -> None:
        self.conn.lrem(self.in_hand_key(self.consumer_id()), 1, data)

    def claim_minute(self, minute: datetime) -> bool:
        """True for the first consumer to ask for this minute, across the fleet."""
        key = f"huey.periodic.{self.name}.{minute:%Y%m%d%H%M}"
        owner = f"{socket.gethostname()}:{os.getpid()}"
        return bool(self.conn.set(key, owner, nx=True, ex=3600))


class ReliableRedisHuey(RedisHuey):  # type: ignore[misc]
    """RedisHuey on ReliableRedisStorage: acknowledges each task when it has run, and enqueues
    the periodic tasks of a minute once across all consumers."""

    storage_class = ReliableRedisStorage
    storage: ReliableRedisStorage

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Raw message of each task in hand, by the task object's identity (a retried task keeps
        # its id, so the id alone could name two messages).
        self._raw: dict[int, bytes] = {}

    def dequeue(self) -> Task | None:
        data = self.storage.dequeue()
        if data is None:
            return None
        try:
            task = self.deserialize_task(data)
        except Exception:
            # Unreadable (a task removed from the code, say): dropped, not retried forever.
            self.storage.acknowledge(data)
            raise
        self._raw[id(task)] = data
        return task

    def execute(self, task: Task, timestamp: datetime | None = None) -> Any:
        try:
            return super().execute(task, timestamp)
        finally:
            data = self._raw.pop(id(task), None)
            if data is not None:
                self.storage.acknowledge(data)

    def read_periodic(self, timestamp: datetime | None) -> list[Task]:
        tasks: list[Task] = super().read_periodic(timestamp)
        if not tasks:
            return tasks
        minute = (timestamp or self._get_timestamp()).replace(second=0, microsecond=0)
        if self.storage.claim_minute(minute):
            return tasks
        logger.debug("periodic tasks of %s enqueued by another consumer", minute)
        return []
