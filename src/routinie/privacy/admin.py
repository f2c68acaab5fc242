"""Staff see personal data only through the admin, and every look is logged for the user."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from routinie.accounts.models import User
from routinie.privacy.erasure import erase_by_staff
from routinie.privacy.models import Consent, Disclosure, LegalRequest, PurgeRun, StaffAccess


def log_staff_access(request: HttpRequest, user_ids: list[Any], what: str) -> None:
    """Record that a staff member looked at these users' personal data."""
    staff = request.user if isinstance(request.user, User) else None
    StaffAccess.objects.bulk_create(
        StaffAccess(user_id=user_id, staff=staff, what=what[:200]) for user_id in user_ids
    )


class LogsStaffAccess(admin.ModelAdmin[Any]):
    """A model admin whose object pages and lists are written to the users' access log."""

    owner_field = "user"
    owner_is_object = False

    def _owner_id(self, obj: Any) -> Any:
        return obj.pk if self.owner_is_object else getattr(obj, f"{self.owner_field}_id", None)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = (
            getattr(response, "context_data", {}).get("original")
            if response.status_code == 200
            else None
        )
        if obj is not None and self._owner_id(obj) is not None:
            log_staff_access(
                request, [self._owner_id(obj)], f"{self.model._meta.verbose_name} in the admin"
            )
        return response

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            owners = {self._owner_id(o) for o in changelist.result_list} - {None}
            log_staff_access(
                request,
                sorted(owners, key=str),
                f"list of {self.model._meta.verbose_name_plural} in the admin",
            )
        return response


@admin.register(User)
class UserAdmin(LogsStaffAccess):
    """Accounts' admin page lives here, with the staff-access log it needs (accounts, a lower
    layer, cannot import privacy)."""

    owner_is_object = True
    list_display = ["email", "name", "is_staff", "is_active", "created_at"]
    search_fields = ["email", "name"]
    list_filter = ["is_staff", "is_active"]
    fields = ["name", "email", "timezone", "is_active", "is_staff", "is_superuser", "groups"]
    readonly_fields = ["password_changed_at", "created_at"]
    ordering = ["email"]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        erase_by_staff(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            erase_by_staff(user=user)


@admin.register(Consent)
class ConsentAdmin(LogsStaffAccess):
    list_display = ["recipient", "purpose", "granted_at", "revoked_at"]
    raw_id_fields = ["user"]


@admin.register(LegalRequest)
class LegalRequestAdmin(admin.ModelAdmin[LegalRequest]):
    list_display = ["authority", "reference", "received_at", "granted"]
    raw_id_fields = ["user"]


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin[Disclosure]):
    list_display = ["recipient", "released_at"]
    readonly_fields = [f.name for f in Disclosure._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # releases happen only through the disclosure service


@admin.register(PurgeRun)
class PurgeRunAdmin(admin.ModelAdmin[PurgeRun]):
    list_display = ["started_at", "finished_at", "dry_run", "counts"]
