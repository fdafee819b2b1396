"""Every route the portal answers has a rule in the access matrix, and every rule names a route
that exists: a URL added to any urls.py without saying who may open it fails here, before it
reaches production (ASVS 8.1.1, 8.2.1)."""

from __future__ import annotations

from tests.access.routes import all_routes
from tests.access.rules import PROBES

WHERE = (
    "declare who may open it: add a Probe(route, allowed_roles, …) to the matching list in "
    "tests/access/rules.py (docs/security.md, “The access matrix”)"
)


def test_every_route_has_a_rule() -> None:
    probed = {probe.route for probe in PROBES}
    missing = [route for route in all_routes() if route not in probed]
    assert not missing, f"routes without an access rule: {', '.join(missing)}; {WHERE}"


def test_every_rule_names_a_route_that_exists() -> None:
    routes = set(all_routes())
    unknown = sorted({probe.route for probe in PROBES} - routes)
    assert not unknown, (
        f"rules for routes the resolver does not know: {', '.join(unknown)}; "
        "rename or remove them in tests/access/rules.py"
    )


def test_no_two_probes_are_the_same_request() -> None:
    names = [probe.name for probe in PROBES]
    twice = sorted({name for name in names if names.count(name) > 1})
    assert not twice, f"probes with the same name (give one a label): {', '.join(twice)}"
