"""A citizen adds, changes or removes the e-mail address of their account on "my account": the
password again, then a code sent to the new address; the address given up is told."""

from __future__ import annotations

import email
import re
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from citizen_portal.accounts.models import AccountEvent, OneTimeCode, User, mask_phone
from citizen_portal.accounts.services.otp import otp_send_email
from citizen_portal.complaints.tests.factories import lodge

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "kinnow-orchard-42"
ME_EMAIL = reverse("accounts:me_email")
VERIFY = reverse("accounts:me_email_verify")
REMOVE = reverse("accounts:me_email_remove")


def _mail_to(smtp_server, address):
    """Each e-mail delivered to `address`, parsed: its subject and decoded body."""
    return [
        email.message_from_bytes(envelope.content, policy=default_policy)
        for envelope in smtp_server
        if envelope.rcpt_tos == [address]
    ]


def _code_sent_to(smtp_server, address):
    *_, last = _mail_to(smtp_server, address)
    found = re.search(r"\b(\d{6})\b", last.get_content())
    assert found is not None, last.get_content()
    return found.group(1)


def _wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def citizen(world, client):
    """The world's citizen with a password, logged in on an English page."""
    user = world.citizen
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    client.cookies["portal_language"] = "en"
    client.force_login(user)
    return user


def _prove(user, address):
    user.email = address
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])


def _ask(client, address, password=PASSWORD):
    return client.post(ME_EMAIL, {"email": address, "password": password})


def test_a_citizen_adds_an_address_proved_with_a_code_and_updates_then_come_there(
    client, citizen, world, sms_outbox, smtp_server
):
    page = client.get(reverse("accounts:me")).content.decode()
    assert "Add an e-mail address" in page
    response = _ask(client, "  Ayesha.Khan@Example.PK ")
    assert response["Location"] == VERIFY
    assert "ayesha.khan@example.pk" in client.get(VERIFY).content.decode()
    code = _code_sent_to(smtp_server, "ayesha.khan@example.pk")
    citizen.refresh_from_db()
    assert citizen.email == ""  # nothing changes before the code comes back

    response = client.post(VERIFY, {"code": code})
    assert response["Location"] == reverse("accounts:me")
    page = client.get(response["Location"]).content.decode()
    assert "Your e-mail address is changed and confirmed." in page
    assert "ayesha.khan@example.pk" in page
    citizen.refresh_from_db()
    assert citizen.email == "ayesha.khan@example.pk"
    assert citizen.email_verified_at is not None
    assert AccountEvent.objects.filter(user=citizen, action="email_changed").exists()
    assert len(smtp_server) == 1  # the code; no earlier address to tell

    complaint = lodge(world, citizen=citizen)
    [_, update] = _mail_to(smtp_server, "ayesha.khan@example.pk")
    assert complaint.reference in update.get_content()


def test_a_changed_address_is_told_in_the_accounts_language_and_gets_nothing_more(
    client, citizen, world, sms_outbox, smtp_server
):
    _prove(citizen, "old@example.pk")
    citizen.preferred_language = "ur"
    citizen.save(update_fields=["preferred_language"])
    _ask(client, "new@example.pk")
    [code_mail] = _mail_to(smtp_server, "new@example.pk")
    assert "Your Citizen Portal code" in code_mail["subject"]  # the page's language: English
    client.post(VERIFY, {"code": _code_sent_to(smtp_server, "new@example.pk")})

    [notice] = _mail_to(smtp_server, "old@example.pk")
    with translation.override("ur"):
        subject = translation.gettext(
            "The e-mail address of your Citizen Portal account was changed"
        )
        today = formats.date_format(timezone.localtime(), "DATE_FORMAT")
    # A long Urdu subject is sent folded in encoded words, which unfold with a leading space.
    assert notice["subject"].strip() == subject
    body = notice.get_content()
    assert today in body  # written in Urdu: "30 نومبر 2026"
    assert "n••@example.pk" in body  # the new address, masked
    assert "new@example.pk" not in body
    assert mask_phone(citizen.phone) in body
    assert citizen.phone not in body
    assert "/accounts/reset/" in body

    lodge(world, citizen=citizen)
    assert len(_mail_to(smtp_server, "old@example.pk")) == 1
    assert len(_mail_to(smtp_server, "new@example.pk")) == 2


def test_the_password_is_asked_again(client, citizen, sms_outbox, smtp_server):
    response = _ask(client, "new@example.pk", password="not-my-password")
    assert response.status_code == 200
    assert "That password is not right." in response.content.decode()
    assert smtp_server == []
    response = _ask(client, "new@example.pk", password="")
    assert "This field is required." in response.content.decode()


