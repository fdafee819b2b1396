from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from citizen_portal.complaints.models import Complaint, Event


class EventInline(admin.TabularInline[Event, Complaint]):
    model = Event
    extra = 0
    fields = ("seq", "action", "from_status", "to_status", "to_position", "actor", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin[Complaint]):
    """Read-only: every change of a complaint goes through the lifecycle services."""

    list_display = ["reference", "subject", "status", "department", "assigned_position", "due_on"]
    list_filter = ["status", "channel", "department__tier"]
    search_fields = ["reference", "subject"]
    inlines = [EventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
