"""Registration, login and reset as a citizen meets them, for a Pakistani at home, an overseas
Pakistani with a UK number and a foreigner with a UAE number; and the staff login."""

import pytest
from django.urls import reverse

from citizen_portal.accounts import crypto
from citizen_portal.accounts.models import CitizenProfile, Role, TrustedDevice, User

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "kinnow-orchard-42"


def _code(client, sms_outbox, url, phone, e164):
    response = client.post(reverse(url), {"phone": phone})
    assert response["Location"] == reverse("accounts:verify"), response.content.decode()[:500]
    return client.post(reverse("accounts:verify"), {"code": sms_outbox.last_code(e164)})


def _details(world, **overrides):
    data = {
        "full_name": "  Ayesha   Khan ",
        "gender": "female",
        "date_of_birth": "1990-05-14",
        "document_type": "cnic",
        "document_number": "35202 1234567 1",
        "nationality": "",
        "country_of_residence": "PK",
        "home_district": str(world.lahore.pk),
        "email": "",
        "preferred_language": "ur",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **overrides}


def _register(client, sms_outbox, world, phone="0300 1234567", e164="+923001234567", **details):
    response = _code(client, sms_outbox, "accounts:register", phone, e164)
    assert response["Location"] == reverse("accounts:register_details")
    return client.post(reverse("accounts:register_details"), _details(world, **details))


def test_a_pakistani_registers_with_a_cnic_stored_encrypted(client, sms_outbox, world):
    response = _register(client, sms_outbox, world)
    assert response.status_code == 302
    user = User.objects.get(phone="+923001234567")
    assert (user.full_name, user.role, user.preferred_language) == ("Ayesha Khan", "citizen", "ur")
    profile = user.profile
    assert profile.document_masked == "35202-•••••••-1"
    assert "1234567" not in profile.document_encrypted
    assert crypto.decrypt(profile.document_encrypted) == "35202-1234567-1"
    assert profile.home_district == world.lahore
    assert client.get(reverse("complaints:mine")).status_code == 200
    assert response.cookies["portal_device"]["httponly"]


def test_an_overseas_pakistani_with_a_uk_number_registers_with_a_nicop(client, sms_outbox, world):
    response = _register(
        client, sms_outbox, world, "+44 7911 123456", "+447911123456",
        document_type="nicop", document_number="61101-7654321-3",
        country_of_residence="GB", home_district="",
    )  # fmt: skip
    assert response.status_code == 302
    profile = CitizenProfile.objects.get(user__phone="+447911123456")
    assert (profile.document_type, profile.country_of_residence_id) == ("nicop", "GB")


def test_a_foreigner_with_a_uae_number_registers_with_a_passport(client, sms_outbox, world):
    response = _register(
        client, sms_outbox, world, "+971 50 123 4567", "+971501234567",
        document_type="passport", document_number="n1234567", nationality="AE",
        country_of_residence="AE", home_district="",
    )  # fmt: skip
    assert response.status_code == 302
    profile = CitizenProfile.objects.get(user__phone="+971501234567")
    assert profile.document_masked == "N1••••67"
    assert profile.nationality_id == "AE"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"document_number": "35202-12345"}, "13-digit number"),
        ({"document_type": "passport", "document_number": "X123456789"}, "issued the passport"),
        ({"home_district": ""}, "Choose your home district"),
        ({"date_of_birth": "2999-01-01"}, "real date of birth"),
        ({"password2": "something-else"}, "not the same"),
        ({"password1": "password", "password2": "password"}, "too common"),
        ({"full_name": "A" * 151}, "at most 150 characters"),
        ({"full_name": "Ayesha 123"}, "Write your name in Urdu or English letters"),
        ({"full_name": "<b>Ayesha</b>"}, "Write your name in Urdu or English letters"),
    ],
)
def test_bad_registration_details_are_refused_and_kept(
    client, sms_outbox, world, overrides, message
):
    response = _register(client, sms_outbox, world, **overrides)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert not User.objects.filter(phone="+923001234567").exists()


def test_one_document_one_account(client, sms_outbox, world):
    _register(client, sms_outbox, world)
    client.logout()
    response = _register(client, sms_outbox, world, "0321 7654321", "+923217654321")
    assert "already uses this identity document" in response.content.decode()
    assert not User.objects.filter(phone="+923217654321").exists()


def test_registering_a_taken_number_tells_only_its_owner_to_log_in(client, sms_outbox, world):
    response = _code(client, sms_outbox, "accounts:register", "0300-1112233", "+923001112233")
    assert response["Location"] == reverse("accounts:login")
    assert User.objects.filter(phone="+923001112233").count() == 1


def test_login_on_a_known_device_needs_only_the_password(client, sms_outbox, world):
    _register(client, sms_outbox, world)
    device = client.cookies["portal_device"].value
    client.logout()  # the test client forgets every cookie here; the phone would keep it
    client.cookies["portal_device"] = device
    sent = len(sms_outbox.messages())
    response = client.post(
        reverse("accounts:login"), {"phone": "03001234567", "password": PASSWORD}
    )
    assert response["Location"] == reverse("complaints:mine")
    assert len(sms_outbox.messages()) == sent


