"""gunicorn settings for the portal (deploy/systemd/citizen-portal-web@.service, the Dockerfile).

Sizing (docs/operators.md#sizing-the-web-processes): the portal's requests spend most of their
time in Python, so processes, not threads, add throughput; a thread or two per process covers
the moments a request waits on PostgreSQL or Redis.

- 2 cores:  WEB_WORKERS=5 WEB_THREADS=1 (the benchmark's configuration, docs/benchmarks.md)
- 16 cores: WEB_WORKERS=17 WEB_THREADS=2 per instance, or two instances of 9 behind nginx

Each process keeps its own persistent database connection per thread (DB_CONN_MAX_AGE), so
PostgreSQL's max_connections must exceed instances × workers × threads plus the task workers;
past a few hundred connections, put PgBouncer (transaction pooling) in between.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# nginx buffers slow clients (deploy/nginx/citizen-portal.conf), so a request that takes longer
# than this is stuck, not slow: the worker is replaced.
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (plus jitter, so they do not all restart at
# once): a slow leak in a library never grows for weeks.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Logs go to the journal; the portal's own lines are JSON (LOG_FORMAT=json).
accesslog = None
errorlog = "-"
# Forwarded headers are believed from nginx only (TRUSTED_PROXIES does the same for Django).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1")


def child_exit(server: object, worker: object) -> None:
    """Prometheus: a dead worker's samples leave the shared directory (multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined,no-untyped-call]
