"""Every metric the portal counts as it goes. Labels hold only bounded, impersonal values: a
route *name* (never a path, which could carry a complaint reference), a method, a status code,
a task's function name, an outcome.

Defined once per process at import. With PROMETHEUS_MULTIPROC_DIR set (it must be set before
the process starts), prometheus_client keeps each value in a file of that folder instead of in
memory, and scrape.py sums the files of every process.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# Methods a page or the API may receive; any other (a client inventing methods) is "other",
# so that clients cannot add label values at will.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"

HTTP_REQUESTS = Counter(
    "portal_http_requests",
    "Requests answered, by method, route name (unmatched: no URL pattern) and status code.",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "portal_http_request_duration_seconds",
    "Time from the request reaching the portal to its response being ready.",
    ["method", "route"],
    # Fewer buckets than the default: one series per bucket and route adds up.
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

TASKS = Counter(
    "portal_tasks",
    "Background task runs, by task and outcome (complete, error, and huey's rarer ones).",
    ["task", "outcome"],
)
TASK_FAILURES = Counter(
    "portal_task_failures",
    "Background task runs that raised an error (each failed try of a retried task counts).",
    ["task"],
)

SMS_SENT = Counter(
    "portal_sms_sent",
    "SMS delivery attempts, by outcome: sent, retry (temporary failure), failed (given up).",
    ["outcome"],
)
EMAILS_SENT = Counter(
    "portal_emails_sent",
    "E-mail sends by the worker, by outcome: sent or failed (the task retries a failure).",
    ["outcome"],
)

UNAVAILABLE = Counter(
    "portal_unavailable",
    "Requests answered 503 because the database, the disk or Redis failed "
    "(core/unavailable.py), by cause: database, disk, redis.",
    ["cause"],
)

CSP_VIOLATIONS = Counter(
    "portal_csp_violations",
    "Content-Security-Policy violations browsers reported (core/security_headers.py), by the "
    "directive broken.",
    ["directive"],
)