def test_login_on_a_new_device_also_needs_a_code(client, sms_outbox, world):
    citizen = world.citizen
    citizen.set_password(PASSWORD)
    citizen.save()
    response = client.post(
        reverse("accounts:login"), {"phone": "0300 1112233", "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:verify")
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("accounts:verify"), {"code": sms_outbox.last_code(citizen.phone)}
    )
    assert response["Location"] == reverse("complaints:mine")
    assert TrustedDevice.objects.filter(user=citizen).count() == 1


@pytest.mark.parametrize("phone", ["0300 1112233", "0300 9998887"])
def test_wrong_password_and_unknown_number_get_the_same_answer(client, sms_outbox, world, phone):
    world.citizen.set_password(PASSWORD)
    world.citizen.save()
    response = client.post(reverse("accounts:login"), {"phone": phone, "password": "not-it-at-all"})
    assert "The number or the password is not right." in response.content.decode()
    assert sms_outbox.messages() == []


def test_a_forgotten_password_is_reset_with_a_code_and_other_devices_forgotten(
    client, sms_outbox, world
):
    citizen = world.citizen
    TrustedDevice.objects.create(user=citizen, token_hash="x" * 64, expires_at="2999-01-01T00:00Z")
    response = _code(client, sms_outbox, "accounts:reset", "0300 1112233", citizen.phone)
    assert response["Location"] == reverse("accounts:reset_password")
    response = client.post(
        reverse("accounts:reset_password"), {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert response["Location"] == reverse("complaints:mine")
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)
    assert not TrustedDevice.objects.filter(token_hash="x" * 64).exists()


def test_citizen_login_locks_after_five_wrong_passwords(client, world):
    world.citizen.set_password(PASSWORD)
    world.citizen.save()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"phone": "0300 1112233", "password": "wrong-one"})
    response = client.post(
        reverse("accounts:login"), {"phone": "0300 1112233", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_registration_cannot_be_reached_without_a_proved_number(client, world):
    response = client.post(reverse("accounts:register_details"), _details(world))
    assert response["Location"] == reverse("accounts:register")
    assert not User.objects.filter(phone="+923001234567").exists()


@pytest.mark.parametrize(
    ("phone", "message"),
    [("", "This field is required"), ("12ab", "valid mobile number"), ("042 35761234", "mobile")],
)
def test_bad_numbers_are_refused_with_a_clear_message(client, sms_outbox, phone, message):
    response = client.post(reverse("accounts:register"), {"phone": phone})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert sms_outbox.messages() == []


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "This field is required"), ("12", "at least 6"), ("abcdef", "6 digits")],
)
def test_malformed_codes_are_refused_without_using_a_try(client, sms_outbox, code, message):
    client.post(reverse("accounts:register"), {"phone": "0300 1234567"})
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_wrong_code_says_how_many_tries_are_left(client, sms_outbox):
    client.post(reverse("accounts:register"), {"phone": "0300 1234567"})
    right = sms_outbox.last_code("+923001234567")
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = client.post(reverse("accounts:verify"), {"code": wrong})
    assert "4 tries left" in response.content.decode()


def test_errors_are_shown_in_urdu_when_urdu_is_chosen(client, sms_outbox):
    client.cookies["portal_language"] = "ur"
    response = client.post(reverse("accounts:register"), {"phone": "12ab"})
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "Enter a valid mobile number" not in page


def test_a_code_the_gateway_could_not_deliver_is_said_so_on_the_waiting_page(
    client, settings, sms_gateway
):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = sms_gateway.url + "/send"
    sms_gateway.script = [(400, 0, {"error": "unknown subscriber"})]
    client.post(reverse("accounts:register"), {"phone": "+44 7911 123456"})
    page = client.get(reverse("accounts:verify")).content.decode()
    assert "We could not deliver the SMS" in page


def test_staff_passwords_lead_to_the_second_step(client, world):
    response = client.post(
        reverse("accounts:staff_login"),
        {"username": "lesco.se", "password": "correct-horse-battery"},
    )
    assert response["Location"] == reverse("accounts:staff_setup")


def test_citizens_cannot_use_the_staff_login(client, world):
    citizen = world.citizen
    citizen.set_password("a-password-they-should-not-have")
    citizen.save()
    response = client.post(
        reverse("accounts:staff_login"),
        {"username": citizen.username, "password": "a-password-they-should-not-have"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_login_locks_after_five_wrong_passwords(client, world):
    url = reverse("accounts:staff_login")
    for _ in range(5):
        client.post(url, {"username": "lesco.se", "password": "wrong-password-123"})
    response = client.post(url, {"username": "lesco.se", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    assert User.objects.get(username="lesco.se").role == Role.OFFICER


def test_createsuperuser_makes_an_administrator_who_can_use_the_staff_login(client, db):
    User.objects.create_superuser("chief", "chief@example.pk", "a-long-admin-password")
    response = client.post(
        reverse("accounts:staff_login"),
        {"username": "chief", "password": "a-long-admin-password"},
    )
    assert response["Location"] == reverse("accounts:staff_setup")


def test_staff_usernames_cannot_look_like_phone_numbers(world):
    from django.core.exceptions import ValidationError

    officer = world.officers.se
    officer.username = "+923001112233"
    with pytest.raises(ValidationError, match="may not start"):
        officer.full_clean()
