"""Support conversations are kept for later reference, then purged (P07, P20): a closed one
SUPPORT_CLOSED_RETENTION_DAYS after it was closed; one without an account that long after its
last message; an account's open one never by the purge."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from routinie.privacy.retention import purge
from routinie.support.models import Conversation, Message
from routinie.support.receiving import receive_email
from routinie.support.services import close_conversation, post_user_message, start_conversation
from routinie.support.tests.mails import raw_mail

pytestmark = pytest.mark.django_db
RULE = "closed support conversations"


@pytest.mark.promise("P07")
@pytest.mark.promise("P20")
def test_the_purge_removes_exactly_the_conversations_past_their_retention(ada, settings):
    settings.SUPPORT_CLOSED_RETENTION_DAYS = 365
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        old_closed, _ = start_conversation(user=ada, body="Old and closed", subject="A")
        close_conversation(user=ada, conversation_id=old_closed.pk)
        still_open, _ = start_conversation(user=ada, body="Old but open", subject="B")
        guest = receive_email(raw_mail(sender="guest@example.test"))
    with time_machine.travel(start + timedelta(days=300), tick=False):
        recent_closed, _ = start_conversation(user=ada, body="Recent", subject="C")
        close_conversation(user=ada, conversation_id=recent_closed.pk)
    with time_machine.travel(start + timedelta(days=366), tick=False):
        counts = purge()
    assert counts[RULE] == 2
    left = set(Conversation.objects.values_list("pk", flat=True))
    assert left == {still_open.pk, recent_closed.pk}
    assert guest.conversation_id not in left
    assert not Message.objects.filter(conversation_id=old_closed.pk).exists()
    with time_machine.travel(start + timedelta(days=300 + 366), tick=False):
        assert purge()[RULE] == 1
    assert set(Conversation.objects.values_list("pk", flat=True)) == {still_open.pk}


def test_writing_again_reopens_and_restarts_the_clock(ada):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        conversation, _ = start_conversation(user=ada, body="Hi")
        close_conversation(user=ada, conversation_id=conversation.pk)
    with time_machine.travel(start + timedelta(days=364), tick=False):
        post_user_message(user=ada, conversation_id=conversation.pk, body="Back again")
        close_conversation(user=ada, conversation_id=conversation.pk)
    with time_machine.travel(start + timedelta(days=400), tick=False):
        assert purge(dry_run=True)[RULE] == 0
    assert Conversation.objects.filter(pk=conversation.pk).exists()


def test_the_retention_is_a_setting(ada, settings):
    settings.SUPPORT_CLOSED_RETENTION_DAYS = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        conversation, _ = start_conversation(user=ada, body="Hi")
        close_conversation(user=ada, conversation_id=conversation.pk)
    with time_machine.travel(start + timedelta(days=29), tick=False):
        assert purge()[RULE] == 0
    with time_machine.travel(start + timedelta(days=31), tick=False):
        assert purge()[RULE] == 1
