"""The directory in the Django admin: search, filters and related lookups that stay fast with
thousands of rows (list_select_related everywhere a column crosses a relation)."""

from __future__ import annotations

from django.contrib import admin

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


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin[AdminUnit]):
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
class CountryAdmin(admin.ModelAdmin[Country]):
    list_display = ["code", "alpha3", "name_en", "name_ur"]
    search_fields = ["code", "alpha3", "name_en", "name_ur"]


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin[Tier]):
    list_display = ["code", "name_en", "name_ur", "reference_prefix"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["code", "name_en", "name_ur", "tier", "kind", "focal_position", "is_active"]
    list_filter = ["tier", "kind", "is_active", "name_ur_official"]
    search_fields = ["code", "name_en", "name_ur"]
    list_select_related = ["tier", "focal_position__office"]
    autocomplete_fields = ["parent", "focal_position"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
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
class OutOfScopeGroundAdmin(admin.ModelAdmin[OutOfScopeGround]):
    list_display = ["code", "name_en", "name_ur", "is_active"]
    search_fields = ["code", "name_en", "name_ur"]


class PositionInline(admin.TabularInline[Position, Office]):
    model = Position
    extra = 0
    autocomplete_fields = ["supervisor"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
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
class PositionAdmin(admin.ModelAdmin[Position]):
    list_display = ["title_en", "office", "supervisor", "is_active"]
    list_filter = ["is_active", "office__department__tier"]
    search_fields = ["title_en", "title_ur", "office__name_en", "office__department__code"]
    list_select_related = ["office", "supervisor__office"]
    autocomplete_fields = ["office", "supervisor"]
    inlines = [HoldingInline]


@admin.register(PositionHolding)
class PositionHoldingAdmin(admin.ModelAdmin[PositionHolding]):
    list_display = ["position", "user", "started_at", "ended_at"]
    list_filter = ["ended_at"]
    search_fields = ["user__username", "user__full_name", "position__title_en"]
    list_select_related = ["position__office", "user"]
    autocomplete_fields = ["position", "user"]

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ["category", "area", "position"]
    list_filter = ["category__department__tier"]
    search_fields = ["category__code", "area__code", "area__name_en", "position__title_en"]
    list_select_related = ["category", "area", "position__office"]
    autocomplete_fields = ["category", "area", "position"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin[Holiday]):
    list_display = ["date", "name_en", "name_ur", "tier"]
    list_filter = ["tier"]
    search_fields = ["name_en", "name_ur"]
    date_hierarchy = "date"
    list_select_related = ["tier"]
