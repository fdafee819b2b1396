"""The notifications API: one's own messages only, newest first a page at a time with the unread
count, marking one or all read; anyone else's message is as good as absent."""

import base64
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from citizen_portal.api.services.tokens import token_issue
from citizen_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def signed_in(user, *, second_factor=False):
    _, raw = token_issue(user=user, second_factor=second_factor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def note(user, title, *, age_minutes=0, read=False, complaint=None):
    notification = Notification.objects.create(
        user=user,
        title=title,
        body=f"Body of {title}",
        url="/complaints/",
        complaint=complaint,
        read_at=timezone.now() if read else None,
    )
    # created_at is set on insert; age it so that the order is known.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=age_minutes)
    )
    return notification


def test_the_list_shows_only_ones_own_newest_first_with_the_unread_count(world):
    note(world.citizen, "Older and read", age_minutes=10, read=True)
    newer = note(world.citizen, "Newer and unread", age_minutes=1)
    note(world.other_citizen, "Someone else's")
    response = signed_in(world.citizen).get("/api/v1/notifications/")
    assert response.status_code == 200
    page = response.json()
    assert [n["title"] for n in page["results"]] == ["Newer and unread", "Older and read"]
    assert page["unread_count"] == 1
    assert (page["next"], page["previous"]) == (None, None)
    first = page["results"][0]
    assert first["id"] == newer.pk
    assert first["body"] == "Body of Newer and unread"
    assert first["url"] == "/complaints/"
    assert (first["complaint"], first["read_at"], first["is_read"]) == (None, None, False)
    assert page["results"][1]["is_read"] is True


def test_a_notification_names_its_complaint_by_reference(world):
    from citizen_portal.complaints.tests.factories import lodge

    complaint = lodge(world)
    note(world.citizen, "About the bill", complaint=complaint)
    results = signed_in(world.citizen).get("/api/v1/notifications/").json()["results"]
    ours = next(n for n in results if n["title"] == "About the bill")
    assert ours["complaint"] == complaint.reference


def test_pages_follow_one_another_without_repeats_even_as_new_ones_arrive(world):
    for n in range(25):
        note(world.citizen, f"Note {n}", age_minutes=n)
    client = signed_in(world.citizen)
    first = client.get("/api/v1/notifications/").json()
    assert len(first["results"]) == 20
    assert first["unread_count"] == 25
    note(world.citizen, "Brand new")  # arrives while the user reads the first page
    second = client.get(first["next"]).json()
    titles = [n["title"] for n in first["results"] + second["results"]]
    assert titles == [f"Note {n}" for n in range(25)]
    assert second["next"] is None
    assert second["unread_count"] == 26


def test_the_page_size_can_be_chosen_up_to_a_hundred(world):
    for n in range(5):
        note(world.citizen, f"Note {n}", age_minutes=n)
    client = signed_in(world.citizen)
    page = client.get("/api/v1/notifications/", {"page_size": 2}).json()
    assert len(page["results"]) == 2
    assert page["next"] is not None


@pytest.mark.parametrize(
    "cursor",
    [
        "bogus",
        "\x00å",
        base64.b64encode(b"p=not-a-date").decode(),  # well-formed, with a position that is no date
        base64.b64encode(b"p=2026-13-45 10:00:00").decode(),
    ],
)
def test_a_forged_cursor_is_not_found_in_the_error_shape(world, cursor):
    note(world.citizen, "Mine")
    response = signed_in(world.citizen).get("/api/v1/notifications/", {"cursor": cursor})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("size", ["0", "101", "ten", ""])
def test_a_bad_page_size_is_refused_rather_than_ignored(world, size):
    response = signed_in(world.citizen).get("/api/v1/notifications/", {"page_size": size})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["page_size"]


def test_marking_one_read_records_when_and_lowers_the_count(world):
    notification = note(world.citizen, "Unread")
    note(world.citizen, "Also unread", age_minutes=5)
    client = signed_in(world.citizen)
    response = client.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["is_read"]) == (notification.pk, True)
    assert body["read_at"] is not None
    assert client.get("/api/v1/notifications/").json()["unread_count"] == 1


def test_marking_one_read_twice_keeps_the_first_time(world, travel):
    notification = note(world.citizen, "Unread")
    client = signed_in(world.citizen)
    first = client.post(f"/api/v1/notifications/{notification.pk}/read/").json()["read_at"]
    travel(hours=2)
    again = client.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert again.status_code == 200
    assert again.json()["read_at"] == first


def test_someone_elses_notification_is_not_found_and_stays_unread(world):
    theirs = note(world.other_citizen, "Not yours")
    response = signed_in(world.citizen).post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("raw_id", ["abc", "0", "-1", "1.5", "99999999999999999999999", "١٢"])
def test_an_id_that_cannot_exist_is_not_found_in_the_error_shape(world, raw_id):
    response = signed_in(world.citizen).post(f"/api/v1/notifications/{raw_id}/read/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_mark_all_read_marks_only_ones_own(world):
    for n in range(3):
        note(world.citizen, f"Mine {n}")
    note(world.citizen, "Already read", read=True)
    theirs = note(world.other_citizen, "Theirs")
    response = signed_in(world.citizen).post("/api/v1/notifications/read-all/")
    assert response.status_code == 200
    assert response.json() == {"marked": 3, "unread_count": 0}
    assert not Notification.objects.filter(user=world.citizen, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_officer_with_a_second_factor_token_reads_their_own(world):
    note(world.officers.se, "Complaint assigned to you")
    note(world.citizen, "For the citizen")
    page = signed_in(world.officers.se, second_factor=True).get("/api/v1/notifications/").json()
    assert [n["title"] for n in page["results"]] == ["Complaint assigned to you"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/notifications/"),
        ("post", "/api/v1/notifications/1/read/"),
        ("post", "/api/v1/notifications/read-all/"),
    ],
)
def test_without_a_token_nothing_is_shown_or_changed(world, method, path):
    note(world.citizen, "Private")
    response = getattr(APIClient(), method)(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert Notification.objects.get().read_at is None


def test_the_list_costs_a_few_queries(world, django_assert_max_num_queries):
    from citizen_portal.complaints.tests.factories import lodge

    complaint = lodge(world)
    for n in range(30):
        note(world.citizen, f"Note {n}", complaint=complaint if n % 2 else None)
    client = signed_in(world.citizen)
    # The token (1), recording its use (1, at most once a minute), the page (1), the count (1).
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/notifications/")
    assert len(response.json()["results"]) == 20
