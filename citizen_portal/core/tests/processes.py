"""Running the portal in a process of its own, with an environment the test chooses: settings
are read from the environment once, at start, so a deployment's variables can only be tried
this way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]

# Variables of the test run that a deployment would not have: SECRET_KEY and DEPLOYMENT are
# the test's to choose, DJANGO_ALLOW_ASYNC_UNSAFE is for the browser tests, and the backends
# chosen by environment start unset unless the test sets them.
NOT_INHERITED = {
    "SECRET_KEY",
    "DEPLOYMENT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CACHE_URL",
    "DATABASE_REPLICA_URL",
    "STORAGE_S3_BUCKET",
    "STORAGE_S3_ENDPOINT_URL",
    "STORAGE_S3_ACCESS_KEY",
    "STORAGE_S3_SECRET_KEY",
    "STORAGE_S3_REGION",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python manage.py <args>` with the test run's environment, less NOT_INHERITED, plus
    `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def portal_python(code: str, **env: str) -> str:
    """Run `code` in `manage.py shell` with `env`; returns what it printed. Fails the test, with
    the process's errors, if it did not succeed."""
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def process_stop(
    process: subprocess.Popen[Any], sig: int = signal.SIGTERM, seconds: float = 30
) -> None:
    """Ask a process to stop with `sig`; kill it if it has not within `seconds`."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
