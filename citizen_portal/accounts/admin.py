from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from citizen_portal.accounts.models import (
    AccountEvent,
    CitizenProfile,
    DocumentReveal,
    RecoveryCode,
    Role,
    StaffTotp,
    User,
)
from citizen_portal.accounts.services.devices import devices_forget
from citizen_portal.accounts.services.lifecycle import account_block, account_unblock
from citizen_portal.core.errors import ApplicationError


class BlockActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason (for blocking)"), required=False, max_length=500)


@admin.register(User)
class PortalUserAdmin(UserAdmin[User]):
    action_form = BlockActionForm
    actions = ["block_accounts", "unblock_accounts", "reset_authenticator"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        """A tier's administrators see citizens and their own tier's staff."""
        queryset = super().get_queryset(request)
        tier_id = getattr(request.user, "scope_tier_id", None)
        if tier_id is None:
            return queryset
        return queryset.filter(Q(role=Role.CITIZEN) | Q(scope_tier_id=tier_id))

    list_display = ["username", "full_name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "phone", "email"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "Portal",
            {"fields": ("role", "scope_tier", "full_name", "phone", "preferred_language")},
        ),
    )

    @admin.action(description=_("Block the selected accounts (give the reason)"))
    def block_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        reason = request.POST.get("reason", "")
        assert isinstance(request.user, User)
        blocked = 0
        for user in queryset:
            try:
                account_block(user=user, by=request.user, reason=reason)
            except ApplicationError as exc:
                self.message_user(request, f"{user}: {exc.message}", messages.ERROR)
                return
            blocked += 1
        self.message_user(
            request,
            ngettext("%(n)d account blocked.", "%(n)d accounts blocked.", blocked) % {"n": blocked},
        )

    @admin.action(description=_("Unblock the selected accounts"))
    def unblock_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        assert isinstance(request.user, User)
        for user in queryset:
            account_unblock(user=user, by=request.user, reason=request.POST.get("reason", ""))

    @admin.action(description=_("Reset the authenticator app (set up again at next login)"))
    def reset_authenticator(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        StaffTotp.objects.filter(user__in=queryset).delete()
        RecoveryCode.objects.filter(user__in=queryset).delete()
        # Whoever holds a session or a token made with the old app is out too.
        for user in queryset:
            devices_forget(user=user)
        self.message_user(request, _("The selected staff will set up their app at next login."))


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin[AccountEvent]):
    list_display = ["at", "user", "action", "actor", "reason"]
    list_filter = ["action"]
    list_select_related = ["user", "actor"]
    search_fields = ["user__username", "user__full_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin[CitizenProfile]):
    """Shows the masked number only; the encrypted value and its lookup hash are never shown."""

    list_display = ["user", "document_type", "document_masked", "country_of_residence"]
    list_filter = ["document_type", "gender"]
    search_fields = ["user__full_name", "user__phone"]
    list_select_related = ["user", "country_of_residence"]
    fields = [
        "user", "document_type", "document_masked", "nationality", "gender", "date_of_birth",
        "home_district", "country_of_residence",
    ]  # fmt: skip
    readonly_fields = ["user", "document_type", "document_masked", "nationality"]
    autocomplete_fields = ["home_district"]


@admin.register(DocumentReveal)
class DocumentRevealAdmin(admin.ModelAdmin[DocumentReveal]):
    list_display = ["at", "viewer", "profile", "reason"]
    list_select_related = ["viewer", "profile__user"]
    readonly_fields = ["at", "viewer", "profile", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
