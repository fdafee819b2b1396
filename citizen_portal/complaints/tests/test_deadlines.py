"""Deadlines: the 75% warning, escalation up three supervisor levels to the head (in working
days, skipping the tier's holidays), the miss recorded against whoever held the post, the
feedback window and lapsed information requests. Time moves with the `travel` fixture."""

import threading
from datetime import date

import pytest
from django.db import connection

from citizen_portal.complaints.models import DeadlineMiss, DropReason, Status
from citizen_portal.complaints.services.officer_actions import (
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.complaints.services.sweeps import (
    sweep_deadlines,
    sweep_info_requests,
    sweep_silence,
    sweep_warnings,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import clock
from citizen_portal.directory.models import Holiday
from citizen_portal.directory.selectors.calendar import add_working_days
from citizen_portal.directory.tests.factories import PositionFactory, StaffFactory, hold, rule

pytestmark = pytest.mark.django_db(transaction=True)


def days_until(day: date | None) -> int:
    assert day is not None
    return (day - clock.today()).days


def actions(complaint):
    return list(complaint.events.order_by("seq").values_list("action", flat=True))


@pytest.fixture
def chain(world):
    """SDO → XEN → SE → CEO (the head): over-billing in Lahore goes to the SDO."""
    xen = PositionFactory(
        office=world.positions.se.office,
        title_en="Executive Engineer",
        supervisor=world.positions.se,
    )
    sdo = PositionFactory(office=world.positions.se.office, title_en="SDO", supervisor=xen)
    officers = {
        "xen": StaffFactory(username="lesco.xen"),
        "sdo": StaffFactory(username="lesco.sdo"),
    }
    hold(officers["xen"], xen)
    hold(officers["sdo"], sdo)
    rule(world.overbilling, world.lahore, sdo)
    return {
        "sdo": sdo,
        "xen": xen,
        "se": world.positions.se,
        "ceo": world.positions.ceo,
        **{f"{k}_officer": v for k, v in officers.items()},
    }


def _holiday(world, day, name):
    Holiday.objects.create(tier=world.tier, date=day, name_en=name)
    return day


def test_escalation_climbs_three_levels_to_the_head_skipping_holidays(
    world, chain, travel, settings
):
    today = clock.today()
    # A holiday inside the first deadline and one inside the first escalation period.
    first_holiday = _holiday(world, add_working_days(today, 3), "Quaid Day")
    complaint = lodge(world)
    assert complaint.assigned_position == chain["sdo"]
    assert complaint.due_on == add_working_days(today, 10, {first_holiday})

    period = settings.ESCALATION_WORKING_DAYS
    holders = []
    for expected in ("xen", "se", "ceo"):
        complaint.refresh_from_db()
        due = complaint.due_on
        # The day after the deadline, the sweep finds it overdue.
        travel(days=days_until(due) + 1)
        holders.append(complaint.assigned_position)
        if expected == "xen":
            second_holiday = _holiday(world, add_working_days(clock.today(), 2), "Iqbal Day")
        report = sweep_deadlines()
        assert report.escalated == 1
        complaint.refresh_from_db()
        assert complaint.assigned_position == chain[expected]
        holidays = {first_holiday, second_holiday}
        assert complaint.due_on == add_working_days(clock.today(), period, holidays)
        if expected == "xen":
            # Iqbal Day fell inside the XEN's period and pushed the deadline back a day.
            assert complaint.due_on > add_working_days(clock.today(), period)
        assert complaint.clock_started_on == clock.today()
        assert complaint.escalation_level == len(holders)

    misses = list(DeadlineMiss.objects.order_by("recorded_at", "pk"))
    assert [m.position for m in misses] == holders
    assert [m.holder for m in misses] == [
        chain["sdo_officer"],
        chain["xen_officer"],
        world.officers.se,
    ]
    assert [m.escalated_to for m in misses] == [chain["xen"], chain["se"], chain["ceo"]]

    # At the head there is nowhere further: the miss is recorded, the head gets a new period.
    travel(days=days_until(complaint.due_on) + 1)
    report = sweep_deadlines()
    assert (report.escalated, report.missed_at_top) == (0, 1)
    complaint.refresh_from_db()
    assert complaint.assigned_position == chain["ceo"]
    assert complaint.due_on > clock.today()
    assert (
        DeadlineMiss.objects.filter(position=chain["ceo"], holder=world.officers.ceo).count() == 1
    )
    assert actions(complaint)[-4:] == ["escalate", "escalate", "escalate", "deadline_missed"]


def test_a_sweep_before_the_deadline_does_nothing_and_sweeps_are_idempotent(world, travel):
    complaint = lodge(world)
    travel(days=days_until(complaint.due_on))
    assert sweep_deadlines().escalated == 0
    travel(days=1)
    assert sweep_deadlines().escalated == 1
    assert sweep_deadlines().escalated == 0
    assert DeadlineMiss.objects.count() == 1


def test_two_sweeps_at_once_escalate_once(world, travel):
    complaint = lodge(world)
    travel(days=days_until(complaint.due_on) + 1)
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait()
            sweep_deadlines()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    complaint.refresh_from_db()
    assert complaint.assigned_position == world.positions.ceo
    assert actions(complaint).count("escalate") == 1
    assert DeadlineMiss.objects.count() == 1


def test_a_vacant_post_misses_against_the_post_alone(world, travel):
    world.positions.se.holdings.update(ended_at=clock.now())
    complaint = lodge(world)
    travel(days=days_until(complaint.due_on) + 1)
    sweep_deadlines()
    [miss] = DeadlineMiss.objects.all()
    assert miss.position == world.positions.se
    assert miss.holder is None


def test_the_holder_is_warned_once_at_three_quarters_of_the_time(world, travel):
    complaint = lodge(world)
    assert sweep_warnings().warned == 0
    travel(days=days_until(complaint.warn_on))
    assert sweep_warnings().warned == 1
    assert sweep_warnings().warned == 0
    warning = complaint.events.get(action="deadline_warning")
    assert warning.is_public is False
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    assert complaint.warn_on is None


def test_paused_complaints_are_not_escalated(world, travel):
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="Please send the bill copy."
    )
    travel(days=14)
    assert sweep_deadlines().escalated == 0


def test_silence_closes_a_provisional_resolution_after_the_window(world, travel, settings):
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    travel(days=settings.FEEDBACK_WINDOW_DAYS - 1)
    assert sweep_silence().closed == 0
    travel(days=1, seconds=1)
    assert sweep_silence().closed == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert actions(complaint)[-1] == "silence_window"
    assert sweep_silence().closed == 0


def test_an_unanswered_request_lapses_into_a_drop_as_incomplete(world, travel, settings):
    complaint = lodge(world)
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="Please send the bill copy."
    )
    travel(days=settings.INFO_REQUEST_DAYS)
    assert sweep_info_requests().lapsed == 0
    travel(days=1)
    assert sweep_info_requests().lapsed == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.DROPPED
    assert complaint.drop_reason == DropReason.INCOMPLETE
    assert complaint.closed_at is not None


def test_the_deadline_counts_from_the_day_the_post_receives_it(world, travel):
    travel(days=2)
    complaint = lodge(world)
    assert complaint.clock_started_on == clock.today()
    start, warn, due = clock.today(), complaint.warn_on, complaint.due_on
    assert warn is not None
    assert due is not None
    assert start < warn <= due
    # Three quarters of the calendar span, rounded up to a whole day.
    assert (warn - start).days == -(-(due - start).days * 3 // 4)


def test_the_sweep_command_reports_what_it_did(world, travel):
    from io import StringIO

    from django.core.management import call_command

    complaint = lodge(world)
    travel(days=days_until(complaint.due_on) + 1)
    out = StringIO()
    call_command("sweep_complaints", stdout=out)
    assert "escalated 1," in out.getvalue()
