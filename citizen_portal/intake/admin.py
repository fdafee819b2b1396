"""Messages that came in by e-mail or SMS, for the staff who look after the doors: those held
for review, with the raw message to download, and a way to handle one again once the cause is
put right (a general category set up, say). Read-only otherwise: what arrived is evidence."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from citizen_portal.accounts.disclosure import mask_email
from citizen_portal.accounts.models import mask_phone
from citizen_portal.intake.models import InboundChannel, InboundMessage, InboundStatus

# Statuses from which a message may be handled again: nothing was done with it.
RETRYABLE = {InboundStatus.REVIEW, InboundStatus.IGNORED}


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ["received_at", "channel", "masked_sender", "subject", "status", "reason"]
    list_filter = ["status", "channel"]
    search_fields = ["subject", "external_id", "complaint__reference"]
    date_hierarchy = "received_at"
    fields = FIELDS = (
        "channel",
        "received_at",
        "masked_sender",
        "recipient",
        "subject",
        "body",
        "external_id",
        "raw_link",
        "size",
        "status",
        "reason",
        "citizen",
        "complaint",
        "handled_at",
        "reply_sent_at",
    )
    readonly_fields = FIELDS
    actions = ["handle_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("sender"))
    def masked_sender(self, obj: InboundMessage) -> str:
        if obj.channel == InboundChannel.SMS:
            return mask_phone(obj.sender)
        return mask_email(obj.sender) if obj.sender else "—"

    @admin.display(description=gettext_lazy("message as received"))
    def raw_link(self, obj: InboundMessage) -> str:
        if not obj.raw:
            return "—"
        url = reverse("admin:intake_inboundmessage_raw", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self) -> list[URLPattern]:
        raw = self.admin_site.admin_view(self.raw_view)
        return [
            path("<int:pk>/raw/", raw, name="intake_inboundmessage_raw"),
            *super().get_urls(),
        ]

    def raw_view(self, request: HttpRequest, pk: int) -> FileResponse:
        message = get_object_or_404(InboundMessage, pk=pk)
        if not self.has_view_permission(request, message):
            raise PermissionDenied
        if not message.raw:
            raise Http404
        extension = "eml" if message.channel == InboundChannel.EMAIL else "txt"
        # Served as a download, never shown: the bytes are whatever a stranger sent.
        return FileResponse(
            message.raw.open("rb"),
            as_attachment=True,
            filename=f"inbound-{message.pk}.{extension}",
            content_type="application/octet-stream",
        )

    @admin.action(description=gettext_lazy("Handle the selected e-mails again"))
    def handle_again(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        from citizen_portal.intake.tasks import process_inbound_email

        ids = list(
            queryset.filter(channel=InboundChannel.EMAIL, status__in=RETRYABLE).values_list(
                "pk", flat=True
            )
        )
        moved = InboundMessage.objects.filter(pk__in=ids, status__in=RETRYABLE).update(
            status=InboundStatus.RECEIVED, reason="", handled_at=None
        )
        for message_id in ids:
            process_inbound_email(message_id)
        self.message_user(
            request,
            ngettext(
                "%(n)d e-mail is being handled again.",
                "%(n)d e-mails are being handled again.",
                moved,
            )
            % {"n": moved},
            messages.SUCCESS,
        )
