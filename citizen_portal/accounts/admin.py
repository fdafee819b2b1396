from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from citizen_portal.accounts.models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin[User]):
    list_display = ["username", "full_name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "phone", "email"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Portal", {"fields": ("role", "full_name", "phone", "preferred_language")}),
    )
