"""Bad input gets the spec's error format with 400, 403 or 404, never a server error."""

from __future__ import annotations

import json

import pytest

from citizen_portal.accounts.models import Role
from citizen_portal.complaints.models import Complaint
from citizen_portal.open311.tests.helpers import BASE, assert_error, post_form, request_fields


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_post_without_a_valid_key_is_refused(client, world, partner, fmt):
    fields = request_fields(world, partner.raw)
    del fields["api_key"]
    assert_error(post_form(client, f"requests.{fmt}", fields), 403, "api_key is required")
    fields["api_key"] = "cpk_" + "x" * 43
    assert_error(post_form(client, f"requests.{fmt}", fields), 403, "Invalid api_key")
    assert not Complaint.objects.exists()


def test_an_inactive_key_is_refused_for_posts_and_reads(client, world, partner):
    partner.key.is_active = False
    partner.key.save()
    assert_error(post_form(client, "requests.json", request_fields(world, partner.raw)), 403)
    assert_error(client.get(BASE + "requests.xml", {"api_key": partner.raw}), 403)
    assert not Complaint.objects.exists()


def test_a_key_whose_intake_account_is_blocked_or_staff_is_refused(client, world, partner):
    partner.account.is_active = False
    partner.account.save()
    assert_error(post_form(client, "requests.json", request_fields(world, partner.raw)), 403)
    partner.account.is_active, partner.account.role = True, Role.OFFICER
    partner.account.save()
    assert_error(post_form(client, "requests.json", request_fields(world, partner.raw)), 403)
    assert not Complaint.objects.exists()


BAD_POSTS = [
    ({"service_code": "NO-SUCH"}, "service_code"),
    ({"service_code": ""}, "service_code"),
    ({"service_code": "FED-LESCO.BILL"}, "service_code"),  # a parent, not a service
    ({"attribute[district]": ""}, "attribute[district]"),
    ({"attribute[district]": "PK-PB"}, "attribute[district]"),  # a province
    ({"attribute[colour]": "red"}, "attribute[colour]"),
    ({"attribute[subject]": "Hi"}, "attribute[subject]"),
    ({"description": "Too short"}, "description"),
    ({"description": "x" * 4001}, "description"),
    ({"lat": "91", "long": "74.3"}, "lat"),
    ({"lat": "31.5", "long": "-180.5"}, "long"),
    ({"lat": "NaN", "long": "74.3"}, "lat"),
    ({"lat": "north", "long": "74.3"}, "lat"),
    ({"lat": "31.5"}, "long"),
    ({"media_url": "javascript:alert(1)"}, "media_url"),
]


@pytest.mark.parametrize(("change", "named"), BAD_POSTS)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_bad_post_is_refused_with_the_field_named(client, world, partner, change, named, fmt):
    fields = {**request_fields(world, partner.raw), **change}
    assert_error(post_form(client, f"requests.{fmt}", fields), 400, named)
    assert not Complaint.objects.exists()


def test_a_missing_district_or_a_json_list_is_refused(client, world, partner):
    fields = request_fields(world, partner.raw)
    del fields["attribute[district]"]
    assert_error(post_form(client, "requests.json", fields), 400, "attribute[district]")
    as_list = client.post(BASE + "requests.json", json.dumps([fields]), "application/json")
    assert_error(as_list, 403)  # a list carries no api_key
    with_key = client.post(
        BASE + f"requests.json?api_key={partner.raw}", json.dumps([fields]), "application/json"
    )
    assert_error(with_key, 400)
    broken = client.post(BASE + "requests.json", "{not json", "application/json")
    assert_error(broken, 400)


def test_files_are_refused_rather_than_dropped(client, world, partner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = request_fields(world, partner.raw)
    fields["media"] = SimpleUploadedFile("pothole.jpg", b"\xff\xd8 a photo", "image/jpeg")
    assert_error(client.post(BASE + "requests.json", fields), 400, "media_url")
    assert not Complaint.objects.exists()


BAD_QUERIES = [
    ({"start_date": "yesterday"}, "start_date"),
    ({"end_date": "2026-13-45T00:00:00Z"}, "end_date"),
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
    ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
    ({"status": "pending"}, "status"),
    ({"service_code": "NO-SUCH"}, "NO-SUCH"),
    ({"service_request_id": ",".join(str(n) for n in range(1001))}, "service_request_id"),
    ({"api_key": "cpk_forged"}, "api_key"),
]


@pytest.mark.parametrize(("query", "named"), BAD_QUERIES)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_bad_query_is_refused_with_the_parameter_named(client, world, query, named, fmt):
    status = 403 if "api_key" in query else 400
    assert_error(client.get(BASE + f"requests.{fmt}", query), status, named)


def test_an_unknown_request_or_token_is_not_found(client, world, partner):
    assert_error(client.get(BASE + "requests/PB-2026-9999999-X.json"), 404)
    assert_error(client.get(BASE + "requests/PB-2026-9999999-X.xml"), 404)
    assert_error(client.get(BASE + "tokens/never-used-1.json", {"api_key": partner.raw}), 404)
    assert_error(client.get(BASE + "tokens/never-used-1.xml"), 403, "api_key")


GARBAGE = [
    {"service_code": "\x00", "description": "\x00" * 30, "lat": "\x00", "long": "1e999"},
    {"service_code": "../../etc/passwd", "attribute[district]": "1 OR 1=1", "lat": "1e9"},
    {"attribute[]": "x", "attribute[[district]]": "y", "attribute": "z", "api_key": ""},
    {"description": "💥" * 5000, "address_string": "\u202e" * 600, "media_url": "http://"},
]


def test_no_garbage_gets_a_server_error(client, world, partner):
    for data in GARBAGE:
        for fmt in ("json", "xml"):
            for path in ("requests", "services", "discovery", "services/\x00", "tokens/x"):
                assert client.get(BASE + f"{path}.{fmt}", data).status_code < 500, (path, data)
            fields = {**request_fields(world, partner.raw), **data}
            response = post_form(client, f"requests.{fmt}", fields)
            assert response.status_code in {400, 403}, (data, response.content)
    assert not Complaint.objects.exists()
