"""The lodging limits (services/lodging_limits.py) at the citizen's own doors: the step-by-step
form and the offline form refuse past the hourly or daily limit, say how many and until when,
and keep what the citizen wrote; staff doors are neither refused nor counted."""

from __future__ import annotations

import threading
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import formats, timezone

from citizen_portal.complaints.models import Channel, Complaint
from citizen_portal.complaints.services.lodging_limits import LodgingLimitReached
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.tests.lodging_steps import fill_steps, step_url
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.intake.services.lodging import channel_lodge
from citizen_portal.intake.tests.conftest import general  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SUBJECT = "Transformer burnt out on our street"


@pytest.fixture
def limits(settings: Any) -> None:
    settings.LODGE_MAX_PER_HOUR = 3
    settings.LODGE_MAX_PER_DAY = 5


def lodged_ago(world: SimpleNamespace, *hours: float) -> list[Complaint]:
    """One complaint by the world's citizen for each of `hours`, lodged that long ago."""
    complaints = []
    for ago in hours:
        complaint = lodge(world)
        Complaint.objects.filter(pk=complaint.pk).update(
            created_at=timezone.now() - timedelta(hours=ago)
        )
        complaint.refresh_from_db()
        complaints.append(complaint)
    return complaints


def shown(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def citizen_client(world: SimpleNamespace) -> Client:
    client = Client()
    client.force_login(world.citizen)
    return client


def test_past_the_hourly_limit_the_review_says_until_when_and_keeps_the_draft(
    world: SimpleNamespace, limits: None
) -> None:
    oldest, _middle, _newest = lodged_ago(world, 0.5, 0.25, 0.1)
    client = citizen_client(world)
    key = fill_steps(client, world, subject=SUBJECT)
    refused = client.post(step_url("review"), {"idempotency_key": key})
    assert refused.status_code == 429
    # A place frees when the oldest of the three leaves the hour: in about 30 minutes.
    assert 29 * 60 <= int(refused["Retry-After"]) <= 30 * 60
    html = refused.content.decode()
    assert "You have lodged 3 complaints or suggestions in the past hour" in html
    assert f"You can lodge again after {shown(oldest.created_at + timedelta(hours=1))}" in html
    assert SUBJECT in html  # the draft is still there, ready to send
    assert Complaint.objects.count() == 3
    # Once the hour has passed, the same draft goes with the same button.
    Complaint.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - timedelta(hours=2))
    sent = client.post(step_url("review"), {"idempotency_key": key})
    assert sent.status_code == 302
    assert Complaint.objects.get(subject=SUBJECT).citizen == world.citizen


def test_past_the_daily_limit_the_offline_form_answers_429_with_the_text_kept(
    world: SimpleNamespace, limits: None
) -> None:
    """429, not 400: the service worker keeps a 429'd post on the phone and sends it later."""
    oldest, *_rest = lodged_ago(world, 20, 10, 5, 3, 2)
    client = citizen_client(world)
    posted = {
        "kind": "complaint",
        "category": world.overbilling.pk,
        "district": world.lahore.pk,
        "subject": SUBJECT,
        "description": "The transformer burnt out on Monday and nobody has come since.",
        "idempotency_key": "6c1e2f3a-4b5d-4e6f-8a9b-0c1d2e3f4a5b",
    }
    refused = client.post("/offline/lodge/", posted)
    assert refused.status_code == 429
    # The oldest of the five (20 hours ago) leaves the 24 hours in 4 hours.
    assert abs(int(refused["Retry-After"]) - 4 * 3600) <= 60
    html = refused.content.decode()
    assert "You have lodged 5 complaints or suggestions in the past 24 hours" in html
    assert shown(oldest.created_at + timedelta(hours=24)) in html
    assert f'value="{SUBJECT}"' in html
    assert Complaint.objects.count() == 5


def test_the_hour_and_the_day_each_hold_and_the_later_wait_is_given(
    world: SimpleNamespace, limits: None
) -> None:
    lodged_ago(world, 23, 22, 0.9, 0.5, 0.2)  # both full: the day frees in an hour
    with pytest.raises(LodgingLimitReached) as refused:
        lodge(world)
    assert refused.value.window == timedelta(hours=24)
    assert abs(refused.value.retry_after - 3600) <= 60
    # The citizen's neighbour is not held by the citizen's count.
    assert lodge(world, citizen=world.other_citizen).citizen == world.other_citizen


@pytest.mark.usefixtures("general")
def test_staff_doors_are_neither_refused_nor_counted(world: SimpleNamespace, limits: None) -> None:
    clerk = StaffFactory(username="mailroom.one")
    for _letter in range(4):  # past the hourly limit of 3: a clerk entering letters
        entered = channel_lodge(
            citizen=world.citizen,
            channel=Channel.LETTER,
            subject="Letter about the bill",
            description="The writer's bill doubled this month without any reason.",
            category=world.overbilling,
            area=world.lahore,
            entered_by=clerk,
        )
        assert entered.entered_by == clerk
    # The citizen's own three still fit.
    for _own in range(3):
        lodge(world)
    with pytest.raises(LodgingLimitReached):
        lodge(world)
    assert Complaint.objects.filter(citizen=world.citizen).count() == 7


@pytest.mark.usefixtures("general")
def test_sms_and_email_count_and_are_refused_like_the_web(
    world: SimpleNamespace, limits: None
) -> None:
    """What arrives by SMS or e-mail is lodged by the citizen's own hand: it counts, and past
    the limit the intake holds the message for review (intake/services/sms_inbound.py)."""
    for channel in [Channel.SMS, Channel.EMAIL, Channel.SMS]:
        channel_lodge(
            citizen=world.citizen, channel=channel, subject="", description="No power since noon"
        )
    with pytest.raises(LodgingLimitReached):
        channel_lodge(
            citizen=world.citizen, channel=Channel.SMS, subject="", description="Still no power"
        )
    assert Complaint.objects.filter(citizen=world.citizen).count() == 3


@pytest.mark.django_db(transaction=True)  # two threads, two connections, each commits
def test_two_lodgings_at_the_same_moment_cannot_both_take_the_last_place(
    world: SimpleNamespace, settings: Any
) -> None:
    """Both pass the early count (nothing lodged yet); the count under the citizen's row lock
    (PostgreSQL) or the IMMEDIATE transaction (SQLite) lets only one of them in."""
    settings.LODGE_MAX_PER_HOUR, settings.LODGE_MAX_PER_DAY = 1, 10
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            start.wait()
            lodge(world)
            outcomes.append("lodged")
        except LodgingLimitReached:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["lodged", "refused"]
    assert Complaint.objects.filter(citizen=world.citizen).count() == 1
