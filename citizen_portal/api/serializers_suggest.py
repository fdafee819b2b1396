"""Input and output shapes of the category suggestion operation (views_suggest.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from citizen_portal.api.serializers_reference import BLANK_OR_CODE_PATTERN, CodeField
from citizen_portal.directory.models import AdminUnit
from citizen_portal.intelligence.selectors.suggest import CategorySuggestion

TEXT_CHARS = 2_000


@extend_schema_field({"type": "string", "nullable": True, "pattern": BLANK_OR_CODE_PATTERN})
class DistrictField(CodeField):
    """A district's code; blank or null means none given."""


class TextField(serializers.CharField):
    """Text, and only text: a number or a list is refused, as the schema's string says."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class SuggestInputSerializer(serializers.Serializer[None]):
    text = TextField(
        min_length=1,
        max_length=TEXT_CHARS,
        help_text="The problem in the citizen's own words (English, Urdu or Roman Urdu).",
    )
    district = DistrictField(
        queryset=AdminUnit.objects.filter(is_active=True, level=AdminUnit.Level.DISTRICT),
        help_text="Optional: the code of the district where the problem is (e.g. "
        "PK-PB-LHR-LHR), for the department that serves it.",
        error_messages={"does_not_exist": _("No such district: “{value}”.")},
    )


class NamedSerializer(serializers.Serializer[None]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")


class SuggestionSerializer(serializers.Serializer[None]):
    category = NamedSerializer()
    department = NamedSerializer(help_text="The department that serves the district, if given.")
    score = serializers.FloatField(min_value=0, max_value=1, help_text="How likely, 0 to 1.")


class SuggestionsSerializer(serializers.Serializer[None]):
    suggestions = SuggestionSerializer(many=True, help_text="At most three, most likely first.")


def suggestions_data(found: list[CategorySuggestion]) -> dict[str, Any]:
    def named(thing: Any) -> dict[str, Any]:
        return {"id": thing.pk, "code": thing.code, "name": thing.name}

    return {
        "suggestions": [
            {
                "category": named(s.category),
                "department": named(s.department),
                "score": round(min(max(float(s.score), 0.0), 1.0), 4),
            }
            for s in found
        ]
    }
