from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from citizen_portal.accessibility.models import BarrierReport


@admin.register(BarrierReport)
class BarrierReportAdmin(admin.ModelAdmin[BarrierReport]):
    """Reports as their senders wrote them: read, answer outside the portal, mark answered."""

    list_display = ["__str__", "created_at", "page", "language", "email", "phone", "answered_at"]
    list_filter = [("answered_at", admin.EmptyFieldListFilter), "language"]
    search_fields = ["problem", "page", "email", "phone"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "problem", "page", "technology", "name", "email", "phone", "language", "user",
        "submitted_ip", "created_at",
    ]  # fmt: skip
    actions = ["mark_answered"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Mark as answered"))
    def mark_answered(self, request: HttpRequest, queryset: QuerySet[BarrierReport]) -> None:
        count = queryset.filter(answered_at__isnull=True).update(answered_at=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d report marked as answered.",
                "%(count)d reports marked as answered.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
