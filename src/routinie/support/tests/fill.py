"""Rows of the support app for one user, for the export and erasure tests (tests/fill.py)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from routinie.support.models import Conversation, Message


def fill(user: Any, tag: str) -> list[str]:
    """Create this app's rows for `user`, each marked with `tag`; return the markers."""
    now = timezone.now()
    conversation = Conversation.objects.create(
        user=user,
        subject=f"Support {tag}",
        created_at=now - timedelta(hours=2),
        last_message_at=now - timedelta(hours=1),
        waiting_since=None,
        staff_replied_at=now - timedelta(hours=1),
        user_seen_at=now,
    )
    Message.objects.create(
        conversation=conversation,
        author=Message.Author.USER,
        channel=Message.Channel.EMAIL,
        body=f"Question {tag}",
        attachments=[{"name": f"scan-{tag}.pdf", "type": "application/pdf", "size": 1234}],
        message_id=f"<question-{tag.lower()}@example.test>",
        created_at=now - timedelta(hours=2),
    )
    Message.objects.create(
        conversation=conversation,
        author=Message.Author.STAFF,
        channel=Message.Channel.EMAIL,
        body=f"Answer {tag}",
        message_id=f"<answer-{tag.lower()}@routinie.test>",
        created_at=now - timedelta(hours=1),
        sent_at=now - timedelta(hours=1),
    )
    return [
        f"Support {tag}",
        f"Question {tag}",
        f"scan-{tag}.pdf",
        f"<question-{tag.lower()}@example.test>",
        f"Answer {tag}",
    ]
