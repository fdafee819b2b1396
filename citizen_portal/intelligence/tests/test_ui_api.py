"""`POST /api/v1/categories/suggest/` for the mobile apps (issue 14): the three most likely
categories with their departments for the citizen's words; any signed-in account; errors in the
API's one shape and the caller's language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from citizen_portal.accounts.models import User
from citizen_portal.api.tests.clients import api_for
from citizen_portal.intelligence.tests.ui_model import model_for_a_test, untrained

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(world):
    yield from model_for_a_test(world)


URL = reverse("api-categories-suggest")


def test_a_citizen_gets_the_likeliest_categories_with_their_departments(model, world):
    api = api_for(world.citizen)
    response = api.post(URL, {"text": "bijli ka bill bohat zyada aya hai"}, format="json")
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert 1 <= len(suggestions) <= 3
    first = suggestions[0]
    assert first["category"] == {
        "id": world.overbilling.pk,
        "code": "FED-LESCO.BILL.OVER",
        "name": "Over-billing",
    }
    assert first["department"] == {"id": world.lesco.pk, "code": "FED-LESCO", "name": "LESCO"}
    assert 0 < first["score"] <= 1
    assert [s["score"] for s in suggestions] == sorted(
        (s["score"] for s in suggestions), reverse=True
    )
    water = api.post(
        URL, {"text": "ہماری گلی میں پانی نہیں آ رہا", "district": "PK-PB-LHR-LHR"}, format="json"
    )
    assert water.json()["suggestions"][0]["category"]["id"] == model.water.pk


def test_staff_may_ask_too_and_no_model_answers_an_empty_list(world):
    untrained()
    response = api_for(world.officers.focal).post(URL, {"text": "no water"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"suggestions": []}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "bill", "district": "PK-NOWHERE"}, "district"),
        ({"text": "bill", "district": "PK-PB"}, "district"),  # a province, not a district
        ({"text": ["bill"]}, "text"),
    ],
)
def test_invalid_input_is_refused_in_the_error_shape(world, body, field):
    response = api_for(world.citizen).post(URL, body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_the_refusal_is_in_the_callers_language(world):
    api = api_for(world.citizen)
    response = api.post(URL, {"text": ""}, format="json", HTTP_ACCEPT_LANGUAGE="ur")
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message != "Some fields are not valid."
    assert any("\u0600" <= char <= "\u06ff" for char in message)


def test_without_a_token_401_and_a_blocked_citizen_403(world):
    anonymous = APIClient().post(URL, {"text": "bill"}, format="json")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    User.objects.filter(pk=world.citizen.pk).update(blocked_at=timezone.now())
    blocked = api_for(world.citizen).post(URL, {"text": "bill"}, format="json")
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "blocked"
    assert APIClient().get(URL).status_code == 401  # not a read of the public reference data


def test_only_post(world):
    assert api_for(world.citizen).get(URL).status_code == 405


def test_a_suggestion_costs_a_handful_of_queries(model, world):
    api = api_for(world.citizen)
    api.post(URL, {"text": "electricity bill"}, format="json")  # the model loaded once
    with CaptureQueriesContext(connection) as queries:
        response = api.post(URL, {"text": "electricity bill too high"}, format="json")
    assert response.status_code == 200
    assert len(queries) <= 6, [q["sql"] for q in queries.captured_queries]
