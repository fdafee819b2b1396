"""The worker's own metrics port. Tasks, SMS and e-mail are counted in the process that runs
the task: a worker (`run_huey`), not a web process. They reach the web's /metrics only when the
worker shares that web server's PROMETHEUS_MULTIPROC_DIR on the same machine. Otherwise (the
units in deploy/: each web instance has a folder of its own, workers and the scheduler none)
set METRICS_WORKER_PORT, different for each worker on a machine, and the worker serves its
own counts there on METRICS_WORKER_ADDR. There is no token on that port: bind it to an address
only Prometheus can reach."""

from __future__ import annotations

import logging
import threading
from wsgiref.simple_server import WSGIServer

from django.conf import settings
from huey.contrib.djhuey import HUEY
from prometheus_client import start_http_server

from citizen_portal.core.metrics.scrape import process_registry

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_servers: list[WSGIServer] = []


def serve(port: int, addr: str) -> tuple[WSGIServer, threading.Thread]:
    """Serve the process's metrics (or, in multiprocess mode, the machine's) on a thread."""
    return start_http_server(port, addr=addr, registry=process_registry())


def start_worker_metrics() -> WSGIServer | None:
    """huey calls its start-up hooks once per worker thread: the first opens the port."""
    with _lock:
        if not settings.METRICS_WORKER_PORT:
            return None
        if not _servers:
            server, _thread = serve(settings.METRICS_WORKER_PORT, settings.METRICS_WORKER_ADDR)
            _servers.append(server)
            logger.info(
                "worker metrics served",
                extra={"addr": settings.METRICS_WORKER_ADDR, "port": settings.METRICS_WORKER_PORT},
            )
        return _servers[0]


def stop_worker_metrics() -> None:
    with _lock:
        while _servers:
            server = _servers.pop()
            server.shutdown()
            server.server_close()


def connect() -> None:
    HUEY.on_startup("portal_metrics_port")(start_worker_metrics)
    HUEY.on_shutdown("portal_metrics_port")(stop_worker_metrics)
