"""Staff need their password and a code from their authenticator app, every time."""

import re

import pyotp
import pytest
from django.urls import reverse

from citizen_portal.accounts.models import RecoveryCode
from citizen_portal.accounts.tests.two_factor import enable_totp
from citizen_portal.directory.tests.factories import STAFF_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _password(client, username="lesco.se", password=STAFF_PASSWORD, next_url=""):
    url = reverse("accounts:staff_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def test_a_first_login_sets_up_the_app_and_shows_recovery_codes_once(client, world):
    response = _password(client)
    assert response["Location"] == reverse("accounts:staff_setup")
    assert "_auth_user_id" not in client.session  # the password alone opens nothing
    page = client.get(reverse("accounts:staff_setup")).content.decode()
    assert "data:image/svg+xml" in page
    found = re.search(r'<code dir="ltr">([A-Z2-7]+)</code>', page)
    assert found is not None
    secret = found.group(1)
    response = client.post(reverse("accounts:staff_setup"), {"code": pyotp.TOTP(secret).now()})
    page = response.content.decode()
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", page)
    assert len(codes) == 10
    assert client.session["_auth_user_id"] == str(world.officers.se.pk)
    assert RecoveryCode.objects.filter(user=world.officers.se).count() == 10
    assert codes[0] not in str(list(RecoveryCode.objects.values_list("code_hash", flat=True)))


def test_later_logins_need_a_fresh_code(client, world):
    app = enable_totp(world.officers.se)
    response = _password(client, next_url="/work/")
    assert response["Location"] == reverse("accounts:staff_code")
    wrong = client.post(reverse("accounts:staff_code"), {"code": "000000"})
    assert "not right" in wrong.content.decode()
    code = app.now()  # read once: the clock may cross into the next 30-second step meanwhile
    response = client.post(reverse("accounts:staff_code"), {"code": code})
    assert response["Location"] == "/work/"
    client.logout()
    _password(client)
    reused = client.post(reverse("accounts:staff_code"), {"code": code})
    assert "already used" in reused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(client, world):
    from citizen_portal.accounts.services.two_factor import totp_begin, totp_confirm

    secret, _uri = totp_begin(user=world.officers.se)
    codes = totp_confirm(user=world.officers.se, code=pyotp.TOTP(secret).now())
    assert codes is not None
    _password(client)
    response = client.post(reverse("accounts:staff_code"), {"code": codes[3].upper()})
    assert response.status_code == 302
    client.logout()
    _password(client)
    response = client.post(reverse("accounts:staff_code"), {"code": codes[3]})
    assert response.status_code == 200


def test_wrong_codes_lock_the_account_with_the_password_failures(client, world):
    app = enable_totp(world.officers.se)
    _password(client)
    for _ in range(5):
        response = client.post(reverse("accounts:staff_code"), {"code": "123456"})
    assert response.status_code in (302, 429)  # sent back to the login, or locked out at once
    response = _password(client)  # right password, after five wrong codes
    assert response.status_code == 429
    assert client.post(reverse("accounts:staff_code"), {"code": app.now()}).status_code in (
        302,
        429,
    )
    assert "_auth_user_id" not in client.session


def test_the_code_page_cannot_be_reached_without_the_password(client, world):
    enable_totp(world.officers.se)
    response = client.post(reverse("accounts:staff_code"), {"code": "123456"})
    assert response["Location"] == reverse("accounts:staff_login")


def test_the_admin_login_goes_through_the_staff_login(client, world):
    response = client.get("/admin/login/?next=/admin/directory/")
    assert response["Location"] == reverse("accounts:staff_login") + "?next=/admin/directory/"
    evil = client.get("/admin/login/?next=https://evil.example/")
    assert evil["Location"].endswith("?next=/admin/")
