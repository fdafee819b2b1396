"""The API's credentials in the admin. Partner keys are issued here: the raw key is shown once,
in the message after saving, and only its hash is kept; lists show the prefix. API tokens are
read-only here, with an action to revoke them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from citizen_portal.accounts.models import Role, User
from citizen_portal.api.models import ApiToken, PartnerKey
from citizen_portal.api.services.tokens import token_revoke
from citizen_portal.core.errors import ApplicationError
from citizen_portal.open311.services.partner_keys import intake_account_check, partner_key_secret


def _national(request: HttpRequest) -> bool:
    """Partner keys reach every department of every tier: national administrators only."""
    return getattr(request.user, "scope_tier_id", None) is None


class PartnerKeyForm(forms.ModelForm[PartnerKey]):
    class Meta:
        model = PartnerKey
        fields = ["name", "account", "is_active"]
        help_texts = {
            "account": gettext_lazy(
                "The partner's own citizen account, with the partner's helpline number: "
                "requests it posts are lodged under it, and the office's questions reach it. "
                "Never a member of the public's account."
            ),
        }

    def clean_account(self) -> User:
        account: User = self.cleaned_data["account"]
        try:
            intake_account_check(account)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return account


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin[PartnerKey]):
    form = PartnerKeyForm
    list_display = ["name", "prefix", "account", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    list_select_related = ["account"]
    search_fields = ["name", "prefix"]
    autocomplete_fields = ["account"]
    actions = ["deactivate"]

    def get_fields(self, request: HttpRequest, obj: PartnerKey | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("name", "account")
        return ("name", "account", "is_active", "prefix", "created_at", "last_used_at")

    def get_readonly_fields(
        self, request: HttpRequest, obj: PartnerKey | None = None
    ) -> tuple[str, ...]:
        # The account is fixed once issued: a partner sees the descriptions of the requests
        # lodged under it. Another account means another key.
        return () if obj is None else ("account", "prefix", "created_at", "last_used_at")

    def save_model(self, request: HttpRequest, obj: PartnerKey, form: Any, change: bool) -> None:
        raw = None if change else partner_key_secret(obj)
        super().save_model(request, obj, form, change)
        if raw is not None:
            self.message_user(
                request,
                _(
                    "The key of %(partner)s is %(key)s — copy it now and give it to the "
                    "partner over a safe channel: it is not stored and will not be shown again."
                )
                % {"partner": obj.name, "key": raw},
                messages.WARNING,
            )

    @admin.action(description=gettext_lazy("Deactivate the selected keys"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[PartnerKey]) -> None:
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(
            request,
            ngettext("%(n)d key deactivated.", "%(n)d keys deactivated.", count) % {"n": count},
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _national(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _national(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _national(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Keys are deactivated, never deleted: the list stays a record of who was given one.
        return False


TOKEN_FIELDS = (
    "prefix", "user", "label", "second_factor", "created_at", "last_used_at", "expires_at",
    "revoked_at",
)  # fmt: skip


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Read-only: tokens are issued at login; here an administrator can only revoke them."""

    list_display = [
        "prefix", "user", "label", "second_factor", "created_at", "last_used_at", "expires_at",
        "revoked_at",
    ]  # fmt: skip
    list_filter = ["second_factor", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["prefix", "user__username", "label"]
    fields = TOKEN_FIELDS
    readonly_fields = TOKEN_FIELDS
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        """A tier's administrators see the tokens of citizens and of their own tier's staff,
        as they see the accounts themselves."""
        queryset = super().get_queryset(request)
        tier_id = getattr(request.user, "scope_tier_id", None)
        if tier_id is None:
            return queryset
        return queryset.filter(Q(user__role=Role.CITIZEN) | Q(user__scope_tier_id=tier_id))

    @admin.action(description=gettext_lazy("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        live = list(queryset.filter(revoked_at__isnull=True))
        for token in live:
            token_revoke(token)
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", len(live)) % {"n": len(live)},
        )

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("api.change_apitoken")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
