"""Limits at the API's doors: the citizens' lodging limits answer 429 with Retry-After in the
API's error shape; writes have a per-token rate of their own; logins are limited per address."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Complaint

pytestmark = pytest.mark.django_db

COMPLAINTS = "/api/v1/complaints/"


def details(subject: str = "Bill three times the usual") -> dict[str, str]:
    return {
        "category": "FED-LESCO.BILL.OVER",
        "area": "PK-PB-LHR-LHR",
        "subject": subject,
        "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
    }


def rates(settings: Any, **changed: str) -> None:
    framework = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {
        **framework,
        "DEFAULT_THROTTLE_RATES": {**framework["DEFAULT_THROTTLE_RATES"], **changed},
    }


def test_past_the_hourly_limit_lodging_answers_429_with_retry_after(
    world: SimpleNamespace, settings: Any
) -> None:
    settings.LODGE_MAX_PER_HOUR, settings.LODGE_MAX_PER_DAY = 2, 10
    api = api_for(world.citizen)
    for n in range(2):
        assert api.post(COMPLAINTS, details(f"Bill {n}"), format="json").status_code == 201
    refused = api.post(COMPLAINTS, details("One too many"), format="json")
    assert refused.status_code == 429
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    error = refused.json()["error"]
    assert error["code"] == "lodging_limit"
    assert error["message"].startswith(
        "You have lodged 2 complaints or suggestions in the past hour"
    )
    assert error["fields"] == {}
    assert not Complaint.objects.filter(subject="One too many").exists()
    # Reading is not limited: the citizen still lists and opens their complaints.
    listed = api.get(COMPLAINTS)
    assert listed.status_code == 200
    assert len(listed.json()["results"]) == 2


def test_a_retry_of_the_lodging_that_filled_the_limit_returns_it(
    world: SimpleNamespace, settings: Any
) -> None:
    settings.LODGE_MAX_PER_HOUR, settings.LODGE_MAX_PER_DAY = 1, 10
    api = api_for(world.citizen)
    key = "3f0a9c1e-5b7d-4e2f-9a8b-6c5d4e3f2a1b"
    first = api.post(COMPLAINTS, details(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201
    # The app did not hear the answer and sends it again: the same complaint, not a 429.
    again = api.post(COMPLAINTS, details(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 200
    assert again.json()["reference"] == first.json()["reference"]
    assert api.post(COMPLAINTS, details("Another"), format="json").status_code == 429


def test_a_limit_once_past_lets_the_citizen_lodge_again(
    world: SimpleNamespace, settings: Any
) -> None:
    settings.LODGE_MAX_PER_HOUR, settings.LODGE_MAX_PER_DAY = 1, 10
    api = api_for(world.citizen)
    assert api.post(COMPLAINTS, details(), format="json").status_code == 201
    Complaint.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert api.post(COMPLAINTS, details("Next hour"), format="json").status_code == 201


def test_writes_have_a_per_token_rate_and_reads_do_not_count_against_it(
    world: SimpleNamespace, settings: Any
) -> None:
    rates(settings, token_write="2/min")
    api = api_for(world.citizen)
    for n in range(2):
        assert api.post(COMPLAINTS, details(f"Bill {n}"), format="json").status_code == 201
    throttled = api.post(COMPLAINTS, details("Third"), format="json")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) >= 1
    assert throttled.json()["error"]["code"] == "throttled"
    assert api.get(COMPLAINTS).status_code == 200
    # Another token (the citizen's other phone) has its own count.
    other_phone = api_for(world.citizen)
    assert other_phone.post(COMPLAINTS, details("Fourth"), format="json").status_code == 201


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/staff/", {"username": "lesco.se", "password": "wrong", "code": "123456"}),
        (
            "/api/v1/auth/verify/",
            {"challenge": "1.nonce", "code": "123456", "password": "wrong"},
        ),
    ],
)
def test_logins_are_limited_per_address(
    world: SimpleNamespace, settings: Any, path: str, body: dict[str, str]
) -> None:
    rates(settings, login="2/min")
    client = APIClient()
    for _attempt in range(2):
        assert client.post(path, body, format="json").status_code in {400, 403}
    refused = client.post(path, body, format="json")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"
    # Another address is not held by this one's count.
    other = client.post(path, body, format="json", REMOTE_ADDR="203.0.113.9")
    assert other.status_code in {400, 403}
