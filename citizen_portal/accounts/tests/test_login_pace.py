"""Near the lock-out, wrong passwords slow the next try down (2, 4, 8 seconds after the last
failure), on the citizens' and the staff's login pages and in the API: a try that comes too soon
is refused with the wait, unchecked and uncounted; a right password after the wait gets in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from citizen_portal.accounts.tests.two_factor import enable_totp
from citizen_portal.directory.tests.factories import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

PASSWORD = "kinnow-orchard-42"
LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def _paced(settings):
    settings.LOGIN_PACE_MAX_WAIT_SECONDS = 30


def _wait_over() -> None:
    """As if the pause after the last failure had passed: the failure a minute back (less than
    the lock-out's hour, after which axes forgets the failures)."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=1))


def _citizen_try(client: Client, password: str) -> str:
    return client.post(LOGIN, {"phone": "0300 1112233", "password": password}).content.decode()


def test_a_second_wrong_password_makes_the_next_try_wait(world):
    world.citizen.set_password(PASSWORD)
    world.citizen.save()
    client = Client()
    client.cookies["portal_language"] = "en"
    for _ in range(2):
        assert "The number or the password is not right." in _citizen_try(client, "wrong-one")
    # Too soon: even the right password is not checked, and nothing is counted.
    page = _citizen_try(client, PASSWORD)
    assert "Please wait 2 seconds before trying again." in page
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().failures_since_start == 2
    _wait_over()
    response = client.post(LOGIN, {"phone": "0300 1112233", "password": PASSWORD})
    assert response.status_code == 302  # on to the code for this new device


def test_each_failure_doubles_the_wait(world):
    client = Client()
    client.cookies["portal_language"] = "en"
    for failures, wait in ((2, 2), (3, 4), (4, 8)):
        while not AccessAttempt.objects.filter(failures_since_start__gte=failures).exists():
            _wait_over()
            _citizen_try(client, "wrong-one")
        page = _citizen_try(client, "another-wrong-one")
        assert f"Please wait {wait} seconds before trying again." in page


def test_the_wait_is_said_in_urdu(world):
    client = Client()
    client.cookies["portal_language"] = "ur"
    for _ in range(2):
        _citizen_try(client, "wrong-one")
    assert "دوبارہ کوشش کرنے سے پہلے" in _citizen_try(client, PASSWORD)


def test_the_staff_login_is_paced_too(world):
    enable_totp(world.officers.se)
    client = Client()
    client.cookies["portal_language"] = "en"
    staff_login = reverse("accounts:staff_login")
    for _ in range(2):
        client.post(staff_login, {"username": "lesco.se", "password": "wrong-one"})
    page = client.post(staff_login, {"username": "lesco.se", "password": STAFF_PASSWORD})
    assert "Please wait 2 seconds before trying again." in page.content.decode()
    assert "staff_pending" not in client.session


def test_the_api_answers_429_with_retry_after(world):
    enable_totp(world.officers.se)
    api = APIClient()
    body = {"username": "lesco.se", "password": "wrong-one", "code": "123456"}
    for _ in range(2):
        assert api.post("/api/v1/auth/staff/", body, format="json").status_code == 400
    refused = api.post("/api/v1/auth/staff/", body, format="json")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "2"
    assert refused.json()["error"]["code"] == "too_soon"
