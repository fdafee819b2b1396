"""The rollups equal a direct count over the complaints, their events and the citizens'
feedback, after random sequences of lifecycle actions — transfers to another department
(which move a complaint's past "lodged" to it), appeals, drops, missed deadlines — with
refreshes in between, so that every change is applied as a difference, never recomputed.

The direct count here reads the source tables with the ORM and groups in Python; it shares
nothing with services/rollups.py but the definitions in docs/dashboards.md."""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from citizen_portal.analytics.models import MEASURES, Backlog, Flow, FlowMonth, Scope, Slice
from citizen_portal.analytics.services.rebuild import rollups_rebuild
from citizen_portal.analytics.services.rollups import rollups_refresh
from citizen_portal.complaints.models import (
    OPEN_STATUSES,
    Action,
    Channel,
    Complaint,
    DropReason,
    Event,
    Feedback,
    Kind,
    Status,
)
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import (
    complaint_drop,
    complaint_mark_down,
    complaint_resolve,
    complaint_transfer,
)
from citizen_portal.complaints.services.sweeps import sweep_all
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, Position, PositionHolding
from citizen_portal.directory.tests.factories import CategoryFactory, PositionFactory, hold, rule

pytestmark = pytest.mark.django_db

CHANNELS = [c.value for c in Channel]
RUNNING = {Status.ASSIGNED, Status.TRIAGE}


def _day(moment) -> date:
    return timezone.localtime(moment).date()


def _district(complaint: Complaint) -> int:
    unit: AdminUnit | None = complaint.area
    while unit is not None:
        if unit.level == "district":
            return unit.pk
        unit = unit.parent
    return 0


def _expected(
    *, departments: dict[int, list[int]]
) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """Every Flow and Backlog cell, counted from the source tables."""
    flows: Counter[tuple[Any, ...]] = Counter()
    complaints = {
        c.pk: c
        for c in Complaint.objects.select_related(
            "department", "area__parent__parent__parent"
        ).all()
    }
    offices = dict(Position.objects.values_list("pk", "office_id"))

    def cells(complaint, position, upper=True, lower=True):
        """The (scope, scope id, slice, slice id) cells a fact of the complaint counts in."""
        scopes = []
        if upper:
            scopes += [(Scope.NATION, 0), (Scope.TIER, complaint.department.tier_id)]
            scopes += [(Scope.DEPARTMENT, d) for d in departments[complaint.department_id]]
        if lower and position:
            scopes += [(Scope.OFFICE, offices[position]), (Scope.POSITION, position)]
        slices = [
            (Slice.ALL, 0),
            (Slice.DISTRICT, _district(complaint)),
            (Slice.CATEGORY, complaint.category_id),
            (Slice.CHANNEL, CHANNELS.index(complaint.channel)),
        ]
        return [(*scope, *slice_) for scope in scopes for slice_ in slices]

    def add(measure, day, complaint, position, value=1, upper=True, lower=True):
        for cell in cells(complaint, position, upper, lower):
            flows[(day, *cell, measure)] += value

    resolved_ever = set(
        Event.objects.filter(action=Action.RESOLVE).values_list("complaint_id", flat=True)
    )
    for event in Event.objects.order_by("complaint_id", "seq"):
        complaint = complaints[event.complaint_id]
        day = _day(event.created_at)
        if complaint.kind == Kind.SUGGESTION:
            if event.action == Action.LODGE:
                add("suggestions", day, complaint, None, lower=False)
            continue
        if event.action == Action.LODGE:
            add("lodged", day, complaint, None, lower=False)
            if complaint.status in (Status.RESOLVED, Status.CLOSED) and complaint.pk in (
                resolved_ever
            ):
                add("lodged_resolved", day, complaint, None, lower=False)
        moved = event.from_position_id != event.to_position_id
        if event.to_status in RUNNING and event.to_position_id and moved:
            add("received", day, complaint, event.to_position_id, upper=False)
        if event.action == Action.RESOLVE:
            add("resolved", day, complaint, event.to_position_id)
            due = event.data.get("due_on")
            due = date.fromisoformat(due) if due else complaint.due_on
            if due and day <= due:
                add("on_time", day, complaint, event.to_position_id)
        if event.to_status == Status.CLOSED:
            add("closed", day, complaint, event.from_position_id)
        if event.to_status == Status.DROPPED:
            add("dropped", day, complaint, event.from_position_id)
        if event.action in (Action.ESCALATE, Action.DEADLINE_MISSED):
            add("escalated", day, complaint, event.from_position_id)
        if event.action == Action.DISPUTE:
            add("disputed", day, complaint, event.from_position_id)
    # Feedback from its own table: one row per verdict, credited to the resolution's post, on
    # the day of the verdict's event (the row's own time is the wall clock's, which the tests'
    # travel does not move).
    verdicts = {
        (e.complaint_id, e.seq): e.created_at
        for e in Event.objects.filter(action__in=[Action.CONFIRM, Action.DISPUTE])
    }
    for feedback in Feedback.objects.select_related("resolution_event"):
        complaint = complaints[feedback.complaint_id]
        after = feedback.resolution_event.seq
        day = _day(
            min(at for (pk, seq), at in verdicts.items() if pk == complaint.pk and seq > after)
        )
        post = feedback.resolution_event.to_position_id
        add("feedback", day, complaint, post)
        if feedback.satisfied:
            add("satisfied", day, complaint, post)
        add("rating_sum", day, complaint, post, value=feedback.rating)
    backlog: Counter[tuple[Any, ...]] = Counter()
    for complaint in complaints.values():
        if complaint.kind != Kind.COMPLAINT or complaint.status not in OPEN_STATUSES:
            continue
        running = complaint.status in RUNNING and complaint.due_on is not None
        due = complaint.due_on if running else date(9999, 12, 31)
        for cell in cells(complaint, complaint.assigned_position_id):
            backlog[(*cell, due, "open")] += 1
            if running:
                backlog[(*cell, due, "running")] += 1
    return +flows, +backlog


