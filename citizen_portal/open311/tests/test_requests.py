"""Posting and reading service requests, against the GeoReport v2 examples: a post becomes a
real complaint routed like any other; reading shows its status and never who complained."""

from __future__ import annotations

import json

import pytest

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Channel, Complaint, DropReason, Status
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.officer_actions import complaint_drop, complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.open311.tests.helpers import (
    BASE,
    assert_error,
    post_form,
    request_fields,
    tags,
    xml_of,
)

REQUEST_KEYS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime",
]  # fmt: skip
REPORTER = {
    "first_name": "Nadia",
    "last_name": "Qureshi",
    "phone": "+923451234567",
    "email": "nadia@example.org",
    "device_id": "device-77",
    "account_id": "acct-99",
}


@pytest.mark.django_db(transaction=True)  # the office's SMS leaves once the lodging commits
def test_a_post_lodges_a_complaint_routed_like_any_other(client, world, partner, sms_outbox):
    users_before = User.objects.count()
    response = post_form(client, "requests.json", request_fields(world, partner.raw, **REPORTER))
    assert response.status_code == 201, response.content
    (answer,) = response.json()
    assert list(answer) == ["service_request_id", "service_notice", "account_id"]
    assert answer["account_id"] is None
    assert answer["service_notice"] == "LESCO answers within 10 working days."
    complaint = Complaint.objects.get(reference=answer["service_request_id"])
    # The routing rule for billing in Lahore sends it to the Superintending Engineer.
    assert complaint.status == Status.ASSIGNED
    assert complaint.assigned_position == world.positions.se
    assert complaint.due_on is not None
    assert (complaint.category, complaint.area) == (world.overbilling, world.lahore)
    assert complaint.channel == Channel.APP
    # Lodged under the partner's intake account; the reporter's identity is kept nowhere.
    assert complaint.citizen == partner.account
    assert User.objects.count() == users_before
    stored = f"{complaint.subject} {complaint.description}"
    for value in REPORTER.values():
        assert value not in stored
    assert complaint.subject == "The November bill is Rs 45,000; we usually pay about Rs 15,000."
    # The office's messages reach the partner's intake desk, which relays them.
    assert {m["to"] for m in sms_outbox.messages()} == {partner.account.phone}
    assert complaint.reference in sms_outbox.messages()[0]["body"]


def test_the_post_answer_in_xml_is_service_requests_of_request(client, world, partner):
    response = post_form(client, "requests.xml", request_fields(world, partner.raw))
    assert response.status_code == 201
    root = xml_of(response)
    assert root.tag == "service_requests"
    assert tags(root) == ["request"]
    assert tags(root[0]) == ["service_request_id", "service_notice", "account_id"]
    assert Complaint.objects.filter(reference=root[0].findtext("service_request_id")).exists()


def test_a_json_body_with_an_attribute_object_is_accepted(client, world, partner):
    fields = request_fields(world, partner.raw)
    del fields["attribute[district]"]
    fields["attribute"] = {"district": world.kasur.code, "subject": "Bill tripled in November"}
    response = client.post(BASE + "requests.json", json.dumps(fields), "application/json")
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(reference=response.json()[0]["service_request_id"])
    assert (complaint.area, complaint.subject) == (world.kasur, "Bill tripled in November")


def test_address_and_media_url_reach_the_office_in_the_description(client, world, partner):
    fields = request_fields(
        world,
        partner.raw,
        address_string="House 12, Street 4, Gulberg III",
        media_url="https://partner.example.org/photos/77.jpg",
    )
    reference = post_form(client, "requests.json", fields).json()[0]["service_request_id"]
    description = Complaint.objects.get(reference=reference).description
    assert "Address: House 12, Street 4, Gulberg III" in description
    assert "https://partner.example.org/photos/77.jpg" in description


def _public_get(client, reference, fmt="json", **params):
    return client.get(BASE + f"requests/{reference}.{fmt}", params)


def test_anyone_reads_a_request_with_status_open_and_no_personal_data(
    client, world, partner, sms_outbox
):
    fields = request_fields(world, partner.raw, **REPORTER)
    reference = post_form(client, "requests.json", fields).json()[0]["service_request_id"]
    response = _public_get(client, reference)
    (shown,) = response.json()
    assert list(shown) == REQUEST_KEYS
    assert shown["service_request_id"] == reference
    assert (shown["status"], shown["status_notes"]) == ("open", "With the office")
    assert (shown["service_code"], shown["service_name"]) == (
        world.overbilling.code,
        "Over-billing",
    )
    assert shown["agency_responsible"] == "LESCO (Punjab)"
    assert shown["requested_datetime"].endswith("+05:00")
    assert shown["expected_datetime"].endswith("T23:59:59+05:00")
    body = response.content.decode()
    for secret in [*REPORTER.values(), partner.account.phone, partner.account.full_name, "45,000"]:
        assert secret not in body
    root = xml_of(_public_get(client, reference, "xml"))
    assert root.tag == "service_requests"
    assert tags(root[0]) == REQUEST_KEYS
    assert root[0].findtext("status") == "open"


