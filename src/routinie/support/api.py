"""The support part of API v1: the person's conversations and their messages. Another
person's conversation is not found (404)."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from routinie.accounts.auth import api_user
from routinie.core.schemas import Cursor, Limit
from routinie.support import selectors, services
from routinie.support.models import Conversation, Message
from routinie.support.schemas import (
    ConversationDetail,
    ConversationIn,
    ConversationList,
    ConversationOut,
    MessageIn,
    MessageOut,
)

router = Router(tags=["support"])


def _detail(conversation: Conversation) -> dict[str, Any]:
    return {
        **ConversationOut.from_orm(conversation).model_dump(),
        "messages": list(selectors.messages_of(conversation)),
    }


@router.get("/conversations", response=ConversationList)
def list_conversations(
    request: HttpRequest, cursor: Cursor | None = None, limit: Limit | None = None
) -> dict[str, Any]:
    page = selectors.conversations_page(user=api_user(request), cursor=cursor, limit=limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("/conversations", response={200: ConversationDetail, 201: ConversationDetail})
def start_conversation(request: HttpRequest, payload: ConversationIn) -> Status[dict[str, Any]]:
    conversation, created = services.start_conversation(
        user=api_user(request), subject=payload.subject, body=payload.body, id=payload.id
    )
    return Status(201 if created else 200, _detail(conversation))


@router.get("/conversations/{conversation_id}", response=ConversationDetail)
def get_conversation(request: HttpRequest, conversation_id: UUID) -> dict[str, Any]:
    user = api_user(request)
    conversation = selectors.conversation_of(user, conversation_id)
    services.mark_seen(user=user, conversation=conversation)
    return _detail(conversation)


@router.post(
    "/conversations/{conversation_id}/messages", response={200: MessageOut, 201: MessageOut}
)
def post_message(
    request: HttpRequest, conversation_id: UUID, payload: MessageIn
) -> Status[Message]:
    message, created = services.post_user_message(
        user=api_user(request), conversation_id=conversation_id, body=payload.body, id=payload.id
    )
    return Status(201 if created else 200, message)


@router.post("/conversations/{conversation_id}/close", response=ConversationOut)
def close_conversation(request: HttpRequest, conversation_id: UUID) -> Conversation:
    return services.close_conversation(user=api_user(request), conversation_id=conversation_id)
