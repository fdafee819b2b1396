"""Finding the caller: an exact mobile or document number, recorded, and limited per hour."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from citizen_portal.accounts.models import User
from citizen_portal.core.errors import ApplicationError
from citizen_portal.helpline.models import HelplineLookup, LookupKind
from citizen_portal.helpline.services.lookup import caller_find, identifier_parse

pytestmark = pytest.mark.django_db


def test_a_local_mobile_number_finds_the_caller(agent: User, caller: User) -> None:
    assert caller_find(agent=agent, text="0300 1112233") == caller


def test_a_cnic_with_or_without_dashes_finds_the_caller(agent: User, caller: User) -> None:
    assert caller_find(agent=agent, text="35202-1234567-1") == caller
    assert caller_find(agent=agent, text="3520212345671") == caller


def test_a_near_number_finds_nobody(agent: User, caller: User) -> None:
    assert caller_find(agent=agent, text="0300 1112234") is None
    assert caller_find(agent=agent, text="35202-1234567-2") is None


def test_every_search_is_recorded_masked(agent: User, caller: User) -> None:
    caller_find(agent=agent, text="0300 1112233")
    caller_find(agent=agent, text="35202-1234567-1")
    records = list(HelplineLookup.objects.order_by("at"))
    assert [(r.kind, r.masked, r.citizen) for r in records] == [
        (LookupKind.PHONE, "+923••••••233", caller),
        (LookupKind.DOCUMENT, "35202-•••••••-1", caller),
    ]
    assert all(r.agent == agent for r in records)
    assert not any("1112233" in r.masked or "1234567" in r.masked for r in records)


def test_nonsense_is_refused_with_what_to_type(agent: User, world: SimpleNamespace) -> None:
    with pytest.raises(ApplicationError, match="neither a mobile number"):
        caller_find(agent=agent, text="hello")
    assert not HelplineLookup.objects.exists()


def test_a_passport_needs_the_issuing_country(world: SimpleNamespace) -> None:
    found = identifier_parse("ab 123 4567", nationality="GB")
    assert found.kind == LookupKind.PASSPORT
    assert found.document is not None
    assert found.document.number == "AB1234567"


def test_searches_past_the_hourly_limit_are_refused(
    agent: User, caller: User, settings: Any
) -> None:
    settings.HELPLINE_LOOKUPS_PER_HOUR = 2
    caller_find(agent=agent, text="0300 1112233")
    caller_find(agent=agent, text="0300 4445566")
    with pytest.raises(ApplicationError, match="2 searches in the last hour"):
        caller_find(agent=agent, text="0300 1112233")
    assert HelplineLookup.objects.count() == 2
