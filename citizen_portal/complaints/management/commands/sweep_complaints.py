"""Run the deadline, feedback-window and information-request sweeps once, now.

The worker runs them every hour on its own; this is for operators (after downtime, or to see
what a sweep would do today). Safe to run beside the worker: each complaint is handled under
its row lock, so nothing is escalated or closed twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from citizen_portal.complaints.services.sweeps import sweep_all


class Command(BaseCommand):
    help = "Escalate overdue complaints, warn at 75%, close silent resolutions, lapse requests."

    def handle(self, *args: Any, **options: Any) -> None:
        report = sweep_all()
        self.stdout.write(
            f"warned {report.warned}, escalated {report.escalated}, "
            f"missed at the head {report.missed_at_top}, closed after silence {report.closed}, "
            f"lapsed requests {report.lapsed}, expired keys {report.keys_purged}"
        )
        for error in report.errors:
            self.stderr.write(f"failed: {error}")
