"""The production configuration passes Django's deployment checklist."""

import secrets

import pytest

from citizen_portal.core.tests.processes import manage

PRODUCTION = {
    "DEPLOYMENT": "production",
    "ALLOWED_HOSTS": "portal.example.gov.pk",
}
# A fleet's backends (docs/operators.md, "Production configuration"). `check` connects to
# none of them, so the addresses need not answer here.
FLEET = {
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "TASK_QUEUE": "redis://127.0.0.1:6379/0",
    "DATABASE_REPLICA_URL": "postgres://portal@127.0.0.1:5432/portal",
    "STORAGE_S3_BUCKET": "portal-files",
    "STORAGE_S3_ENDPOINT_URL": "https://objects.example.gov.pk",
    "STORAGE_S3_ACCESS_KEY": "portal",
    "STORAGE_S3_SECRET_KEY": "not-a-real-secret",
    "STORAGE_S3_REGION": "me-south-1",
}


@pytest.mark.parametrize("backends", [{}, FLEET], ids=["embedded", "redis-s3-replica"])
def test_check_deploy_with_production_settings_reports_nothing(backends):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        **PRODUCTION,
        **backends,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_real_secret_key():
    result = manage("check", DEPLOYMENT="production", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_cookies_are_host_only_secure_and_out_of_scripts_reach():
    """ASVS 7.1: `__Host-` names (https only, this exact host, every path), Secure, HttpOnly."""
    shown = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    )
    result = manage("shell", "-c", shown, SECRET_KEY=secrets.token_urlsafe(60), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "__Host-portal_session", "__Host-portal_csrf", "True", "True", "True", "True", "Lax"
    ]  # fmt: skip
