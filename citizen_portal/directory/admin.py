"""The directory in the Django admin: search, filters and related lookups that stay fast with
thousands of rows (list_select_related everywhere a column crosses a relation)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Country,
    Department,
    Holiday,
    Office,
    OutOfScopeGround,
    Position,
    PositionHolding,
    RoutingRule,
    Tier,
)

URDU = ("name_ur", "name_ur_official")


class TierScoped(admin.ModelAdmin[Any]):
    """A tier's administrators see and change only their tier's rows; national ones, all.
    `tier_path` is the lookup from the model to its tier."""

    tier_path = "tier"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        tier_id = getattr(request.user, "scope_tier_id", None)
        return queryset.filter(**{self.tier_path: tier_id}) if tier_id else queryset


class NationalOnly(admin.ModelAdmin[Any]):
    """Shared reference data (geography, countries, tiers, grounds): a tier's administrators
    may read it; only national administrators change it."""

    def _national(self, request: HttpRequest) -> bool:
        return getattr(request.user, "scope_tier_id", None) is None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._national(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._national(request) and super().has_delete_permission(request, obj)


@admin.register(AdminUnit)
class AdminUnitAdmin(NationalOnly):
    list_display = ["code", "name_en", "name_ur", "level", "parent", "population", "is_active"]
    list_filter = ["level", "is_active", "name_ur_official"]
    search_fields = ["code", "name_en", "name_ur"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "successors"]
    fields = [
        "code", "name_en", *URDU, "level", "parent", "depth", "valid_from", "population",
        "lat", "lon", "is_active", "retired_on", "successors",
    ]  # fmt: skip


@admin.register(Country)
class CountryAdmin(NationalOnly):
    list_display = ["code", "alpha3", "name_en", "name_ur"]
    search_fields = ["code", "alpha3", "name_en", "name_ur"]


@admin.register(Tier)
class TierAdmin(NationalOnly):
    list_display = ["code", "name_en", "name_ur", "reference_prefix", "complaint_cell"]
    list_select_related = ["complaint_cell__office"]
    autocomplete_fields = ["complaint_cell"]


@admin.register(Department)
class DepartmentAdmin(TierScoped):
    tier_path = "tier"
    list_display = ["code", "name_en", "name_ur", "tier", "kind", "focal_position", "is_active"]
    list_filter = ["tier", "kind", "is_active", "name_ur_official"]
    search_fields = ["code", "name_en", "name_ur"]
    list_select_related = ["tier", "focal_position__office"]
    autocomplete_fields = ["parent", "focal_position"]


@admin.register(Category)
class CategoryAdmin(TierScoped):
    tier_path = "department__tier"
    list_display = [
        "code",
        "name_en",
        "name_ur",
        "department",
        "deadline_working_days",
        "is_active",
    ]
    list_filter = ["out_of_scope", "is_active", "name_ur_official", "department__tier"]
    search_fields = ["code", "name_en", "name_ur"]
    list_select_related = ["department"]
    autocomplete_fields = ["department", "parent"]


@admin.register(OutOfScopeGround)
class OutOfScopeGroundAdmin(NationalOnly):
    list_display = ["code", "name_en", "name_ur", "is_active"]
    search_fields = ["code", "name_en", "name_ur"]


class PositionInline(admin.TabularInline[Position, Office]):
    model = Position
    extra = 0
    autocomplete_fields = ["supervisor"]


@admin.register(Office)
class OfficeAdmin(TierScoped):
    tier_path = "department__tier"
    list_display = ["name_en", "department", "jurisdiction", "is_active"]
    list_filter = ["is_active", "department__tier"]
    search_fields = ["name_en", "name_ur", "department__name_en", "department__code"]
    list_select_related = ["department", "jurisdiction"]
    autocomplete_fields = ["department", "jurisdiction"]
    inlines = [PositionInline]


class HoldingInline(admin.TabularInline[PositionHolding, Position]):
    model = PositionHolding
    extra = 0
    autocomplete_fields = ["user"]
    can_delete = False  # history: a holding is ended, never deleted


@admin.register(Position)
class PositionAdmin(TierScoped):
    tier_path = "office__department__tier"
    list_display = ["title_en", "office", "supervisor", "is_active"]
    list_filter = ["is_active", "office__department__tier"]
    search_fields = ["title_en", "title_ur", "office__name_en", "office__department__code"]
    list_select_related = ["office", "supervisor__office"]
    autocomplete_fields = ["office", "supervisor"]
    inlines = [HoldingInline]


@admin.register(PositionHolding)
class PositionHoldingAdmin(TierScoped):
    tier_path = "position__office__department__tier"
    list_display = ["position", "user", "started_at", "ended_at"]
    list_filter = ["ended_at"]
    search_fields = ["user__username", "user__full_name", "position__title_en"]
    list_select_related = ["position__office", "user"]
    autocomplete_fields = ["position", "user"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoutingRule)
class RoutingRuleAdmin(TierScoped):
    tier_path = "category__department__tier"
    list_display = ["category", "area", "position"]
    list_filter = ["category__department__tier"]
    search_fields = ["category__code", "area__code", "area__name_en", "position__title_en"]
    list_select_related = ["category", "area", "position__office"]
    autocomplete_fields = ["category", "area", "position"]


@admin.register(Holiday)
class HolidayAdmin(TierScoped):
    tier_path = "tier"
    list_display = ["date", "name_en", "name_ur", "tier"]
    list_filter = ["tier"]
    search_fields = ["name_en", "name_ur"]
    date_hierarchy = "date"
    list_select_related = ["tier"]
