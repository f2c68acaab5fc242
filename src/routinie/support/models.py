"""Support tables: one conversation store for the in-app chat and inbound e-mail (P07).

A conversation belongs either to an account (`user`, deleted with it) or, when someone without
an account writes by e-mail, to a sender address (`sender_email`); a constraint keeps exactly
one of the two. Messages are the user's or staff's, by chat or e-mail; e-mail messages (and
every staff reply, which goes out by e-mail) carry an RFC 5322 Message-ID, unique, which both
threads replies and stores a message delivered twice only once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

Owner = settings.AUTH_USER_MODEL


class Conversation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        CLOSED = "closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        Owner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_conversations",
    )
    # Only for someone without an account who wrote by e-mail: where staff replies go.
    sender_email = models.EmailField(max_length=254, blank=True, default="")
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=now)
    last_message_at = models.DateTimeField(default=now)
    # The first message of the person not yet answered by staff (None: nobody is waiting).
    waiting_since = models.DateTimeField(null=True, blank=True)
    staff_replied_at = models.DateTimeField(null=True, blank=True)
    user_seen_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(sender_email=""))
                | (Q(user__isnull=True) & ~Q(sender_email="")),
                name="support_conversation_has_one_owner",
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_at__isnull=True))
                | (Q(status="closed") & Q(closed_at__isnull=False)),
                name="support_conversation_closed_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-last_message_at"]),
            models.Index(fields=["status", "waiting_since"]),
            models.Index(fields=["sender_email", "-last_message_at"]),
            models.Index(fields=["closed_at"]),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def unread(self) -> bool:
        """A staff reply the person has not seen yet."""
        replied = self.staff_replied_at
        return replied is not None and (self.user_seen_at is None or replied > self.user_seen_at)


class Message(models.Model):
    class Author(models.TextChoices):
        USER = "user"
        STAFF = "staff"

    class Channel(models.TextChoices):
        CHAT = "chat"
        EMAIL = "email"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.CharField(max_length=5, choices=Author.choices)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    # Which staff member answered (shown to staff only; the person sees "Routinie support").
    staff = models.ForeignKey(
        Owner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField()
    # Attachments are not kept: their names, types and sizes are, so both sides know.
    attachments = models.JSONField(default=list, blank=True)
    # RFC 5322 Message-ID with its angle brackets; "" for a chat message of the person.
    message_id = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=now)
    # Staff replies: when the e-mail copy was claimed for sending (set once: sent once).
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~Q(message_id=""),
                name="support_message_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author} message of {self.created_at:%Y-%m-%d %H:%M}"
