"""A citizen changes the name on their account; officers see the new one on their complaints."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from citizen_portal.accounts.models import AccountEvent
from citizen_portal.accounts.services.names import name_clean
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core.errors import ApplicationError

pytestmark = pytest.mark.django_db(transaction=True)

ME_NAME = reverse("accounts:me_name")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Ayesha   Khan ", "Ayesha Khan"),
        ("عائشہ خان", "عائشہ خان"),
        ("محمد عَلی", "محمد عَلی"),  # with a vowel sign
        ("م۔ علی", "م۔ علی"),  # an abbreviation with the Urdu full stop
        ("Zoe\u0308 O'Brien-Shah", "Zoë O'Brien-Shah"),  # composed
        ("Dr. Saima Riaz", "Dr. Saima Riaz"),
        ("Bilal D’Souza", "Bilal D’Souza"),
    ],
)
def test_names_in_urdu_or_latin_letters_are_kept_tidied(typed, kept):
    assert name_clean(typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Please enter your name."),
        (" \u200c ", "Write your name in Urdu or English letters."),
        ("A", "A name has at least 2 letters."),
        ("A-.", "A name has at least 2 letters."),
        ("A" * 151, "at most 150 characters"),
        ("<script>alert(1)</script>", "Write your name in Urdu or English letters."),
        ("Ayesha 2", "Write your name in Urdu or English letters."),
        ("عائشہ ۲", "Write your name in Urdu or English letters."),
        ("\u202eAyesha", "Write your name in Urdu or English letters."),
        ("Айша", "Write your name in Urdu or English letters."),  # Cyrillic
        ("-Ayesha", "Write your name in Urdu or English letters."),
        ("Ayesha 😀", "Write your name in Urdu or English letters."),
    ],
)
def test_names_that_are_empty_too_long_or_not_letters_are_refused(typed, message):
    with pytest.raises(ApplicationError, match=message):
        name_clean(typed)


def test_a_citizen_renames_the_account_and_officers_see_the_new_name(client, world, sms_outbox):
    complaint = lodge(world)
    client.cookies["portal_language"] = "en"
    client.force_login(world.citizen)
    page = client.get(reverse("accounts:me")).content.decode()
    assert f'href="{ME_NAME}"' in page
    assert 'value="Ayesha Khan"' in client.get(ME_NAME).content.decode()
    response = client.post(ME_NAME, {"full_name": "  عائشہ   خان "})
    assert response["Location"] == reverse("accounts:me")
    page = client.get(reverse("accounts:me")).content.decode()
    assert "Your name is changed." in page
    assert "<bdi>عائشہ خان</bdi>" in page
    world.citizen.refresh_from_db()
    assert world.citizen.full_name == "عائشہ خان"
    event = AccountEvent.objects.get(user=world.citizen, action="name_changed")
    assert event.reason == "Ayesha Khan → عائشہ خان"

    officer = client.__class__()
    officer.force_login(world.officers.se)
    page = officer.get(reverse("complaints:work_detail", args=[complaint.reference]))
    assert "عائشہ خان" in page.content.decode()
    assert "Ayesha Khan" not in page.content.decode()


def test_the_same_name_again_changes_nothing(client, world):
    client.force_login(world.citizen)
    response = client.post(ME_NAME, {"full_name": "Ayesha  Khan"}, follow=True)
    assert "That is already the name on your account." in response.content.decode()
    assert not AccountEvent.objects.filter(user=world.citizen, action="name_changed").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "This field is required."),
        ("A" * 151, "at most 150 characters"),
        ("Ayesha <b>Khan</b>", "Write your name in Urdu or English letters."),
    ],
)
def test_a_refused_name_is_explained_beside_the_field_and_nothing_changes(
    client, world, typed, message
):
    client.force_login(world.citizen)
    response = client.post(ME_NAME, {"full_name": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'id="id_full_name_error"' in page
    assert "&lt;b&gt;" in page or "<b>" not in typed  # shown back as text, never as HTML
    world.citizen.refresh_from_db()
    assert world.citizen.full_name == "Ayesha Khan"


def test_the_name_page_is_in_urdu_right_to_left(client, world):
    client.cookies["portal_language"] = "ur"
    client.force_login(world.citizen)
    page = client.post(ME_NAME, {"full_name": "2"}).content.decode()
    assert '<html lang="ur" dir="rtl">' in page
    with translation.override("ur"):
        assert translation.gettext("Please correct the following:") in page
    assert 'dir="auto"' in page  # a name is typed in its own script's direction


def test_only_a_citizen_has_the_name_page(client, world):
    assert client.get(ME_NAME)["Location"].startswith(reverse("accounts:login"))
    client.force_login(world.officers.se)
    assert client.get(ME_NAME).status_code == 403
    assert client.post(ME_NAME, {"full_name": "Someone Else"}).status_code == 403
    world.officers.se.refresh_from_db()
    assert world.officers.se.full_name != "Someone Else"
