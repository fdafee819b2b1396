from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from citizen_portal.accounts.models import CitizenProfile, DocumentReveal, User


@admin.register(User)
class PortalUserAdmin(UserAdmin[User]):
    list_display = ["username", "full_name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "phone", "email"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Portal", {"fields": ("role", "full_name", "phone", "preferred_language")}),
    )


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
