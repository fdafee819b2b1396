from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from citizen_portal.helpline.models import HelplineLookup


@admin.register(HelplineLookup)
class HelplineLookupAdmin(admin.ModelAdmin[HelplineLookup]):
    """The audit of the helpline's searches and registration codes: read-only."""

    list_display = ["at", "agent", "kind", "masked", "citizen"]
    list_filter = ["kind"]
    list_select_related = ["agent", "citizen"]
    search_fields = ["agent__username", "agent__full_name"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
