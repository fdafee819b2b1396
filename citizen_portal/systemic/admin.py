"""Systemic issues in the admin: read-only; every change goes through the services, which
write the issue's and the complaints' timelines."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from citizen_portal.systemic.models import Follow, SystemicEvent, SystemicIssue, SystemicLink


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SystemicIssue)
class SystemicIssueAdmin(ReadOnly):
    list_display = ("reference", "title", "status", "department", "area", "created_at")
    list_filter = ("status",)
    search_fields = ("reference", "title")


@admin.register(SystemicEvent)
class SystemicEventAdmin(ReadOnly):
    list_display = ("issue", "action", "actor", "created_at")


@admin.register(SystemicLink)
class SystemicLinkAdmin(ReadOnly):
    list_display = ("issue", "complaint", "linked_at")


@admin.register(Follow)
class FollowAdmin(ReadOnly):
    list_display = ("citizen", "complaint", "created_at")
