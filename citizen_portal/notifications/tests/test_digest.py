"""The officers' daily digest: overdue work first, then what falls due within two working days,
then the rest; once a day, and only to officers with something waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import clock
from citizen_portal.directory.selectors.calendar import add_working_days
from citizen_portal.notifications.models import Notification
from citizen_portal.notifications.services.digest import digests_build, digests_send
from citizen_portal.notifications.tasks import send_officer_digests

pytestmark = pytest.mark.django_db(transaction=True)


def _digests(user):
    return list(Notification.objects.filter(user=user, event__isnull=True).order_by("pk"))


def _digest_mails(smtp_server):
    return [m for m in smtp_server if b"Subject: Daily digest" in m.content]


def _due(complaint, due_on):
    Complaint.objects.filter(pk=complaint.pk).update(due_on=due_on)


def test_the_digest_lists_an_overdue_complaint_and_is_not_sent_twice_a_day(
    world, sms_outbox, smtp_server
):
    world.officers.se.email = "se@lesco.example.pk"
    world.officers.se.save()
    overdue, later = lodge(world), lodge(world)
    _due(overdue, clock.today() - timedelta(days=1))
    assert digests_send() == 1
    [digest] = _digests(world.officers.se)
    assert digest.title.startswith("Daily digest")
    assert "1 overdue" in digest.title
    assert "Overdue: 1" in digest.body
    assert overdue.reference in digest.body
    assert "Other complaints waiting for your action: 1" in digest.body
    [mail] = _digest_mails(smtp_server)
    assert mail.rcpt_tos == ["se@lesco.example.pk"]
    text = mail.content.decode()
    assert text.index(overdue.reference) < text.index(later.reference)
    assert f"/work/{overdue.reference}/" in text
    # A second run the same day (a retry, or a second worker) sends nothing more.
    assert digests_send() == 0
    send_officer_digests()
    assert len(_digests(world.officers.se)) == 1
    assert len(_digest_mails(smtp_server)) == 1
    # The next day brings the next digest.
    assert digests_send(clock.today() + timedelta(days=1)) == 1
    assert len(_digests(world.officers.se)) == 2


def test_officers_with_nothing_waiting_get_no_digest(world, sms_outbox):
    lodge(world)
    digests_send()
    assert len(_digests(world.officers.se)) == 1
    assert _digests(world.officers.ceo) == []
    assert _digests(world.officers.focal) == []
    assert _digests(world.citizen) == []


def test_due_within_two_working_days_is_due_soon(world, sms_outbox):
    soon, later = lodge(world), lodge(world)
    today = clock.today()
    _due(soon, add_working_days(today, 2))
    _due(later, add_working_days(today, 3))
    digest = digests_build(today)[world.officers.se.pk]
    assert digest.counts == {"overdue": 0, "soon": 1, "waiting": 1}
    assert [item.reference for item in digest.items["soon"]] == [soon.reference]


def test_a_vacant_posts_work_is_in_the_supervisors_digest(world, sms_outbox):
    world.positions.se.holdings.update(ended_at=timezone.now())
    complaint = lodge(world)
    _due(complaint, clock.today() - timedelta(days=2))
    digest = digests_build(clock.today())[world.officers.ceo.pk]
    [item] = digest.items["overdue"]
    assert item.reference == complaint.reference
    assert item.vacant_post == world.positions.se


def test_lists_stop_at_twenty_most_urgent_but_counts_stay_whole(world, sms_outbox):
    complaints = [lodge(world) for _ in range(22)]
    for n, complaint in enumerate(complaints):
        _due(complaint, clock.today() - timedelta(days=30 - n))
    digest = digests_build(clock.today())[world.officers.se.pk]
    assert digest.counts["overdue"] == 22
    assert [i.reference for i in digest.items["overdue"]] == [c.reference for c in complaints[:20]]


def test_building_the_digests_costs_the_same_few_queries_however_much_work(
    world, sms_outbox, django_assert_max_num_queries
):
    for _ in range(8):
        lodge(world)
        lodge(world, area=world.kasur)  # to the focal post, for triage
    with django_assert_max_num_queries(6):
        digests = digests_build(clock.today())
    assert digests[world.officers.se.pk].total == 8
    assert digests[world.officers.focal.pk].total == 8
