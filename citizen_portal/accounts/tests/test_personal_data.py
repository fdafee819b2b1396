"""Identity document numbers: encrypted at rest, found by keyed hash, masked, revealed only to
roles that need them with the reveal logged, and re-encrypted when keys rotate."""

import base64
import os
from datetime import date

import pytest
from django.core.management import call_command

from citizen_portal.accounts import crypto
from citizen_portal.accounts.identity import DocumentType, document_parse
from citizen_portal.accounts.models import CitizenProfile, DocumentReveal, Role
from citizen_portal.accounts.services.citizens import (
    RegistrationInput,
    citizen_register,
    document_find,
)
from citizen_portal.accounts.services.reveal import document_reveal
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.directory.models import Country
from citizen_portal.directory.tests.factories import StaffFactory


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _register(world, number="35202-1234567-1", phone="+923001239999"):
    return citizen_register(
        data=RegistrationInput(
            phone=phone,
            full_name="Ayesha Khan",
            gender="female",
            date_of_birth=date(1990, 5, 14),
            document=document_parse(doc_type=DocumentType.CNIC, number=number),
            country_of_residence=Country.objects.get(code="PK"),
            home_district=world.lahore,
            email="",
            language="ur",
            password="kinnow-orchard-42",
        )
    )


def test_a_document_is_found_by_its_number_in_any_written_form(world):
    user = _register(world)
    nicop = document_parse(doc_type=DocumentType.NICOP, number="3520212345671")
    found = document_find(nicop)
    assert found is not None
    assert found.user == user  # one NADRA number, one account, whatever the card


def test_the_database_holds_neither_the_number_nor_a_plain_hash_of_it(world):
    import hashlib

    profile = _register(world).profile
    row = CitizenProfile.objects.filter(pk=profile.pk).values().get()
    stored = " ".join(str(value) for value in row.values())
    assert "1234567" not in stored
    assert hashlib.sha256(b"nadra:3520212345671").hexdigest() not in stored


def test_only_agents_and_administrators_see_the_full_number_and_each_look_is_logged(world):
    profile = _register(world).profile
    with pytest.raises(NotAllowed):
        document_reveal(profile=profile, viewer=world.officers.se, reason="Curious about it")
    agent = StaffFactory(username="helpline.1", role=Role.AGENT)
    with pytest.raises(ApplicationError, match="why"):
        document_reveal(profile=profile, viewer=agent, reason="  ")
    number = document_reveal(profile=profile, viewer=agent, reason="Caller verifying identity")
    assert number == "35202-1234567-1"
    log = DocumentReveal.objects.get()
    assert (log.viewer, log.reason) == (agent, "Caller verifying identity")


def test_key_rotation_re_encrypts_everything_and_the_old_key_can_then_go(world, settings):
    from citizen_portal.accounts.models import StaffTotp
    from citizen_portal.accounts.services.two_factor import second_factor_check
    from citizen_portal.accounts.tests.two_factor import enable_totp

    old, new = _key(), _key()
    settings.FIELD_ENCRYPTION_KEYS = old
    profile = _register(world).profile
    app = enable_totp(world.officers.se)
    settings.FIELD_ENCRYPTION_KEYS = f"{new},{old}"
    profile.refresh_from_db()
    assert crypto.needs_rotation(profile.document_encrypted)
    call_command("rotate_field_keys")
    settings.FIELD_ENCRYPTION_KEYS = new
    profile.refresh_from_db()
    assert not crypto.needs_rotation(profile.document_encrypted)
    assert crypto.decrypt(profile.document_encrypted) == "35202-1234567-1"
    # Staff authenticator secrets are rotated too: the officer still logs in.
    assert not crypto.needs_rotation(StaffTotp.objects.get(user=world.officers.se).secret_encrypted)
    assert second_factor_check(user=world.officers.se, code=app.now())


def test_a_value_under_a_dropped_key_fails_loudly(world, settings):
    settings.FIELD_ENCRYPTION_KEYS = _key()
    profile = _register(world).profile
    settings.FIELD_ENCRYPTION_KEYS = _key()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(profile.document_encrypted)


@pytest.mark.parametrize(
    "url", ["admin:accounts_citizenprofile_changelist", "admin:accounts_documentreveal_changelist"]
)
def test_admin_lists_show_masked_numbers_in_few_queries(
    client, world, url, django_assert_max_num_queries
):
    from django.urls import reverse

    for n in range(4):
        _register(world, number=f"35202-123456{n}-1", phone=f"+92300123999{n}")
    admin = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse(url)).content.decode()
    assert "1234560" not in page
