"""Wait until the task queue is empty, so that the next scenario runs on a quiet machine, and
say how long that took. Each lodge queues its notifications; at benchmark rates the worker
falls behind and would otherwise go on delivering them through the read scenarios that follow,
taking a core from them.

Run with the portal's environment, before the load: python -m bench.drain READY ENDED. It sets
Django up, creates the file READY, waits for the file ENDED (the Unix time the load ended, which
run.sh writes the moment wrk stops), then prints the seconds from that moment until the queue was
empty. Started before the load, its start-up neither runs during the load nor delays the wait."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import django

TIMEOUT_S = 900


def main() -> None:
    ready, ended = Path(sys.argv[1]), Path(sys.argv[2])
    django.setup()
    from huey.contrib.djhuey import HUEY  # after setup: it reads the settings

    HUEY.pending_count()  # connected before the load ends
    ready.touch()
    while not ended.exists() or not ended.read_text().strip():
        time.sleep(0.05)
    since = float(ended.read_text())
    quiet_since = None
    while time.time() - since < TIMEOUT_S:
        if HUEY.pending_count() or HUEY.scheduled_count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif time.time() - quiet_since >= 1.0:
            # Empty for a second: the last task taken has had time to finish.
            print(f"{max(0.0, quiet_since - since):.1f}")
            return
        time.sleep(0.2)
    raise SystemExit(f"the task queue was still not empty after {TIMEOUT_S} s")


if __name__ == "__main__":
    main()
