"""Shapes shared by every part of the API, for the OpenAPI schema."""

from __future__ import annotations

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
