"""The audit log in the admin: superusers read it; nobody adds, changes or deletes a record
(the model and the database refuse too)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from citizen_portal.audit.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin[AuditRecord]):
    list_display = ["at", "action", "outcome", "actor_label", "target_label", "ip_address"]
    list_filter = ["action", "outcome"]
    search_fields = ["actor_label"]
    date_hierarchy = "at"
    # The list shows labels; loading each actor would cost a query per row.
    list_select_related = False
    show_full_result_count = False
    readonly_fields = [
        "at", "actor", "actor_label", "action", "outcome", "target_type", "target_id",
        "target_label", "ip_address", "request_id", "details",
    ]  # fmt: skip

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
