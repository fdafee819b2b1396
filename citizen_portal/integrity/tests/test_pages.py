"""The supervisors' pages: who sees which flags, the evidence, and bad input."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.directory.tests.factories import StaffFactory, TierFactory
from citizen_portal.integrity.selectors.types import Signal

pytestmark = pytest.mark.django_db

LIST = reverse("integrity:flags")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def scope(world, circle) -> dict[str, str]:
    return {"department": str(world.lesco.pk), "office": str(circle.office.pk)}


def detail_url(signal: Signal, user) -> str:
    return reverse("integrity:flag", args=[signal.value, "officer", user.pk])


def test_the_supervisor_sees_the_flags_and_the_evidence(world, circle, planted):
    se = client_for(world.officers.se)
    page = se.get(LIST, scope(world, circle))
    assert page.status_code == 200
    text = page.content.decode()
    assert "SDO Officer a" in text
    assert "SDO Officer b" not in text
    detail = se.get(detail_url(Signal.SAME_REMARKS, circle.officers["a"]), scope(world, circle))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "Bill corrected as per rules vide" in body
    first = planted.lodged["a"][0].reference
    assert reverse("complaints:work_detail", args=[first]) in body
    # No citizen's name or number on the page.
    assert "Ayesha Khan" not in body
    assert "+92300" not in body


def test_leadership_of_the_tier_sees_the_department(world, circle, planted):
    analyst = StaffFactory(role=Role.ANALYST, scope_tier=world.tier)
    page = client_for(analyst).get(LIST, {"department": str(world.lesco.pk)})
    assert page.status_code == 200
    assert "SDO Officer a" in page.content.decode()


def test_the_flagged_officer_never_sees_their_own_flags(world, circle, planted):
    a = client_for(circle.officers["a"])
    page = a.get(LIST, scope(world, circle))
    assert page.status_code == 200
    assert "SDO Officer a" not in page.content.decode()
    detail = a.get(detail_url(Signal.DEADLINE_BUNCHING, circle.officers["a"]), scope(world, circle))
    assert detail.status_code == 404


def test_a_peer_sees_nothing_of_another_officer(world, circle, planted):
    b = client_for(circle.officers["b"])
    detail = b.get(detail_url(Signal.DISPUTES, circle.officers["a"]), scope(world, circle))
    assert detail.status_code == 404


def test_outsiders_cannot_choose_the_department(world, circle, planted):
    other_tier = StaffFactory(
        role=Role.ANALYST, scope_tier=TierFactory(code="SD", name_en="Sindh", reference_prefix="SD")
    )
    for user in (world.stranger, other_tier):
        response = client_for(user).get(LIST, {"department": str(world.lesco.pk)})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
        assert "SDO Officer a" not in response.content.decode()


def test_citizens_get_404_and_visitors_the_login(world, circle):
    assert client_for(world.citizen).get(LIST).status_code == 404
    assert Client().get(LIST).status_code == 302


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "yesterday"}, "Enter a valid date."),
        ({"since": "2026-05-01", "until": "2026-04-01"}, "cannot be before its start"),
        ({"since": "2024-01-01", "until": "2026-01-01"}, "at most 366 days"),
        ({"office": "999999"}, "Select a valid choice"),
        ({"department": "abc"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_answered_with_a_clear_message(world, circle, query, message):
    se = client_for(world.officers.ceo)
    response = se.get(LIST, {"department": str(world.lesco.pk), **query})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_unknown_signal_or_subject_is_404(world, circle):
    ceo = client_for(world.officers.ceo)
    url = reverse("integrity:flag", args=["nonsense", "officer", 1])
    assert ceo.get(url, {"department": str(world.lesco.pk)}).status_code == 404
    url = reverse("integrity:flag", args=["deadline", "officer", 999999])
    assert ceo.get(url, {"department": str(world.lesco.pk)}).status_code == 404


def test_the_page_in_urdu_translates_the_form(world, circle):
    ceo = client_for(world.officers.ceo)
    response = ceo.get(LIST, HTTP_ACCEPT_LANGUAGE="ur")
    assert response.status_code == 200
