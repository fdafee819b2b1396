"""Test environment, loaded by pytest (`-p citizen_portal.core.testenv` in pyproject.toml)
before pytest-django reads the settings. Never imported by the portal itself."""

import os
import tempfile

# Tasks run inline, so a test sees the SMS or e-mail a step sends.
os.environ.setdefault("TASK_QUEUE", "immediate")
# Nothing a test does touches the developer's var/ (database, outbox, secret key). With
# pytest-xdist every worker inherits the controller's environment, so each worker makes its
# own directory: two workers never read each other's outbox or uploads.
if os.environ.get("PYTEST_XDIST_WORKER") or "PORTAL_VAR_DIR" not in os.environ:
    os.environ["PORTAL_VAR_DIR"] = tempfile.mkdtemp(prefix="portal-test-var-")
# Django's live_server runs in a thread beside Playwright's event loop (see TESTING.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Tests read the Open311 list right after lodging: no reuse of a cached answer, except where a
# test turns it on.
os.environ.setdefault("OPEN311_PUBLIC_CACHE_SECONDS", "0")
# Tests lodge dozens of complaints for one citizen to fill lists and dashboards: no lodging
# limits, except where a test turns them on (complaints/tests/test_lodging_limits.py).
os.environ.setdefault("LODGE_MAX_PER_HOUR", "0")
os.environ.setdefault("LODGE_MAX_PER_DAY", "0")
# Tests type wrong passwords in quick succession to reach the lock-out: no pause between tries,
# except where a test turns it on (accounts/tests/test_login_pace.py).
os.environ.setdefault("LOGIN_PACE_MAX_WAIT_SECONDS", "0")
