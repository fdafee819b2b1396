"""Walk every (status, action) pair through the one transition function: the allowed ones move
the complaint and append exactly one event; the refused ones change nothing at all."""

import pytest

from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.services.lifecycle import _transition
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.transitions import TRANSITIONS, Action, Actor, actions_from
from citizen_portal.core.errors import ApplicationError

PAIRS = [(status, action) for status in Status for action in Action if action != Action.LODGE]


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_status_and_action_pair(world, status, action, django_capture_on_commit_callbacks):
    complaint = lodge(world)
    # Put the complaint in `status` directly: this is test set-up, not a transition.
    Complaint.objects.filter(pk=complaint.pk).update(status=status)
    before = complaint.events.count()
    rule = TRANSITIONS[action]
    actor = sorted(rule.actors)[0]
    target = status if status in rule.targets else sorted(rule.targets)[0]
    if status in rule.sources:
        moved, event = _transition(
            complaint_id=complaint.pk, action=action, actor=actor, user=None, target=target
        )
        assert moved.status == target
        assert event.action == action
        assert (event.from_status, event.to_status) == (status, target)
        assert complaint.events.count() == before + 1
    else:
        with pytest.raises(ApplicationError, match="not possible"):
            _transition(
                complaint_id=complaint.pk, action=action, actor=actor, user=None, target=target
            )
        complaint.refresh_from_db()
        assert complaint.status == status
        assert complaint.events.count() == before


@pytest.mark.parametrize("action", [a for a in Action if a != Action.LODGE])
def test_actors_outside_the_table_are_refused(world, action):
    complaint = lodge(world)
    rule = TRANSITIONS[action]
    source = sorted(rule.sources)[0]
    Complaint.objects.filter(pk=complaint.pk).update(status=source)
    outsiders = [actor for actor in Actor if actor not in rule.actors]
    target = source if source in rule.targets else sorted(rule.targets)[0]
    for actor in outsiders:
        with pytest.raises(ApplicationError):
            _transition(
                complaint_id=complaint.pk, action=action, actor=actor, user=None, target=target
            )


def test_remarks_cannot_be_used_to_change_the_status(world):
    complaint = lodge(world)
    with pytest.raises(ApplicationError):
        _transition(
            complaint_id=complaint.pk,
            action=Action.REMARK,
            actor=Actor.HOLDER,
            user=None,
            target=Status.CLOSED,
        )


def test_closed_and_dropped_complaints_offer_the_holder_nothing():
    assert actions_from(Status.CLOSED, Actor.HOLDER) == []
    assert actions_from(Status.DROPPED, Actor.HOLDER) == []
    assert Action.RESOLVE in actions_from(Status.ASSIGNED, Actor.HOLDER)