def test_a_web_complaint_is_listed_without_its_citizen_or_words(client, world, sms_outbox):
    complaint = lodge(world)
    (shown,) = client.get(BASE + "requests.json").json()
    assert shown["service_request_id"] == complaint.reference
    body = json.dumps(shown, ensure_ascii=False)
    for secret in ["Ayesha", world.citizen.phone, "November bill", "usually pay"]:
        assert secret not in body


def test_only_the_partner_that_posted_a_request_reads_its_description(
    client, world, partner, other_partner, sms_outbox
):
    fields = request_fields(world, partner.raw)
    reference = post_form(client, "requests.json", fields).json()[0]["service_request_id"]
    (own,) = _public_get(client, reference, api_key=partner.raw).json()
    assert own["description"] == fields["description"]
    (others,) = _public_get(client, reference, api_key=other_partner.raw).json()
    assert "description" not in others
    root = xml_of(_public_get(client, reference, "xml", api_key=partner.raw))
    assert tags(root[0])[5] == "description"


def test_a_shared_location_is_shown_rounded_except_to_its_partner(client, world, partner):
    fields = request_fields(world, partner.raw, lat="31.520370", long="74.358749")
    reference = post_form(client, "requests.json", fields).json()[0]["service_request_id"]
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.share_location
    assert (str(complaint.latitude), str(complaint.longitude)) == ("31.520370", "74.358749")
    (public,) = _public_get(client, reference).json()
    assert (public["address"], public["lat"], public["long"]) == ("Lahore", 31.52, 74.359)
    (own,) = _public_get(client, reference, api_key=partner.raw).json()
    assert (own["lat"], own["long"]) == (31.52037, 74.358749)
    # Without a location, there is no address, lat or long at all.
    unlocated = post_form(client, "requests.json", request_fields(world, partner.raw))
    (shown,) = _public_get(client, unlocated.json()[0]["service_request_id"]).json()
    assert not {"address", "lat", "long"} & set(shown)


def test_a_closed_complaint_reads_closed_with_the_portal_status_in_the_notes(
    client, world, sms_outbox
):
    resolved = lodge(world)
    complaint_resolve(
        complaint=resolved, officer=world.officers.se, remark="The bill was corrected."
    )
    complaint_give_feedback(
        complaint=resolved, citizen=world.citizen, data=FeedbackInput(satisfied=True, rating=5)
    )
    dropped = lodge(world)
    complaint_drop(
        complaint=dropped,
        officer=world.officers.se,
        reason=DropReason.ABUSIVE,
        explanation="Abusive language throughout.",
    )
    shown = {r["service_request_id"]: r for r in client.get(BASE + "requests.json").json()}
    closed = shown[resolved.reference]
    assert (closed["status"], closed["status_notes"]) == ("closed", "Closed: Relief granted")
    assert "expected_datetime" not in closed
    assert shown[dropped.reference]["status"] == "closed"
    assert shown[dropped.reference]["status_notes"] == "Dropped: Abusive or offensive"
    root = xml_of(client.get(BASE + f"requests/{resolved.reference}.xml"))
    assert root[0].findtext("status") == "closed"
    assert root[0].findtext("status_notes") == "Closed: Relief granted"


def test_the_list_filters_by_reference_service_status_and_dates(client, world, sms_outbox, travel):
    over, supply = lodge(world), lodge(world, category=world.supply)
    closed = lodge(world)
    complaint_drop(
        complaint=closed,
        officer=world.officers.se,
        reason=DropReason.ABUSIVE,
        explanation="Abusive language throughout.",
    )

    def references(**params):
        return {r["service_request_id"] for r in client.get(BASE + "requests.json", params).json()}

    assert references() == {over.reference, supply.reference, closed.reference}
    assert references(service_request_id=f"{over.reference}, {supply.reference}") == {
        over.reference,
        supply.reference,
    }
    assert references(service_code=world.supply.code) == {supply.reference}
    assert references(status="closed") == {closed.reference}
    assert references(status="open") == {over.reference, supply.reference}
    assert references(status="open,closed") == references()
    assert references(start_date="2001-01-01T00:00:00Z", end_date="2001-03-01T00:00:00Z") == set()
    # The default window is the last 90 days; a reference still finds an older request.
    travel(days=91)
    assert references() == set()
    assert references(service_request_id=over.reference) == {over.reference}


