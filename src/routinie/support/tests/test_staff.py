"""The support console: staff only, whoever waits longest first, every look at a person's
conversation logged for them; staff replies reach the person in the app and by e-mail, once,
threaded into their mail program."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from tests.plugin import run_queued_tasks

from routinie.privacy.models import StaffAccess
from routinie.support.models import Conversation, Message
from routinie.support.outbound import send_reply_email
from routinie.support.receiving import receive_email
from routinie.support.services import post_staff_reply, start_conversation
from routinie.support.tests.mails import raw_mail

pytestmark = pytest.mark.django_db


def test_the_console_is_not_found_for_people_who_are_not_staff(ada, client_of):
    conversation, _ = start_conversation(user=ada, body="Hi")
    client = client_of(ada)
    base = f"/support/staff/{conversation.pk}/"
    assert client.get("/support/staff/").status_code == 404
    assert client.get(base).status_code == 404
    assert client.post(base, {"body": "I am staff, honest"}).status_code == 404
    assert client.post(base + "status/", {"status": "closed"}).status_code == 404
    assert conversation.messages.count() == 1
    signed_out = Client().get("/support/staff/")
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/login/")


def test_open_conversations_are_listed_oldest_waiting_first(make_user, staff, client_of):
    now = timezone.now()
    for hours_ago, name in ((3, "Middle"), (1, "Newest"), (4, "Oldest"), (5, "Answered")):
        with time_machine.travel(now - timedelta(hours=hours_ago), tick=False):
            user, _ = make_user(name=name, email=f"{name.lower()}@example.test")
            conversation, _ = start_conversation(user=user, body=f"{name} question")
            if name == "Answered":
                post_staff_reply(staff=staff, conversation_id=conversation.pk, body="Done")
    page = client_of(staff).get("/support/staff/").content.decode()
    order = [page.index(f"{name} question") for name in ("Oldest", "Middle", "Newest", "Answered")]
    assert order == sorted(order)


def test_looking_at_conversations_is_written_to_each_persons_access_log(ada, ben, staff, client_of):
    conversation, _ = start_conversation(user=ada, body="Hi")
    start_conversation(user=ben, body="Hello")
    receive_email(raw_mail(sender="guest@example.test"))  # no account: no log to write to
    client = client_of(staff)
    assert client.get("/support/staff/").status_code == 200
    assert StaffAccess.objects.filter(user=ada, staff=staff).count() == 1
    assert StaffAccess.objects.filter(user=ben, staff=staff).count() == 1
    assert client.get(f"/support/staff/{conversation.pk}/").status_code == 200
    assert list(StaffAccess.objects.filter(user=ada).values_list("what", flat=True)) == [
        "list of support conversations",
        "a support conversation",
    ]


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_a_staff_reply_is_in_the_app_and_emailed_once_with_thread_headers(
    ada, staff, client_of, smtp_sink, settings, django_capture_on_commit_callbacks
):
    first = receive_email(raw_mail(message_id="<q1@mail.example.test>"))
    client = client_of(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/support/staff/{first.conversation_id}/", {"body": "Try again."})
    assert response.status_code == 302
    reply = Message.objects.get(author="staff")
    assert reply.staff == staff
    assert reply.message_id.startswith("<")
    assert reply.message_id.endswith("@wesrom.com>")
    run_queued_tasks()
    received = smtp_sink.wait_for(1)
    mail = [m for m in received if m["Message-ID"] == reply.message_id]
    assert len(mail) == 1
    mail = mail[0]
    assert mail.rcpt_tos == ["ada@example.test"]
    assert mail["Subject"] == "Re: Help with my timer"
    assert mail["In-Reply-To"] == "<q1@mail.example.test>"
    assert mail["References"] == "<q1@mail.example.test>"
    assert mail["Reply-To"] == settings.SUPPORT_EMAIL
    assert mail["From"] == settings.DEFAULT_FROM_EMAIL
    assert "Try again." in mail.text()
    assert f"/support/{first.conversation_id}/" in mail.text()
    reply.refresh_from_db()
    assert reply.sent_at is not None
    assert send_reply_email(message_id=reply.pk) is False, "a second run sends nothing"
    assert len([m for m in smtp_sink.received if m["Message-ID"] == reply.message_id]) == 1


def test_the_references_list_every_earlier_message_in_order(ada, staff, smtp_sink):
    first = receive_email(raw_mail(message_id="<q1@x.test>"))
    one = post_staff_reply(staff=staff, conversation_id=first.conversation_id, body="One")
    receive_email(raw_mail(message_id="<q2@x.test>", in_reply_to=one.message_id))
    two = post_staff_reply(staff=staff, conversation_id=first.conversation_id, body="Two")
    assert send_reply_email(message_id=two.pk)
    mail = smtp_sink.wait_for(1)[-1]
    assert mail["In-Reply-To"] == "<q2@x.test>"
    assert mail["References"] == f"<q1@x.test> {one.message_id} <q2@x.test>"


def test_a_refused_smtp_delivery_releases_the_claim_for_a_retry(ada, staff, settings):
    first = receive_email(raw_mail())
    reply = post_staff_reply(staff=staff, conversation_id=first.conversation_id, body="Hi")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(OSError):
        send_reply_email(message_id=reply.pk)
    reply.refresh_from_db()
    assert reply.sent_at is None


def test_replies_to_someone_without_an_account_go_to_their_address(staff, smtp_sink):
    first = receive_email(raw_mail(sender="guest@example.test"))
    reply = post_staff_reply(staff=staff, conversation_id=first.conversation_id, body="Hello")
    assert send_reply_email(message_id=reply.pk)
    mail = smtp_sink.wait_for(1)[0]
    assert mail.rcpt_tos == ["guest@example.test"]
    assert "/support/" not in mail.text(), "no link to pages they cannot open"


def test_an_unconfirmed_address_gets_no_email_but_the_reply_is_in_the_app(
    make_user, staff, smtp_sink
):
    user, _ = make_user(email="fresh@example.test", confirmed=False)
    conversation, _ = start_conversation(user=user, body="Hi")
    reply = post_staff_reply(staff=staff, conversation_id=conversation.pk, body="Hello")
    assert send_reply_email(message_id=reply.pk) is False
    assert smtp_sink.to("fresh@example.test") == []
    assert conversation.messages.filter(author="staff").exists()


def test_odd_ids_send_nothing():
    assert send_reply_email(message_id="not-a-uuid") is False
    assert send_reply_email(message_id=uuid.uuid4()) is False


def test_staff_close_and_reopen_and_a_bad_status_changes_nothing(ada, staff, client_of):
    conversation, _ = start_conversation(user=ada, body="Hi")
    client = client_of(staff)
    url = f"/support/staff/{conversation.pk}/status/"
    assert client.post(url, {"status": "closed"}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    assert client.post(url, {"status": "deleted"}).status_code == 422
    assert client.post(url, {}).status_code == 422
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    assert client.post(url, {"status": "open"}).status_code == 302
    conversation.refresh_from_db()
    assert (conversation.status, conversation.closed_at) == ("open", None)


def test_staff_odd_requests_never_500(ada, staff, client_of):
    conversation, _ = start_conversation(user=ada, body="Hi")
    client = client_of(staff)
    missing = uuid.uuid4()
    assert client.get(f"/support/staff/{missing}/").status_code == 404
    assert client.post(f"/support/staff/{missing}/", {"body": "x"}).status_code == 404
    assert client.post(f"/support/staff/{missing}/status/", {"status": "open"}).status_code == 404
    assert client.get(f"/support/staff/{conversation.pk}/status/").status_code == 405
    assert client.post(f"/support/staff/{conversation.pk}/", {"body": ""}).status_code == 422
    assert client.get("/support/staff/?status=%00").status_code == 200
    assert client.get("/support/staff/?status=closed").status_code == 200
    assert conversation.messages.count() == 1


def test_the_admin_shows_conversations_read_only_and_logs_the_look(ada, superuser, client_of):
    conversation, _ = start_conversation(user=ada, body="Hi")
    client = client_of(superuser)
    assert client.get("/admin/support/conversation/").status_code == 200
    assert client.get(f"/admin/support/conversation/{conversation.pk}/change/").status_code == 200
    assert StaffAccess.objects.filter(user=ada).count() == 2
    assert Conversation.objects.get().subject == "Hi"
