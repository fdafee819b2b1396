"""The whole path through the API alone, as a mobile app and an officers' app would walk it:
register with a code, lodge with a photo, the officer resolves, the citizen disputes, the
supervisor resolves, the citizen confirms. No HTML anywhere."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from rest_framework.test import APIClient

from citizen_portal.accounts.tests.two_factor import enable_totp

pytestmark = pytest.mark.django_db(transaction=True)

STAFF_PASSWORD = "correct-horse-battery"  # the factories' staff password
PHONE = "+923001234567"


def _photo() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "meter.jpg"
    return buffer


def _bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _staff(username: str, user) -> APIClient:
    app = enable_totp(user)
    response = APIClient().post(
        "/api/v1/auth/staff/",
        {"username": username, "password": STAFF_PASSWORD, "code": app.now()},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return _bearer(response.json()["token"])


def _act(officer: APIClient, reference: str, action: str, body: dict[str, str]) -> None:
    response = officer.post(
        f"/api/v1/complaints/{reference}/actions/{action}/", body, format="json"
    )
    assert response.status_code == 200, response.json()


def test_register_lodge_resolve_dispute_resolve_confirm_through_the_api_alone(world, sms_outbox):
    anonymous = APIClient()
    # 1. Register with a code sent by SMS.
    asked = anonymous.post(
        "/api/v1/auth/code/", {"phone": PHONE, "purpose": "register"}, format="json"
    )
    assert asked.status_code == 202, asked.json()
    registered = anonymous.post(
        "/api/v1/auth/verify/",
        {
            "challenge": asked.json()["challenge"],
            "code": sms_outbox.last_code(PHONE),
            "full_name": "Sana Iqbal",
            "gender": "female",
            "date_of_birth": "1992-03-01",
            "document_type": "cnic",
            "document_number": "35202-7654321-4",
            "country_of_residence": "PK",
            "home_district": world.lahore.code,
            "preferred_language": "en",
            "password": "kinnow-orchard-42",
            "device": "Android app",
        },
        format="json",
    )
    assert registered.status_code == 201, registered.json()
    citizen = _bearer(registered.json()["token"])

    # 2. Lodge with a photo, idempotently.
    lodged = citizen.post(
        "/api/v1/complaints/",
        {
            "category": world.overbilling.code,
            "area": world.lahore.code,
            "subject": "Bill three times the usual",
            "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
            "files": [_photo()],
        },
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="walk-0001-lodge",
    )
    assert lodged.status_code == 201, lodged.json()
    reference = lodged.json()["reference"]
    timeline = citizen.get(f"/api/v1/complaints/{reference}/timeline/").json()["events"]
    [photo] = timeline[0]["attachments"]
    assert citizen.get(photo["url"]).status_code == 200

    # 3. The SE, whose post the rule names, finds it in the inbox and resolves it.
    se = _staff("lesco.se", world.officers.se)
    inbox = se.get("/api/v1/work/").json()["results"]
    assert reference in [item["reference"] for item in inbox]
    _act(se, reference, "resolve", {"outcome": "relief_granted", "remark": "Bill corrected."})
    assert citizen.get(f"/api/v1/complaints/{reference}/").json()["status"] == "resolved"

    # 4. The citizen disputes: the appeal goes to the CEO above, never back to the SE.
    disputed = citizen.post(
        f"/api/v1/complaints/{reference}/feedback/",
        {"satisfied": False, "rating": 1, "comment": "The new bill is still wrong."},
        format="json",
    )
    assert disputed.status_code == 200, disputed.json()
    assert disputed.json()["status"] == "assigned"
    # It has left the SE's hands entirely: the SE no longer even sees it.
    assert se.get(f"/api/v1/work/{reference}/").status_code == 404

    # 5. The CEO resolves the appeal.
    ceo = _staff("lesco.ceo", world.officers.ceo)
    _act(ceo, reference, "resolve", {"outcome": "relief_granted", "remark": "Refund approved."})

    # 6. The citizen confirms; the complaint is closed.
    confirmed = citizen.post(
        f"/api/v1/complaints/{reference}/feedback/",
        {"satisfied": True, "rating": 5, "comment": "Thank you."},
        format="json",
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "closed"
    actions = [
        e["action"]
        for e in citizen.get(f"/api/v1/complaints/{reference}/timeline/").json()["events"]
    ]
    assert actions == [
        "lodge",
        "auto_route",
        "resolve",
        "dispute",
        "route_up",
        "resolve",
        "confirm",
    ]
