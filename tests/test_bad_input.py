"""Whatever is typed or posted, no form answers with a server error: garbage of every kind, as
every kind of user, and with stale or forged values in the session."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)

GARBAGE: list[dict[str, str]] = [
    {},
    {"phone": "\x00" * 5, "code": "١٢٣٤٥٦"},
    {"phone": "9" * 5000, "password": "x" * 5000, "remark": "x" * 100_000},
    {"email": "a@" * 300, "category": "-1", "area": "1e9", "subject": "\u202e" * 10},
    {
        "full_name": "<script>alert(1)</script>",
        "date_of_birth": "31/02/2020",
        "document_type": "passport",
        "document_number": "💥💥💥💥💥",
        "nationality": "ZZ",
        "country_of_residence": "XX",
        "home_district": "abc",
        "password1": "a",
        "password2": "b",
        "gender": "robot",
        "preferred_language": "fr",
        "old_code": "abcdef",
        "new_code": "",
    },
]
FORMS = [
    "accounts:login", "accounts:register", "accounts:register_email", "accounts:verify",
    "accounts:register_details", "accounts:reset", "accounts:reset_password",
    "accounts:staff_login", "accounts:staff_code", "accounts:staff_setup", "accounts:me",
    "accounts:me_phone", "accounts:me_phone_verify", "complaints:lodge", "directory:route_check",
]  # fmt: skip
FORGED_SESSION = {
    "otp": {"id": 999999, "nonce": "x", "phone": "+923001234567", "purpose": "register"},
    "verified_phone": {"phone": "+923001234567", "at": 0, "purpose": "register"},
    "phone_change": {"phone": "+923001234567", "old": [1, "x"], "new": [2, "y"]},
    "staff_pending": {"user": 999999, "at": 0, "next": "", "tries": 0},
}


@pytest.mark.parametrize("name", FORMS)
def test_no_form_answers_with_a_server_error(client, world, sms_outbox, name):
    url = reverse(name)
    for user in (None, world.citizen, world.officers.se):
        if user is not None:
            client.force_login(user)
        for data in GARBAGE:
            assert client.post(url, data).status_code < 500, data
            assert client.get(url, data).status_code < 500, data
    session = client.session
    session.update(FORGED_SESSION)
    session.save()
    for data in GARBAGE:
        assert client.post(url, data).status_code < 500, data
