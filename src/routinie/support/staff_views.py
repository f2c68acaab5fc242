"""The support console for staff (`user.is_staff`): open conversations with whoever waits
longest first, a conversation with a reply form, close and reopen. Everyone else gets 404
(signed out: the sign-in page). Like the admin, every look at a person's conversation is
written to that person's staff-access log (privacy.admin.log_staff_access), which is part of
their export."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from routinie.core.errors import DomainError
from routinie.privacy.admin import log_staff_access
from routinie.support import selectors, services
from routinie.support.forms import ReplyForm, cleaned, put_errors
from routinie.support.models import Conversation

View = Callable[..., HttpResponse]
LISTED = 200


def staff_only(view: View) -> View:
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.is_staff(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    guarded.__name__ = view.__name__
    guarded.__doc__ = view.__doc__
    return guarded


def _conversation(request: HttpRequest, conversation_id: UUID) -> Conversation:
    return selectors.staff_conversation(request.user, conversation_id)


@staff_only
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Open conversations, oldest waiting first (or ?status=closed)."""
    status = "closed" if request.GET.get("status") == "closed" else "open"
    conversations = list(selectors.staff_queue(request.user, status=status)[:LISTED])
    owners = sorted({c.user_id for c in conversations if c.user_id is not None}, key=str)
    log_staff_access(request, owners, "list of support conversations")
    return render(
        request, "support/staff_queue.html", {"conversations": conversations, "status": status}
    )


def _page(
    request: HttpRequest, found: Conversation, form: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "conversation": found,
        "chat_messages": list(selectors.messages_of(found).select_related("staff")),
        "form": form or ReplyForm(),
        "staff_view": True,
        "reply_address": selectors.reply_address(found),
    }
    return render(request, "support/staff_conversation.html", context, status=status)


@staff_only
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    """A conversation for staff: its history and the reply form."""
    found = _conversation(request, conversation_id)
    if request.method == "GET":
        if found.user_id is not None:
            log_staff_access(request, [found.user_id], "a support conversation")
        return _page(request, found)
    form = ReplyForm(request.POST)
    try:
        services.post_staff_reply(
            staff=request.user, conversation_id=found.pk, body=cleaned(form)["body"]
        )
    except DomainError as error:
        put_errors(form, error)
        return _page(request, found, form, status=422)
    return redirect(reverse("support:staff-conversation", args=[found.pk]) + "#latest")


@staff_only
@require_POST
def set_status(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    """Close or reopen a conversation."""
    found = _conversation(request, conversation_id)
    wanted = request.POST.get("status", "")
    if wanted not in Conversation.Status.values:
        return _page(request, found, status=422)
    services.staff_set_status(staff=request.user, conversation_id=found.pk, status=wanted)
    return redirect(reverse("support:staff-conversation", args=[found.pk]))
