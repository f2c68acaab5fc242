from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from routinie.core.schemas import Input, SafeStr

# Generous bounds for the schema; the services apply SUPPORT_MAX_CHAT_CHARS with a clear error.
BODY_MAX = 100_000


class ConversationIn(Input):
    id: UUID | None = None
    subject: SafeStr = Field(default="", max_length=1000)
    body: SafeStr = Field(max_length=BODY_MAX)


class MessageIn(Input):
    id: UUID | None = None
    body: SafeStr = Field(max_length=BODY_MAX)


class MessageOut(Schema):
    id: UUID
    author: str  # "user" or "staff"
    channel: str  # "chat" or "email"
    body: str
    attachments: list[dict[str, Any]]
    created_at: datetime


class ConversationOut(Schema):
    id: UUID
    subject: str
    status: str  # "open" or "closed"
    created_at: datetime
    last_message_at: datetime
    closed_at: datetime | None
    unread: bool


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]


class ConversationList(Schema):
    items: list[ConversationOut]
    next_cursor: str | None
