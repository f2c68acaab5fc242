"""Writes of the support inbox: conversations and messages from the chat, staff replies,
closing and reopening. Each is one transaction; bad input raises and changes nothing.

Every message, whatever its channel, goes through `append_message`, which keeps the
conversation's clocks right: writing to a closed conversation reopens it, a person's message
starts the staff's waiting clock (if not already running), a staff reply stops it.
"""

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import Conflict, InvalidInput
from routinie.core.mail import mail_domain
from routinie.core.throttling import Limit
from routinie.support.models import Conversation, Message
from routinie.support.selectors import conversation_of, staff_conversation

Author = Message.Author
Channel = Message.Channel
SUBJECT_MAX = 200


def new_message_id() -> str:
    """A fresh RFC 5322 Message-ID on the support address's domain: `<hex@domain>`."""
    return f"<{uuid.uuid4().hex}@{mail_domain()}>"


def clean_body(text: str | None, *, field: str = "body") -> str:
    """The text of a chat message or reply, or InvalidInput (empty, too long)."""
    body = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not body:
        raise InvalidInput.on(field, "Write a message first: it is empty.", "required")
    limit = settings.SUPPORT_MAX_CHAT_CHARS
    if len(body) > limit:
        raise InvalidInput.on(
            field,
            f"A message can be at most {limit} characters (this one has {len(body)}).",
            "too_long",
        )
    return body


def clean_subject(text: str | None, body: str) -> str:
    """A one-line subject; from the message's first words when none is given."""
    subject = " ".join((text or "").replace("\x00", "").split())
    if len(subject) > SUBJECT_MAX:
        raise InvalidInput.on(
            "subject", f"A subject can be at most {SUBJECT_MAX} characters.", "too_long"
        )
    if subject:
        return subject
    words = " ".join(body.split())
    return words if len(words) <= 60 else words[:59].rstrip() + "\u2026"


def chat_limit() -> Limit:
    return Limit("support-chat", settings.SUPPORT_CHAT_PER_HOUR, 3600)


def _throttle(user: User) -> None:
    chat_limit().take(str(user.pk))


def append_message(
    *,
    conversation: Conversation,
    author: str,
    channel: str,
    body: str,
    staff: Any = None,
    message_id: str = "",
    attachments: list[dict[str, Any]] | None = None,
    at: datetime | None = None,
    id: UUID | None = None,
) -> Message:
    """Add a message and update the conversation's clocks (call inside a transaction)."""
    at = at or timezone.now()
    message = Message.objects.create(
        id=id or uuid.uuid4(),
        conversation=conversation,
        author=author,
        channel=channel,
        body=body,
        staff=staff,
        message_id=message_id,
        attachments=attachments or [],
        created_at=at,
    )
    conversation.last_message_at = at
    conversation.status = Conversation.Status.OPEN
    conversation.closed_at = None
    if author == Author.STAFF:
        conversation.waiting_since = None
        conversation.staff_replied_at = at
    elif conversation.waiting_since is None:
        conversation.waiting_since = at
    conversation.save()
    return message


def _same_or_conflict(existing: Any, fields: dict[str, Any], what: str) -> None:
    if any(getattr(existing, name) != value for name, value in fields.items()):
        raise Conflict(f"This id is already used by another {what}.")


def start_conversation(
    *, user: User, body: str | None, subject: str | None = None, id: UUID | None = None
) -> tuple[Conversation, bool]:
    """A new conversation with support, opened by the person's first chat message.
    Returns (conversation, created); repeating the same create with the same id is safe."""
    text = clean_body(body)
    title = clean_subject(subject, text)
    if id is not None:
        existing = Conversation.objects.filter(pk=id).first()
        if existing is not None:
            if existing.user_id != user.pk:
                raise Conflict("This id is already used by another conversation.")
            first = existing.messages.order_by("created_at").first()
            _same_or_conflict(existing, {"subject": title}, "conversation")
            _same_or_conflict(first, {"body": text}, "conversation")
            return existing, False
    _throttle(user)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            id=id or uuid.uuid4(), user=user, subject=title, user_seen_at=timezone.now()
        )
        append_message(
            conversation=conversation, author=Author.USER, channel=Channel.CHAT, body=text
        )
    return conversation, True


def post_user_message(
    *, user: User, conversation_id: UUID | str, body: str | None, id: UUID | None = None
) -> tuple[Message, bool]:
    """The person writes in their conversation (reopening it if closed)."""
    conversation = conversation_of(user, conversation_id)
    text = clean_body(body)
    if id is not None:
        existing = Message.objects.filter(pk=id).first()
        if existing is not None:
            _same_or_conflict(
                existing,
                {"conversation_id": conversation.pk, "author": Author.USER, "body": text},
                "message",
            )
            return existing, False
    _throttle(user)
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        message = append_message(
            conversation=locked, author=Author.USER, channel=Channel.CHAT, body=text, id=id
        )
        Conversation.objects.filter(pk=locked.pk).update(user_seen_at=message.created_at)
    return message, True


def post_staff_reply(*, staff: Any, conversation_id: UUID | str, body: str | None) -> Message:
    """Staff answer: shown in the app at once, e-mailed to the person after the commit."""
    from routinie.support.tasks import send_staff_reply

    conversation = staff_conversation(staff, conversation_id)
    text = clean_body(body)
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        message = append_message(
            conversation=locked,
            author=Author.STAFF,
            channel=Channel.EMAIL,
            body=text,
            staff=staff,
            message_id=new_message_id(),
        )
        transaction.on_commit(lambda: send_staff_reply.enqueue(str(message.pk)))
    return message


def _set_status(conversation: Conversation, status: str) -> Conversation:
    closed_at = timezone.now() if status == Conversation.Status.CLOSED else None
    with transaction.atomic():
        updated = Conversation.objects.filter(pk=conversation.pk).exclude(status=status)
        updated.update(status=status, closed_at=closed_at)
    conversation.refresh_from_db()
    return conversation


def close_conversation(*, user: User, conversation_id: UUID | str) -> Conversation:
    """The person closes their conversation (writing again reopens it)."""
    return _set_status(conversation_of(user, conversation_id), Conversation.Status.CLOSED)


def staff_set_status(*, staff: Any, conversation_id: UUID | str, status: str) -> Conversation:
    """Staff close or reopen a conversation."""
    if status not in Conversation.Status.values:
        raise InvalidInput.on("status", "The status is open or closed.")
    return _set_status(staff_conversation(staff, conversation_id), status)


def mark_seen(*, user: User, conversation: Conversation) -> None:
    """The person has read the conversation up to now (clears its "new reply" mark)."""
    if conversation.user_id == user.pk and conversation.unread:
        seen = timezone.now()
        Conversation.objects.filter(pk=conversation.pk).update(user_seen_at=seen)
        conversation.user_seen_at = seen


def erase_sender_conversations(*, email: str) -> int:
    """Delete every conversation kept for an address without an account (an erasure request
    by e-mail, once staff have checked it comes from that address). Returns how many."""
    address = email.strip().lower()
    if not address:
        raise InvalidInput.on("email", "Give the sender's e-mail address.", "required")
    with transaction.atomic():
        gone = Conversation.objects.filter(user__isnull=True, sender_email=address)
        count = gone.count()
        gone.delete()
    return count
