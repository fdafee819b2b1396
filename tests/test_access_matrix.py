"""Who may open what: every page that shows or changes a complaint or an account, for every
kind of user, on objects of their own and of others. Allowed combinations succeed; the rest
are sent to log in (302), refused as the wrong kind of account (403), or answered as if the
object did not exist (404). Never the data, never a 500."""

from __future__ import annotations

import re

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

# page → expected status per role, in ROLES order.
MATRIX = {
    ("GET", "complaints:mine", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("GET", "complaints:lodge", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("GET", "complaints:detail", True): [302, 200, 404, 403, 403, 403, 403, 403],
    ("POST", "complaints:detail", True): [302, 200, 404, 403, 403, 403, 403, 403],
    ("GET", "complaints:inbox", False): [302, 403, 403, 200, 200, 200, 200, 200],
    ("GET", "complaints:work_detail", True): [302, 403, 403, 200, 200, 200, 404, 404],
    ("POST", "complaints:work_resolve", True): [302, 403, 403, 302, 400, 400, 404, 404],
    ("GET", "accounts:me", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("GET", "accounts:me_export", False): [302, 200, 200, 403, 403, 403, 403, 403],
    ("GET", "directory:route_check", False): [302, 302, 302, 302, 302, 302, 302, 200],
    ("GET", "directory:bulk", False): [302, 302, 302, 302, 302, 302, 302, 200],
}
CASES = [
    (method, name, with_ref, role, expected)
    for (method, name, with_ref), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


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
    ids=[f"{m}-{n}-{r}" for m, n, _w, r, _e in CASES],
)
def test_access_matrix(client, world, sms_outbox, method, name, with_ref, role, expected):
    complaint = lodge(world)
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=[complaint.reference] if with_ref else [])
    data = {"remark": "Resolved after a site visit to the meter."} if "resolve" in name else {}
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == expected
    if expected in (302, 403, 404):
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
