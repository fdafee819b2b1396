"""Fixtures of the helpline tests: the `world` of the root conftest with a call-centre agent,
the general category of intake (imported from its conftest), and callers with identity
documents that a search can find."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from citizen_portal.accounts import crypto
from citizen_portal.accounts.identity import DocumentType, document_parse
from citizen_portal.accounts.models import CitizenProfile, Role, User
from citizen_portal.directory.models import AdminUnit, Country
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.intake.tests.conftest import general  # noqa: F401 (a fixture)

CNIC = "35202-1234567-1"


def with_document(
    citizen: User, *, number: str = CNIC, home: AdminUnit | None = None
) -> CitizenProfile:
    """Give `citizen` the profile registration would have made: the document encrypted,
    findable by its blind index, shown masked."""
    parsed = document_parse(doc_type=DocumentType.CNIC, number=number)
    return CitizenProfile.objects.create(
        user=citizen,
        document_type=parsed.type,
        document_encrypted=crypto.encrypt(parsed.number),
        document_index=crypto.blind_index(parsed.lookup_value),
        document_masked=parsed.masked,
        gender="female",
        date_of_birth=date(1990, 5, 1),
        home_district=home,
        country_of_residence=Country.objects.get(code="PK"),
    )


@pytest.fixture
def agent(world: SimpleNamespace) -> User:
    return StaffFactory(username="helpline.one", full_name="Sana Agent", role=Role.AGENT)


@pytest.fixture
def caller(world: SimpleNamespace) -> User:
    """The world's citizen, Ayesha Khan (+923001112233), with a CNIC and Lahore as home."""
    with_document(world.citizen, home=world.lahore)
    citizen: User = world.citizen
    return citizen
