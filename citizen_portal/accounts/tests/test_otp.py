from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from citizen_portal.accounts.models import OneTimeCode
from citizen_portal.accounts.services.otp import otp_send, otp_verify
from citizen_portal.core.errors import ApplicationError

PHONE = "+923001234567"
pytestmark = pytest.mark.django_db(transaction=True)


def test_code_is_sent_by_sms_and_only_its_keyed_hash_is_stored(sms_outbox):
    record, _nonce = otp_send(phone=PHONE, purpose="login", language="en")
    [message] = sms_outbox.messages()
    assert message["to"] == PHONE
    assert set(message) == {"to", "body", "sent_at"}
    code = sms_outbox.last_code(PHONE)
    assert len(code) == 6
    record.refresh_from_db()
    assert code not in record.code_hash
    assert len(record.code_hash) == 64


def test_code_arrives_in_urdu_for_an_urdu_speaker(sms_outbox):
    otp_send(phone=PHONE, purpose="login", language="ur")
    body = sms_outbox.messages()[0]["body"]
    assert "Citizen Portal code" not in body


def test_right_code_verifies_once_only(sms_outbox):
    record, nonce = otp_send(phone=PHONE, purpose="login", language="en")
    code = sms_outbox.last_code(PHONE)
    assert otp_verify(otp_id=record.pk, nonce=nonce, code=code).used_at is not None
    with pytest.raises(ApplicationError, match="expired"):
        otp_verify(otp_id=record.pk, nonce=nonce, code=code)


@pytest.mark.parametrize("digits", ["۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩"])  # Urdu and Arabic keyboards
def test_a_code_typed_in_urdu_or_arabic_digits_is_the_same_code(sms_outbox, digits):
    record, nonce = otp_send(phone=PHONE, purpose="login", language="ur")
    typed = "".join(digits[int(d)] for d in sms_outbox.last_code(PHONE))
    assert otp_verify(otp_id=record.pk, nonce=nonce, code=typed).used_at is not None


def test_code_only_works_in_the_session_that_asked_for_it(sms_outbox):
    record, _nonce = otp_send(phone=PHONE, purpose="login", language="en")
    with pytest.raises(ApplicationError, match="expired"):
        otp_verify(otp_id=record.pk, nonce="another-browser", code=sms_outbox.last_code(PHONE))


def test_wrong_tries_are_counted_and_the_fifth_locks_the_code(sms_outbox):
    record, nonce = otp_send(phone=PHONE, purpose="login", language="en")
    code = sms_outbox.last_code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in ("4 tries", "3 tries", "2 tries", "1 try"):
        with pytest.raises(ApplicationError, match=f"{left} left"):
            otp_verify(otp_id=record.pk, nonce=nonce, code=wrong)
    with pytest.raises(ApplicationError, match="Too many wrong codes"):
        otp_verify(otp_id=record.pk, nonce=nonce, code=wrong)
    # Even the right code no longer works: a locked code must be replaced.
    with pytest.raises(ApplicationError, match="Too many wrong codes"):
        otp_verify(otp_id=record.pk, nonce=nonce, code=code)
    assert OneTimeCode.objects.get(pk=record.pk).attempts == 5


def test_code_expires_after_ten_minutes(sms_outbox):
    record, nonce = otp_send(phone=PHONE, purpose="login", language="en")
    OneTimeCode.objects.filter(pk=record.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ApplicationError, match="expired"):
        otp_verify(otp_id=record.pk, nonce=nonce, code=sms_outbox.last_code(PHONE))


def _age_codes(seconds):
    """Let time pass for the codes already sent."""
    OneTimeCode.objects.update(created_at=F("created_at") - timedelta(seconds=seconds))


def test_resends_wait_thirty_seconds_then_twice_as_long_each_time(sms_outbox):
    otp_send(phone=PHONE, purpose="login", language="en")
    with pytest.raises(ApplicationError, match="wait 30 seconds"):
        otp_send(phone=PHONE, purpose="login", language="en")
    _age_codes(31)
    otp_send(phone=PHONE, purpose="login", language="en")
    _age_codes(31)
    with pytest.raises(ApplicationError, match=r"wait (29|30) seconds"):
        otp_send(phone=PHONE, purpose="login", language="en")  # now 60 s after the second
    _age_codes(30)
    otp_send(phone=PHONE, purpose="login", language="en")
    assert len(sms_outbox.messages()) == 3


def test_no_more_than_five_codes_an_hour_reach_one_number(sms_outbox, settings):
    settings.OTP_RESEND_INTERVAL_SECONDS = 0
    for _ in range(5):
        otp_send(phone=PHONE, purpose="login", language="en")
    with pytest.raises(ApplicationError, match="Too many codes"):
        otp_send(phone=PHONE, purpose="login", language="en")
    assert len(sms_outbox.messages()) == 5


def test_one_address_cannot_have_codes_sent_to_many_numbers(sms_outbox, settings):
    settings.OTP_MAX_PER_IP_PER_HOUR = 3
    for n in range(3):
        otp_send(phone=f"+92300123450{n}", purpose="login", language="en", ip="203.0.113.9")
    with pytest.raises(ApplicationError, match="from your connection"):
        otp_send(phone="+923001234509", purpose="login", language="en", ip="203.0.113.9")
    otp_send(phone="+923001234509", purpose="login", language="en", ip="203.0.113.10")
    assert len(sms_outbox.messages()) == 4


def test_brute_force_across_new_codes_is_stopped_by_the_daily_failure_count(sms_outbox, settings):
    settings.OTP_RESEND_INTERVAL_SECONDS = 0
    guesses = 0
    for _round in range(2):  # 2 codes x 5 wrong tries = the daily limit of 10
        record, nonce = otp_send(phone=PHONE, purpose="login", language="en")
        code = sms_outbox.last_code(PHONE)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        for _ in range(5):
            with pytest.raises(ApplicationError):
                otp_verify(otp_id=record.pk, nonce=nonce, code=wrong)
            guesses += 1
    assert guesses == 10
    with pytest.raises(ApplicationError, match="up to 24 hours"):
        otp_send(phone=PHONE, purpose="login", language="en")


def test_once_the_number_is_locked_even_the_right_code_is_refused(sms_outbox, settings):
    settings.OTP_MAX_FAILURES_PER_DAY = 3
    record, nonce = otp_send(phone=PHONE, purpose="login", language="en")
    code = sms_outbox.last_code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(3):
        with pytest.raises(ApplicationError):
            otp_verify(otp_id=record.pk, nonce=nonce, code=wrong)
    with pytest.raises(ApplicationError, match="up to 24 hours"):
        otp_verify(otp_id=record.pk, nonce=nonce, code=code)
