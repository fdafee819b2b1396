"""Wait until the task queue is empty, so that the next scenario runs on a quiet machine, and
say how long that took. Each lodge queues its notifications; at benchmark rates the worker
falls behind and would otherwise go on delivering them through the read scenarios that follow,
taking a core from them.

Run with the portal's environment: python -m bench.drain (prints the seconds waited)."""

from __future__ import annotations

import time

import django

TIMEOUT_S = 900


def main() -> None:
    django.setup()
    from huey.contrib.djhuey import HUEY  # after setup: it reads the settings

    start = time.monotonic()
    quiet_since = None
    while time.monotonic() - start < TIMEOUT_S:
        if HUEY.pending_count() or HUEY.scheduled_count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 1.0:
            # Empty for a second: the last task taken has had time to finish.
            print(f"{quiet_since - start:.1f}")
            return
        time.sleep(0.2)
    raise SystemExit(f"the task queue was still not empty after {TIMEOUT_S} s")


if __name__ == "__main__":
    main()
