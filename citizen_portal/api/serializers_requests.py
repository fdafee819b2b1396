"""Request bodies of the citizens' complaint endpoints, and the field types the officers'
action bodies share (serializers_actions.py). They check the shape of a request; the services
judge it. Text limits are read from the web forms, so that the API accepts exactly what the
pages do."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from citizen_portal.complaints.forms import FeedbackForm, LodgeForm, ProvideInfoForm
from citizen_portal.complaints.models import Channel, Kind, Status
from citizen_portal.complaints.services.lodging import ComplaintInput
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.directory.selectors.memo import area_by_code, category_by_code


def form_lengths(form: type[forms.Form], name: str) -> dict[str, Any]:
    """The length limits of a web form's text field, so that the API accepts exactly the
    lengths the page does."""
    field = form.base_fields[name]
    assert isinstance(field, forms.CharField)
    return {"min_length": field.min_length, "max_length": field.max_length}


class UploadsField(serializers.ListField):
    """Files sent as multipart form data, several under the one name `files`. Their type, size
    and number are judged by the attachment service, as on the web."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", serializers.FileField(allow_empty_file=True))
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(**kwargs)


class ComplaintFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    cursor = serializers.CharField(
        required=False, max_length=500, help_text="From `next` or `previous` of a page."
    )
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=25)


def _decimal(value: float | None) -> Decimal | None:
    # Six decimals (about 10 cm), as stored; a phone's GPS may send more.
    return None if value is None else Decimal(str(round(value, 6)))


class LodgeSerializer(serializers.Serializer[Any]):
    """A complaint or suggestion to lodge. It is routed at once; the category and district
    decide which office gets it."""

    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.COMPLAINT)
    category = serializers.CharField(
        max_length=80, help_text="A category's code, e.g. FED-LESCO.BILL.OVER."
    )
    area = serializers.CharField(max_length=40, help_text="A district's code, e.g. PK-PB-LHR-LHR.")
    subject = serializers.CharField(**form_lengths(LodgeForm, "subject"))
    description = serializers.CharField(**form_lengths(LodgeForm, "description"))
    share_location = serializers.BooleanField(
        default=False,
        help_text="Lets the office see the location, and where the photos were taken; without "
        "it, the place is removed from photos.",
    )
    latitude = serializers.FloatField(
        min_value=-90, max_value=90, required=False, allow_null=True, default=None
    )
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True, default=None
    )

    def validate_category(self, code: str) -> Category:
        category = category_by_code(code)
        if category is None:
            raise serializers.ValidationError(_("No category has this code."))
        return category

    def validate_area(self, code: str) -> AdminUnit:
        area = area_by_code(code)
        if area is None:
            raise serializers.ValidationError(_("No district has this code."))
        return area

    def complaint_input(self, *, language: str) -> ComplaintInput:
        data = self.validated_data
        return ComplaintInput(
            category=data["category"],
            area=data["area"],
            subject=data["subject"],
            description=data["description"],
            language=language,
            channel=Channel.APP,
            kind=Kind(data["kind"]),
            latitude=_decimal(data["latitude"]),
            longitude=_decimal(data["longitude"]),
            share_location=data["share_location"],
        )


class LodgeUploadSerializer(LodgeSerializer):
    """As LodgeSerializer, sent as multipart form data with files."""

    files = UploadsField(help_text="Photos, PDF documents, audio or video.")


class AnswerSerializer(serializers.Serializer[Any]):
    """The citizen's answer to the office's question."""

    answer = serializers.CharField(**form_lengths(ProvideInfoForm, "answer"))


class AnswerUploadSerializer(AnswerSerializer):
    """As AnswerSerializer, sent as multipart form data with files."""

    files = UploadsField(help_text="The documents or photos the office asked for.")


class FeedbackSerializer(serializers.Serializer[Any]):
    """The citizen's verdict on a resolution: satisfied closes the complaint; not satisfied is
    an appeal to a senior officer (the first) or the government's complaint cell (the second);
    after that the resolution stands."""

    satisfied = serializers.BooleanField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", **form_lengths(FeedbackForm, "comment")
    )
