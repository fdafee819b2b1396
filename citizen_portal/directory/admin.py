from django.contrib import admin

from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Department,
    Office,
    Position,
    PositionHolding,
    RoutingRule,
    Tier,
)


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin[AdminUnit]):
    list_display = ["code", "name_en", "name_ur", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name_en", "name_ur"]
    raw_id_fields = ["parent"]


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin[Tier]):
    list_display = ["code", "name_en", "name_ur", "reference_prefix"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["code", "name_en", "tier", "kind", "focal_position", "is_active"]
    list_filter = ["tier", "kind", "is_active"]
    search_fields = ["code", "name_en", "name_ur"]
    raw_id_fields = ["parent", "focal_position"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["code", "name_en", "department", "deadline_working_days", "is_active"]
    list_filter = ["out_of_scope", "is_active", "department__tier"]
    search_fields = ["code", "name_en", "name_ur"]
    raw_id_fields = ["department", "parent"]


class PositionInline(admin.TabularInline[Position, Office]):
    model = Position
    extra = 0
    raw_id_fields = ["supervisor"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    list_display = ["name_en", "department", "jurisdiction", "is_active"]
    search_fields = ["name_en", "name_ur", "department__name_en"]
    raw_id_fields = ["department", "jurisdiction"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin[Position]):
    list_display = ["title_en", "office", "supervisor", "is_active"]
    search_fields = ["title_en", "title_ur", "office__name_en"]
    raw_id_fields = ["office", "supervisor"]


@admin.register(PositionHolding)
class PositionHoldingAdmin(admin.ModelAdmin[PositionHolding]):
    list_display = ["position", "user", "started_at", "ended_at"]
    raw_id_fields = ["position", "user"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ["category", "area", "position"]
    raw_id_fields = ["category", "area", "position"]
    search_fields = ["category__code", "area__code"]