def _stored() -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    flows: Counter[tuple[Any, ...]] = Counter()
    for row in Flow.objects.all():
        for measure in MEASURES:
            value = getattr(row, measure)
            if value:
                key = (row.day, row.scope, row.scope_id, row.slice, row.slice_id, measure)
                flows[key] = value
    backlog: Counter[tuple[Any, ...]] = Counter()
    for cell in Backlog.objects.all():
        for measure in ("open", "running"):
            value = getattr(cell, measure)
            if value:
                backlog[
                    (cell.scope, cell.scope_id, cell.slice, cell.slice_id, cell.due_on, measure)
                ] = value
    return flows, backlog


def _months(flows: Counter[tuple[Any, ...]]) -> Counter[tuple[Any, ...]]:
    """The day cells summed per calendar month."""
    months: Counter[tuple[Any, ...]] = Counter()
    for (day, *rest), value in flows.items():
        months[(day.replace(day=1), *rest)] += value
    return +months


def _stored_months() -> Counter[tuple[Any, ...]]:
    found: Counter[tuple[Any, ...]] = Counter()
    for row in FlowMonth.objects.all():
        for measure in MEASURES:
            value = getattr(row, measure)
            if value:
                found[(row.day, row.scope, row.scope_id, row.slice, row.slice_id, measure)] = value
    return found


def _departments(world: SimpleNamespace) -> dict[int, list[int]]:
    from citizen_portal.directory.models import Department

    parents = dict(Department.objects.values_list("pk", "parent_id"))
    chains: dict[int, list[int]] = {}
    for pk in parents:
        chain, node = [], pk
        while node is not None:
            chain.append(node)
            node = parents[node]
        chains[pk] = chain
    return chains


def _setup(world: SimpleNamespace) -> SimpleNamespace:
    """A second department to transfer to, and a subordinate post to mark down to."""
    from citizen_portal.directory.models import Department
    from citizen_portal.directory.tests.factories import AdminUnitFactory

    wasa = Department.objects.get(code="PB-WASA")
    sewer = CategoryFactory(code="PB-WASA.SEWER", department=wasa, name_en="Sewerage")
    director = Position.objects.get(office__department=wasa)
    rule(sewer, world.punjab, director)
    xen = PositionFactory(
        office=world.positions.se.office,
        title_en="Executive Engineer",
        supervisor=world.positions.se,
    )
    from citizen_portal.directory.tests.factories import StaffFactory

    xen_officer = StaffFactory(username="lesco.xen")
    hold(xen_officer, xen)
    model_town = AdminUnitFactory(
        code="PK-PB-LHR-LHR-MDT",
        parent=world.lahore,
        level=AdminUnit.Level.TEHSIL,
        name_en="Model Town",
        depth=4,
    )
    return SimpleNamespace(
        sewer=sewer, director=director, xen=xen, xen_officer=xen_officer, model_town=model_town
    )


