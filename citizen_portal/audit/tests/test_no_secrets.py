"""No password, one-time code, authenticator code, session key or full number is ever in the
audit log: logins made with known secrets, then the records and the log lines searched."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from citizen_portal.accounts.tests.test_personal_data import _register
from citizen_portal.accounts.tests.two_factor import enable_totp
from citizen_portal.audit.models import AuditAction
from citizen_portal.audit.tests.conftest import everything_recorded, records
from citizen_portal.directory.tests.factories import STAFF_PASSWORD

CITIZEN_PASSWORD = "kinnow-orchard-42"


@pytest.mark.django_db(transaction=True)  # the SMS leaves when the code's transaction commits
def test_citizen_and_staff_logins_leave_no_secret_in_records_or_lines(
    client, world, sms_outbox, audit_lines
):
    # A citizen on a new device: the password, then a wrong code, then the SMS code.
    citizen = _register(world)
    client.post(reverse("accounts:login"), {"phone": "03001239999", "password": CITIZEN_PASSWORD})
    otp = sms_outbox.last_code("+923001239999")
    client.post(reverse("accounts:verify"), {"code": "999999" if otp != "999999" else "888888"})
    client.post(reverse("accounts:verify"), {"code": otp})
    citizen_session = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    # A staff member: a wrong password, then the right one and the app's code.
    app = enable_totp(world.officers.se)
    client.post(reverse("accounts:staff_login"), {"username": "lesco.se", "password": "oops-1"})
    client.post(
        reverse("accounts:staff_login"), {"username": "lesco.se", "password": STAFF_PASSWORD}
    )
    totp = app.now()
    client.post(reverse("accounts:staff_code"), {"code": totp})
    staff_session = client.cookies[settings.SESSION_COOKIE_NAME].value

    assert [r.actor for r in records(AuditAction.LOGIN)] == [citizen, world.officers.se]
    assert len(records(AuditAction.CODE_FAILED)) == 1
    stored, lines = everything_recorded(), audit_lines.text()
    assert "lesco.se" in stored
    assert "lesco.se" in lines
    for secret in (CITIZEN_PASSWORD, STAFF_PASSWORD, otp, totp, citizen_session, staff_session):
        assert secret not in stored
        assert secret not in lines
    for full_number in ("+923001239999", "3001239999", "35202-1234567-1", "3520212345671"):
        assert full_number not in stored
        assert full_number not in lines
