"""The person's support pages: /support/ (their conversations and a new one), a conversation
with its whole history and a reply form, and the messages fragment the page polls (htmx,
`hx-trigger="every Ns"`) so staff replies appear without reloading.

Parse, call a service, render. Someone else's conversation is not found (404) on every view.
"""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from routinie.accounts.auth import signed_in_user
from routinie.core.errors import DomainError, RateLimited
from routinie.core.htmx import is_htmx
from routinie.support import selectors, services
from routinie.support.forms import NewConversationForm, ReplyForm, cleaned, put_errors
from routinie.support.models import Conversation

LISTED = 500


def _owned(request: HttpRequest, conversation_id: UUID) -> Conversation:
    return selectors.conversation_of(signed_in_user(request), conversation_id)


def _status_of(error: DomainError) -> int:
    return 429 if isinstance(error, RateLimited) else 422


def _refused(response: HttpResponse, error: DomainError) -> HttpResponse:
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's conversations, and the form that starts a new one."""
    form = NewConversationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            data = cleaned(form)
            conversation, _ = services.start_conversation(
                user=signed_in_user(request), subject=data["subject"], body=data["body"]
            )
        except DomainError as error:
            put_errors(form, error)
            context = _inbox_context(request, form)
            page = render(request, "support/inbox.html", context, status=_status_of(error))
            return _refused(page, error)
        return redirect(reverse("support:conversation", args=[conversation.pk]))
    return render(request, "support/inbox.html", _inbox_context(request, form))


def _inbox_context(request: HttpRequest, form: NewConversationForm) -> dict[str, Any]:
    return {
        "conversations": list(selectors.conversations_of(signed_in_user(request))[:LISTED]),
        "form": form,
        "retention_days": settings.SUPPORT_CLOSED_RETENTION_DAYS,
    }


def _chat_context(request: HttpRequest, conversation: Conversation, form: Any = None) -> Any:
    return {
        "conversation": conversation,
        "chat_messages": list(selectors.messages_of(conversation)),
        "form": form or ReplyForm(),
        "poll_seconds": max(1, settings.SUPPORT_POLL_SECONDS),
        "support_email": settings.SUPPORT_EMAIL,
    }


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    """One conversation: its whole history and the reply form (htmx gets the chat back)."""
    found = _owned(request, conversation_id)
    if request.method == "GET":
        services.mark_seen(user=signed_in_user(request), conversation=found)
        return render(request, "support/conversation.html", _chat_context(request, found))
    form = ReplyForm(request.POST)
    try:
        services.post_user_message(
            user=signed_in_user(request), conversation_id=found.pk, body=cleaned(form)["body"]
        )
    except DomainError as error:
        put_errors(form, error)
        template = "support/_chat.html" if is_htmx(request) else "support/conversation.html"
        found.refresh_from_db()
        context = _chat_context(request, found, form)
        return _refused(render(request, template, context, status=_status_of(error)), error)
    if not is_htmx(request):
        return redirect(reverse("support:conversation", args=[found.pk]) + "#latest")
    found.refresh_from_db()
    return render(request, "support/_chat.html", _chat_context(request, found))


@login_required
@require_GET
def messages(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    """The messages alone, which the conversation page polls: 204 (nothing to swap) while the
    page already shows them all (`?count=`), else the list with its new count."""
    found = _owned(request, conversation_id)
    if request.GET.get("count") == str(selectors.messages_of(found).count()):
        return HttpResponse(status=204)
    services.mark_seen(user=signed_in_user(request), conversation=found)
    return render(request, "support/_messages.html", _chat_context(request, found))


@login_required
@require_POST
def close(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    """The person closes their conversation; writing again reopens it."""
    found = _owned(request, conversation_id)
    services.close_conversation(user=signed_in_user(request), conversation_id=found.pk)
    return redirect(reverse("support:conversation", args=[found.pk]))
