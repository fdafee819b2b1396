"""The state machines: one table for complaints and one for suggestions, read by one function
(services/transition.py `_transition`).

This module is the single source of truth for which action may move a complaint from which
status to which, and who may perform it. Nothing else assigns a status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.complaints.models import Action, Kind, Status

__all__ = [
    "SUGGESTION_TRANSITIONS",
    "TABLES",
    "TRANSITIONS",
    "Action",
    "Actor",
    "Transition",
    "actions_from",
    "allowed",
]


class Actor(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    INTAKE = "intake", _("Intake (agent, data entry, e-mail, SMS)")
    HOLDER = "holder", _("Holder of the assigned position")
    SUPERVISOR = "supervisor", _("Supervising officer")
    FOCAL = "focal", _("Focal person")
    COMPLAINT_CELL = "complaint_cell", _("Complaint cell")
    SYSTEM = "system", _("System")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    targets: frozenset[Status]
    actors: frozenset[Actor]


def _t(sources: set[Status], targets: set[Status], actors: set[Actor]) -> Transition:
    return Transition(frozenset(sources), frozenset(targets), frozenset(actors))


S = Status
A = Actor
OPEN = {S.LODGED, S.TRIAGE, S.ASSIGNED, S.AWAITING_CITIZEN, S.RESOLVED, S.REOPENED}
OFFICERS = {A.HOLDER, A.SUPERVISOR, A.FOCAL, A.COMPLAINT_CELL}

# (action) → (allowed from, allowed to, who may). Mirrors the table in docs/architecture.md.
TRANSITIONS: dict[Action, Transition] = {
    Action.LODGE: _t(set(), {S.LODGED}, {A.CITIZEN, A.INTAKE}),
    Action.AUTO_ROUTE: _t({S.LODGED}, {S.ASSIGNED, S.TRIAGE}, {A.SYSTEM}),
    Action.ROUTE: _t({S.TRIAGE}, {S.ASSIGNED}, {A.FOCAL, A.COMPLAINT_CELL}),
    Action.MARK_DOWN: _t({S.ASSIGNED}, {S.ASSIGNED}, {A.HOLDER}),
    Action.RETURN_UP: _t({S.ASSIGNED}, {S.ASSIGNED}, {A.HOLDER}),
    Action.TRANSFER: _t(
        {S.ASSIGNED, S.TRIAGE}, {S.ASSIGNED, S.TRIAGE}, {A.HOLDER, A.FOCAL, A.COMPLAINT_CELL}
    ),
    Action.REQUEST_INFO: _t({S.ASSIGNED}, {S.AWAITING_CITIZEN}, {A.HOLDER}),
    Action.PROVIDE_INFO: _t({S.AWAITING_CITIZEN}, {S.ASSIGNED}, {A.CITIZEN, A.INTAKE}),
    Action.INFO_TIMEOUT: _t({S.AWAITING_CITIZEN}, {S.DROPPED}, {A.SYSTEM}),
    Action.INTERIM_REPLY: _t({S.ASSIGNED}, {S.ASSIGNED}, {A.HOLDER}),
    Action.RESOLVE: _t({S.ASSIGNED}, {S.RESOLVED}, {A.HOLDER}),
    Action.CONFIRM: _t({S.RESOLVED}, {S.CLOSED}, {A.CITIZEN}),
    Action.SILENCE_WINDOW: _t({S.RESOLVED}, {S.CLOSED}, {A.SYSTEM}),
    # Reopened for an appeal; closed when both appeals have been heard.
    Action.DISPUTE: _t({S.RESOLVED}, {S.REOPENED, S.CLOSED}, {A.CITIZEN}),
    Action.ROUTE_UP: _t({S.REOPENED}, {S.ASSIGNED}, {A.SYSTEM}),
    Action.DROP: _t({S.ASSIGNED, S.TRIAGE}, {S.DROPPED}, {A.HOLDER, A.FOCAL}),
    Action.REVIEW_DROP: _t(
        {S.DROPPED}, {S.ASSIGNED, S.TRIAGE, S.DROPPED}, {A.SUPERVISOR, A.COMPLAINT_CELL}
    ),
    Action.ESCALATE: _t({S.ASSIGNED, S.TRIAGE}, {S.ASSIGNED}, {A.SYSTEM}),
    Action.DEADLINE_WARNING: _t({S.ASSIGNED, S.TRIAGE}, {S.ASSIGNED, S.TRIAGE}, {A.SYSTEM}),
    Action.DEADLINE_MISSED: _t({S.ASSIGNED, S.TRIAGE}, {S.ASSIGNED, S.TRIAGE}, {A.SYSTEM}),
    Action.LINK_DUPLICATE: _t({S.ASSIGNED, S.TRIAGE}, {S.DROPPED}, {A.HOLDER, A.FOCAL}),
    # Remarks leave the status where it is: any open state to itself.
    Action.REMARK: _t(OPEN, OPEN, OFFICERS),
    # Grouping into a systemic issue, and its fix, are told on the complaint's timeline and
    # leave its status alone (the fix then resolves it with RESOLVE). Only the systemic app's
    # services append them, having checked the officer's reach themselves (systemic/services/
    # issues.py): as SYSTEM they are never offered as a form of the complaint's own page.
    Action.LINK_SYSTEMIC: _t(OPEN, OPEN, {A.SYSTEM}),
    Action.SYSTEMIC_FIXED: _t(OPEN, OPEN, {A.SYSTEM}),
    Action.INTERNAL_NOTE: _t(OPEN, OPEN, OFFICERS),
}

SUGGESTION_OPEN = {S.RECEIVED, S.ACKNOWLEDGED, S.CONSIDERING}

# Suggestions: received → acknowledged → under consideration → adopted or noted.
SUGGESTION_TRANSITIONS: dict[Action, Transition] = {
    Action.LODGE: _t(set(), {S.LODGED}, {A.CITIZEN, A.INTAKE}),
    Action.AUTO_ROUTE: _t({S.LODGED}, {S.RECEIVED}, {A.SYSTEM}),
    Action.ACKNOWLEDGE: _t({S.RECEIVED}, {S.ACKNOWLEDGED}, {A.HOLDER, A.FOCAL}),
    Action.CONSIDER: _t({S.RECEIVED, S.ACKNOWLEDGED}, {S.CONSIDERING}, {A.HOLDER, A.FOCAL}),
    Action.ADOPT: _t({S.ACKNOWLEDGED, S.CONSIDERING}, {S.ADOPTED}, {A.HOLDER, A.FOCAL}),
    Action.NOTE: _t(SUGGESTION_OPEN, {S.NOTED}, {A.HOLDER, A.FOCAL}),
    Action.TRANSFER: _t({S.RECEIVED, S.ACKNOWLEDGED}, {S.RECEIVED}, {A.HOLDER, A.FOCAL}),
    Action.REMARK: _t(SUGGESTION_OPEN, SUGGESTION_OPEN, OFFICERS),
    Action.INTERNAL_NOTE: _t(SUGGESTION_OPEN, SUGGESTION_OPEN, OFFICERS),
}

TABLES: dict[Kind, dict[Action, Transition]] = {
    Kind.COMPLAINT: TRANSITIONS,
    Kind.SUGGESTION: SUGGESTION_TRANSITIONS,
}

# Actions that leave the status unchanged must name the same status as source and target.
STATUS_PRESERVING = frozenset(
    {
        Action.REMARK,
        Action.INTERNAL_NOTE,
        Action.DEADLINE_WARNING,
        Action.DEADLINE_MISSED,
        Action.LINK_SYSTEMIC,
        Action.SYSTEMIC_FIXED,
    }
)


def allowed(
    action: Action,
    *,
    source: Status | None,
    target: Status,
    actor: Actor,
    kind: Kind = Kind.COMPLAINT,
) -> bool:
    """Whether `actor` may perform `action` moving a `kind` from `source` to `target`."""
    rule = TABLES[Kind(kind)].get(action)
    if rule is None:
        return False
    source_ok = not rule.sources if source is None else source in rule.sources
    if action in STATUS_PRESERVING and source != target:
        return False
    return source_ok and target in rule.targets and actor in rule.actors


def actions_from(source: Status, actor: Actor, kind: Kind = Kind.COMPLAINT) -> list[Action]:
    """The actions an actor may take on a complaint in `source` status (to offer in the UI)."""
    return [
        action
        for action, rule in TABLES[Kind(kind)].items()
        if source in rule.sources and actor in rule.actors
    ]
