"""What GeoReport v2 answers, key for key as the spec names them.

Nothing about the person who complained is ever shown: no name, phone, e-mail or account.
The description is the complainant's own words, so it is shown only to the partner whose
intake account lodged the complaint; coordinates are shown only where the reporter shared a
location, and rounded to about 100 m for everyone but that partner."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from citizen_portal.complaints.models import Complaint, DropReason, Kind, Outcome, Status
from citizen_portal.directory.models import Category
from citizen_portal.open311.selectors.catalogue import (
    attributes_for,
    category_path,
    department_label,
    service_notice,
)

PUBLIC_PLACES = Decimal("0.001")
T = TypeVar("T")


def represent(
    serializer: type[serializers.BaseSerializer[T]], items: Iterable[T], **context: Any
) -> list[dict[str, Any]]:
    """A list of items, each through `serializer`: every GeoReport answer but the definition
    and discovery is a list, even of one."""
    return [serializer(item, context=context).data for item in items]


def iso(moment: datetime) -> str:
    """ISO 8601 with the portal's offset, as the spec requires: 2026-05-04T10:15:00+05:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def end_of(day: date) -> datetime:
    """A deadline day as a moment: the office has until the end of it."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


class ServiceSerializer(serializers.BaseSerializer[Category]):
    def to_representation(self, instance: Category) -> dict[str, Any]:
        path = category_path(instance)
        return {
            "service_code": instance.code,
            "service_name": instance.name,
            "description": " › ".join(path),
            # Every service asks at least for the district (see attributes_for).
            "metadata": True,
            "type": "realtime",
            "keywords": ", ".join(path[:-1]),
            "group": department_label(instance.department),
        }


class ServiceDefinitionSerializer(serializers.BaseSerializer[Category]):
    def to_representation(self, instance: Category) -> dict[str, Any]:
        attributes = []
        for attribute in attributes_for(instance):
            shown: dict[str, Any] = {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description,
                "order": attribute.order,
                "description": attribute.description,
            }
            if attribute.values:
                shown["values"] = [{"key": key, "name": name} for key, name in attribute.values]
            attributes.append(shown)
        return {"service_code": instance.code, "attributes": attributes}


def status_notes(complaint: Complaint) -> str:
    """The portal's own status, richer than open/closed, with the outcome or drop reason."""
    notes = [str(Status(complaint.status).label)]
    if complaint.outcome:
        notes.append(str(Outcome(complaint.outcome).label))
    if complaint.status == Status.DROPPED and complaint.drop_reason:
        notes.append(str(DropReason(complaint.drop_reason).label))
    return ": ".join(notes)


def _notice(complaint: Complaint) -> str:
    if complaint.kind == Kind.SUGGESTION:
        return _("%(department)s considers suggestions and says whether it adopts them.") % {
            "department": complaint.department.name
        }
    # The complaint's own department: after a transfer it is the one answering.
    return service_notice(complaint.department, complaint.category.deadline_working_days)


def _coordinate(value: Decimal, *, exact: bool) -> float:
    return float(value if exact else value.quantize(PUBLIC_PLACES))


class ServiceRequestSerializer(serializers.BaseSerializer[Complaint]):
    """One request. `context["owner_id"]` is the intake account of the calling partner, if
    it sent a valid api_key: its own requests come with their description."""

    def to_representation(self, instance: Complaint) -> dict[str, Any]:
        own = instance.citizen_id == self.context.get("owner_id")
        shown: dict[str, Any] = {
            "service_request_id": instance.reference,
            "status": "open" if instance.is_open else "closed",
            "status_notes": status_notes(instance),
            "service_name": instance.category.name,
            "service_code": instance.category.code,
        }
        if own:
            shown["description"] = instance.description
        shown.update(
            {
                "agency_responsible": department_label(instance.department),
                "service_notice": _notice(instance),
                "requested_datetime": iso(instance.created_at),
                "updated_datetime": iso(instance.updated_at),
            }
        )
        if instance.is_open and instance.due_on is not None:
            shown["expected_datetime"] = iso(end_of(instance.due_on))
        if instance.share_location and instance.latitude is not None:
            assert instance.longitude is not None
            shown["address"] = instance.area.name
            shown["lat"] = _coordinate(instance.latitude, exact=own)
            shown["long"] = _coordinate(instance.longitude, exact=own)
        return shown


class CreatedRequestSerializer(serializers.BaseSerializer[Complaint]):
    """The answer to a post: the reference at once (the portal lodges in real time, so it
    never answers with a token). account_id is the spec's, and always empty: the portal gives
    partners no handle on the person who reported."""

    def to_representation(self, instance: Complaint) -> dict[str, Any]:
        return {
            "service_request_id": instance.reference,
            "service_notice": service_notice(
                instance.department, instance.category.deadline_working_days
            ),
            "account_id": None,
        }


class TokenSerializer(serializers.BaseSerializer[Complaint]):
    def to_representation(self, instance: Complaint) -> dict[str, Any]:
        return {"service_request_id": instance.reference, "token": self.context["token"]}
