"""The officer's scorecard: each figure built with the real services on a small world and
checked against a count by hand. Over-billing in Lahore goes to the SDO, who reports to the
XEN, the SE and the CEO; the clock moves with `travel`. Definitions: docs/performance.md."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizen_portal.complaints.models import Complaint, DeadlineMiss, Kind, Outcome, Status
from citizen_portal.complaints.selectors.performance import (
    MEDIAN,
    period_of,
    resolution_days,
    resolutions,
    scorecard_for,
)
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import (
    complaint_mark_down,
    complaint_resolve,
    complaint_return_up,
)
from citizen_portal.complaints.services.sweeps import sweep_deadlines
from citizen_portal.complaints.services.transition import _transition
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.transitions import Action, Actor
from citizen_portal.core import clock
from citizen_portal.directory.models import PositionHolding
from citizen_portal.directory.tests.factories import PositionFactory, StaffFactory, hold, rule

pytestmark = pytest.mark.django_db(transaction=True)

MOST_QUERIES = 6


@pytest.fixture
def chain(world):
    """SDO → XEN → SE → CEO: over-billing in Lahore goes to the SDO."""
    xen = PositionFactory(
        office=world.positions.se.office,
        title_en="Executive Engineer",
        supervisor=world.positions.se,
    )
    sdo = PositionFactory(office=world.positions.se.office, title_en="SDO", supervisor=xen)
    xen_officer, sdo_officer = (
        StaffFactory(username="lesco.xen"),
        StaffFactory(username="lesco.sdo"),
    )
    hold(xen_officer, xen)
    hold(sdo_officer, sdo)
    rule(world.overbilling, world.lahore, sdo)
    return {"sdo": sdo, "xen": xen, "sdo_officer": sdo_officer, "xen_officer": xen_officer}


def resolve(complaint, officer):
    return complaint_resolve(
        complaint=complaint, officer=officer, remark="Meter replaced; bill fixed."
    )


def feedback(world, complaint, *, satisfied, rating):
    return complaint_give_feedback(
        complaint=complaint,
        citizen=world.citizen,
        data=FeedbackInput(satisfied=satisfied, rating=rating, comment=""),
    )


def days_to(day: date | None) -> int:
    assert day is not None
    return (day - clock.today()).days


def test_an_officer_with_nothing_yet_has_zeros_and_no_median_or_satisfaction(world, chain):
    card = scorecard_for(chain["sdo_officer"])
    assert (card.received, card.resolved, card.resolved_on_time) == (0, 0, 0)
    assert (card.overdue, card.overdue_now, card.missed, card.reopened) == (0, 0, 0, 0)
    assert (card.median_days, card.p90_days, card.satisfaction, card.average_rating) == (
        None,
        None,
        None,
        None,
    )
    assert card.until == clock.today()
    assert card.since == clock.today() - timedelta(days=89)


def test_received_counts_each_complaint_that_reached_the_officers_post_once(world, chain):
    sdo, xen = chain["sdo_officer"], chain["xen_officer"]
    first, _second, _third = lodge(world), lodge(world), lodge(world)
    # Up to the XEN and back down: the XEN received it once, the SDO still once.
    complaint_return_up(complaint=first, officer=sdo, remark="This needs the XEN's approval.")
    complaint_mark_down(
        complaint=first, officer=xen, to=chain["sdo"], instructions="Approved; replace the meter."
    )
    # A suggestion goes to the focal person, and is not a complaint received.
    complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            kind=Kind.SUGGESTION,
            subject="Print bills in Urdu",
            description="Many people in my street cannot read the English bill.",
        ),
    )
    assert scorecard_for(sdo).received == 3
    assert scorecard_for(xen).received == 1
    assert scorecard_for(world.officers.focal).received == 0
    # The SE's chain saw none of it arrive at the SE's post.
    assert scorecard_for(world.officers.se).received == 0


def test_an_officer_who_moved_posts_mid_period_is_credited_at_each_post_only_while_holding_it(
    world, chain, travel
):
    mover, old_xen = chain["sdo_officer"], chain["xen_officer"]
    successor = StaffFactory(username="lesco.sdo2")
    first, second = lodge(world), lodge(world)  # reach the SDO post while the mover holds it
    resolve(first, mover)
    travel(days=10)
    # The mover becomes XEN; a successor takes the SDO post.
    now = clock.now()
    PositionHolding.objects.filter(ended_at__isnull=True, user__in=[mover, old_xen]).update(
        ended_at=now
    )
    PositionHolding.objects.create(user=mover, position=chain["xen"], started_at=now)
    PositionHolding.objects.create(user=successor, position=chain["sdo"], started_at=now)
    third, fourth = lodge(world), lodge(world)  # the successor's
    complaint_return_up(
        complaint=fourth, officer=successor, remark="This needs the XEN's approval."
    )
    resolve(second, successor)  # it reached the post before the successor: not received by them
    resolve(third, successor)

    moved = scorecard_for(mover)
    assert moved.received == 3  # first and second at the SDO post; fourth at the XEN post
    assert moved.resolved == 1
    taking_over = scorecard_for(successor)
    assert (taking_over.received, taking_over.resolved) == (2, 2)
    assert scorecard_for(old_xen).received == 0
    # Looking only at the days before the move: the mover's SDO work alone.
    before = scorecard_for(mover, until=clock.today() - timedelta(days=1))
    assert (before.received, before.resolved) == (2, 1)


def test_resolved_on_time_means_on_or_before_the_due_date_in_force(world, chain, travel):
    sdo = chain["sdo_officer"]
    early, on_the_day, late = lodge(world), lodge(world), lodge(world)
    resolve(early, sdo)
    travel(days=days_to(on_the_day.due_on))
    resolve(on_the_day, sdo)
    travel(days=1)  # past due, before any sweep could escalate it
    resolve(late, sdo)
    card = scorecard_for(sdo)
    assert (card.resolved, card.resolved_on_time) == (3, 2)


def test_a_resolution_is_judged_by_the_due_date_it_recorded_even_after_an_appeal(
    world, chain, travel
):
    # When resolutions record the due date in force (docs/performance.md), that date decides,
    # not the later one an appeal gave the complaint. Resolved one day late, then disputed:
    sdo = chain["sdo_officer"]
    complaint = lodge(world)
    due = complaint.due_on
    assert due is not None
    travel(days=days_to(due) + 1)
    _transition(
        complaint_id=complaint.pk,
        action=Action.RESOLVE,
        actor=Actor.HOLDER,
        user=sdo,
        target=Status.RESOLVED,
        data={
            "outcome": Outcome.RELIEF_GRANTED,
            "remark": "Bill fixed.",
            "due_on": due.isoformat(),
        },
        fields={"resolved_at": clock.now(), "outcome": Outcome.RELIEF_GRANTED},
    )
    feedback(world, complaint, satisfied=False, rating=2)
    complaint.refresh_from_db()
    assert complaint.due_on is not None
    assert complaint.due_on > clock.today()  # the reviewer's
    card = scorecard_for(sdo)
    assert (card.resolved, card.resolved_on_time, card.reopened) == (1, 0, 1)


def test_overdue_counts_deadlines_passed_at_their_posts_now_and_those_escalated_away(
    world, chain, travel
):
    sdo, xen = chain["sdo_officer"], chain["xen_officer"]
    first, _second = lodge(world), lodge(world)
    travel(days=days_to(first.due_on) + 1)
    assert sweep_deadlines().escalated == 2  # both escalated to the XEN, missed by the SDO
    third = lodge(world)
    travel(days=days_to(third.due_on) + 1)  # the sweep has not run since

    card = scorecard_for(sdo)
    assert (card.overdue_now, card.missed, card.overdue) == (1, 2, 3)
    # The XEN got the two with the escalation period, which has run out too.
    above = scorecard_for(xen)
    assert (above.received, above.overdue_now, above.missed) == (2, 2, 0)
    # "Now" belongs only to a period that runs to today.
    earlier = scorecard_for(sdo, until=clock.today() - timedelta(days=1))
    assert (earlier.overdue_now, earlier.missed) == (0, 2)
    assert DeadlineMiss.objects.filter(holder=sdo).count() == 2


def test_a_disputed_resolution_is_reopened_against_the_resolver_not_the_reviewer(world, chain):
    sdo, xen = chain["sdo_officer"], chain["xen_officer"]
    disputed, confirmed = lodge(world), lodge(world)
    resolve(disputed, sdo)
    resolve(confirmed, sdo)
    feedback(world, disputed, satisfied=False, rating=1)  # the appeal goes to the XEN
    feedback(world, confirmed, satisfied=True, rating=4)
    assert Complaint.objects.get(pk=disputed.pk).assigned_position == chain["xen"]
    resolve(disputed, xen)
    feedback(world, disputed, satisfied=True, rating=5)

    card = scorecard_for(sdo)
    assert (card.resolved, card.reopened, card.feedback, card.satisfied) == (2, 1, 2, 1)
    assert card.satisfaction == 50
    assert card.average_rating == 2.5
    reviewer = scorecard_for(xen)
    assert (reviewer.received, reviewer.resolved, reviewer.reopened) == (1, 1, 0)
    assert (reviewer.satisfaction, reviewer.average_rating) == (100, 5)


def test_days_to_resolve_run_from_the_last_arrival_at_the_post(world, chain, travel):
    sdo, xen = chain["sdo_officer"], chain["xen_officer"]
    two, four, five, nine = (lodge(world) for _ in range(4))
    travel(days=1)
    complaint_return_up(complaint=five, officer=sdo, remark="This needs the XEN's approval.")
    travel(days=1)
    resolve(two, sdo)  # day 2: 2 days
    travel(days=1)
    complaint_mark_down(
        complaint=five, officer=xen, to=chain["sdo"], instructions="Approved; go ahead."
    )
    travel(days=1)
    resolve(four, sdo)  # day 4: 4 days
    travel(days=4)
    resolve(five, sdo)  # day 8: 5 days since it came back down on day 3

    card = scorecard_for(sdo)
    assert card.median_days == pytest.approx(4, abs=0.01)  # of 2, 4, 5
    assert card.p90_days == pytest.approx(4.8, abs=0.01)  # 4 + 0.8 × (5 − 4)
    # Alone, the median needs only the middle row.
    (median,) = resolution_days(resolutions(sdo, period_of()), [MEDIAN])
    assert median == pytest.approx(4, abs=0.01)
    travel(days=1)
    resolve(nine, sdo)  # day 9: 9 days
    card = scorecard_for(sdo)
    assert card.median_days == pytest.approx(4.5, abs=0.01)  # of 2, 4, 5, 9
    assert card.p90_days == pytest.approx(7.8, abs=0.01)  # 5 + 0.7 × (9 − 5)


def test_only_what_happened_in_the_period_counts(world, chain, travel):
    sdo = chain["sdo_officer"]
    resolve(lodge(world), sdo)
    first_day = clock.today()
    travel(days=100)
    resolve(lodge(world), sdo)
    assert (scorecard_for(sdo).received, scorecard_for(sdo).resolved) == (1, 1)
    then = scorecard_for(sdo, since=first_day, until=first_day)
    assert (then.received, then.resolved) == (1, 1)
    assert then.median_days == pytest.approx(0, abs=0.01)  # resolved the day it arrived
    both = scorecard_for(sdo, since=first_day)
    assert (both.received, both.resolved) == (2, 2)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="cannot end before it starts"):
        period_of(date(2026, 5, 2), date(2026, 5, 1))


def _busy_world(world, chain, travel, size):
    sdo = chain["sdo_officer"]
    complaints = [lodge(world) for _ in range(size)]
    for complaint in complaints[: size // 2 or 1]:
        resolve(complaint, sdo)
        feedback(world, complaint, satisfied=complaint.pk % 2 == 0, rating=3)
    travel(days=days_to(complaints[-1].due_on) + 1)
    sweep_deadlines()
    lodge(world)
    return sdo


@pytest.mark.parametrize("size", [1, 12])
def test_the_scorecard_takes_the_same_few_queries_however_many_complaints(
    world, chain, travel, size
):
    sdo = _busy_world(world, chain, travel, size)
    with CaptureQueriesContext(connection) as queries:
        card = scorecard_for(sdo)
    assert len(queries) == MOST_QUERIES
    assert card.resolved == size // 2 or 1
    assert card.received == size + 1


def test_the_worked_example_of_docs_performance_md(world, chain, travel):
    sdo, xen = chain["sdo_officer"], chain["xen_officer"]
    a, b, c, d = (lodge(world) for _ in range(4))
    travel(days=1)
    complaint_return_up(complaint=c, officer=sdo, remark="This needs the XEN's approval.")
    travel(days=1)
    resolve(a, sdo)
    feedback(world, a, satisfied=True, rating=5)
    travel(days=1)
    complaint_mark_down(
        complaint=c, officer=xen, to=chain["sdo"], instructions="Approved; go ahead."
    )
    travel(days=1)
    resolve(b, sdo)
    feedback(world, b, satisfied=False, rating=1)
    travel(days=2)
    resolve(b, xen)
    travel(days=2)
    resolve(c, sdo)
    travel(days=days_to(d.due_on) + 1)
    assert sweep_deadlines().escalated == 1

    low, high = scorecard_for(sdo), scorecard_for(xen)
    assert (low.received, low.resolved, low.resolved_on_time) == (4, 3, 3)
    assert (low.overdue, low.missed, low.reopened) == (1, 1, 1)
    assert low.median_days == pytest.approx(4, abs=0.01)
    assert (low.satisfaction, low.feedback, low.average_rating) == (50, 2, 3)
    assert (high.received, high.resolved, high.resolved_on_time) == (3, 1, 1)
    assert (high.overdue, high.reopened) == (0, 0)
    assert high.median_days == pytest.approx(2, abs=0.01)
    assert high.satisfaction is None
