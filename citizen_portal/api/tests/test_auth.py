"""Signing in through the API as the mobile app does: a code by SMS, then the password (or the
registration details); staff with password and authenticator app. Tokens, their end, and the
answers a stranger gets, which never tell whether a number is registered."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from citizen_portal.accounts.models import OneTimeCode, Role, User
from citizen_portal.accounts.services.lifecycle import (
    account_block,
    account_change_phone,
    account_deactivate,
)
from citizen_portal.accounts.tests.two_factor import enable_totp
from citizen_portal.api.models import ApiToken
from citizen_portal.api.services.tokens import token_issue, token_revoke
from citizen_portal.directory.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "kinnow-orchard-42"
STAFF_PASSWORD = "correct-horse-battery"  # the factories' staff password
NEW = "+923001234567"  # a number with no account
KNOWN = "+923001112233"  # world.citizen's


@pytest.fixture
def api():
    return APIClient()


def _ask(api, phone, purpose="register", **headers):
    return api.post("/api/v1/auth/code/", {"phone": phone, "purpose": purpose}, **headers)


def _challenge(api, sms_outbox, e164, purpose="register"):
    response = _ask(api, e164, purpose)
    assert response.status_code == 202, response.json()
    return response.json()["challenge"], sms_outbox.last_code(e164)


def _wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def _details(world, **overrides):
    data = {
        "full_name": "  Ayesha   Khan ",
        "gender": "female",
        "date_of_birth": "1990-05-14",
        "document_type": "cnic",
        "document_number": "35202 1234567 1",
        "country_of_residence": "PK",
        "home_district": world.lahore.code,
        "preferred_language": "ur",
        "password": PASSWORD,
    }
    return {**data, **overrides}


def _verify(api, challenge, code, **fields):
    return api.post("/api/v1/auth/verify/", {"challenge": challenge, "code": code, **fields})


def _with_password(user, password=PASSWORD):
    user.set_password(password)
    user.save()
    return user


def _signed_in(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _citizen_token(world):
    _token, raw = token_issue(user=world.citizen, label="phone", second_factor=True)
    return raw


# --- Registering and logging in --------------------------------------------------------------


def test_a_citizen_registers_with_a_code_and_the_token_opens_their_account(api, sms_outbox, world):
    challenge, code = _challenge(api, sms_outbox, NEW)
    response = _verify(api, challenge, code, device="Pixel 8", **_details(world))
    assert response.status_code == 201, response.json()
    body = response.json()
    user = User.objects.get(phone=NEW)
    assert user.full_name == "Ayesha Khan"
    assert user.profile.home_district == world.lahore
    assert body["user"] == {
        "id": user.pk,
        "role": "citizen",
        "full_name": "Ayesha Khan",
        "masked_phone": "+923••••••567",
        "preferred_language": "ur",
    }
    me = _signed_in(body["token"]).get("/api/v1/auth/me/")
    assert me.status_code == 200
    assert me.json() == body["user"]
    assert ApiToken.objects.get(user=user).label == "Pixel 8"


def test_refused_registration_details_keep_the_code_for_a_second_try(api, sms_outbox, world):
    challenge, code = _challenge(api, sms_outbox, NEW)
    response = _verify(
        api, challenge, code, **_details(world, home_district="", password="password")
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["home_district"] == ["Choose your home district."]
    assert "too common" in fields["password"][0]
    assert not User.objects.filter(phone=NEW).exists()
    assert _verify(api, challenge, code, **_details(world)).status_code == 201
    # Spent with the success: the same code cannot open a second session.
    assert _verify(api, challenge, code, **_details(world)).json()["error"]["code"] == "expired"


def test_registering_a_taken_number_tells_the_person_who_proved_it(api, sms_outbox, world):
    challenge, code = _challenge(api, sms_outbox, KNOWN)
    response = _verify(api, challenge, code, **_details(world))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "exists"
    assert User.objects.filter(phone=KNOWN).count() == 1


def test_login_needs_both_the_code_and_the_password(api, sms_outbox, world):
    _with_password(world.citizen)
    challenge, code = _challenge(api, sms_outbox, KNOWN, "login")

    wrong_password = _verify(api, challenge, code, password="not-my-password")
    assert wrong_password.status_code == 400
    assert wrong_password.json()["error"] == {
        "code": "wrong_credentials",
        "message": "The number or the password is not right.",
        "fields": {},
    }
    wrong_code = _verify(api, challenge, _wrong(code), password=PASSWORD)
    assert wrong_code.status_code == 400
    assert wrong_code.json()["error"]["code"] == "wrong_code"

    response = _verify(api, challenge, code, password=PASSWORD)
    assert response.status_code == 200
    assert response.json()["user"]["id"] == world.citizen.pk
    token = ApiToken.objects.get(user=world.citizen)
    assert token.second_factor
    assert token.expires_at > timezone.now() + timedelta(days=89)


def test_an_unknown_number_gets_the_same_answers_as_a_registered_one(api, sms_outbox, world):
    _with_password(world.citizen)
    answers: list[tuple[object, ...]] = []
    for phone in (KNOWN, NEW):
        response = _ask(api, phone, "login")
        body = response.json()
        answers.append((response.status_code, sorted(body), body["expires_in"] // 10))
        refused = _verify(api, body["challenge"], sms_outbox.last_code(phone), password="guess")
        answers.append((refused.status_code, refused.json()))
    assert answers[0:2] == answers[2:4]
    assert answers[0][0] == 202


def test_a_wrong_code_counts_tries_and_the_fifth_locks_the_code(api, sms_outbox, world):
    challenge, code = _challenge(api, sms_outbox, NEW)
    messages = [
        _verify(api, challenge, _wrong(code), **_details(world)).json()["error"]["message"]
        for _ in range(5)
    ]
    assert messages[0] == "That code is not right. You have 4 tries left."
    assert messages[3] == "That code is not right. You have 1 try left."
    assert messages[4] == "Too many wrong codes. Please ask for a new one."
    locked = _verify(api, challenge, code, **_details(world))
    assert (locked.status_code, locked.json()["error"]["code"]) == (400, "locked")
    assert not User.objects.filter(phone=NEW).exists()


def test_a_malformed_code_costs_no_try(api, sms_outbox):
    challenge, _code = _challenge(api, sms_outbox, NEW)
    response = _verify(api, challenge, "12ab56", password=PASSWORD)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"code": ["The code has 6 digits."]}
    assert OneTimeCode.objects.get().attempts == 0


def test_citizen_passwords_lock_after_five_failures_as_on_the_web(api, client, sms_outbox, world):
    _with_password(world.citizen)
    challenge, code = _challenge(api, sms_outbox, KNOWN, "login")
    for _ in range(5):
        _verify(api, challenge, code, password="wrong-one")
    response = _verify(api, challenge, code, password=PASSWORD)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked"
    assert int(response["Retry-After"]) == 3600
    # One lockout for the number, whichever door the failures came through.
    web = client.post(reverse("accounts:login"), {"phone": "0300 1112233", "password": PASSWORD})
    assert web.status_code == 429


def test_an_account_whose_number_was_never_proved_is_sent_to_the_website(api, sms_outbox, world):
    citizen = _with_password(world.citizen)
    User.objects.filter(pk=citizen.pk).update(phone_verified=False)
    challenge, code = _challenge(api, sms_outbox, KNOWN, "login")
    response = _verify(api, challenge, code, password=PASSWORD)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_app"
    assert not ApiToken.objects.exists()


# --- Staff ----------------------------------------------------------------------------------


def _staff_login(api, username, code, password=STAFF_PASSWORD):
    return api.post(
        "/api/v1/auth/staff/", {"username": username, "password": password, "code": code}
    )


def test_staff_sign_in_with_password_and_app_code(api, world):
    app = enable_totp(world.officers.se)
    response = _staff_login(api, "lesco.se", app.now())
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["user"]["role"] == Role.OFFICER
    assert body["user"]["masked_phone"] is None
    token = ApiToken.objects.get(user=world.officers.se)
    assert token.second_factor
    assert token.expires_at < timezone.now() + timedelta(hours=13)
    assert _signed_in(body["token"]).get("/api/v1/auth/me/").json()["id"] == token.user_id


def test_staff_without_an_authenticator_app_are_sent_to_set_one_up_on_the_website(api, world):
    response = _staff_login(api, "lesco.se", "123456")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_not_set_up"
    assert "website" in response.json()["error"]["message"]


def test_a_staff_token_without_the_second_factor_never_works(world):
    _token, raw = token_issue(user=world.officers.se, second_factor=False)
    assert _signed_in(raw).get("/api/v1/auth/me/").status_code == 401


def test_wrong_app_codes_lock_the_staff_login_on_the_web_too(api, client, world):
    app = enable_totp(world.officers.se)
    for _ in range(4):
        refused = _staff_login(api, "lesco.se", _wrong(app.now()))
        assert refused.json()["error"]["message"] == "That code is not right, or was already used."
    fifth = _staff_login(api, "lesco.se", _wrong(app.now()))
    assert (fifth.status_code, fifth.json()["error"]["code"]) == (429, "locked")
    assert "Retry-After" in fifth
    assert _staff_login(api, "lesco.se", app.now()).status_code == 429
    web = client.post(
        reverse("accounts:staff_login"), {"username": "lesco.se", "password": STAFF_PASSWORD}
    )
    assert web.status_code == 429


@pytest.mark.parametrize("password", [STAFF_PASSWORD, "wrong-password-123"])
def test_citizens_and_wrong_passwords_get_the_same_staff_answer(api, world, password):
    _with_password(world.citizen, STAFF_PASSWORD)
    username = KNOWN if password == STAFF_PASSWORD else "lesco.se"
    response = _staff_login(api, username, "123456", password=password)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "The username or the password is not right."


# --- Tokens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown", "blocked"])
def test_dead_tokens_are_refused_with_401_in_the_error_shape(world, state):
    token, raw = token_issue(user=world.citizen, second_factor=True)
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    elif state == "revoked":
        token_revoke(token)
    elif state == "unknown":
        raw = raw[:-4] + "abcd"
    else:
        User.objects.filter(pk=world.citizen.pk).update(is_active=False)
    response = _signed_in(raw).get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["error"]["code"] == "authentication_failed"


def test_no_token_is_401_too(api):
    response = api.get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_logout_revokes_the_token(world):
    client = _signed_in(_citizen_token(world))
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/auth/me/").status_code == 401


def test_a_citizen_sees_their_devices_and_signs_out_the_others(world):
    here = _signed_in(_citizen_token(world))
    other = _signed_in(_citizen_token(world))
    token_issue(user=world.other_citizen, second_factor=True)
    listed = here.get("/api/v1/auth/tokens/").json()
    assert [t["current"] for t in listed] == [False, True]
    assert {t["device"] for t in listed} == {"phone"}
    assert "key_hash" not in listed[0]
    assert here.delete("/api/v1/auth/tokens/").json() == {"revoked": 1}
    assert other.get("/api/v1/auth/me/").status_code == 401
    assert [t["current"] for t in here.get("/api/v1/auth/tokens/").json()] == [True]
    assert ApiToken.objects.filter(user=world.other_citizen, revoked_at=None).count() == 1


def _block(world):
    admin = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_superuser=True)
    account_block(user=world.citizen, by=admin, reason="Abusive language in 40 complaints")


def _close(world):
    account_deactivate(user=_with_password(world.citizen), password=PASSWORD)


def _change_number(world):
    account_change_phone(user=world.citizen, new_phone="+923219876543")


def _reset_password_on_the_web(world, client, sms_outbox):
    client.post(reverse("accounts:reset"), {"phone": "0300 1112233"})
    client.post(reverse("accounts:verify"), {"code": sms_outbox.last_code(KNOWN)})
    client.post(reverse("accounts:reset_password"), {"password1": PASSWORD, "password2": PASSWORD})


@pytest.mark.parametrize("end", [_block, _close, _change_number, _reset_password_on_the_web])
def test_blocking_closing_a_new_number_or_a_new_password_end_every_api_session(
    world, client, sms_outbox, end
):
    client_a, client_b = _signed_in(_citizen_token(world)), _signed_in(_citizen_token(world))
    kept = _signed_in(token_issue(user=world.other_citizen, second_factor=True)[1])
    if end is _reset_password_on_the_web:
        end(world, client, sms_outbox)
    else:
        end(world)
    assert client_a.get("/api/v1/auth/me/").status_code == 401
    assert client_b.get("/api/v1/auth/me/").status_code == 401
    assert not ApiToken.objects.filter(user=world.citizen, revoked_at=None).exists()
    assert kept.get("/api/v1/auth/me/").status_code == 200


# --- Language and rate limits ---------------------------------------------------------------


def test_messages_follow_accept_language(api, sms_outbox):
    challenge, code = _challenge(api, sms_outbox, NEW)
    body = {"challenge": challenge, "code": _wrong(code), "password": PASSWORD}
    urdu = api.post("/api/v1/auth/verify/", body, HTTP_ACCEPT_LANGUAGE="ur").json()["error"]
    english = api.post("/api/v1/auth/verify/", body, HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert english["message"] == "That code is not right. You have 3 tries left."
    with translation.override("ur"):
        expected = translation.ngettext(
            "That code is not right. You have %(left)d try left.",
            "That code is not right. You have %(left)d tries left.",
            4,
        ) % {"left": 4}
    assert urdu["message"] == expected != "That code is not right. You have 4 tries left."
    bad_number = _ask(api, "12ab", HTTP_ACCEPT_LANGUAGE="ur").json()["error"]["fields"]
    assert "Enter a valid mobile number" not in bad_number["phone"][0]


def test_asking_again_too_soon_is_429_with_the_wait_in_retry_after(api, sms_outbox):
    assert _ask(api, NEW).status_code == 202
    response = _ask(api, NEW)
    assert response.status_code == 429
    assert 29 <= int(response["Retry-After"]) <= 30
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    wait = re.search(r"wait (\d+) seconds", error["message"])
    assert wait is not None
    assert 25 <= int(wait.group(1)) <= 30
    assert len(sms_outbox.messages()) == 1


def test_first_answer_says_how_long_the_code_lasts_and_when_to_ask_again(api, sms_outbox):
    body = _ask(api, NEW).json()
    assert (body["expires_in"] // 10, body["resend_after"]) == (59, 30)
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(seconds=31))
    assert _ask(api, NEW).json()["resend_after"] == 60


def test_one_address_may_ask_ten_codes_an_hour(api, sms_outbox):
    for n in range(10):
        assert _ask(api, f"+92300555{n:04d}").status_code == 202
    response = _ask(api, "+923005559999")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 3000
    assert response.json()["error"]["code"] == "throttled"
    assert len(sms_outbox.messages()) == 10


# --- Whatever is posted, the answer is one the schema documents ------------------------------

GARBAGE: list[object] = [
    None,
    [],
    "text",
    {},
    {"phone": "\x00" * 5, "purpose": "reset", "code": "١٢٣٤٥٦", "challenge": "1.x"},
    {"phone": "9" * 5000, "password": "x" * 5000, "username": ["lesco.se"], "code": {"a": 1}},
    {"phone": True, "purpose": None, "challenge": "99999999999999999999." + "a" * 43},
    {"challenge": "0." + "a" * 43, "code": "000000", "password": "p", "device": 5},
    {
        "challenge": "1." + "a" * 43,
        "code": "123456",
        "password": "a",
        "full_name": "<script>alert(1)</script>",
        "date_of_birth": "31/02/2020",
        "document_type": "passport",
        "document_number": "💥💥💥💥💥",
        "nationality": "ZZ",
        "country_of_residence": "XX",
        "home_district": "abc",
        "gender": "robot",
        "preferred_language": "fr",
        "email": "a@" * 300,
    },
]


@pytest.fixture(scope="module")
def documented():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return {
        (path, method.upper()): {int(code) for code in operation["responses"]}
        for path, operations in paths.items()
        if path.startswith("/api/v1/auth/")
        for method, operation in operations.items()
    }


@pytest.mark.parametrize("body", GARBAGE)
def test_garbage_gets_a_documented_status_in_the_error_shape(world, documented, body):
    signed_in = _signed_in(_citizen_token(world))
    # Logging out last, so that the other signed-in endpoints see a live token.
    for (path, method), statuses in sorted(documented.items(), key=lambda i: "logout" in i[0][0]):
        client = signed_in if path.endswith(("logout/", "me/", "tokens/")) else APIClient()
        response = client.generic(method, path, json.dumps(body), content_type="application/json")
        assert response.status_code in statuses, (path, method, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_a_number_locked_by_wrong_codes_is_429_until_the_day_is_over(api, sms_outbox):
    _ask(api, NEW)
    OneTimeCode.objects.update(attempts=10, created_at=timezone.now() - timedelta(hours=2))
    response = _ask(api, NEW)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked"
    assert 22 * 3600 - 5 <= int(response["Retry-After"]) <= 22 * 3600
