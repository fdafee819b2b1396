"""Someone else's object answers exactly as one that does not exist (docs/security.md, "Who sees
what": 404, as if it did not exist). The matrix checks that these requests are refused; this
checks that the refusal tells nothing: the same status and the same page for the owner's
complaint, picture, notification or export as for a made-up one, so that trying references or
ids one after another finds nothing out."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from citizen_portal.complaints.services.references import check_letter
from tests.access.objects import Objects
from tests.access.probe import NOBODY, Probe, ask, body

MISSING_ID = 987654


def _made_up(reference: str) -> str:
    """A well-formed reference (its check letter right) that no complaint has."""
    prefix, year, _sequence, _check = reference.split("-")
    made = f"{prefix}-{year}-0999999"
    return f"{made}-{check_letter(made)}"


def _by_ref(route: str, method: str = "GET") -> Probe:
    return Probe(route, NOBODY, method=method, args=lambda o: [o.complaint.reference])


def _by_pk(route: str, name: str, method: str = "GET") -> Probe:
    return Probe(route, NOBODY, method=method, args=lambda o: [getattr(o, name).pk])


# Who asks, for which of the owner's (or the holder's) objects; the first argument of the
# address is the object's reference or id.
CASES = [
    ("other_citizen", _by_ref("complaints:detail")),
    ("other_citizen", _by_ref("complaints:detail", "POST")),
    ("other_citizen", _by_pk("complaints:attachment", "attachment")),
    ("other_citizen", _by_pk("notifications:read", "notification", "POST")),
    ("stranger", _by_ref("complaints:work_detail")),
    ("supervisor", _by_pk("exports:job", "export")),
    ("supervisor", _by_pk("exports:download", "export")),
    ("other_citizen", _by_ref("api-complaint")),
    ("other_citizen", _by_ref("api-complaint-timeline")),
    ("other_citizen", _by_pk("api-attachment", "attachment")),
    ("other_citizen", _by_pk("api-notification-read", "notification", "POST")),
    ("stranger", _by_ref("api-work-complaint")),
]


def _page(content: bytes, address: str) -> str:
    # The address asked for may be echoed; a form's CSRF token is masked afresh every time.
    text = content.decode().replace(address, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.mark.parametrize(("role", "probe"), CASES, ids=[f"{p.name}-{r}" for r, p in CASES])
def test_someone_elses_object_answers_as_one_that_does_not_exist(
    objects: Objects, db: None, role: str, probe: Probe
) -> None:
    real = str(probe.args(objects)[0])
    fake = _made_up(real) if "-" in real else str(MISSING_ID)
    missing = replace(probe, args=lambda o: [fake])
    address, elsewhere = probe.url(objects), missing.url(objects)
    hidden, absent = ask(objects, probe, role), ask(objects, missing, role)
    assert hidden.status_code == absent.status_code == 404, (
        f"{probe.name} as {role}: {hidden.status_code} for theirs, {absent.status_code} for none"
    )
    assert _page(body(hidden), address) == _page(body(absent), elsewhere)
