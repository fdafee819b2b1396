"""A worker without a web server beside it serves its own counts on METRICS_WORKER_PORT."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest

from citizen_portal.core.metrics.worker_http import start_worker_metrics, stop_worker_metrics
from citizen_portal.notifications.tasks import deliver_email


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_without_a_port_the_worker_opens_none(settings):
    settings.METRICS_WORKER_PORT = 0
    assert start_worker_metrics() is None


@pytest.mark.django_db
def test_the_worker_serves_its_task_counts_on_its_own_port(settings):
    settings.METRICS_WORKER_PORT = port = _free_port()
    settings.METRICS_WORKER_ADDR = "127.0.0.1"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    try:
        # huey calls the hook in each of its threads: one port, opened once.
        first = start_worker_metrics()
        assert first is not None
        assert start_worker_metrics() is first
        deliver_email("citizen@example.com", "Your complaint", "It was resolved.")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
            text = answer.read().decode()
    finally:
        stop_worker_metrics()
    assert 'portal_tasks_total{outcome="complete",task="deliver_email"}' in text
    assert 'portal_emails_sent_total{outcome="sent"}' in text
    with pytest.raises(urllib.error.URLError, match="refused"):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2)
