"""Helpers for the Open311 tests: partners, the spec's form posts, and XML parsing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from django.test import Client

from citizen_portal.directory.tests.factories import CitizenFactory
from citizen_portal.open311.services.partner_keys import partner_key_issue

BASE = "/open311/v2/"


def make_partner(name: str, phone: str) -> SimpleNamespace:
    account = CitizenFactory(phone=phone, full_name=f"{name} intake desk")
    key, raw = partner_key_issue(name=name, account=account)
    return SimpleNamespace(key=key, raw=raw, account=account)


def request_fields(world: SimpleNamespace, raw: str, **extra: Any) -> dict[str, Any]:
    """A service request as the spec posts one, for world.overbilling in Lahore."""
    return {
        "api_key": raw,
        "service_code": world.overbilling.code,
        "description": "The November bill is Rs 45,000; we usually pay about Rs 15,000.",
        "attribute[district]": world.lahore.code,
        **extra,
    }


def post_form(client: Client, path: str, fields: dict[str, Any], **headers: str) -> Any:
    """POST as GeoReport clients do: application/x-www-form-urlencoded."""
    return client.post(
        BASE + path,
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )


def xml_of(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 (the portal's own answer)


def tags(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def assert_error(response: Any, status: int, fragment: str = "") -> None:
    """The spec's error format: a list of {code, description} (JSON) or <errors> (XML)."""
    assert response.status_code == status, response.content
    if response["Content-Type"].startswith("text/xml"):
        root = xml_of(response)
        assert root.tag == "errors"
        errors = [{c.tag: c.text for c in error} for error in root]
        assert all(tags(error) == ["code", "description"] for error in root)
    else:
        errors = response.json()
        assert isinstance(errors, list)
        assert errors
        assert all(set(e) == {"code", "description"} for e in errors)
    assert {str(e["code"]) for e in errors} == {str(status)}
    assert fragment in " ".join(str(e["description"]) for e in errors)
