"""One complaint's life, simulated up to the horizon: the steps the lifecycle services would
have taken, in the order and with the actors the transition table allows.

Every step moves the complaint along a row of complaints/transitions.py; a step that would
fall at or after the horizon has not happened yet, so the complaint stays where it is. The
complaint's status, position and dates are read off the steps, never set beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from django.conf import settings

from citizen_portal.complaints.models import Action, Status
from citizen_portal.complaints.services.generator import texts
from citizen_portal.complaints.services.generator.clock import ONE_MS, Clock
from citizen_portal.complaints.services.generator.routes import Route
from citizen_portal.complaints.services.generator.world import CategoryInfo, World

# 1. Triage: the focal person routes within about a day; some complaints are dropped there,
#    and some wait.
TRIAGE_WAITS = 0.02
TRIAGE_DROPS = 0.04
# 2. The office: drops a few, asks the citizen for information now and then, neglects some
#    (they stay assigned, overdue), and resolves the rest after a log-normal time.
OFFICE_DROPS = 0.04
OFFICE_ASKS = 0.06
OFFICE_NEGLECTS = 0.04
RESOLVE_MEDIAN_DAYS = 3.0
RESOLVE_SIGMA = 1.1
# 3. The citizen: answers most requests for information (else the sweep drops the complaint
#    after the timeout); gives feedback on some resolutions (else the sweep closes them once
#    the window has passed).
INFO_ANSWERED = 0.65
INFO_TIMEOUT_DAYS = settings.INFO_REQUEST_DAYS
FEEDBACK_GIVEN = 0.45
FEEDBACK_WINDOW_DAYS = settings.FEEDBACK_WINDOW_DAYS
# Satisfaction falls with the time taken: (up to this many days, probability satisfied).
SATISFACTION = ((2.0, 0.88), (7.0, 0.75), (20.0, 0.58), (float("inf"), 0.40))

_SAME: Any = object()


@dataclass(slots=True)
class Step:
    action: str
    actor_id: int | None
    to_status: str
    to_position: int | None
    data: dict[str, Any]
    at: datetime  # local time


@dataclass(slots=True)
class FeedbackPlan:
    resolve_step: int  # index of the resolve step it judges
    satisfied: bool
    rating: int
    comment: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Case:
    """What the simulation needs to know about one complaint."""

    citizen_id: int
    category: CategoryInfo
    route: Route
    channel: str
    created: datetime  # local time


@dataclass(slots=True)
class Timeline:
    horizon: datetime
    steps: list[Step] = field(default_factory=list)
    feedback: list[FeedbackPlan] = field(default_factory=list)
    due_on: date | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def status(self) -> str:
        return self.steps[-1].to_status

    @property
    def position(self) -> int | None:
        return self.steps[-1].to_position

    @property
    def drop_reason(self) -> str:
        last = self.steps[-1]
        return str(last.data.get("reason", "")) if last.to_status == Status.DROPPED else ""

    @property
    def last_at(self) -> datetime:
        return self.steps[-1].at

    def add(
        self,
        action: Action,
        actor_id: int | None,
        to_status: Status,
        at: datetime,
        *,
        position: int | None = _SAME,
        data: dict[str, Any] | None = None,
    ) -> bool:
        """Append a step, strictly after the previous one; False if it falls past the horizon."""
        if self.steps:
            at = max(at, self.last_at + ONE_MS)
            if position is _SAME:
                position = self.position
        if at >= self.horizon:
            return False
        self.steps.append(Step(action.value, actor_id, to_status.value, position, data or {}, at))
        return True


class Simulator:
    def __init__(self, *, world: World, clock: Clock, rng: Random) -> None:
        self.world = world
        self.clock = clock
        self.rng = rng

    def run(self, case: Case) -> Timeline:
        """Lodge, route at once (as complaint_lodge does), then triage and the office."""
        tl = Timeline(horizon=self.clock.horizon)
        data: dict[str, Any] = {"channel": case.channel}
        tl.add(Action.LODGE, case.citizen_id, Status.LODGED, case.created, position=None, data=data)
        matched = case.route.rule_id is not None
        # Clock.moment keeps lodging a second before the horizon: routing always fits.
        routed = case.created + timedelta(microseconds=self.rng.randrange(20_000, 400_000))
        tl.add(
            Action.AUTO_ROUTE,
            None,
            Status.ASSIGNED if matched else Status.TRIAGE,
            routed,
            position=case.route.position_id,
            data={"rule": case.route.rule_id},
        )
        tl.due_on = self.clock.due(case.created.date(), case.category.deadline)
        if matched or self._triage(tl, case):
            self._office(tl, case, first_round=True)
        return tl

    def _triage(self, tl: Timeline, case: Case) -> bool:
        """The focal person routes the complaint to an office, or drops it. True if routed."""
        rng = self.rng
        roll = rng.random()
        if roll < TRIAGE_WAITS:
            return False
        focal_holder = self.world.holders.get(case.route.position_id)
        at = self.clock.office_time(
            self.clock.after(tl.last_at, rng, median_days=1.0, sigma=1.0), rng
        )
        if roll < TRIAGE_WAITS + TRIAGE_DROPS:
            reason, explanation = rng.choice(texts.DROP_REASONS)
            data = {"reason": reason, "explanation": explanation}
            tl.add(Action.DROP, focal_holder, Status.DROPPED, at, data=data)
            return False
        targets = self.world.triage_targets[case.category.department_id]
        target = targets[int(rng.random() * len(targets))]
        return tl.add(Action.ROUTE, focal_holder, Status.ASSIGNED, at, position=target)

    def _office(self, tl: Timeline, case: Case, *, first_round: bool) -> None:
        """The holder of the assigned position drops, asks, neglects or resolves."""
        rng, clock = self.rng, self.clock
        officer = self.world.holders.get(tl.position) if tl.position is not None else None
        roll = rng.random()
        if first_round and roll < OFFICE_DROPS:
            at = clock.office_time(clock.after(tl.last_at, rng, median_days=2.0, sigma=0.8), rng)
            reason, explanation = rng.choice(texts.DROP_REASONS)
            data = {"reason": reason, "explanation": explanation}
            tl.add(Action.DROP, officer, Status.DROPPED, at, data=data)
            return
        if first_round and roll < OFFICE_DROPS + OFFICE_ASKS and not self._ask(tl, case, officer):
            return
        if rng.random() < OFFICE_NEGLECTS:
            return
        median = RESOLVE_MEDIAN_DAYS * case.category.speed
        at = clock.office_time(
            clock.after(tl.last_at, rng, median_days=median, sigma=RESOLVE_SIGMA), rng
        )
        remark = rng.choice(texts.RESOLUTION_REMARKS)
        if tl.add(Action.RESOLVE, officer, Status.RESOLVED, at, data={"remark": remark}):
            tl.resolved_at = tl.last_at
            self._verdict(tl, case, first_round=first_round)

    def _ask(self, tl: Timeline, case: Case, officer: int | None) -> bool:
        """Request information; True once the citizen has answered and the work goes on."""
        rng, clock = self.rng, self.clock
        at = clock.office_time(clock.after(tl.last_at, rng, median_days=1.5, sigma=0.8), rng)
        question = {"question": rng.choice(texts.INFO_QUESTIONS)}
        if not tl.add(Action.REQUEST_INFO, officer, Status.AWAITING_CITIZEN, at, data=question):
            return False
        asked = tl.last_at
        if rng.random() < INFO_ANSWERED:
            answered = min(
                clock.after(asked, rng, median_days=2.0, sigma=0.9),
                asked + timedelta(days=INFO_TIMEOUT_DAYS - 1),
            )
            answer = {"remark": rng.choice(texts.INFO_ANSWERS)}
            return tl.add(
                Action.PROVIDE_INFO, case.citizen_id, Status.ASSIGNED, answered, data=answer
            )
        swept = asked + timedelta(days=INFO_TIMEOUT_DAYS, hours=rng.uniform(1, 12))
        reason = {"reason": texts.INFO_TIMEOUT_REASON}
        tl.add(Action.INFO_TIMEOUT, None, Status.DROPPED, swept, data=reason)
        return False

    def _verdict(self, tl: Timeline, case: Case, *, first_round: bool) -> None:
        """Feedback within the window (confirm, or dispute and route up), else silence."""
        rng = self.rng
        resolve_step = len(tl.steps) - 1
        resolved, resolver = tl.last_at, tl.position
        window_end = resolved + timedelta(days=FEEDBACK_WINDOW_DAYS)
        if rng.random() < FEEDBACK_GIVEN:
            took = (resolved - case.created).total_seconds() / 86400
            satisfied = rng.random() < next(p for days, p in SATISFACTION if took <= days)
            reviewer = None if satisfied or not first_round else self._reviewer(case, resolver)
            if satisfied or reviewer is not None:
                at = min(
                    self.clock.after(resolved, rng, median_days=1.0, sigma=1.0),
                    window_end - timedelta(minutes=1),
                )
                plan = FeedbackPlan(resolve_step, satisfied, _rating(rng, satisfied), "", at)
                plan.comment = rng.choice(
                    texts.COMMENTS_SATISFIED if satisfied else texts.COMMENTS_UNSATISFIED
                )
                self._feedback(tl, case, plan, reviewer)
                return
        swept = window_end + timedelta(hours=rng.uniform(0.5, 12))
        if tl.add(Action.SILENCE_WINDOW, None, Status.CLOSED, swept):
            tl.closed_at = tl.last_at

    def _feedback(self, tl: Timeline, case: Case, plan: FeedbackPlan, reviewer: int | None) -> None:
        """As complaint_give_feedback: confirm and close, or dispute and route up."""
        verdict = {"rating": plan.rating, "comment": plan.comment}
        if reviewer is None:
            if tl.add(Action.CONFIRM, case.citizen_id, Status.CLOSED, plan.at, data=verdict):
                tl.closed_at = plan.at = tl.last_at
                tl.feedback.append(plan)
            return
        # Dispute and route-up are one transaction in the service: both happen, or neither.
        if plan.at >= tl.horizon - timedelta(seconds=1):
            return
        if not tl.add(Action.DISPUTE, case.citizen_id, Status.REOPENED, plan.at, data=verdict):
            return
        plan.at = tl.last_at
        tl.feedback.append(plan)
        routed_up = plan.at + timedelta(microseconds=self.rng.randrange(20_000, 400_000))
        if tl.add(Action.ROUTE_UP, None, Status.ASSIGNED, routed_up, position=reviewer):
            tl.due_on = self.clock.due(tl.last_at.date(), case.category.deadline)
            tl.resolved_at = None
            self._office(tl, case, first_round=False)

    def _reviewer(self, case: Case, resolver: int | None) -> int | None:
        """Who reviews a disputed resolution: the resolver's supervisor, else the department's
        focal position, never the resolver (as lifecycle._route_up)."""
        above = self.world.supervisors.get(resolver) if resolver is not None else None
        target = above if above is not None else case.category.focal_id
        return None if target == resolver else target


def _rating(rng: Random, satisfied: bool) -> int:
    roll = rng.random()
    if satisfied:
        return 5 if roll < 0.6 else 4 if roll < 0.95 else 3
    return 1 if roll < 0.5 else 2 if roll < 0.85 else 3
