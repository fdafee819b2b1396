import pytest
from django.urls import reverse

from citizen_portal.accounts.models import Role, User

pytestmark = pytest.mark.django_db(transaction=True)


def _ask_code(client, phone="0300 1234567"):
    return client.post(reverse("accounts:login"), {"phone": phone})


def test_new_number_registers_after_proving_the_code(client, sms_outbox):
    response = _ask_code(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    code = sms_outbox.last_code("+923001234567")
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response["Location"] == reverse("accounts:register")
    response = client.post(
        reverse("accounts:register"),
        {"full_name": "  Ayesha   Khan ", "email": "", "preferred_language": "ur"},
    )
    assert response.status_code == 302
    user = User.objects.get(phone="+923001234567")
    assert (user.full_name, user.role, user.preferred_language) == ("Ayesha Khan", "citizen", "ur")
    assert not user.has_usable_password()
    assert client.get(reverse("complaints:mine")).status_code == 200


def test_known_number_logs_straight_in(client, sms_outbox, world):
    _ask_code(client, "0300-1112233")
    code = sms_outbox.last_code("+923001112233")
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response["Location"] == reverse("complaints:mine")
    assert User.objects.filter(phone="+923001112233").count() == 1


def test_registration_cannot_be_reached_without_a_proved_number(client):
    response = client.post(
        reverse("accounts:register"), {"full_name": "Mallory", "preferred_language": "en"}
    )
    assert response["Location"] == reverse("accounts:login")
    assert not User.objects.filter(full_name="Mallory").exists()


@pytest.mark.parametrize(
    ("phone", "message"),
    [("", "This field is required"), ("12ab", "valid mobile number"), ("042 35761234", "mobile")],
)
def test_bad_numbers_are_refused_with_a_clear_message(client, sms_outbox, phone, message):
    response = _ask_code(client, phone)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert sms_outbox.messages() == []


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "This field is required"), ("12", "at least 6"), ("abcdef", "6 digits")],
)
def test_malformed_codes_are_refused_without_using_a_try(client, sms_outbox, code, message):
    _ask_code(client)
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_wrong_code_says_how_many_tries_are_left(client, sms_outbox):
    _ask_code(client)
    right = sms_outbox.last_code("+923001234567")
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = client.post(reverse("accounts:verify"), {"code": wrong})
    assert "4 tries left" in response.content.decode()


def test_registration_errors_keep_what_was_typed(client, sms_outbox):
    _ask_code(client)
    client.post(reverse("accounts:verify"), {"code": sms_outbox.last_code("+923001234567")})
    response = client.post(
        reverse("accounts:register"),
        {"full_name": "A" * 151, "email": "not-an-email", "preferred_language": "en"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "at most 150 characters" in page
    assert "valid email" in page
    assert "not-an-email" in page


def test_errors_are_shown_in_urdu_when_urdu_is_chosen(client, sms_outbox):
    client.cookies["portal_language"] = "ur"
    response = _ask_code(client, "12ab")
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "Enter a valid mobile number" not in page


def test_staff_log_in_with_username_and_password(client, world):
    response = client.post(
        reverse("accounts:staff_login"),
        {"username": "lesco.se", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/work/"


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
    assert response.status_code == 302


def test_staff_usernames_cannot_look_like_phone_numbers(world):
    from django.core.exceptions import ValidationError

    officer = world.officers.se
    officer.username = "+923001112233"
    with pytest.raises(ValidationError, match="may not start"):
        officer.full_clean()


def test_a_code_the_gateway_could_not_deliver_is_said_so_on_the_waiting_page(
    client, settings, sms_gateway
):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = sms_gateway.url + "/send"
    sms_gateway.script = [(400, 0, {"error": "unknown subscriber"})]
    _ask_code(client, "+44 7911 123456")
    page = client.get(reverse("accounts:verify")).content.decode()
    assert "We could not deliver the SMS" in page
