from django.contrib import admin

from routinie.accounts.models import User
from routinie.privacy.admin import LogsStaffAccess


@admin.register(User)
class UserAdmin(LogsStaffAccess):
    owner_is_object = True
    list_display = ["email", "name", "is_staff", "is_active", "created_at"]
    search_fields = ["email", "name"]
    list_filter = ["is_staff", "is_active"]
    fields = ["name", "email", "timezone", "is_active", "is_staff", "is_superuser", "groups"]
    readonly_fields = ["password_changed_at", "created_at"]
    ordering = ["email"]
