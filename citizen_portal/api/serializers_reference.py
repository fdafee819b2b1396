"""Input (query filters) and output shapes of the reference data API.

Every named thing carries `name` in the request's language (Accept-Language) and both
`name_en` and `name_ur`; `name_ur` is empty where no Urdu name exists yet."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

from citizen_portal.api.selectors_reference import category_is_lodgeable
from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Department,
    Tier,
)

# Every code in the reference data is made of these; anything else is refused before it
# reaches the database (PostgreSQL rejects a NUL in a query outright).
CODE_PATTERN = r"^[A-Za-z0-9._-]{1,80}$"
_CODE_RE = re.compile(CODE_PATTERN)

# Why an out-of-scope category cannot be lodged. The catalogue does not tie such a category to
# one of the out-of-scope grounds, so this is the lodge service's own refusal (same wording,
# so its translation is shared); the grounds in detail are at /api/v1/out-of-scope/.
OUT_OF_SCOPE_REASON = _("This matter is outside what the portal can handle.")


def code_is_valid(code: str) -> bool:
    return _CODE_RE.fullmatch(code) is not None  # fullmatch: "$" alone lets a "\n" through


class CodeField(serializers.SlugRelatedField[Any]):
    """A reference by code; blank means "not given", an unknown code is a validation error."""

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("error_messages", {"does_not_exist": _("No such code: “{value}”.")})
        super().__init__(slug_field="code", queryset=queryset, **kwargs)

    def to_internal_value(self, data: Any) -> Model:
        if not isinstance(data, str) or not code_is_valid(data):
            self.fail("does_not_exist", slug_name="code", value=str(data)[:80])
        result: Model = super().to_internal_value(data)
        return result


# --- Filters --------------------------------------------------------------------------------
# Each filter serializer checks the query string; the parameters beside it document it (with
# examples that exist in the national directory). Blank means "not given" throughout, as in a
# form that leaves a filter empty.

BLANK_OR_CODE_PATTERN = r"^[A-Za-z0-9._-]{0,80}$"


class StrictBooleanField(serializers.BooleanField):
    """Only `true` or `false`: what the schema's boolean promises, nothing looser."""

    TRUE_VALUES = {"true"}
    FALSE_VALUES = {"false"}


def _code_parameter(name: str, description: str, example: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        str,
        description=description,
        pattern=BLANK_OR_CODE_PATTERN,
        examples=[OpenApiExample(example, value=example)],
    )


class AreaFilterSerializer(serializers.Serializer[None]):
    level = serializers.ChoiceField(
        choices=AdminUnit.Level.choices, required=False, allow_blank=True
    )
    parent = CodeField(queryset=AdminUnit.objects.all())  # type: ignore[assignment]  # a field
    include_retired = StrictBooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["level"] = attrs.get("level") or None
        if attrs["level"] == AdminUnit.Level.TEHSIL and attrs.get("parent") is None:
            raise serializers.ValidationError(
                {"parent": [_("Tehsils are listed per province, division or district.")]}
            )
        return attrs


AREA_PARAMETERS = [
    OpenApiParameter(
        "level",
        str,
        enum=[*AdminUnit.Level.values, ""],
        description="Only units of this level. `tehsil` needs `parent` as well (400 without).",
    ),
    _code_parameter(
        "parent",
        "Code of a unit: its children; with `level`, its units of that level at any depth "
        "below it. An unknown code is refused (400).",
        "PK-PB",
    ),
    OpenApiParameter(
        "include_retired",
        bool,
        default=False,
        description="Also units that were split or merged (is_active false, with successors).",
    ),
]


class DepartmentFilterSerializer(serializers.Serializer[None]):
    tier = CodeField(queryset=Tier.objects.all())


DEPARTMENT_PARAMETERS = [
    _code_parameter("tier", "Code of a tier. An unknown code is refused (400).", "federal"),
]


class CategoryFilterSerializer(serializers.Serializer[None]):
    department = CodeField(queryset=Department.objects.all())
    parent = CodeField(queryset=Category.objects.all())  # type: ignore[assignment]  # a field

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("department") is None and attrs.get("parent") is None:
            raise serializers.ValidationError(
                {"department": [_("Give a department or a parent category.")]}
            )
        return attrs


CATEGORY_PARAMETERS = [
    _code_parameter(
        "department",
        "Code of a department: its active categories, the whole tree, parents first. "
        "One of `department` and `parent` is required (400 without).",
        "FED-LESCO",
    ),
    _code_parameter(
        "parent", "Code of a category: its active direct subcategories.", "FED-LESCO.BILL"
    ),
]


# --- Output ---------------------------------------------------------------------------------


class _Named(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")
    name_en = serializers.CharField()
    name_ur = serializers.CharField(help_text="Empty where there is no Urdu name yet.")


class AreaSerializer(_Named):
    level = serializers.ChoiceField(choices=AdminUnit.Level.choices)
    parent = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.parent
        source="parent.code", allow_null=True
    )
    is_active = serializers.BooleanField()
    successors = serializers.SerializerMethodField(
        help_text="For a retired unit, the codes of the units that took its place."
    )
    population = serializers.IntegerField(
        allow_null=True, help_text="2023 census, where it has a figure for the unit."
    )

    def get_successors(self, unit: AdminUnit) -> list[str]:
        return [successor.code for successor in unit.successors.all()]  # prefetched


class TierSerializer(_Named):
    reference_prefix = serializers.CharField(help_text="Prefix of complaint references.")


class DepartmentSerializer(_Named):
    tier = serializers.CharField(source="tier.code")
    parent = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.parent
        source="parent.code", allow_null=True
    )
    on_portal = serializers.SerializerMethodField(
        help_text="Whether it takes complaints through the portal now."
    )

    def get_on_portal(self, department: Department) -> bool:
        return department.pk in self.context["on_portal"]


class CategorySerializer(_Named):
    department = serializers.CharField(source="department.code")
    parent = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.parent
        source="parent.code", allow_null=True
    )
    depth = serializers.IntegerField(help_text="0 for a department's top-level categories.")
    deadline_working_days = serializers.IntegerField()
    is_active = serializers.BooleanField()
    lodgeable = serializers.SerializerMethodField(
        help_text="Whether a complaint can be lodged under it now (what the lodge form offers)."
    )
    out_of_scope = serializers.BooleanField()
    out_of_scope_reason = serializers.SerializerMethodField(
        help_text="Why it cannot be lodged, in the request's language; null unless out of scope."
    )

    def get_lodgeable(self, category: Category) -> bool:
        return category_is_lodgeable(category, self.context["on_portal"])

    def get_out_of_scope_reason(self, category: Category) -> str | None:
        return str(OUT_OF_SCOPE_REASON) if category.out_of_scope else None


class OutOfScopeGroundSerializer(_Named):
    reason = serializers.CharField(help_text="Shown to citizens, in the request's language.")
    reason_en = serializers.CharField()
    reason_ur = serializers.CharField(help_text="Empty where there is no Urdu text yet.")
