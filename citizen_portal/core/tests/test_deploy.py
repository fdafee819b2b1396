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
