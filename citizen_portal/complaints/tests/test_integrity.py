"""A complaint's timeline cannot be rewritten quietly: the database refuses changes, and
whoever gets around it (the table's owner, a superuser) leaves a broken hash chain that
chain_break(), `manage.py verify_timelines` and the admin report."""

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citizen_portal.complaints.models import Complaint, Event
from citizen_portal.complaints.services.events import BrokenLink, chain_break, digest_of
from citizen_portal.complaints.services.generator import GeneratorInput, complaints_generate
from citizen_portal.complaints.services.integrity import ScanCounts, timelines_scan
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

immutability = importlib.import_module(
    "citizen_portal.complaints.migrations.0003_event_immutability"
)
TRIGGER = immutability.TRIGGER


@contextmanager
def trigger_bypassed() -> Iterator[None]:
    """What an attacker with the owner's or a superuser's rights can do: switch the trigger
    off, tamper, switch it on again (inside the test's transaction, so nothing leaks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while foreign-key checks wait for the commit (Django's are
            # deferred): run them now, and keep them immediate while tampering.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE complaints_event DISABLE TRIGGER {TRIGGER}")
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE complaints_event ENABLE TRIGGER {TRIGGER}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for sql in immutability.SQLITE_FORWARD:
                    cursor.execute(sql)


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def set_data(event, data, *, rehash=False):
    """Rewrite an event's data in SQL; with `rehash`, as an attacker who knows the hashing."""
    field = Event._meta.get_field("data")
    event.data = data
    new_hash = digest_of(event, event.complaint.reference) if rehash else event.hash
    raw(
        "UPDATE complaints_event SET data = %s, hash = %s WHERE id = %s",
        [field.get_db_prep_save(data, connection), new_hash, event.pk],
    )


def delete_event(complaint, seq):
    raw("DELETE FROM complaints_event WHERE complaint_id = %s AND seq = %s", [complaint.pk, seq])


def resolved(world):
    """A complaint with three events: lodge, auto_route, resolve."""
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.event_count == 3
    return complaint


def event(complaint, seq):
    return Event.objects.select_related("complaint").get(complaint=complaint, seq=seq)


def fresh(complaint):
    return Complaint.objects.get(pk=complaint.pk)


