"""Shapes shared by every part of the API, for the OpenAPI schema."""

from __future__ import annotations

from datetime import date, datetime

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer[None]):
    code = serializers.CharField(help_text="Stable, machine-readable: e.g. invalid, not_found.")
    message = serializers.CharField(help_text="For people, in the request's language.")
    fields = serializers.DictField(  # type: ignore[assignment]  # a field, not Serializer.fields
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per-field messages, for validation errors; empty otherwise.",
    )


class ErrorSerializer(serializers.Serializer[None]):
    error = ErrorDetailSerializer()


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error responses an endpoint documents, all in the one error shape."""
    return {status: OpenApiResponse(ErrorSerializer) for status in statuses}


# Hot lists (the officer's inbox) build their JSON directly, in the form the documented
# serializer would give, instead of running a serializer over every field of every row: on a
# page of 25 that machinery cost more than the database (issue 7's profile). These give dates
# and moments exactly as DRF's DateField and DateTimeField do.
_MOMENT = serializers.DateTimeField()
_DAY = serializers.DateField()


def moment_json(value: datetime | None) -> str | None:
    return None if value is None else str(_MOMENT.to_representation(value))


def day_json(value: date | None) -> str | None:
    return None if value is None else str(_DAY.to_representation(value))