def test_the_list_costs_one_query_however_long(
    client, world, partner, sms_outbox, django_assert_max_num_queries
):
    for _ in range(5):
        lodge(world)
    with django_assert_max_num_queries(3):  # the key, its last use, the complaints
        assert len(client.get(BASE + "requests.json", {"api_key": partner.raw}).json()) == 5
    with django_assert_max_num_queries(1):
        assert len(client.get(BASE + "requests.json").json()) == 5


def test_a_citizens_text_never_breaks_the_xml(client, world, partner):
    text = 'Meter <b>&</b> \x01bill "tripled" — ایک ماہ میں تین گنا ]]> <!-- -->'
    fields = request_fields(world, partner.raw, description=text)
    reference = post_form(client, "requests.json", fields).json()[0]["service_request_id"]
    root = xml_of(_public_get(client, reference, "xml", api_key=partner.raw))
    assert root[0].findtext("description") == text.replace("\x01", "")


def test_a_retry_with_the_same_idempotency_key_lodges_once_and_is_its_token(client, world, partner):
    fields = request_fields(world, partner.raw)
    first = post_form(client, "requests.json", fields, **{"Idempotency-Key": "post-0001"})
    again = post_form(client, "requests.json", fields, **{"Idempotency-Key": "post-0001"})
    reference = first.json()[0]["service_request_id"]
    assert again.json()[0]["service_request_id"] == reference
    assert Complaint.objects.filter(citizen=partner.account).count() == 1
    # The same key with other words is a mistake, not a retry: refused, nothing lodged.
    changed = {**fields, "description": "A different complaint about the street lights."}
    reused = post_form(client, "requests.json", changed, **{"Idempotency-Key": "post-0001"})
    assert_error(reused, 409)
    assert Complaint.objects.filter(citizen=partner.account).count() == 1
    token = client.get(BASE + "tokens/post-0001.json", {"api_key": partner.raw}).json()
    assert token == [{"service_request_id": reference, "token": "post-0001"}]
    root = xml_of(client.get(BASE + "tokens/post-0001.xml", {"api_key": partner.raw}))
    assert (root.tag, tags(root[0])) == ("service_requests", ["service_request_id", "token"])


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_posts_are_limited_per_key(client, world, partner, other_partner, settings, fmt):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"open311_post": "2/min", "open311": "100/min"},
    }
    for _ in range(2):
        assert (
            post_form(client, f"requests.{fmt}", request_fields(world, partner.raw)).status_code
            == 201
        )
    refused = post_form(client, f"requests.{fmt}", request_fields(world, partner.raw))
    assert refused.status_code == 429
    assert "Retry-After" in refused
    # Another partner's key has its own allowance.
    other = post_form(client, f"requests.{fmt}", request_fields(world, other_partner.raw))
    assert other.status_code == 201


def test_reads_are_limited_per_address(client, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"open311": "3/min"},
    }
    for _ in range(3):
        assert client.get(BASE + "services.json").status_code == 200
    refused = client.get(BASE + "requests.xml")
    assert refused.status_code == 429
    assert xml_of(refused).tag == "errors"
    elsewhere = client.get(BASE + "services.json", REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 200


def test_the_public_list_is_reused_for_a_while_but_never_for_a_partner(
    client, world, partner, sms_outbox, settings
):
    settings.OPEN311_PUBLIC_CACHE_SECONDS = 60
    first = lodge(world)
    listed = client.get(BASE + "requests.json")
    assert listed["Cache-Control"] == "public, max-age=60"
    assert [r["service_request_id"] for r in listed.json()] == [first.reference]
    second = lodge(world)
    # Anonymous callers get the same list until it expires, in the format they asked for …
    again = client.get(BASE + "requests.json")
    assert again["Content-Type"] == listed["Content-Type"]
    assert again["Cache-Control"] == "public, max-age=60"
    assert [r["service_request_id"] for r in again.json()] == [first.reference]
    as_xml = client.get(BASE + "requests.xml")
    assert client.get(BASE + "requests.xml").content == as_xml.content
    assert "xml" in as_xml["Content-Type"]
    assert xml_of(as_xml).tag == "service_requests"
    # … but another query, or a partner with its key, is answered afresh.
    by_ref = client.get(BASE + "requests.json", {"service_request_id": second.reference})
    assert [r["service_request_id"] for r in by_ref.json()] == [second.reference]
    own = client.get(BASE + "requests.json", {"api_key": partner.raw})
    assert own.has_header("Cache-Control") is False
    assert {r["service_request_id"] for r in own.json()} == {first.reference, second.reference}