def verify(*args):
    """Run the command; returns (exit status, what it printed)."""
    out = StringIO()
    try:
        call_command("verify_timelines", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


# The database refuses -----------------------------------------------------------------------


def test_the_database_refuses_to_update_an_event(world):
    complaint = resolved(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(
            "UPDATE complaints_event SET to_status = %s WHERE complaint_id = %s",
            ["closed", complaint.pk],
        )
    assert list(complaint.events.values_list("to_status", flat=True)) == [
        "lodged",
        "assigned",
        "resolved",
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's trigger refuses UPDATE only: the test flush empties tables with DELETE",
)
def test_postgresql_refuses_to_delete_an_event(world):
    complaint = resolved(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        delete_event(complaint, 3)
    assert complaint.events.count() == 3


# Tampering is detected ----------------------------------------------------------------------


def test_timeline_is_a_hash_chain_that_exposes_tampering(world):
    complaint = resolved(world)
    assert chain_break(complaint) is None
    with trigger_bypassed():
        set_data(event(complaint, 3), {"remark": "forged"})
    assert chain_break(fresh(complaint)) == BrokenLink(3, "edited")


def test_an_edited_event_is_reported_at_its_seq(world):
    complaint = resolved(world)
    with trigger_bypassed():
        set_data(event(complaint, 2), {"rule": None, "note": "routed by hand"})
    assert chain_break(fresh(complaint)) == BrokenLink(2, "edited")


def test_a_deleted_middle_event_is_reported_missing(world):
    complaint = resolved(world)
    with trigger_bypassed():
        delete_event(complaint, 2)
    assert chain_break(fresh(complaint)) == BrokenLink(2, "missing")


def test_deleting_the_newest_event_is_reported_as_truncation(world):
    complaint = resolved(world)
    with trigger_bypassed():
        delete_event(complaint, 3)
    broken = chain_break(fresh(complaint))
    assert broken == BrokenLink(3, "truncated")
    assert "cut short" in broken.describe()


def test_an_edit_with_a_recomputed_hash_breaks_the_next_events_link(world):
    complaint = resolved(world)
    with trigger_bypassed():
        set_data(event(complaint, 2), {"rule": None}, rehash=True)
    # Event 2 hashes to its content again; event 3 still links to the old hash.
    assert event(complaint, 2).hash == digest_of(event(complaint, 2), complaint.reference)
    assert event(complaint, 3).prev_hash != event(complaint, 2).hash
    assert chain_break(fresh(complaint)) == BrokenLink(2, "edited")


def test_a_rehashed_newest_event_no_longer_matches_the_head_on_the_complaint(world):
    complaint = resolved(world)
    with trigger_bypassed():
        set_data(event(complaint, 3), {"remark": "Nothing was wrong."}, rehash=True)
    assert chain_break(fresh(complaint)) == BrokenLink(3, "edited")


# The command --------------------------------------------------------------------------------


def test_verify_command_exits_zero_when_every_timeline_is_intact(world):
    resolved(world)
    lodge(world)
    status, output = verify()
    assert status == 0
    assert output.strip() == "2 complaints checked, 0 broken"


def test_verify_command_names_each_broken_complaint_and_exits_non_zero(world):
    edited, intact, truncated = resolved(world), resolved(world), resolved(world)
    with trigger_bypassed():
        set_data(event(edited, 2), {"rule": 999})
        delete_event(truncated, 3)
    status, output = verify()
    assert status == 1
    lines = output.splitlines()
    assert lines == [
        f"{edited.reference} seq=2 edited: event #2 was changed after it was written",
        f"{truncated.reference} seq=3 truncated: "
        "the timeline was cut short: event #3 onwards is missing",
        "3 complaints checked, 2 broken",
    ]
    assert intact.reference not in output


def test_verify_command_checks_one_reference_or_those_lodged_since_a_day(world):
    old, new = resolved(world), resolved(world)
    Complaint.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    with trigger_bypassed():
        delete_event(old, 2)
    assert verify("--reference", new.reference) == (0, "1 complaints checked, 0 broken\n")
    status, output = verify("--reference", old.reference)
    assert (status, output.splitlines()[0]) == (
        1,
        f"{old.reference} seq=2 missing: event #2 is missing",
    )
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert verify("--since", since) == (0, "1 complaints checked, 0 broken\n")
    assert verify("--reference", "PB-0000") == (2, "")


@pytest.mark.django_db(transaction=True)
def test_verify_command_outside_a_transaction_reads_one_snapshot(world):
    # Outside the test's transaction the command runs as in production: on PostgreSQL in a
    # read-only REPEATABLE READ transaction of its own, elsewhere in autocommit.
    intact, edited = resolved(world), resolved(world)
    assert verify() == (0, "2 complaints checked, 0 broken\n")
    with transaction.atomic(), trigger_bypassed():
        set_data(event(edited, 1), {"channel": "sms"})
    with CaptureQueriesContext(connection) as queries:
        status, output = verify()
    snapshot = any("REPEATABLE READ" in query["sql"] for query in queries)
    assert snapshot == (connection.vendor == "postgresql")
    assert status == 1
    assert output.splitlines() == [
        f"{edited.reference} seq=1 edited: event #1 was changed after it was written",
        "2 complaints checked, 1 broken",
    ]
    assert intact.reference not in output


def test_the_scan_reads_all_events_in_one_stream_whatever_the_number_of_complaints(world):
    resolved(world)
    with CaptureQueriesContext(connection) as one:
        assert list(timelines_scan(Complaint.objects.all(), chunk_size=2)) == []
    for _ in range(5):
        resolved(world)
    counts = ScanCounts()
    with CaptureQueriesContext(connection) as six:
        assert list(timelines_scan(Complaint.objects.all(), counts=counts, chunk_size=2)) == []
    assert counts == ScanCounts(checked=6, broken=0)
    assert len(six) == len(one) == 2


def test_a_scan_over_generated_complaints_finds_exactly_the_tampered_one(world):
    complaints_generate(
        data=GeneratorInput(
            citizens=20, complaints=120, seed=5, anchor=date(2026, 3, 15), batch_size=50
        )
    )
    assert verify("--chunk-size=7") == (0, "120 complaints checked, 0 broken\n")
    victim = Complaint.objects.filter(event_count__gte=3).order_by("pk")[60]
    with trigger_bypassed():
        delete_event(victim, 2)  # auto_route: no feedback points at it
    found = list(timelines_scan(Complaint.objects.all(), chunk_size=7))
    assert [(c.reference, b) for c, b in found] == [(victim.reference, BrokenLink(2, "missing"))]


# The admin ----------------------------------------------------------------------------------


@pytest.fixture
def administrator(world):
    return StaffFactory(
        username="director.it", role="administrator", is_staff=True, is_superuser=True
    )


def test_admin_shows_whether_the_timeline_is_intact(client, world, administrator):
    good, bad = resolved(world), resolved(world)
    with trigger_bypassed():
        set_data(event(bad, 2), {"rule": 999})
    client.force_login(administrator)
    page = client.get(reverse("admin:complaints_complaint_change", args=[good.pk]))
    assert page.status_code == 200
    assert "Timeline integrity" in page.content.decode()
    assert "Intact (3 events)" in page.content.decode()
    page = client.get(reverse("admin:complaints_complaint_change", args=[bad.pk]))
    assert "Broken at event #2: changed after it was written" in page.content.decode()


def test_admin_action_reports_the_first_broken_link_of_each_selected_complaint(
    client, world, administrator
):
    good, bad = resolved(world), resolved(world)
    with trigger_bypassed():
        delete_event(bad, 3)
    client.force_login(administrator)
    page = client.post(
        reverse("admin:complaints_complaint_changelist"),
        {"action": "verify_timelines", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    ).content.decode()
    assert f"{bad.reference}: Broken at event #3: the timeline was cut short here" in page
    assert f"{good.reference}:" not in page
    assert "2 timelines checked: 1 broken." in page


def test_events_cannot_be_added_changed_or_deleted_in_the_admin(client, world, administrator):
    complaint = resolved(world)
    first = event(complaint, 1)
    client.force_login(administrator)
    assert client.get(reverse("admin:complaints_event_changelist")).status_code == 200
    assert client.get(reverse("admin:complaints_event_add")).status_code == 403
    change = reverse("admin:complaints_event_change", args=[first.pk])
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page
    assert client.post(change, {"action": "forged", "to_status": "closed"}).status_code == 403
    delete = client.post(reverse("admin:complaints_event_delete", args=[first.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert event(complaint, 1).action == first.action
    assert chain_break(fresh(complaint)) is None
