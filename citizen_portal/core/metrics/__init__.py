"""Prometheus metrics, served at GET /metrics (docs/operators.md, "Monitoring").

instruments.py   the counters and histograms, all named portal_*
middleware.py    requests by method, route name and status, and their duration
task_signals.py  background tasks' outcomes, from huey's signals
scrape.py        figures read when scraped (queue depth, overdue complaints) and the exposition,
                 summed over every process of the machine in prometheus_client's multiprocess
                 mode (PROMETHEUS_MULTIPROC_DIR)
access.py        who may scrape: METRICS_ALLOWED_IPS or the METRICS_TOKEN bearer token
views.py         the /metrics view
worker_http.py   the worker's own metrics port (METRICS_WORKER_PORT), for a worker machine
"""
