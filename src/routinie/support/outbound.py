"""Staff replies by e-mail: threaded into the person's mail program and sent once.

Every staff reply has its own Message-ID (given when it is written); its e-mail copy answers
the conversation's latest message that has one (`In-Reply-To`) and lists the earlier ones
(`References`), so mail programs show one thread and an answer to it comes back to the same
conversation. From is DEFAULT_FROM_EMAIL, Reply-To the support address.

Sent once, through `core.mail_once`: the reply's content goes to the SMTP server first, then
the reply is claimed with a conditional UPDATE of `sent_at`, and only then is the message
released for delivery. A second run (or a second worker) finds it claimed and drops its copy
before delivery; a worker killed before the claim delivered nothing and a re-run sends it. If
the SMTP server refuses or cannot be reached the claim is released and the task fails, so a
re-run retries.
"""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils import timezone

from routinie.core.mail import build_templated_mail
from routinie.core.mail_once import Outgoing, send_each_once
from routinie.support.models import Message
from routinie.support.selectors import reply_address

REFERENCES_KEPT = 20  # the first message and the latest ones, as RFC 5322 suggests


def thread_headers(message: Message) -> dict[str, str]:
    """Message-ID, In-Reply-To, References and Reply-To of a staff reply's e-mail."""
    earlier = list(
        Message.objects.filter(
            conversation_id=message.conversation_id, created_at__lte=message.created_at
        )
        .exclude(pk=message.pk)
        .exclude(message_id="")
        .order_by("created_at", "id")
        .values_list("message_id", flat=True)
    )
    headers = {"Message-ID": message.message_id, "Reply-To": settings.SUPPORT_EMAIL}
    if earlier:
        if len(earlier) > REFERENCES_KEPT:
            earlier = [earlier[0], *earlier[-(REFERENCES_KEPT - 1) :]]
        headers["In-Reply-To"] = earlier[-1]
        headers["References"] = " ".join(earlier)
    return headers


def _context(message: Message) -> dict[str, Any]:
    conversation = message.conversation
    user = conversation.user
    return {
        "name": user.name if user is not None else "",
        "body": message.body,
        "subject": conversation.subject,
        "conversation_url": (
            f"{settings.SITE_URL}/support/{conversation.pk}/" if user is not None else ""
        ),
    }


def send_reply_email(*, message_id: UUID | str) -> bool:
    """E-mail a staff reply to the person, once. False when there is nothing to send."""
    try:
        pk = UUID(str(message_id))
    except ValueError:
        return False
    message = (
        Message.objects.select_related("conversation__user")
        .filter(pk=pk, author=Message.Author.STAFF)
        .first()
    )
    if message is None or message.sent_at is not None:
        return False
    to = reply_address(message.conversation)
    if not to:
        return False
    email = build_templated_mail(
        to=to,
        template="support/email/reply",
        context=_context(message),
        headers=thread_headers(message),
    )

    claimed_here = False

    def claim() -> bool:
        nonlocal claimed_here
        unsent = Message.objects.filter(pk=pk, sent_at__isnull=True)
        claimed_here = unsent.update(sent_at=timezone.now()) == 1
        return claimed_here

    def release() -> None:
        Message.objects.filter(pk=pk).update(sent_at=None)

    try:
        return send_each_once([Outgoing(email, claim, release)]) == 1
    except Exception:
        if claimed_here:  # claimed, then the connection failed before delivery
            release()
        raise
