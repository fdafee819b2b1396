"""The monitoring endpoints as a deployment runs them: a real gunicorn with several worker
processes (deploy/gunicorn.conf.py, with its child_exit hook), PROMETHEUS_MULTIPROC_DIR set,
JSON logs on standard error, and a task queue pointed at a Redis where nothing listens (a real
refused connection)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from citizen_portal.core.tests.processes import NOT_INHERITED, process_stop

GUNICORN = Path(sys.executable).parent / "gunicorn"
CONFIG = settings.BASE_DIR / "deploy" / "gunicorn.conf.py"

pytestmark = pytest.mark.skipif(
    not (GUNICORN.exists() and CONFIG.exists()), reason="needs gunicorn and deploy/gunicorn.conf.py"
)


@dataclass
class Server:
    url: str
    stderr: Path
    metrics_dir: Path


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def get(url: str, headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http only)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("gunicorn")
    (base / "var").mkdir()
    (base / "metrics").mkdir()
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in NOT_INHERITED},
        "PORTAL_VAR_DIR": str(base / "var"),
        "DATABASE_URL": f"sqlite:///{base / 'var' / 'portal.sqlite3'}",
        "TASK_QUEUE": "redis://127.0.0.1:1/0",
        "PROMETHEUS_MULTIPROC_DIR": str(base / "metrics"),
        "LOG_FORMAT": "json",
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "WEB_THREADS": "1",
        # Each worker is replaced after 4 requests: the counts must survive their processes.
        "WEB_MAX_REQUESTS": "4",
    }
    stderr = base / "stderr.log"
    with stderr.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603
            [str(GUNICORN), "-c", str(CONFIG), "citizen_portal.wsgi:application"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=sink,
            stderr=sink,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # two Django processes starting on a busy machine
        while True:
            assert process.poll() is None, stderr.read_text()
            try:
                if get(f"{url}/livez").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, stderr.read_text()
            time.sleep(0.2)
        yield Server(url=url, stderr=stderr, metrics_dir=base / "metrics")
    finally:
        process_stop(process)


def test_an_unreachable_task_queue_makes_it_unready_but_still_alive(server):
    ready = get(f"{server.url}/readyz")
    assert ready.status == 503
    assert json.loads(ready.body) == {
        "status": "unavailable",
        "database": "ok",
        "task_queue": "unreachable",
        "cache": "ok",
        "storage": "ok",
    }
    assert get(f"{server.url}/healthz").status == 503
    alive = get(f"{server.url}/livez")
    assert (alive.status, json.loads(alive.body)) == (200, {"status": "ok"})


def test_the_warning_in_the_log_carries_the_request_id_of_the_response(server):
    answer = get(f"{server.url}/readyz", headers={"X-Request-ID": "nginx-7d2f0c1e9a"})
    assert answer.headers["X-Request-ID"] == "nginx-7d2f0c1e9a"
    deadline = time.monotonic() + 10
    while True:
        found = [
            line
            for line in map(_json_or_none, server.stderr.read_text().splitlines())
            if line and line.get("request_id") == "nginx-7d2f0c1e9a"
        ]
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    # The check's warning, from inside the view (Django's "Service Unavailable: /readyz" line,
    # written after the middleware returned, carries it too).
    assert found[0]["message"] == "health check: task queue unreachable"
    assert "111" in found[0]["error"]  # ECONNREFUSED


def _json_or_none(text: str) -> dict[str, str] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None  # gunicorn's own lines are not JSON
    return value if isinstance(value, dict) else None


def _livez_count(text: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "portal_http_requests_total" and sample.labels["route"] == "core:livez"
    )


def test_metrics_add_up_the_requests_of_every_worker_process_alive_or_gone(server):
    before = _livez_count(get(f"{server.url}/metrics").body.decode())
    for _ in range(10):
        assert get(f"{server.url}/livez").status == 200
    scraped = get(f"{server.url}/metrics")
    assert scraped.status == 200
    assert _livez_count(scraped.body.decode()) == before + 10
    # Written by more than two processes: workers were replaced along the way.
    pids = {re.sub(r"\D", "", name.stem) for name in server.metrics_dir.glob("counter_*.db")}
    assert len(pids) > 2
    # The queue cannot be read: its gauge is left out, the rest is served.
    assert "portal_task_queue_depth" not in scraped.body.decode()
