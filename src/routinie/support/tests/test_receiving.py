"""Storing inbound e-mail: which conversation it joins, once per Message-ID, all or nothing."""

import pytest

from routinie.support import receiving
from routinie.support.inbound import Refused
from routinie.support.models import Conversation, Message
from routinie.support.receiving import receive_email
from routinie.support.selectors import conversations_of
from routinie.support.services import close_conversation, post_staff_reply
from routinie.support.tests.mails import raw_mail

pytestmark = pytest.mark.django_db


def test_mail_from_an_account_address_lands_in_that_persons_conversations(ada):
    received = receive_email(raw_mail(sender="ADA@example.test"))
    assert received.created
    conversation = conversations_of(ada).get()
    assert conversation.pk == received.conversation_id
    assert conversation.subject == "Help with my timer"
    assert conversation.sender_email == ""
    message = conversation.messages.get()
    assert (message.author, message.channel) == ("user", "email")
    assert message.message_id == "<first@mail.example.test>"
    assert conversation.waiting_since == message.created_at


def test_mail_from_an_unconfirmed_account_is_kept_under_the_sender_address(make_user):
    user, _ = make_user(email="new@example.test", confirmed=False)
    received = receive_email(raw_mail(sender="new@example.test"))
    conversation = Conversation.objects.get(pk=received.conversation_id)
    assert conversation.user is None
    assert conversation.sender_email == "new@example.test"
    assert not conversations_of(user).exists()


def test_a_second_mail_joins_the_open_conversation_and_a_closed_one_is_not_reused(ada):
    first = receive_email(raw_mail(message_id="<1@x.test>"))
    second = receive_email(raw_mail(message_id="<2@x.test>", subject="Another thing"))
    assert second.conversation_id == first.conversation_id
    close_conversation(user=ada, conversation_id=first.conversation_id)
    third = receive_email(raw_mail(message_id="<3@x.test>", subject="New question"))
    assert third.conversation_id != first.conversation_id
    assert conversations_of(ada).count() == 2


def test_an_answer_to_a_staff_reply_rejoins_and_reopens_its_conversation(ada, staff):
    first = receive_email(raw_mail(message_id="<1@x.test>"))
    reply = post_staff_reply(staff=staff, conversation_id=first.conversation_id, body="Try this.")
    close_conversation(user=ada, conversation_id=first.conversation_id)
    receive_email(raw_mail(message_id="<other@x.test>", subject="Unrelated"))  # a new one
    answer = receive_email(
        raw_mail(message_id="<2@x.test>", in_reply_to=reply.message_id, references="<1@x.test>")
    )
    assert answer.conversation_id == first.conversation_id
    conversation = Conversation.objects.get(pk=first.conversation_id)
    assert conversation.status == "open"
    assert conversation.closed_at is None
    assert conversation.waiting_since is not None


def test_a_reference_to_someone_elses_conversation_is_not_followed(ada, ben):
    bens = receive_email(raw_mail(sender="ben@example.test", message_id="<ben@x.test>"))
    mine = receive_email(raw_mail(message_id="<ada@x.test>", in_reply_to="<ben@x.test>"))
    assert mine.conversation_id != bens.conversation_id
    assert Conversation.objects.get(pk=mine.conversation_id).user == ada
    assert conversations_of(ben).get().messages.count() == 1


def test_someone_without_an_account_gets_a_conversation_by_address_continued_by_reply(staff):
    first = receive_email(raw_mail(sender="guest@example.test", message_id="<g1@x.test>"))
    reply = post_staff_reply(staff=staff, conversation_id=first.conversation_id, body="Hello!")
    close = Conversation.objects.filter(pk=first.conversation_id)
    close.update(status="closed", closed_at=reply.created_at)
    answer = receive_email(
        raw_mail(
            sender="guest@example.test", message_id="<g2@x.test>", in_reply_to=reply.message_id
        )
    )
    assert answer.conversation_id == first.conversation_id
    other = receive_email(raw_mail(sender="other@example.test", message_id="<o1@x.test>"))
    assert other.conversation_id != first.conversation_id
    assert Conversation.objects.get(pk=other.conversation_id).sender_email == "other@example.test"


def test_the_same_message_delivered_twice_is_stored_once(ada):
    raw = raw_mail()
    first = receive_email(raw)
    again = receive_email(raw)
    assert first.created
    assert not again.created
    assert again.message_id == first.message_id
    assert "already stored" in again.describe()
    assert Message.objects.count() == 1


def test_a_refused_message_stores_nothing(ada, settings):
    settings.SUPPORT_MAX_ATTACHMENTS = 1
    with pytest.raises(Refused):
        receive_email(raw_mail(attachments=2))
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()


def test_a_failure_while_storing_leaves_no_half_conversation(ada, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(receiving, "append_message", broken)
    with pytest.raises(RuntimeError):
        receive_email(raw_mail())
    assert not Conversation.objects.exists()


def test_attachment_names_and_sizes_are_kept_with_the_text(ada):
    received = receive_email(raw_mail(attachments=1))
    message = Message.objects.get(pk=received.message_id)
    assert message.attachments == [{"name": "scan-1.pdf", "type": "application/pdf", "size": 109}]