def _holder(complaint: Complaint) -> Any:
    if complaint.assigned_position_id is None:
        return None
    holding = (
        PositionHolding.objects.filter(position_id=complaint.assigned_position_id, ended_at=None)
        .select_related("user")
        .first()
    )
    return holding.user if holding else None


def _act(rng: random.Random, complaint: Complaint, world, extra) -> None:
    complaint.refresh_from_db()
    officer = _holder(complaint)
    choice = rng.random()
    if complaint.status == Status.RESOLVED:
        complaint_give_feedback(
            complaint=complaint,
            citizen=complaint.citizen,
            data=FeedbackInput(satisfied=choice < 0.5, rating=rng.randint(1, 5)),
        )
        return
    if officer is None or complaint.status not in (Status.ASSIGNED, Status.TRIAGE):
        return
    if choice < 0.45:
        complaint_resolve(
            complaint=complaint, officer=officer, remark="Meter replaced, bill fixed."
        )
    elif choice < 0.6 and complaint.department_id != extra.sewer.department_id:
        complaint_transfer(
            complaint=complaint,
            officer=officer,
            category=extra.sewer,
            reason="This is about the sewer line, not electricity.",
        )
    elif choice < 0.7:
        complaint_drop(
            complaint=complaint,
            officer=officer,
            reason=DropReason.SUB_JUDICE,
            explanation="The matter is before the Lahore High Court.",
        )
    elif choice < 0.8 and complaint.assigned_position_id == world.positions.se.pk:
        complaint_mark_down(
            complaint=complaint,
            officer=officer,
            to=extra.xen,
            instructions="Please visit the site.",
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_direct_counts_after_random_lifecycles(world, travel, seed):
    rng = random.Random(seed)
    extra = _setup(world)
    departments = _departments(world)
    complaints = []
    for n in range(14):
        category = rng.choice([world.overbilling, world.supply, extra.sewer])
        area = rng.choice([world.lahore, world.kasur, extra.model_town])
        complaints.append(
            complaint_lodge(
                citizen=rng.choice([world.citizen, world.other_citizen]),
                data=ComplaintInput(
                    category=category,
                    area=area,
                    subject=f"Problem number {n}",
                    description="Described at enough length to be accepted by the portal.",
                    kind=Kind.SUGGESTION if n % 7 == 6 else Kind.COMPLAINT,
                    channel=rng.choice([Channel.WEB, Channel.APP, Channel.SMS]),
                ),
            )
        )
    for round_number in range(6):
        for complaint in rng.sample(complaints, k=8):
            with contextlib.suppress(ApplicationError):  # refused in this state
                _act(rng, complaint, world, extra)
        if round_number % 2 == 0:
            rollups_refresh()
        travel(days=rng.choice([1, 3, 12]))
        sweep_all()
    rollups_refresh()
    expected_flows, expected_backlog = _expected(departments=departments)
    stored_flows, stored_backlog = _stored()
    assert stored_flows == expected_flows
    assert stored_backlog == expected_backlog
    assert _stored_months() == _months(expected_flows)
    # Something of each kind happened, or the test proves little.
    measures = {key[-1] for key in expected_flows}
    assert {"lodged", "received", "resolved", "feedback", "dropped", "escalated"} <= measures
    # A rebuild from scratch reaches the same rows.
    rollups_rebuild()
    assert _stored() == (expected_flows, expected_backlog)
    assert _stored_months() == _months(expected_flows)


def test_a_transfer_moves_the_lodged_complaint_to_the_new_department(world):
    extra = _setup(world)
    complaint = complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            subject="Sewer overflowing in our street",
            description="Described at enough length to be accepted by the portal.",
        ),
    )
    rollups_refresh()
    lesco = Flow.objects.get(scope=Scope.DEPARTMENT, scope_id=world.lesco.pk, slice=Slice.ALL)
    assert lesco.lodged == 1
    complaint_transfer(
        complaint=complaint,
        officer=world.officers.se,
        category=extra.sewer,
        reason="This is about the sewer line, not electricity.",
    )
    rollups_refresh()
    lesco.refresh_from_db()
    assert lesco.lodged == 0
    wasa = Flow.objects.get(
        scope=Scope.DEPARTMENT, scope_id=extra.sewer.department_id, slice=Slice.ALL
    )
    assert wasa.lodged == 1
    # The post that received it first keeps its "received": that happened there.
    se = Flow.objects.get(scope=Scope.POSITION, scope_id=world.positions.se.pk, slice=Slice.ALL)
    assert se.received == 1
