"""The officer's actions on the owner's complaint, and who may take each: one table, probed on
the officer's page (complaints:work_act) and on the API (api-complaint-action) alike, since both
ask `offered()` (complaints/services/permissions.py) before anything reaches a service.

The complaint is assigned to the superintending engineer's post ("holder"), below the CEO
("supervisor"), in a department whose focal person is "focal". What the portal offers on it:
- the holder works it: resolve, ask the citizen, reply in the interim, return it up, transfer,
  drop, link a duplicate, mark it down (to nobody here: no post is below his);
- the focal person, who keeps the department, may also transfer, drop and link a duplicate;
- everyone in the chain may remark (public) and write an internal note;
- routing (triage), reviewing a drop and the suggestion steps (acknowledge, consider, adopt,
  note) are offered to nobody on an assigned complaint;
- anyone else (the stranger of another department, agents, clerks, analysts, the
  administrator) cannot open the complaint at all: 404.
Refused actions re-render the officer's page (403), which the chain may read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from citizen_portal.core import clock
from tests.access.objects import Objects
from tests.access.probe import CHAIN, FOCAL, HOLDER, NOBODY, Probe


def _in_ten_days() -> str:
    return (clock.today() + timedelta(days=10)).isoformat()


# action → (who may take it, what they post: valid for them where the world allows).
ACTIONS: dict[str, tuple[frozenset[str], dict[str, Any]]] = {
    "resolve": (HOLDER, {"remark": "Resolved after a site visit to the meter."}),
    "request_info": (HOLDER, {"question": "Please send a photo of the meter."}),
    "interim_reply": (HOLDER, {"expected_on": "", "reason": "Waiting for a new meter."}),
    "return_up": (HOLDER, {"remark": "This needs the CEO's decision."}),
    # Nothing valid to transfer to or link to in this world: a 400 with the form, never a 403.
    "transfer": (HOLDER | FOCAL, {"category": "", "reason": "Belongs to another department."}),
    "link_duplicate": (HOLDER | FOCAL, {"earlier_reference": "PB-2000-0000001-A"}),
    "drop": (
        HOLDER | FOCAL,
        {"reason": "abusive", "explanation": "The complaint is written abusively."},
    ),
    "remark": (CHAIN, {"remark": "We are looking into it."}),
    "internal_note": (CHAIN, {"remark": "Check the arrears first."}),
    # Offered to the holder by the state table; with no post below his, the form has no
    # choice to make: 400 with the form, not a refusal.
    "mark_down": (HOLDER, {"to": "", "instructions": "Please visit the meter this week."}),
    "route": (NOBODY, {"to": ""}),
    "review_drop": (NOBODY, {"overturn": "overturn", "remark": "The drop was wrong."}),
    "acknowledge": (NOBODY, {"remark": ""}),
    "consider": (NOBODY, {"remark": ""}),
    "adopt": (NOBODY, {"remark": "We will add it to next year's plan."}),
    "note": (NOBODY, {"remark": "Noted for the planning meeting."}),
    # Not an officer's step at all: 404 to everyone who may open the complaint.
    "lodge": (NOBODY, {}),
}


def _data(action: str, data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "expected_on": _in_ten_days()} if action == "interim_reply" else data


def _args(action: str) -> Any:
    return lambda o: [o.complaint.reference, action]


def action_probes(route: str) -> list[Probe]:
    """One POST per action on `route`; the page's refusals show the complaint to the chain."""
    return [
        Probe(
            route,
            allowed,
            method="POST",
            args=_args(action),
            data=_data(action, data),
            label=action,
            sees=CHAIN,
        )
        for action, (allowed, data) in ACTIONS.items()
    ]


def reference(o: Objects) -> list[str]:
    return [o.complaint.reference]
