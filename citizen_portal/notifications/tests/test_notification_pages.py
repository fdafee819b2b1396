"""The notifications page: one's own messages, newest first, unread ones marked; reading one
marks it and opens its link; nobody opens or marks anyone else's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from citizen_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _note(user, title, *, url="/complaints/", read=False, age_minutes=0):
    notification = Notification.objects.create(
        user=user,
        title=title,
        body=f"Body of {title}",
        url=url,
        read_at=timezone.now() if read else None,
    )
    # created_at is set on insert; age it so that the order is known.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=age_minutes)
    )
    return notification


def test_the_page_shows_only_ones_own_newest_first_with_unread_marked(client, world):
    _note(world.citizen, "Older and read", read=True, age_minutes=10)
    _note(world.citizen, "Newer & unread", age_minutes=1)
    _note(world.other_citizen, "Someone else's")
    client.force_login(world.citizen)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Newer &amp; unread") < page.index("Older and read")
    assert "Someone else&#x27;s" not in page
    assert page.count('class="card unread"') == 1
    # The header counts what is unread.
    assert "1 unread" in page


def test_opening_one_marks_it_read_and_goes_to_its_link(client, world):
    notification = _note(world.citizen, "Complaint resolved", url="/complaints/PB-1/")
    client.force_login(world.citizen)
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/complaints/PB-1/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "unread" not in client.get(reverse("notifications:list")).content.decode()


def test_someone_elses_notification_is_not_found_and_stays_unread(client, world):
    notification = _note(world.other_citizen, "Not yours")
    client.force_login(world.citizen)
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_off_the_portal_is_never_followed(client, world):
    notification = _note(world.citizen, "Odd link", url="https://evil.example/")
    client.force_login(world.citizen)
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_marks_only_ones_own(client, world):
    for n in range(3):
        _note(world.citizen, f"Mine {n}")
    theirs = _note(world.other_citizen, "Theirs")
    client.force_login(world.citizen)
    assert "3 unread" in client.get(reverse("notifications:list")).content.decode()
    response = client.post(reverse("notifications:read_all"))
    assert response["Location"] == reverse("notifications:list")
    assert not Notification.objects.filter(user=world.citizen, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_needs_a_post(client, world):
    notification = _note(world.citizen, "Mine")
    client.force_login(world.citizen)
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_fifty_to_a_page(client, world):
    for n in range(51):
        _note(world.officers.se, f"Digest {n:02d}", age_minutes=n)
    client.force_login(world.officers.se)
    first = client.get(reverse("notifications:list")).content.decode()
    assert "Digest 00" in first
    assert "Digest 49" in first
    assert "Digest 50" not in first
    assert "Page 1 of 2" in first
    second = client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert "Digest 50" in second


def test_the_list_and_header_cost_a_few_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        _note(world.citizen, f"Note {n}")
    client.force_login(world.citizen)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
