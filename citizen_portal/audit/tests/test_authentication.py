"""Logins, logouts, failed logins, lockouts and wrong one-time codes reach the audit log
through the real login pages, with who, when, from where, and never the secret typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from citizen_portal.accounts.tests.test_personal_data import _register
from citizen_portal.accounts.tests.two_factor import enable_totp
from citizen_portal.audit.models import AuditAction, AuditOutcome
from citizen_portal.audit.tests.conftest import records
from citizen_portal.directory.tests.factories import STAFF_PASSWORD

CITIZEN_PASSWORD = "kinnow-orchard-42"


def _staff_password(client, username="lesco.se", password=STAFF_PASSWORD):
    return client.post(
        reverse("accounts:staff_login"), {"username": username, "password": password}
    )


def test_a_staff_login_and_logout_are_recorded_with_address_and_request_id(client, world):
    app = enable_totp(world.officers.se)
    _staff_password(client)
    response = client.post(
        reverse("accounts:staff_code"), {"code": app.now()}, HTTP_X_REQUEST_ID="req-12345678"
    )
    assert response.status_code == 302
    [login] = records(AuditAction.LOGIN)
    assert (login.actor, login.actor_label, login.outcome) == (
        world.officers.se,
        "lesco.se",
        AuditOutcome.SUCCESS,
    )
    assert (login.ip_address, login.request_id) == ("127.0.0.1", "req-12345678")
    assert login.at.utcoffset() == timedelta(0)  # stored and shown in UTC

    client.post(reverse("accounts:logout"))
    [logout] = records(AuditAction.LOGOUT)
    assert logout.actor == world.officers.se


def test_a_wrong_password_is_recorded_with_the_typed_username_only(client, world):
    _staff_password(client, password="not-the-password")
    [failed] = records(AuditAction.LOGIN_FAILED)
    assert (failed.actor_id, failed.actor_label, failed.outcome) == (
        None,
        "lesco.se",
        AuditOutcome.FAILURE,
    )
    assert "not-the-password" not in str(failed.details)


def test_a_failed_citizen_login_records_the_number_masked(client, world):
    _register(world)
    client.post(reverse("accounts:login"), {"phone": "0300 1239999", "password": "wrong-one-1"})
    [failed] = records(AuditAction.LOGIN_FAILED)
    assert failed.actor_label == "+923••••••999"
    assert "1239999" not in failed.actor_label + failed.target_label


@pytest.mark.django_db(transaction=True)
def test_repeated_failures_lock_the_account_and_the_lockout_is_recorded(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _staff_password(client, password="guess-again")
    assert response.status_code == 429
    [lockout] = records(AuditAction.LOCKED_OUT)
    assert (lockout.actor_label, lockout.outcome) == ("lesco.se", AuditOutcome.DENIED)
    assert len(records(AuditAction.LOGIN_FAILED)) >= settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db(transaction=True)  # the SMS leaves when the code's transaction commits
def test_wrong_one_time_codes_are_recorded_and_the_last_one_as_a_lock(client, world, sms_outbox):
    client.post(reverse("accounts:register"), {"phone": "0300 7654321"})
    right = sms_outbox.last_code("+923007654321")
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        client.post(reverse("accounts:verify"), {"code": wrong})
    failed = records(AuditAction.CODE_FAILED)
    assert len(failed) == settings.OTP_MAX_ATTEMPTS - 1
    assert failed[0].target_label == "+923••••••321"
    assert failed[0].details == {"purpose": "register", "tries_left": settings.OTP_MAX_ATTEMPTS - 1}
    [locked] = records(AuditAction.CODE_LOCKED)
    assert locked.outcome == AuditOutcome.DENIED
    assert right not in str(failed[0].details)
