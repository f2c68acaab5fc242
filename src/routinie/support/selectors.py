"""Reads of the support inbox. A person reaches only their own conversations (someone else's
is not found); staff reach every conversation, and nobody else reaches the staff's reads."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import F, QuerySet

from routinie.accounts.models import User
from routinie.core.errors import NotFound
from routinie.core.pagination import Page, paginate
from routinie.support.models import Conversation, Message


def conversations_of(user: User) -> QuerySet[Conversation]:
    """The person's conversations (by chat or from their account's address), newest first."""
    return Conversation.objects.filter(user=user).order_by("-last_message_at", "-id")


def conversation_of(user: User, conversation_id: UUID | str) -> Conversation:
    """The person's conversation with this id, or NotFound (someone else's or absent)."""
    try:
        return conversations_of(user).get(pk=conversation_id)
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such conversation.") from None


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.order_by("created_at", "id")


def conversations_page(*, user: User, cursor: str | None, limit: int | None) -> Page[Conversation]:
    return paginate(
        Conversation.objects.filter(user=user),
        keys=("last_message_at", "id"),
        descending=True,
        cursor=cursor,
        limit=limit,
        encode=lambda c: [c.last_message_at.isoformat(), str(c.id)],
        decode=lambda v: [datetime.fromisoformat(v[0]), UUID(v[1])],
    )


def is_staff(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))


def staff_queue(staff: Any, *, status: str = "open") -> QuerySet[Conversation]:
    """Conversations for the support console: open ones with whoever waits longest first,
    then those already answered (most recent first); or the closed ones, latest first."""
    if not is_staff(staff):
        raise NotFound("No such page.")
    rows = Conversation.objects.select_related("user")
    if status == Conversation.Status.CLOSED:
        return rows.filter(status=status).order_by("-closed_at", "-id")
    return rows.filter(status=Conversation.Status.OPEN).order_by(
        F("waiting_since").asc(nulls_last=True), "-last_message_at", "-id"
    )


def staff_conversation(staff: Any, conversation_id: UUID | str) -> Conversation:
    """Any conversation, for staff only; NotFound for everyone else."""
    if not is_staff(staff):
        raise NotFound("No such conversation.")
    try:
        return Conversation.objects.select_related("user").get(pk=conversation_id)
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such conversation.") from None


def reply_address(conversation: Conversation) -> str:
    """Where staff replies go by e-mail: the account's address, or the sender's; "" when the
    account's address is not confirmed (it may not be the person's)."""
    if conversation.user_id is None:
        return conversation.sender_email
    user = conversation.user
    if user is None or user.email_confirmed_at is None:
        return ""
    return str(user.email)
