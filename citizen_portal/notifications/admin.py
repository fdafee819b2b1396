from django.contrib import admin
from django.http import HttpRequest

from citizen_portal.notifications.models import SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin[SmsMessage]):
    """Delivery history for operators. Codes are in the body, so only superusers see it."""

    list_display = ["created_at", "purpose", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "purpose"]
    date_hierarchy = "created_at"
    exclude = ["body"]
    readonly_fields = [
        "reference", "to", "purpose", "status", "attempts", "next_attempt_at", "claimed_at",
        "sent_at", "provider_id", "last_error",
    ]  # fmt: skip

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
