"""Who may open what: every page that shows or changes a complaint or an account, for every
kind of user, on objects of their own and of others. Allowed combinations succeed; the rest
are sent to log in (302), refused as the wrong kind of account (403), or answered as if the
object did not exist (404). Never the data, never a 500."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = [
    "anonymous",
    "owner",
    "other_citizen",
    "holder",
    "supervisor",
    "focal",
    "stranger",
    "admin",
]

# Roles that may read the complaint's officer page: refusing them an action may show it.
READERS = {"holder", "supervisor", "focal"}

# (method, page, arguments) → expected status per role, in ROLES order. The arguments are
# none (False), the complaint's reference (True), or the reference and an action's name.
MATRIX = {
    ("GET", "complaints:mine", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("GET", "complaints:lodge", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("GET", "complaints:detail", True): [302, 200, 404, 403, 403, 403, 403, 403],
    ("POST", "complaints:detail", True): [302, 200, 404, 403, 403, 403, 403, 403],
    ("GET", "complaints:inbox", False): [302, 403, 403, 200, 200, 200, 200, 200],
    ("GET", "complaints:work_detail", True): [302, 403, 403, 200, 200, 200, 404, 404],
    # Only the holder may resolve; others are refused before any service runs.
    ("POST", "complaints:work_resolve", True): [302, 403, 403, 302, 403, 403, 404, 404],
    ("POST", "complaints:work_act", "resolve"): [302, 403, 403, 302, 403, 403, 404, 404],
    ("GET", "complaints:work_act", "resolve"): [405, 405, 405, 405, 405, 405, 405, 405],
    ("POST", "complaints:work_act", "request_info"): [302, 403, 403, 302, 403, 403, 404, 404],
    ("POST", "complaints:work_act", "interim_reply"): [302, 403, 403, 302, 403, 403, 404, 404],
    ("POST", "complaints:work_act", "return_up"): [302, 403, 403, 302, 403, 403, 404, 404],
    ("POST", "complaints:work_act", "transfer"): [302, 403, 403, 400, 403, 400, 404, 404],
    ("POST", "complaints:work_act", "drop"): [302, 403, 403, 302, 403, 302, 404, 404],
    ("POST", "complaints:work_act", "link_duplicate"): [302, 403, 403, 400, 403, 400, 404, 404],
    # Remarks: anyone with a say on the complaint; a note, the same.
    ("POST", "complaints:work_act", "remark"): [302, 403, 403, 302, 302, 302, 404, 404],
    ("POST", "complaints:work_act", "internal_note"): [302, 403, 403, 302, 302, 302, 404, 404],
    # Not possible on a complaint with an office: triage routing, drop reviews, suggestions.
    ("POST", "complaints:work_act", "route"): [302, 403, 403, 403, 403, 403, 404, 404],
    ("POST", "complaints:work_act", "review_drop"): [302, 403, 403, 403, 403, 403, 404, 404],
    ("POST", "complaints:work_act", "acknowledge"): [302, 403, 403, 403, 403, 403, 404, 404],
    ("POST", "complaints:work_act", "lodge"): [302, 403, 403, 404, 404, 404, 404, 404],
    ("GET", "accounts:me", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("GET", "accounts:me_export", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("GET", "accounts:me_name", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("POST", "accounts:me_name", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("GET", "accounts:me_email", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("POST", "accounts:me_email", False): [302, 200, 200, 403, 403, 403, 403, 403],
    # Without a code asked for, the second step sends a citizen back to the first.
    ("GET", "accounts:me_email_verify", False): [302, 302, 302, 403, 403, 403, 403, 403],
    ("POST", "accounts:me_email_verify", False): [302, 302, 302, 403, 403, 403, 403, 403],
    # Without an address, there is nothing to remove: back to "my account".
    ("POST", "accounts:me_email_remove", False): [302, 302, 302, 403, 403, 403, 403, 403],
    ("GET", "directory:route_check", False): [302, 302, 302, 302, 302, 302, 302, 200],
    ("GET", "directory:bulk", False): [302, 302, 302, 302, 302, 302, 302, 200],
}
CASES = [
    (method, name, with_ref, role, expected)
    for (method, name, with_ref), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]
IN_TEN_DAYS = (date.today() + timedelta(days=10)).isoformat()
# What each action posts: valid for whoever may take it (transfer and link_duplicate name
# nothing valid here, so even their officers get a 400, never the change).
DATA = {
    "resolve": {"remark": "Resolved after a site visit to the meter."},
    "request_info": {"question": "Please send a photo of the meter."},
    "interim_reply": {"expected_on": IN_TEN_DAYS, "reason": "Waiting for a new meter."},
    "return_up": {"remark": "This needs the CEO's decision."},
    "transfer": {"category": "", "reason": "Belongs to another department."},
    "drop": {"reason": "abusive", "explanation": "The complaint is written abusively."},
    "link_duplicate": {"earlier_reference": "PB-2000-0000001-A"},
    "remark": {"remark": "We are looking into it."},
    "internal_note": {"remark": "Check the arrears first."},
    "route": {"to": "1"},
    "review_drop": {"overturn": "overturn", "remark": "The drop was wrong."},
    "acknowledge": {"remark": ""},
}


def _user(world, role):
    return {
        "anonymous": None,
        "owner": world.citizen,
        "other_citizen": world.other_citizen,
        "holder": world.officers.se,
        "supervisor": world.officers.ceo,
        "focal": world.officers.focal,
        "stranger": world.stranger,
        "admin": StaffFactory(
            username="root", role="administrator", is_staff=True, is_superuser=True
        ),
    }[role]


@pytest.mark.parametrize(
    ("method", "name", "with_ref", "role", "expected"),
    CASES,
    ids=[f"{m}-{n}{'-' + w if isinstance(w, str) else ''}-{r}" for m, n, w, r, _e in CASES],
)
def test_access_matrix(client, world, sms_outbox, method, name, with_ref, role, expected):
    complaint = lodge(world)
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    if isinstance(with_ref, str):
        url = reverse(name, args=[complaint.reference, with_ref])
        data = DATA.get(with_ref, {})
    else:
        url = reverse(name, args=[complaint.reference] if with_ref else [])
        data = DATA["resolve"] if "resolve" in name else {}
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == expected
    may_read = role in READERS and name.startswith("complaints:work")
    if expected in (302, 403, 404) and not may_read:
        page = response.content.decode()
        assert complaint.description not in page
        assert world.citizen.phone not in page


def test_guessing_a_reference_tells_nothing_about_whether_it_exists(client, world, sms_outbox):
    theirs = lodge(world, citizen=world.other_citizen)
    client.force_login(world.citizen)
    made_up = theirs.reference.replace("0000001", "0000099")
    hidden = client.get(reverse("complaints:detail", args=[theirs.reference]))
    absent = client.get(reverse("complaints:detail", args=[made_up]))
    assert hidden.status_code == absent.status_code == 404

    def page(response, reference):
        # The CSRF token is masked afresh for every response; the address asked for is echoed.
        text = response.content.decode().replace(reference, "REF")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert page(hidden, theirs.reference) == page(absent, made_up)


# The figures: dashboards, officers' reports, integrity signals, exports and the public page.
# Each address is built from the world (a level of the drill-down, an officer, a department).
FIGURES = {
    "analytics-home": (
        lambda w: reverse("analytics:home"),
        [302, 403, 403, 302, 302, 302, 302, 302],
    ),
    "dashboard-nation": (
        lambda w: reverse("analytics:dashboard", args=["nation", 0]),
        [302, 403, 403, 404, 404, 404, 404, 200],
    ),
    "dashboard-department": (
        lambda w: reverse("analytics:dashboard", args=["department", w.lesco.pk]),
        [302, 403, 403, 404, 200, 200, 404, 200],
    ),
    "dashboard-office": (
        lambda w: reverse("analytics:dashboard", args=["office", w.positions.se.office_id]),
        [302, 403, 403, 200, 200, 200, 404, 200],
    ),
    "dashboard-position": (
        lambda w: reverse("analytics:dashboard", args=["position", w.positions.se.pk]),
        [302, 403, 403, 200, 200, 200, 404, 200],
    ),
    "officer-report": (
        lambda w: reverse("analytics:officer_report", args=[w.officers.se.pk]),
        [302, 404, 404, 200, 200, 200, 404, 200],
    ),
    "officer-report-pdf": (
        lambda w: reverse("analytics:officer_report_pdf", args=[w.officers.se.pk]),
        [302, 404, 404, 200, 200, 200, 404, 200],
    ),
    "integrity-department": (
        lambda w: reverse("integrity:flags") + f"?department={w.lesco.pk}",
        [302, 404, 404, 400, 200, 200, 400, 200],
    ),
    "exports-mine": (lambda w: reverse("exports:jobs"), [302, 403, 403, 200, 200, 200, 200, 200]),
    "transparency": (
        lambda w: reverse("transparency:page"),
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    "open-data": (
        lambda w: reverse("transparency:data_json"),
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
}
FIGURE_CASES = [
    (name, role, expected)
    for name, (_address, row) in FIGURES.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize(
    ("name", "role", "expected"), FIGURE_CASES, ids=[f"{n}-{r}" for n, r, _e in FIGURE_CASES]
)
def test_figures_access_matrix(client, world, name, role, expected):
    lodge(world)
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    response = client.get(FIGURES[name][0](world))
    assert response.status_code == expected
