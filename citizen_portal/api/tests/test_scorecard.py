"""The officer's scorecard over the API: the web inbox's figures (scorecard_for) for a period
the officer may choose within limits, refused to citizens, at a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.selectors.performance import scorecard_for
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.tests.test_performance import MOST_QUERIES
from citizen_portal.core import clock

pytestmark = pytest.mark.django_db(transaction=True)

SCORECARD = "/api/v1/work/scorecard/"


def resolve_and_rate(world, complaint, *, satisfied, rating):
    complaint_resolve(
        complaint=complaint, officer=world.officers.se, remark="Meter replaced; bill fixed."
    )
    complaint_give_feedback(
        complaint=complaint,
        citizen=world.citizen,
        data=FeedbackInput(satisfied=satisfied, rating=rating),
    )


def test_an_officer_reads_the_figures_the_web_inbox_shows(world, travel):
    confirmed, disputed, _open = lodge(world), lodge(world), lodge(world)  # all reach the SE
    travel(days=1)
    resolve_and_rate(world, confirmed, satisfied=True, rating=5)
    travel(days=2)
    resolve_and_rate(world, disputed, satisfied=False, rating=2)

    response = api_for(world.officers.se).get(SCORECARD)
    assert response.status_code == 200, response.json()
    body = response.json()
    today = clock.today()
    assert body["since"] == (today - timedelta(days=89)).isoformat()
    assert body["until"] == today.isoformat()
    figures = {key: value for key, value in body.items() if key not in {"since", "until"}}
    assert figures == {
        "received": 3,
        "resolved": 2,
        "resolved_on_time": 2,
        "overdue": 0,
        "overdue_now": 0,
        "missed": 0,
        "reopened": 1,
        "median_days": pytest.approx(2, abs=0.01),  # of 1 and 3 days
        "p90_days": pytest.approx(2.8, abs=0.01),
        "feedback": 2,
        "satisfied": 1,
        "satisfaction": 50.0,
        "average_rating": 3.5,
    }
    card = scorecard_for(world.officers.se)
    assert (body["received"], body["reopened"]) == (card.received, card.reopened)


def test_an_officer_without_figures_gets_zeros_and_nulls(world):
    body = api_for(world.officers.ceo).get(SCORECARD).json()
    assert body["received"] == body["resolved"] == body["overdue"] == 0
    assert body["median_days"] is None
    assert body["satisfaction"] is None
    assert body["average_rating"] is None


def test_the_period_can_be_chosen(world, travel):
    lodge(world)
    first_day = clock.today()
    travel(days=30)
    api = api_for(world.officers.se)
    day = first_day.isoformat()
    then = api.get(SCORECARD, {"since": day, "until": day}).json()
    assert (then["since"], then["until"], then["received"]) == (day, day, 1)
    since_then = api.get(SCORECARD, {"since": (first_day + timedelta(days=1)).isoformat()}).json()
    assert since_then["until"] == clock.today().isoformat()
    assert since_then["received"] == 0
    # Only `until`: the 90 days up to it.
    until = api.get(SCORECARD, {"until": day}).json()
    assert until["since"] == (first_day - timedelta(days=89)).isoformat()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"until": "tomorrow"}, "until"),
        ({"since": "2026-02-30"}, "since"),
        ({"since": ""}, "since"),
        ({"until": "+1"}, "until"),  # tomorrow: the future has no figures
        ({"since": "+1", "until": "+0"}, "since"),  # starts after it ends
        ({"since": "-366", "until": "+0"}, "since"),  # 367 days
        ({"since": "1999-12-31", "until": "2000-01-31"}, "since"),  # before the portal
        ({"until": "0001-01-01"}, "until"),
    ],
)
def test_a_period_that_cannot_be_is_refused_with_the_field_named(world, query, field):
    today = clock.today()

    def day(value: str) -> str:
        """ "+n" and "-n" are days from today."""
        if value[:1] in "+-" and value[1:].isdigit():
            return (today + timedelta(days=int(value))).isoformat()
        return value

    response = api_for(world.officers.se).get(SCORECARD, {k: day(v) for k, v in query.items()})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_a_year_is_the_longest_period(world):
    today = clock.today()
    since = (today - timedelta(days=365)).isoformat()
    response = api_for(world.officers.se).get(SCORECARD, {"since": since})
    assert response.status_code == 200
    assert response.json()["since"] == since


def test_citizens_and_callers_without_a_token_are_refused(world):
    citizen = api_for(world.citizen).get(SCORECARD)
    assert citizen.status_code == 403
    assert citizen.json()["error"]["code"] == "wrong_account"
    assert api_for(world.officers.se).get(SCORECARD).status_code == 200
    assert APIClient().get(SCORECARD).status_code == 401


def _queries(api) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(SCORECARD).status_code == 200
    return len(queries)


def test_the_endpoint_takes_the_same_queries_for_one_complaint_or_many(world):
    api = api_for(world.officers.se)
    _queries(api)  # the token's first use is recorded once
    resolve_and_rate(world, lodge(world), satisfied=True, rating=4)
    few = _queries(api)
    for rating in range(1, 6):
        resolve_and_rate(world, lodge(world), satisfied=rating > 2, rating=rating)
    lodge(world)
    assert _queries(api) == few
    assert few == 1 + MOST_QUERIES  # the token (with its user), then the figures


def test_the_schema_documents_the_operation_under_work():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    operation = paths[SCORECARD]["get"]
    assert operation["operationId"] == "work_scorecard"
    assert operation["tags"] == ["work"]
    assert {p["name"] for p in operation["parameters"]} == {"since", "until"}
    assert set(operation["responses"]) == {"200", "400", "401", "403", "429"}
