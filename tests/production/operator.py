"""What the production suite asks of the running portal from its shell (`manage.py shell`, as an
operator would): tokens and sessions for people of the demo data, and the invariant checked
after every scenario and fault: every acknowledged complaint stored exactly once, every
complaint's timeline hash chain valid."""

from __future__ import annotations

import json
from typing import Any

from tests.production.topology import Topology

LODGE = {
    "category": "FED-LESCO.BILL.OVER",
    "area": "PK-PB-LHR-LHR",
    "subject": "Bill three times the usual",
    "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
}


def citizen_tokens(portal: Topology, count: int, skip: int = 0) -> list[str]:
    """API tokens of `count` citizens of the demo data (a different `skip` gives others)."""
    tokens: list[str] = portal.python(
        "import json\n"
        "from citizen_portal.accounts.models import Role, User\n"
        "from citizen_portal.api.services.tokens import token_issue\n"
        "people = User.objects.filter(role=Role.CITIZEN, is_active=True).order_by('pk')"
        f"[{skip}:{skip + count}]\n"
        "print(json.dumps([token_issue(user=u, label='prod-test')[1] for u in people]))"
    )
    assert len(tokens) == count
    return tokens


def staff_session(portal: Topology, username: str) -> dict[str, str]:
    """A logged-in staff member's session cookie (the login form with its second factor has
    tests of its own)."""
    cookie: dict[str, str] = portal.python(
        "import json\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "from citizen_portal.accounts.models import User\n"
        "client = Client()\n"
        f"client.force_login(User.objects.get(username={username!r}))\n"
        "name = settings.SESSION_COOKIE_NAME\n"
        "print(json.dumps({name: client.cookies[name].value}))"
    )
    return cookie


def complaints_of(portal: Topology, references: list[str]) -> dict[str, int]:
    """How many complaints the database holds under each reference."""
    counts = dict.fromkeys(references, 0)
    for (reference,) in portal.sql(
        "SELECT reference FROM complaints_complaint WHERE reference = ANY(%s)", references
    ):
        counts[reference] += 1
    return counts


def assert_invariants(portal: Topology, acknowledged: list[str]) -> None:
    """Every acknowledged complaint is in the database exactly once, and no complaint's
    timeline hash chain is broken."""
    counts = complaints_of(portal, acknowledged)
    assert {ref: n for ref, n in counts.items() if n != 1} == {}, "acknowledged yet not stored once"
    broken: list[Any] = portal.python(
        "import json\n"
        "from citizen_portal.complaints.models import Complaint\n"
        "from citizen_portal.complaints.services.events import chain_break\n"
        "broken = [c.reference for c in Complaint.objects.iterator() if chain_break(c)]\n"
        "print(json.dumps(broken))"
    )
    assert broken == [], f"timelines whose hash chain is broken: {broken}"


def reverse(portal: Topology, name: str, *args: Any) -> str:
    url: str = portal.python(
        "import json\nfrom django.urls import reverse\n"
        f"print(json.dumps(reverse({name!r}, args={json.dumps(list(args))})))"
    )
    return url
