"""The one-page lodge form for writing offline (views_offline.py): the service worker sends a
kept post here when the network returns, as often as it must; one complaint comes of it."""

from __future__ import annotations

import pytest

from citizen_portal.complaints.models import Complaint, Status

pytestmark = pytest.mark.django_db

KEY = "0b5c3d1e-7f2a-4c9b-8e6d-5a4f3b2c1d0e"


def _post(world, **changes):
    return {
        "kind": "complaint",
        "category": world.overbilling.pk,
        "district": world.lahore.pk,
        "subject": "No electricity for two days",
        "description": "The transformer on our street burnt out on Monday; nobody has come.",
        "idempotency_key": KEY,
        **changes,
    }


def test_the_form_offers_every_field_in_one_page_with_a_fresh_key(client, world):
    client.force_login(world.citizen)
    response = client.get("/offline/lodge/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ["kind", "category", "district", "subject", "description", "files"]:
        assert f'name="{name}"' in html, name
    assert 'name="idempotency_key"' in html
    assert "Billing › Over-billing" in html
    assert client.get("/offline/lodge/").context["form"]["idempotency_key"].value() != (
        response.context["form"]["idempotency_key"].value()
    )


def test_a_post_sent_again_and_again_lodges_one_complaint(client, world):
    client.force_login(world.citizen)
    first = client.post("/offline/lodge/", _post(world))
    complaint = Complaint.objects.get()
    assert first.status_code == 302
    assert first["Location"] == f"/complaints/{complaint.reference}/"
    assert complaint.status == Status.ASSIGNED
    assert complaint.citizen == world.citizen
    # The worker did not hear the answer and sends the same post twice more.
    for _attempt in range(2):
        again = client.post("/offline/lodge/", _post(world))
        assert again["Location"] == first["Location"]
    assert Complaint.objects.count() == 1


def test_a_post_the_portal_cannot_accept_says_why(client, world):
    client.force_login(world.citizen)
    response = client.post("/offline/lodge/", _post(world, subject="No", district=""))
    assert response.status_code == 400
    html = response.content.decode()
    # The summary the worker reads out to the citizen, naming each field to correct.
    assert 'class="error-summary"' in html
    assert 'href="#id_subject"' in html
    assert 'href="#id_district"' in html
    assert Complaint.objects.count() == 0


def test_the_same_key_with_other_words_is_refused_not_lost(client, world):
    client.force_login(world.citizen)
    client.post("/offline/lodge/", _post(world))
    response = client.post("/offline/lodge/", _post(world, subject="Street light out"))
    assert response.status_code == 400
    assert Complaint.objects.get().reference in response.content.decode()


def test_only_citizens_lodge_here(client, world):
    assert client.post("/offline/lodge/", _post(world))["Location"].startswith("/accounts/login/")
    client.force_login(world.officers.se)
    assert client.post("/offline/lodge/", _post(world)).status_code == 403
    assert Complaint.objects.count() == 0
