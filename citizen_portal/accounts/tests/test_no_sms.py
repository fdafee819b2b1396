"""A citizen whom SMS cannot reach (the Pakistan Citizen Portal's overseas users' complaint):
they prove an e-mail address instead, and an authenticator app becomes their second factor.
E-mail alone never logs anyone in."""

import re
import time

import pyotp
import pytest
from django.urls import reverse

from citizen_portal.accounts.models import User
from citizen_portal.accounts.tests.test_login_pages import PASSWORD, _details

pytestmark = pytest.mark.django_db(transaction=True)


def _email_code(smtp_server) -> str:
    body = smtp_server[-1].content.decode()
    found = re.search(r"code is (\d{6})", body)
    assert found is not None, body
    return found.group(1)


def _register_by_email(client, settings, sms_gateway, smtp_server, world):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = sms_gateway.url + "/send"
    sms_gateway.script = [(400, 0, {"error": "unreachable subscriber"})]
    client.post(reverse("accounts:register"), {"phone": "+44 7911 123456"})
    page = client.get(reverse("accounts:verify")).content.decode()
    assert "We could not deliver the SMS" in page
    assert reverse("accounts:register_email") in page

    response = client.post(reverse("accounts:register_email"), {"email": "Bilal@Example.co.uk"})
    assert response["Location"] == reverse("accounts:verify")
    assert smtp_server[-1].rcpt_tos == ["bilal@example.co.uk"]
    response = client.post(reverse("accounts:verify"), {"code": _email_code(smtp_server)})
    assert response["Location"] == reverse("accounts:register_details")

    details = _details(
        world, document_type="nicop", document_number="61101-7654321-3",
        country_of_residence="GB", home_district="", email="someone-else@example.com",
    )  # fmt: skip
    response = client.post(reverse("accounts:register_details"), details)
    assert response["Location"] == reverse("accounts:staff_setup")
    assert "_auth_user_id" not in client.session  # an e-mail address alone opens nothing

    page = client.get(reverse("accounts:staff_setup")).content.decode()
    secret = re.search(r'<code dir="ltr">([A-Z2-7]+)</code>', page)
    assert secret is not None
    app = pyotp.TOTP(secret.group(1))
    response = client.post(reverse("accounts:staff_setup"), {"code": app.now()})
    assert "Your recovery codes" in response.content.decode()
    user = User.objects.get(phone="+447911123456")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not user.phone_verified
    assert user.email_verified_at is not None
    assert user.email == "bilal@example.co.uk"  # the proved address, not what was typed later
    return app


def test_an_overseas_citizen_registers_by_email_and_an_authenticator_app(
    client, settings, sms_gateway, smtp_server, world
):
    _register_by_email(client, settings, sms_gateway, smtp_server, world)


def test_such_a_citizen_logs_in_on_a_new_device_with_the_app_not_sms(
    client, settings, sms_gateway, smtp_server, world
):
    app = _register_by_email(client, settings, sms_gateway, smtp_server, world)
    client.logout()  # and the device cookie with it: a new device
    sent = len(sms_gateway.received)
    response = client.post(
        reverse("accounts:login"), {"phone": "+447911123456", "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:staff_code")
    assert len(sms_gateway.received) == sent
    # The code of the setup step was spent; the next step's code is within the allowed drift.
    response = client.post(reverse("accounts:staff_code"), {"code": app.at(time.time() + 30)})
    assert response["Location"] == reverse("complaints:mine")
    assert "portal_device" in response.cookies


def test_the_email_route_is_only_for_registering(client, world):
    response = client.post(reverse("accounts:register_email"), {"email": "x@example.com"})
    assert response["Location"] == reverse("accounts:register")


def test_whoever_receives_the_sms_takes_a_number_that_was_only_claimed(
    client, settings, sms_gateway, smtp_server, world, sms_outbox
):
    from citizen_portal.accounts.models import AccountEvent
    from citizen_portal.accounts.tests.test_login_pages import _register

    _register_by_email(client, settings, sms_gateway, smtp_server, world)
    squatter = User.objects.get(phone="+447911123456")
    client.logout()
    settings.SMS_BACKEND = "outbox"  # the real owner's phone does receive SMS
    settings.OTP_RESEND_INTERVAL_SECONDS = 0
    response = _register(
        client, sms_outbox, world, "+44 7911 123456", "+447911123456",
        document_type="nicop", document_number="61101-1111111-1",
        country_of_residence="GB", home_district="",
    )  # fmt: skip
    assert response.status_code == 302
    owner = User.objects.get(phone="+447911123456")
    assert owner.pk != squatter.pk
    assert owner.phone_verified
    squatter.refresh_from_db()
    assert (squatter.phone, squatter.is_active) == (None, False)
    assert AccountEvent.objects.filter(user=squatter, action="phone_released").exists()


def test_an_address_another_account_proved_cannot_register_a_second_account(
    client, settings, sms_gateway, smtp_server, world
):
    from django.utils import timezone

    world.other_citizen.email = "bilal@example.co.uk"
    world.other_citizen.email_verified_at = timezone.now()
    world.other_citizen.save()
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = sms_gateway.url + "/send"
    sms_gateway.script = [(400, 0, {"error": "unreachable subscriber"})]
    client.post(reverse("accounts:register"), {"phone": "+44 7911 123456"})
    client.post(reverse("accounts:register_email"), {"email": "bilal@example.co.uk"})
    client.post(reverse("accounts:verify"), {"code": _email_code(smtp_server)})
    details = _details(
        world, document_type="nicop", document_number="61101-7654321-3",
        country_of_residence="GB", home_district="", email="",
    )  # fmt: skip
    response = client.post(reverse("accounts:register_details"), details)
    assert response.status_code == 200
    assert "Another account already uses this e-mail address" in response.content.decode()
    assert not User.objects.filter(phone="+447911123456").exists()
