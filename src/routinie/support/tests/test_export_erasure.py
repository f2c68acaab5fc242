"""Support conversations are part of the person's export and go with their account (P07, P18);
those of someone without an account are erased on request by address."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from tests.plugin import run_queued_tasks

from routinie.core.errors import InvalidInput
from routinie.privacy.erasure import erase_account
from routinie.privacy.export_archive import archive_path, start_export
from routinie.support.models import Conversation, Message
from routinie.support.receiving import receive_email
from routinie.support.services import (
    erase_sender_conversations,
    post_staff_reply,
    start_conversation,
)
from routinie.support.tests.mails import raw_mail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.mark.promise("P07")
def test_the_export_holds_the_conversations_by_chat_and_email(ada, staff):
    by_mail = receive_email(raw_mail(subject="By mail", body="Mailed question"))
    post_staff_reply(staff=staff, conversation_id=by_mail.conversation_id, body="Mailed answer")
    start_conversation(user=ada, body="Chat question", subject="By chat")
    receive_email(raw_mail(sender="guest@example.test", body="Not hers", message_id="<g@x>"))
    export = start_export(user=ada)
    run_queued_tasks()
    export.refresh_from_db()
    with zipfile.ZipFile(archive_path(export)) as archive:
        conversations = json.loads(archive.read("support_conversation.json"))
        messages = json.loads(archive.read("support_message.json"))
        readme = archive.read("README.txt").decode()
    assert sorted(c["subject"] for c in conversations) == ["By chat", "By mail"]
    assert sorted(m["body"] for m in messages) == [
        "Chat question",
        "Mailed answer",
        "Mailed question",
    ]
    assert "support_message" in readme
    assert "Not hers" not in json.dumps(messages)


@pytest.mark.promise("P18")
def test_erasing_the_account_erases_its_conversations_and_nobody_elses(make_user, ben):
    user, password = make_user(name="Eve", email="eve@example.test")
    start_conversation(user=user, body="Eve's question")
    start_conversation(user=ben, body="Ben's question")
    guest = receive_email(raw_mail(sender="guest@example.test"))
    erase_account(user=user, password=password)
    assert not Message.objects.filter(body="Eve's question").exists()
    assert Conversation.objects.filter(user=ben).count() == 1
    assert Conversation.objects.filter(pk=guest.conversation_id).exists()


def test_a_senders_conversations_are_erased_on_request_by_address(ada):
    receive_email(raw_mail(sender="guest@example.test", message_id="<1@x>"))
    receive_email(raw_mail(sender="guest@example.test", message_id="<2@x>", subject="Again"))
    receive_email(raw_mail(message_id="<3@x>"))  # Ada's, by her account's address
    out = io.StringIO()
    call_command("support_forget", "GUEST@example.test", stdout=out)
    assert "deleted 1 conversation(s)" in out.getvalue()
    assert not Conversation.objects.filter(sender_email="guest@example.test").exists()
    assert Conversation.objects.filter(user=ada).count() == 1
    assert erase_sender_conversations(email="ada@example.test") == 0, "never an account's"
    with pytest.raises(InvalidInput):
        erase_sender_conversations(email="  ")
