"""Registering a caller: a code to their phone first, the account only with it read back."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from citizen_portal.accounts.identity import DocumentType, document_parse
from citizen_portal.accounts.models import OneTimeCode, User
from citizen_portal.accounts.services.citizens import RegistrationInput
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import Country
from citizen_portal.directory.tests.factories import CitizenFactory
from citizen_portal.helpline.models import HelplineLookup, LookupKind
from citizen_portal.helpline.services.registration import (
    AlreadyRegistered,
    caller_code_send,
    caller_register,
)
from citizen_portal.helpline.tests.conftest import with_document

pytestmark = pytest.mark.django_db


def caller_details(world: SimpleNamespace, phone: str = "+923337654321") -> RegistrationInput:
    return RegistrationInput(
        phone=phone,
        full_name="Bilqees Bano",
        gender="female",
        date_of_birth=date(1975, 3, 14),
        document=document_parse(doc_type=DocumentType.CNIC, number="35202-7777777-7"),
        country_of_residence=Country.objects.get(code="PK"),
        home_district=world.lahore,
        email="",
        language="ur",
        password="",
    )


def test_codes_past_the_agents_hourly_limit_are_refused(
    agent: User, world: SimpleNamespace, sms_outbox: Any, settings: Any
) -> None:
    settings.HELPLINE_CODES_PER_HOUR = 1
    caller_code_send(agent=agent, data=caller_details(world))
    with pytest.raises(ApplicationError, match="1 code in the last hour"):
        caller_code_send(agent=agent, data=caller_details(world, phone="+923337654322"))
    assert OneTimeCode.objects.count() == 1


def test_the_per_number_wait_between_codes_still_applies(
    agent: User, world: SimpleNamespace, sms_outbox: Any
) -> None:
    caller_code_send(agent=agent, data=caller_details(world))
    with pytest.raises(ApplicationError, match="Please wait"):
        caller_code_send(agent=agent, data=caller_details(world))


def test_a_document_registered_meanwhile_is_refused_and_the_code_kept(
    agent: User,
    world: SimpleNamespace,
    sms_outbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    data = caller_details(world)
    with django_capture_on_commit_callbacks(execute=True):
        pending = caller_code_send(agent=agent, data=data)
    code = sms_outbox.last_code(data.phone)
    other = with_document(CitizenFactory(full_name="Someone Else"), number="35202-7777777-7")
    with pytest.raises(AlreadyRegistered) as refused:
        caller_register(agent=agent, pending=pending, code=code, data=data)
    assert refused.value.citizen == other.user
    assert OneTimeCode.objects.get(pk=pending.otp_id).used_at is None
    assert not User.objects.filter(phone=data.phone).exists()


def test_finding_an_account_through_the_form_is_a_recorded_search_within_the_limit(
    agent: User, world: SimpleNamespace, sms_outbox: Any, settings: Any
) -> None:
    with_document(CitizenFactory(full_name="Someone Else"), number="35202-7777777-7")
    with pytest.raises(AlreadyRegistered):
        caller_code_send(agent=agent, data=caller_details(world))
    (record,) = HelplineLookup.objects.all()
    assert (record.kind, record.masked) == (LookupKind.DOCUMENT, "35202-•••••••-7")
    settings.HELPLINE_LOOKUPS_PER_HOUR = 1
    with pytest.raises(ApplicationError, match="1 search in the last hour"):
        caller_code_send(agent=agent, data=caller_details(world))
