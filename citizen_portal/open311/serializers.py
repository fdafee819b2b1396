"""What GeoReport v2 clients send: a service request (POST) and the query of a request list
(GET), checked into the inputs of the service and the selector. Output is in outputs.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from citizen_portal.core import clock
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.open311.selectors.catalogue import (
    DISTRICT,
    SUBJECT,
    Attribute,
    attributes_for,
    service_for,
)
from citizen_portal.open311.selectors.requests import MAX_REQUESTS, WINDOW_DAYS, RequestFilter
from citizen_portal.open311.services.requests import RequestInput

ATTRIBUTE = re.compile(r"^attribute\[([^\]]{1,50})\](?:\[\])?$")
# As the complaint stores them.
STORED_PLACES = Decimal("0.000001")


def request_payload(data: Any) -> dict[str, Any]:
    """A post's fields, with `attribute[code]=value` pairs gathered under "attribute" (JSON
    bodies may also send {"attribute": {"code": value}})."""
    if not isinstance(data, Mapping):
        raise serializers.ValidationError(_("Send the request's fields as a form."))
    payload: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for key in data:
        value = data.get(key)
        match = ATTRIBUTE.match(str(key))
        if match:
            attributes[match[1]] = value
        elif key == "attribute" and isinstance(value, Mapping):
            attributes.update({str(k): v for k, v in value.items()})
        else:
            payload[str(key)] = value
    payload["attribute"] = attributes
    return payload


def coordinate(value: str, *, limit: int, name: str) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise serializers.ValidationError(_("Not a number.")) from None
    if not number.is_finite() or not -limit <= number <= limit:
        raise serializers.ValidationError(
            _("%(name)s must be between -%(limit)d and %(limit)d.") % {"name": name, "limit": limit}
        )
    return number.quantize(STORED_PLACES)


def check_attribute(attribute: Attribute, value: Any) -> str:
    """The attribute's value, checked against its definition."""
    text = "" if value is None else str(value).strip()
    if not text:
        if attribute.required:
            raise serializers.ValidationError(_("This attribute is required."))
        return ""
    if attribute.datatype == "singlevaluelist" and text not in dict(attribute.values):
        raise serializers.ValidationError(_("Not one of the listed values."))
    too_long = attribute.max_length and len(text) > attribute.max_length
    if len(text) < attribute.min_length or too_long:
        raise serializers.ValidationError(
            _("Between %(min)d and %(max)d characters.")
            % {"min": attribute.min_length, "max": attribute.max_length}
        )
    return text


class ServiceRequestInputSerializer(serializers.Serializer[None]):
    """POST requests. The reporter's identity fields (email, first_name, last_name, phone,
    device_id, account_id) are not declared, so they are dropped unread."""

    service_code = serializers.CharField(max_length=80)
    description = serializers.CharField(min_length=20, max_length=4000)
    lat = serializers.CharField(required=False, allow_blank=True, max_length=40)
    long = serializers.CharField(required=False, allow_blank=True, max_length=40)
    address_string = serializers.CharField(required=False, allow_blank=True, max_length=500)
    media_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    attribute = serializers.DictField(default=dict)

    def validate_service_code(self, value: str) -> Category:
        category = service_for(value)
        if category is None:
            raise serializers.ValidationError(_("Not a service of this portal: %s") % value)
        return category

    def validate_lat(self, value: str) -> Decimal | None:
        return coordinate(value, limit=90, name="lat")

    def validate_long(self, value: str) -> Decimal | None:
        return coordinate(value, limit=180, name="long")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("lat") is None) != (attrs.get("long") is None):
            raise serializers.ValidationError({"long": _("Send both lat and long, or neither.")})
        category: Category = attrs["service_code"]
        given: dict[str, Any] = attrs.get("attribute") or {}
        definition = {a.code: a for a in attributes_for(category)}
        errors: dict[str, Any] = {}
        values: dict[str, str] = {}
        for code in sorted(set(given) - set(definition)):
            errors[f"attribute[{code}]"] = [_("Not an attribute of this service.")]
        for code, attribute in definition.items():
            try:
                values[code] = check_attribute(attribute, given.get(code))
            except serializers.ValidationError as exc:
                errors[f"attribute[{code}]"] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        attrs["area"] = AdminUnit.objects.get(code=values[DISTRICT])
        attrs["subject"] = values.get(SUBJECT, "")
        return attrs

    def to_input(self) -> RequestInput:
        data = self.validated_data
        return RequestInput(
            category=data["service_code"],
            area=data["area"],
            description=data["description"],
            subject=data["subject"],
            latitude=data.get("lat"),
            longitude=data.get("long"),
            address=data.get("address_string", ""),
            media_url=data.get("media_url", ""),
        )


def _moment(value: str) -> datetime:
    try:
        parsed = parse_datetime(value)
        day = None if parsed is not None else parse_date(value)
    except ValueError:
        parsed = day = None
    if parsed is None and day is not None:
        parsed = datetime.combine(day, time.min)
    if parsed is None:
        raise serializers.ValidationError(_("Not a date and time, e.g. 2026-05-04T00:00:00Z."))
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _listed(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


class RequestFilterSerializer(serializers.Serializer[None]):
    """GET requests' query: comma-separated lists, a window of at most 90 days."""

    service_request_id = serializers.CharField(required=False, max_length=30_000)
    service_code = serializers.CharField(required=False, max_length=5_000)
    start_date = serializers.CharField(required=False, max_length=40)
    end_date = serializers.CharField(required=False, max_length=40)
    status = serializers.CharField(required=False, max_length=40)

    def validate_service_request_id(self, value: str) -> tuple[str, ...]:
        references = _listed(value)
        if len(references) > MAX_REQUESTS:
            raise serializers.ValidationError(_("At most %d at once.") % MAX_REQUESTS)
        return references

    def validate_service_code(self, value: str) -> tuple[str, ...]:
        codes = _listed(value)
        known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(_("Unknown: %s") % ", ".join(unknown))
        return codes

    def validate_status(self, value: str) -> frozenset[str]:
        statuses = frozenset(part.lower() for part in _listed(value))
        if not statuses <= {"open", "closed"}:
            raise serializers.ValidationError(_("Allowed values: open, closed."))
        return statuses

    def validate_start_date(self, value: str) -> datetime:
        return _moment(value)

    def validate_end_date(self, value: str) -> datetime:
        return _moment(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        window = timedelta(days=WINDOW_DAYS)
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start is None and end is None:
            end = clock.now()
        if start is None:
            assert end is not None
            start = end - window
        elif end is None:
            end = start + window
        if end < start:
            raise serializers.ValidationError({"end_date": _("Must not be before start_date.")})
        if end - start > window:
            raise serializers.ValidationError(
                {"end_date": _("The range may not span more than %d days.") % WINDOW_DAYS}
            )
        attrs["start_date"], attrs["end_date"] = start, end
        return attrs

    def to_filter(self) -> RequestFilter:
        data = self.validated_data
        return RequestFilter(
            start=data["start_date"],
            end=data["end_date"],
            references=data.get("service_request_id", ()),
            service_codes=data.get("service_code", ()),
            statuses=data.get("status", frozenset()),
        )