def test_wrong_passwords_here_and_at_login_count_towards_one_lock(
    client, citizen, world, sms_outbox, smtp_server
):
    login = client.__class__()
    for _ in range(2):
        login.post(reverse("accounts:login"), {"phone": citizen.phone, "password": "wrong-one"})
    for _ in range(2):
        response = _ask(client, "new@example.pk", password="wrong-one")
        assert response.status_code == 200
    response = _ask(client, "new@example.pk", password="wrong-one")  # the fifth
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    # Whoever held the session could not prove to be its owner: it is over, and so is the
    # login with the right password, for an hour.
    assert client.get(reverse("accounts:me"))["Location"].startswith(reverse("accounts:login"))
    response = login.post(reverse("accounts:login"), {"phone": citizen.phone, "password": PASSWORD})
    assert response.status_code == 429
    assert smtp_server == []


def test_wrong_passwords_when_changing_the_number_count_too(client, citizen, sms_outbox):
    for _ in range(5):
        response = client.post(
            reverse("accounts:me_phone"), {"phone": "0333 1112233", "password": "wrong-one"}
        )
    assert response.status_code == 429
    assert not any(m["to"] == "+923331112233" for m in sms_outbox.messages())


def test_a_wrong_code_says_how_many_tries_are_left_and_an_expired_one_is_refused(
    client, citizen, sms_outbox, smtp_server
):
    _ask(client, "new@example.pk")
    code = _code_sent_to(smtp_server, "new@example.pk")
    response = client.post(VERIFY, {"code": _wrong(code)})
    assert "That code is not right. You have 4 tries left." in response.content.decode()
    response = client.post(VERIFY, {"code": "12ab56"})
    assert "The code has 6 digits." in response.content.decode()
    OneTimeCode.objects.filter(email="new@example.pk").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.post(VERIFY, {"code": code})
    assert "This code has expired. Please ask for a new one." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.email == ""


def test_a_code_is_spent_once(client, citizen, sms_outbox, smtp_server):
    _ask(client, "new@example.pk")
    code = _code_sent_to(smtp_server, "new@example.pk")
    pending = client.session["email_change"]
    client.post(VERIFY, {"code": code})
    session = client.session
    session["email_change"] = pending  # the same step replayed
    session.save()
    response = client.post(VERIFY, {"code": code})
    assert "This code has expired." in response.content.decode()


def test_a_code_sent_for_registering_does_not_change_an_address(
    client, citizen, sms_outbox, smtp_server
):
    record, nonce = otp_send_email(phone=citizen.phone, email="new@example.pk", language="en")
    session = client.session
    session["email_change"] = {"email": "new@example.pk", "otp": [record.pk, nonce]}
    session.save()
    response = client.post(VERIFY, {"code": _code_sent_to(smtp_server, "new@example.pk")})
    assert "This code has expired." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.email == ""


def test_an_address_another_account_proved_is_refused_once_its_owner_shows_it_is_theirs(
    client, citizen, world, sms_outbox, smtp_server
):
    _prove(world.other_citizen, "shared@example.pk")
    response = _ask(client, "Shared@Example.pk")
    assert response["Location"] == VERIFY  # a stranger typing it learns nothing
    response = client.post(VERIFY, {"code": _code_sent_to(smtp_server, "shared@example.pk")})
    assert "Another account already uses this e-mail address." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.email == ""
    assert _mail_to(smtp_server, "shared@example.pk")[-1]["subject"] == "Your Citizen Portal code"


@pytest.mark.parametrize("other", ["typed, never proved", "closed account"])
def test_an_address_no_active_account_proved_is_free(
    client, citizen, world, sms_outbox, smtp_server, other
):
    holder = world.other_citizen
    holder.email = "shared@example.pk"
    if other == "closed account":
        holder.email_verified_at = timezone.now()
        holder.is_active = False
    holder.save()
    _ask(client, "shared@example.pk")
    client.post(VERIFY, {"code": _code_sent_to(smtp_server, "shared@example.pk")})
    citizen.refresh_from_db()
    assert citizen.email == "shared@example.pk"


def test_the_same_address_again_is_refused_before_any_code(client, citizen, smtp_server):
    _prove(citizen, "ayesha@example.pk")
    response = _ask(client, "AYESHA@example.pk")
    assert "This is already your e-mail address." in response.content.decode()
    assert smtp_server == []


