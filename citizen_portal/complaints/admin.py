from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from citizen_portal.complaints.models import Complaint, Event, ResponseTemplate
from citizen_portal.complaints.services.events import BrokenLink, chain_break
from citizen_portal.complaints.services.integrity import ScanCounts, timelines_scan

# Past this many complaints the check belongs in `manage.py verify_timelines`, not a request.
VERIFY_LIMIT = 5000
# Messages listing broken timelines, at most; the rest are counted in the summary.
VERIFY_MESSAGES = 50

BROKEN_REASONS = {
    "edited": gettext_lazy("changed after it was written"),
    "missing": gettext_lazy("missing"),
    "truncated": gettext_lazy(
        "the timeline was cut short here: this event and later ones are gone"
    ),
}


def broken_text(broken: BrokenLink) -> str:
    return _("Broken at event #%(seq)d: %(reason)s") % {
        "seq": broken.seq,
        "reason": BROKEN_REASONS.get(broken.reason, broken.reason),
    }


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
    readonly_fields = ["timeline_integrity"]
    inlines = [EventInline]
    actions = ["verify_timelines"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Timeline integrity"))
    def timeline_integrity(self, complaint: Complaint) -> str:
        broken = chain_break(complaint)
        if broken is not None:
            return broken_text(broken)
        count = complaint.event_count
        return ngettext("Intact (%(count)d event)", "Intact (%(count)d events)", count) % {
            "count": count
        }

    @admin.action(description=gettext_lazy("Verify the timelines"), permissions=["view"])
    def verify_timelines(self, request: HttpRequest, queryset: QuerySet[Complaint]) -> None:
        total = queryset.count()
        if total > VERIFY_LIMIT:
            self.message_user(
                request,
                _(
                    "%(count)d complaints are too many to check here (at most %(limit)d): "
                    "run manage.py verify_timelines on the server."
                )
                % {"count": total, "limit": VERIFY_LIMIT},
                messages.WARNING,
            )
            return
        counts = ScanCounts()
        for complaint, broken in timelines_scan(queryset, counts=counts):
            if counts.broken <= VERIFY_MESSAGES:
                self.message_user(
                    request, f"{complaint.reference}: {broken_text(broken)}", messages.ERROR
                )
        if counts.broken:
            summary = ngettext(
                "%(checked)d timeline checked: %(broken)d broken.",
                "%(checked)d timelines checked: %(broken)d broken.",
                counts.checked,
            )
            level = messages.ERROR
        else:
            summary = ngettext(
                "%(checked)d timeline checked: intact.",
                "%(checked)d timelines checked: all intact.",
                counts.checked,
            )
            level = messages.SUCCESS
        self.message_user(
            request, summary % {"checked": counts.checked, "broken": counts.broken}, level
        )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    """The timeline, for reading only: events are never added, changed or removed by hand
    (the database refuses too; see migration 0003_event_immutability)."""

    list_display = ["complaint", "seq", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["action"]
    list_select_related = ["complaint", "actor"]
    # By exact reference: a substring search over tens of millions of events would scan them.
    search_fields = ["=complaint__reference"]
    # Counting every event for "N total" on each page is a full scan on a big table.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin[ResponseTemplate]):
    """Focal persons keep templates at /work/templates/; administrators see them all here."""

    list_display = ("title", "department", "category", "action", "is_active", "updated_at")
    list_filter = ("action", "is_active", "department")
    search_fields = ("title", "text_en", "text_ur")
    raw_id_fields = ("department", "category")
    readonly_fields = ("created_by", "updated_by", "created_at", "updated_at", "retired_at")
