"""Storing one inbound e-mail in the support inbox: the one function behind `routinie mail-in`
and `routinie smtpd` (P07).

Which conversation it joins:
- from the address of an account (confirmed, active): the conversation its In-Reply-To or
  References point to if that is the account's, else the account's most recent open one, else a
  new one. An unconfirmed account's address may not be its holder's, so its mail is treated as
  from someone without an account;
- from anyone else: the same, among the conversations kept for that sender address (never an
  account's conversation).

A message whose Message-ID is already stored is not stored again (`created` is False).
Everything happens in one transaction: a refusal or an error leaves nothing behind.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from routinie.accounts.models import User
from routinie.support.inbound import InboundMail, parse_mail
from routinie.support.models import Conversation, Message
from routinie.support.services import append_message


@dataclass(frozen=True)
class Received:
    conversation_id: UUID
    message_id: UUID
    created: bool  # False: the same message (Message-ID) was already stored

    def describe(self) -> str:
        if self.created:
            return f"stored in conversation {self.conversation_id}"
        return f"already stored (conversation {self.conversation_id}); nothing changed"


def receive_email(raw: bytes, *, envelope_sender: str | None = None) -> Received:
    """Store one RFC 5322 message, or raise `inbound.Refused` with the reason."""
    mail = parse_mail(raw, envelope_sender=envelope_sender)
    if mail.message_id:
        stored = _already_stored(mail.message_id)
        if stored is not None:
            return stored
    try:
        with transaction.atomic():
            return _store(mail)
    except IntegrityError:
        # The same message delivered twice at once: the other delivery stored it.
        stored = _already_stored(mail.message_id) if mail.message_id else None
        if stored is None:
            raise
        return stored


def _already_stored(message_id: str) -> Received | None:
    found = Message.objects.filter(message_id=message_id).first()
    if found is None:
        return None
    return Received(found.conversation_id, found.pk, created=False)


def _account(address: str) -> User | None:
    return User.objects.filter(
        email=address, is_active=True, email_confirmed_at__isnull=False
    ).first()


def _conversation_for(mail: InboundMail, account: User | None) -> Conversation:
    own: QuerySet[Conversation] = (
        Conversation.objects.filter(user=account)
        if account is not None
        else Conversation.objects.filter(user__isnull=True, sender_email=mail.sender)
    )
    if mail.replies_to:
        referenced = (
            own.filter(messages__message_id__in=mail.replies_to)
            .order_by("-last_message_at")
            .first()
        )
        if referenced is not None:
            return referenced
    latest_open = own.filter(status=Conversation.Status.OPEN).order_by("-last_message_at").first()
    if latest_open is not None:
        return latest_open
    return Conversation.objects.create(
        user=account,
        sender_email="" if account is not None else mail.sender,
        subject=mail.subject,
    )


def _store(mail: InboundMail) -> Received:
    account = _account(mail.sender)
    conversation = _conversation_for(mail, account)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    message = append_message(
        conversation=conversation,
        author=Message.Author.USER,
        channel=Message.Channel.EMAIL,
        body=mail.body,
        message_id=mail.message_id,
        attachments=mail.attachments,
    )
    return Received(conversation.pk, message.pk, created=True)
