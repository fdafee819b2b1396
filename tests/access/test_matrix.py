"""The access matrix (ASVS 8.2): every route of the portal (rules.py) × every kind of user
(objects.ROLES), on objects owned by the citizen and held by the engineer's office. The allowed
roles get through; every other is refused the way the portal refuses (sent to log in, 401, 403,
404 or 405); nobody gets a 500, and nobody outside a route's readers gets the objects' text."""

from __future__ import annotations

import pytest

from tests.access.objects import ROLES, Objects
from tests.access.probe import Probe, ask, body
from tests.access.rules import PROBES


def _case(probe: Probe, role: str) -> object:
    reason = (probe.xfail or {}).get(role)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(probe, role, id=f"{probe.name}-{role}", marks=marks)


CASES = [_case(probe, role) for probe in PROBES for role in ROLES]


@pytest.mark.parametrize(("probe", "role"), CASES)
def test_only_the_allowed_roles_get_through(
    objects: Objects, db: None, probe: Probe, role: str
) -> None:
    response = ask(objects, probe, role)
    where = f"{probe.name} as {role}: {response.status_code} {response.get('Location', '')}"
    assert response.status_code < 500, where
    if role in probe.allowed:
        assert not probe.refused(response), f"refused: {where}"
    else:
        assert probe.refused(response), f"let through: {where}"
    if role not in probe.readers():
        content = body(response)
        leaked = [s[:40] for s in objects.secrets if s in content]
        assert not leaked, f"{where} shows {leaked}"
