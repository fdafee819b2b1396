"""Walk every (status, action) pair of both tables through the one transition function: the
allowed ones move the complaint and append exactly one event; the refused ones change nothing
at all."""

import pytest

from citizen_portal.complaints.models import Complaint, Kind, Status
from citizen_portal.complaints.services.transition import _transition
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.transitions import TABLES, Action, Actor, actions_from
from citizen_portal.core.errors import ApplicationError

PAIRS = [
    (kind, status, action)
    for kind in Kind
    for status in Status
    for action in Action
    if action != Action.LODGE
]


def _target(kind, status, action):
    rule = TABLES[kind].get(action)
    if rule is None:
        return status
    return status if status in rule.sources and status in rule.targets else sorted(rule.targets)[0]


@pytest.mark.parametrize(
    ("kind", "status", "action"), PAIRS, ids=[f"{k}-{s}-{a}" for k, s, a in PAIRS]
)
def test_every_status_and_action_pair(world, kind, status, action):
    complaint = lodge(world)
    # Put the complaint in `status` directly: this is test set-up, not a transition.
    Complaint.objects.filter(pk=complaint.pk).update(status=status, kind=kind)
    before = complaint.events.count()
    rule = TABLES[kind].get(action)
    actor = sorted(rule.actors)[0] if rule else Actor.SYSTEM
    target = _target(kind, status, action)
    if rule is not None and status in rule.sources:
        moved, event = _transition(
            complaint_id=complaint.pk, action=action, actor=actor, user=None, target=target
        )
        assert moved.status == target
        assert event.action == action
        assert (event.from_status, event.to_status) == (status, target)
        assert complaint.events.count() == before + 1
        moved.refresh_from_db()
        assert (moved.event_count, moved.head_hash) == (event.seq, event.hash)
    else:
        with pytest.raises(ApplicationError, match="not possible"):
            _transition(
                complaint_id=complaint.pk, action=action, actor=actor, user=None, target=target
            )
        complaint.refresh_from_db()
        assert complaint.status == status
        assert complaint.events.count() == before


ACTOR_CASES = [
    (kind, action) for kind, table in TABLES.items() for action in table if action != Action.LODGE
]


@pytest.mark.parametrize(("kind", "action"), ACTOR_CASES, ids=[f"{k}-{a}" for k, a in ACTOR_CASES])
def test_actors_outside_the_table_are_refused(world, kind, action):
    complaint = lodge(world)
    rule = TABLES[kind][action]
    source = sorted(rule.sources)[0]
    Complaint.objects.filter(pk=complaint.pk).update(status=source, kind=kind)
    outsiders = [actor for actor in Actor if actor not in rule.actors]
    target = _target(kind, source, action)
    for actor in outsiders:
        with pytest.raises(ApplicationError):
            _transition(
                complaint_id=complaint.pk, action=action, actor=actor, user=None, target=target
            )
    complaint.refresh_from_db()
    assert complaint.status == source


def test_remarks_and_warnings_cannot_be_used_to_change_the_status(world):
    complaint = lodge(world)
    for action, actor in [
        (Action.REMARK, Actor.HOLDER),
        (Action.DEADLINE_WARNING, Actor.SYSTEM),
        (Action.DEADLINE_MISSED, Actor.SYSTEM),
    ]:
        with pytest.raises(ApplicationError):
            _transition(
                complaint_id=complaint.pk,
                action=action,
                actor=actor,
                user=None,
                target=Status.CLOSED,
            )


def test_closed_and_dropped_complaints_offer_the_holder_nothing():
    assert actions_from(Status.CLOSED, Actor.HOLDER) == []
    assert actions_from(Status.DROPPED, Actor.HOLDER) == []
    assert Action.RESOLVE in actions_from(Status.ASSIGNED, Actor.HOLDER)


def test_a_suggestion_cannot_be_resolved_or_escalated():
    assert Action.RESOLVE not in TABLES[Kind.SUGGESTION]
    assert Action.ESCALATE not in TABLES[Kind.SUGGESTION]
    assert actions_from(Status.RECEIVED, Actor.HOLDER, Kind.SUGGESTION) == [
        Action.ACKNOWLEDGE,
        Action.CONSIDER,
        Action.NOTE,
        Action.TRANSFER,
        Action.REMARK,
        Action.INTERNAL_NOTE,
    ]
