"""Support conversations in the admin: read-only (staff answer from the support console,
/support/staff/), and every look is written to the person's staff-access log."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from routinie.privacy.admin import LogsStaffAccess
from routinie.support.models import Conversation, Message


class MessageInline(admin.TabularInline[Message, Conversation]):
    model = Message
    fields = ("created_at", "author", "channel", "staff", "body", "attachments", "sent_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(LogsStaffAccess):
    list_display = ["subject", "user", "sender_email", "status", "waiting_since", "last_message_at"]
    list_filter = ["status"]
    readonly_fields = (
        "user",
        "sender_email",
        "subject",
        "status",
        "created_at",
        "last_message_at",
        "waiting_since",
        "staff_replied_at",
        "user_seen_at",
        "closed_at",
    )
    fields = readonly_fields
    inlines = [MessageInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
