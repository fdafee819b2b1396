"""Background tasks' outcomes, counted from huey's signals in whichever process runs the task
(the worker; the web process itself with TASK_QUEUE=immediate)."""

from __future__ import annotations

from typing import Any

from huey import signals
from huey.contrib.djhuey import HUEY

from citizen_portal.core.metrics.instruments import TASK_FAILURES, TASKS

OUTCOMES = {
    signals.SIGNAL_COMPLETE: "complete",
    signals.SIGNAL_ERROR: "error",
    signals.SIGNAL_TIMEOUT: "timeout",
    signals.SIGNAL_LOCKED: "locked",
    signals.SIGNAL_CANCELED: "canceled",
    signals.SIGNAL_EXPIRED: "expired",
    signals.SIGNAL_REVOKED: "revoked",
    signals.SIGNAL_RATE_LIMITED: "rate_limited",
    signals.SIGNAL_INTERRUPTED: "interrupted",
}


def task_outcome(signal: str, task: Any, *args: Any) -> None:
    # The task's name is its function's (notify_event, deliver_sms, …): a fixed set.
    name = str(task.name)
    TASKS.labels(name, OUTCOMES[signal]).inc()
    if signal == signals.SIGNAL_ERROR:
        TASK_FAILURES.labels(name).inc()


_connected: list[bool] = []


def connect() -> None:
    """Called from CoreConfig.ready(); connects once, whatever calls it again."""
    if not _connected:
        HUEY.signal(*OUTCOMES)(task_outcome)
        _connected.append(True)