def test_an_address_typed_at_registration_is_offered_for_confirming(
    client, citizen, sms_outbox, smtp_server
):
    citizen.email = "typed@example.pk"  # given at registration, never proved
    citizen.save(update_fields=["email"])
    page = client.get(reverse("accounts:me")).content.decode()
    assert "(not confirmed)" in page
    assert "The portal sends nothing to an e-mail address you have not confirmed." in page
    assert 'value="typed@example.pk"' in client.get(ME_EMAIL).content.decode()
    _ask(client, "typed@example.pk")
    client.post(VERIFY, {"code": _code_sent_to(smtp_server, "typed@example.pk")})
    citizen.refresh_from_db()
    assert citizen.email_verified_at is not None
    assert len(smtp_server) == 1  # an address never proved is not sent notices


def test_codes_wait_between_requests_and_are_limited_per_hour(
    client, citizen, settings, smtp_server
):
    _ask(client, "one@example.pk")
    response = _ask(client, "two@example.pk")
    # 30 seconds from the first code, less the time the first request took (sending it over
    # SMTP on a busy machine can take a second or two).
    wait = re.search(r"Please wait (\d+) seconds? before asking again\.", response.content.decode())
    assert wait is not None
    assert 25 <= int(wait.group(1)) <= 30
    settings.OTP_RESEND_INTERVAL_SECONDS = 0
    for n in range(4):
        assert _ask(client, f"more{n}@example.pk")["Location"] == VERIFY
    response = _ask(client, "sixth@example.pk")
    assert "Too many codes were sent" in response.content.decode()
    assert len(smtp_server) == 5


def test_removing_the_address_needs_the_password_then_tells_it_and_stops_e_mail(
    client, citizen, world, sms_outbox, smtp_server
):
    _prove(citizen, "ayesha@example.pk")
    page = client.get(reverse("accounts:me")).content.decode()
    assert "Change my e-mail address" in page
    assert "Remove my e-mail address" in page
    response = client.post(REMOVE, {"password": "not-my-password"})
    assert "That password is not right." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.email == "ayesha@example.pk"

    response = client.post(REMOVE, {"password": PASSWORD})
    assert response["Location"] == reverse("accounts:me")
    page = client.get(reverse("accounts:me")).content.decode()
    assert "Your e-mail address is removed." in page
    assert "Add an e-mail address" in page
    citizen.refresh_from_db()
    assert (citizen.email, citizen.email_verified_at) == ("", None)
    assert AccountEvent.objects.filter(user=citizen, action="email_removed").exists()
    [notice] = _mail_to(smtp_server, "ayesha@example.pk")
    assert notice["subject"] == "Your e-mail address was removed from your Citizen Portal account"

    lodge(world, citizen=citizen)
    assert len(smtp_server) == 1  # the notice, and nothing after
    assert client.get(REMOVE)["Location"] == reverse("accounts:me")  # nothing left to remove


def test_removing_warns_a_citizen_whom_sms_cannot_reach(client, citizen):
    _prove(citizen, "ayesha@example.pk")
    User.objects.filter(pk=citizen.pk).update(phone_verified=False)
    page = client.get(REMOVE).content.decode()
    assert "SMS does not reach your mobile number" in page


def test_the_email_steps_are_for_the_citizen_only(client, world):
    client.force_login(world.officers.se)
    for url in (ME_EMAIL, VERIFY, REMOVE):
        assert client.get(url).status_code == 403
        assert client.post(url, {"email": "x@example.pk", "password": "x"}).status_code == 403
    client.logout()
    for url in (ME_EMAIL, VERIFY, REMOVE):
        assert client.post(url, {})["Location"].startswith(reverse("accounts:login"))


def test_the_pages_are_in_urdu_right_to_left_with_addresses_left_to_right(
    client, citizen, smtp_server
):
    _prove(citizen, "ayesha@example.pk")
    client.cookies["portal_language"] = "ur"
    _ask(client, "new@example.pk")
    with translation.override("ur"):
        heading = translation.gettext("My account")
        confirm = translation.gettext("Your password, to confirm")
    assert "Your password" not in confirm
    for url, shows in [
        (reverse("accounts:me"), heading),
        (ME_EMAIL, confirm),
        (VERIFY, '<span dir="ltr">new@example.pk</span>'),
        (REMOVE, '<bdi dir="ltr">ayesha@example.pk</bdi>'),
    ]:
        page = client.get(url).content.decode()
        assert '<html lang="ur" dir="rtl">' in page, url
        assert shows in page, url


def test_urdu_errors_on_the_change_form(client, citizen):
    client.cookies["portal_language"] = "ur"
    page = _ask(client, "not-an-address", password="").content.decode()
    assert '<html lang="ur" dir="rtl">' in page
    assert "Enter a valid email address." not in page
    assert "This field is required." not in page
