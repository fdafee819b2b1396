"""Sessions (ASVS 7): idle and absolute limits, staff and citizens apart; a new session id at
every step of a login; every session and API token ended when the account is blocked, its
number or privileges change or its authenticator app is reset; logout ends the session on the
server; the cookies are out of scripts' reach."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.accounts.services.lifecycle import account_block, account_unblock
from citizen_portal.accounts.session_limits import LIMITS_KEY
from citizen_portal.accounts.tests.two_factor import enable_totp
from citizen_portal.api.services.tokens import token_find, token_issue
from citizen_portal.directory.tests.factories import STAFF_PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 60 * MINUTE


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _age(client: Client, *, began: float = 0, idle: float = 0) -> None:
    """As if the session had begun `began` seconds ago and been last used `idle` seconds ago."""
    session = client.session
    limits = session[LIMITS_KEY]
    now = time.time()
    session[LIMITS_KEY] = {**limits, "began": int(now - began), "seen": int(now - idle)}
    session.save()


def _is_in(client: Client, page: str) -> bool:
    response = client.get(page)
    return response.status_code == 200


def _notice(client: Client) -> str:
    """What the next page tells the person (the login page shows the messages)."""
    return client.get(reverse("accounts:login")).content.decode()


def test_an_officer_idle_for_half_an_hour_is_logged_out_and_told_why(world):
    officer = _signed_in(world.officers.se)
    _age(officer, began=2 * HOUR, idle=29 * MINUTE)
    assert _is_in(officer, "/work/")
    _age(officer, began=2 * HOUR, idle=31 * MINUTE)
    response = officer.get("/work/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:staff_login"))
    assert "_auth_user_id" not in officer.session
    assert "after 30 minutes without activity" in _notice(officer)
    # An expiry is not the logout button: the browser keeps its queued offline complaints.
    assert "Clear-Site-Data" not in response


def test_using_the_portal_keeps_an_officer_in(world):
    officer = _signed_in(world.officers.se)
    _age(officer, began=3 * HOUR, idle=25 * MINUTE)
    assert _is_in(officer, "/work/")  # written back: the last use is now
    session = officer.session
    assert time.time() - session[LIMITS_KEY]["seen"] < MINUTE
    assert time.time() - session[LIMITS_KEY]["began"] > 3 * HOUR - MINUTE


def test_twelve_hours_after_login_an_officer_logs_in_again_however_busy(world):
    officer = _signed_in(world.officers.se)
    _age(officer, began=12 * HOUR + MINUTE, idle=0)
    response = officer.get("/work/")
    assert response["Location"].startswith(reverse("accounts:staff_login"))
    assert "more than 12 hours ago" in _notice(officer)


def test_a_citizen_has_two_hours_of_quiet_before_the_session_ends(world):
    citizen = _signed_in(world.citizen)
    _age(citizen, began=HOUR, idle=90 * MINUTE)
    assert _is_in(citizen, reverse("complaints:mine"))
    _age(citizen, began=3 * HOUR, idle=2 * HOUR + MINUTE)
    response = citizen.get(reverse("complaints:mine"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_limits_are_settings(world, settings):
    settings.SESSION_IDLE_SECONDS_CITIZEN = 10 * MINUTE
    citizen = _signed_in(world.citizen)
    _age(citizen, began=HOUR, idle=11 * MINUTE)
    assert not _is_in(citizen, reverse("complaints:mine"))


def test_logging_out_ends_the_session_on_the_server(world):
    citizen = _signed_in(world.citizen)
    stolen = citizen.cookies["sessionid"].value
    citizen.post(reverse("accounts:logout"))
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get(reverse("complaints:mine")).status_code == 302


def test_blocking_ends_every_session_and_token_and_unblocking_revives_none(world):
    admin = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    phone, laptop = _signed_in(world.citizen), _signed_in(world.citizen)
    _, raw_token = token_issue(user=world.citizen, second_factor=False)
    account_block(user=world.citizen, by=admin, reason="Abusive complaints, repeatedly")
    account_unblock(user=world.citizen, by=admin, reason="Apologised in writing")
    for client in (phone, laptop):
        assert not _is_in(client, reverse("complaints:mine"))
    assert token_find(raw_token) is None
    assert _is_in(_signed_in(world.citizen), reverse("complaints:mine"))  # a new login works


@pytest.mark.django_db(transaction=True)  # the codes go out when the request commits
def test_a_new_number_ends_the_other_sessions_but_not_the_one_that_changed_it(
    world, sms_outbox, settings
):
    from citizen_portal.accounts.tests.test_personal_data import _register

    settings.OTP_RESEND_INTERVAL_SECONDS = 0
    user = _register(world)
    other_device = _signed_in(user)
    _, raw_token = token_issue(user=user, second_factor=False)
    this_device = _signed_in(user)
    this_device.cookies["portal_language"] = "en"
    key_before = this_device.session.session_key
    this_device.post(
        reverse("accounts:me_phone"), {"phone": "+44 7911 123456", "password": "kinnow-orchard-42"}
    )
    codes = {
        "old_code": sms_outbox.last_code(user.phone),
        "new_code": sms_outbox.last_code("+447911123456"),
    }
    response = this_device.post(reverse("accounts:me_phone_verify"), codes)
    assert response["Location"] == reverse("accounts:me")
    assert _is_in(this_device, reverse("accounts:me"))
    assert this_device.session.session_key != key_before
    assert not _is_in(other_device, reverse("accounts:me"))
    assert token_find(raw_token) is None


def test_a_new_password_ends_every_other_session(world):
    thief = _signed_in(world.citizen)
    world.citizen.set_password("a-brand-new-passphrase-7")
    world.citizen.save(update_fields=["password"])
    assert not _is_in(thief, reverse("complaints:mine"))


def test_a_change_of_privileges_ends_the_sessions_that_carried_the_old_ones(world):
    officer = world.officers.se
    session = _signed_in(officer)
    officer.last_login = None
    officer.save(update_fields=["last_login"])  # not a privilege: nothing ends
    assert _is_in(session, "/work/")
    officer.role = Role.ANALYST
    officer.save()
    assert not _is_in(session, "/work/")


def test_joining_or_leaving_a_group_ends_the_sessions(world):
    officer = world.officers.se
    group = Group.objects.create(name="Directory editors")
    session = _signed_in(officer)
    group.user_set.add(officer)  # from the group's side of the relation
    assert not _is_in(session, "/work/")
    session = _signed_in(officer)
    officer.groups.clear()
    assert not _is_in(session, "/work/")


def test_resetting_the_authenticator_app_ends_the_officers_sessions_and_tokens(world):
    admin = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    officer = world.officers.se
    enable_totp(officer)
    session = _signed_in(officer)
    _, raw_token = token_issue(user=officer, second_factor=True)
    _signed_in(admin).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_authenticator", "_selected_action": [officer.pk]},
    )
    assert not _is_in(session, "/work/")
    assert token_find(raw_token) is None


def test_each_step_of_a_staff_login_gets_a_new_session_id(world):
    app = enable_totp(world.officers.se)
    client = Client()
    client.get(reverse("accounts:staff_login"))
    client.session.save()
    planted = client.session.session_key
    client.post(
        reverse("accounts:staff_login"), {"username": "lesco.se", "password": STAFF_PASSWORD}
    )
    after_password = client.session.session_key
    assert after_password != planted
    client.post(reverse("accounts:staff_code"), {"code": app.now()})
    assert client.session["_auth_user_id"] == str(world.officers.se.pk)
    assert client.session.session_key not in {planted, after_password}


@pytest.mark.django_db(transaction=True)  # the codes go out when the request commits
def test_a_proved_code_gets_a_new_session_id_before_it_opens_anything(world, sms_outbox):
    client = Client()
    client.post(reverse("accounts:reset"), {"phone": world.citizen.phone})
    planted = client.session.session_key
    code = sms_outbox.last_code(world.citizen.phone)
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response["Location"] == reverse("accounts:reset_password")
    assert client.session.session_key != planted


def test_the_cookies_are_out_of_reach_of_scripts(world, client):
    page = client.get(reverse("accounts:login"))
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"
    enable_totp(world.officers.se)
    response = client.post(
        reverse("accounts:staff_login"), {"username": "lesco.se", "password": STAFF_PASSWORD}
    )
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
