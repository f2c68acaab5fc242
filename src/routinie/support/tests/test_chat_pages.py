"""The person's support pages: start a conversation, reply, see replies, close; bad input gets a
clear error and changes nothing; someone else's conversation is not found."""

import re
import uuid

import pytest
from django.test import Client

from routinie.support.models import Conversation, Message
from routinie.support.services import post_staff_reply, start_conversation

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_signed_out_people_are_sent_to_sign_in():
    response = Client().get("/support/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/support/"


def test_starting_a_conversation_shows_it_with_its_first_message(ada, client_of):
    client = client_of(ada)
    response = client.post("/support/", {"subject": "", "body": "My timer is stuck at 9:00."})
    conversation = Conversation.objects.get(user=ada)
    assert response.status_code == 302
    assert response["Location"] == f"/support/{conversation.pk}/"
    assert conversation.subject == "My timer is stuck at 9:00."
    page = client.get(f"/support/{conversation.pk}/").content.decode()
    assert "My timer is stuck at 9:00." in page
    assert f'hx-get="/support/{conversation.pk}/messages/?count=1"' in page
    assert 'hx-trigger="every 5s"' in page
    assert "<script>" not in page
    assert ' style="' not in page
    listing = client.get("/support/").content.decode()
    assert f'href="/support/{conversation.pk}/"' in listing


@pytest.mark.parametrize(
    ("body", "error"),
    [("", "it is empty"), ("   \n ", "it is empty"), ("x" * 5001, "at most 5000 characters")],
)
def test_an_empty_or_too_long_message_is_refused_and_nothing_is_stored(ada, client_of, body, error):
    client = client_of(ada)
    response = client.post("/support/", {"body": body})
    assert response.status_code == 422
    assert error in response.content.decode()
    conversation, _ = start_conversation(user=ada, body="First")
    reply = client.post(f"/support/{conversation.pk}/", {"body": body}, **HTMX)
    assert reply.status_code == 422
    assert error in reply.content.decode()
    assert Message.objects.count() == 1


def test_a_reply_by_htmx_comes_back_in_the_chat_with_an_empty_form(ada, client_of):
    conversation, _ = start_conversation(user=ada, body="First")
    response = ada_client = client_of(ada)
    response = ada_client.post(f"/support/{conversation.pk}/", {"body": "Second"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="chat"')
    assert html.index("First") < html.index("Second")
    assert re.search(r"<textarea[^>]*>\s*</textarea>", html), "the form is empty again"


def test_without_javascript_a_reply_redirects_back_to_the_conversation(ada, client_of):
    conversation, _ = start_conversation(user=ada, body="First")
    response = client_of(ada).post(f"/support/{conversation.pk}/", {"body": "Second"})
    assert response.status_code == 302
    assert response["Location"] == f"/support/{conversation.pk}/#latest"
    assert conversation.messages.count() == 2


def test_a_staff_reply_shows_as_new_until_read_and_appears_in_the_polled_fragment(
    ada, staff, client_of
):
    conversation, _ = start_conversation(user=ada, body="First")
    post_staff_reply(staff=staff, conversation_id=conversation.pk, body="We are on it.")
    client = client_of(ada)
    assert 'data-testid="new-reply"' in client.get("/support/").content.decode()
    fragment = client.get(f"/support/{conversation.pk}/messages/?count=1").content.decode()
    assert "We are on it." in fragment
    assert f'hx-get="/support/{conversation.pk}/messages/?count=2"' in fragment
    assert "Routinie support" in fragment
    assert "Sam Staff" not in fragment, "the person does not see which staff member answered"
    assert 'data-testid="new-reply"' not in client.get("/support/").content.decode()


def test_the_poll_answers_204_while_nothing_is_new(ada, staff, client_of):
    conversation, _ = start_conversation(user=ada, body="First")
    client = client_of(ada)
    url = f"/support/{conversation.pk}/messages/"
    assert client.get(url + "?count=1").status_code == 204
    post_staff_reply(staff=staff, conversation_id=conversation.pk, body="Reply")
    assert client.get(url + "?count=1").status_code == 200
    assert client.get(url + "?count=2").status_code == 204
    assert client.get(url + "?count=banana").status_code == 200


def test_closing_and_writing_again_reopens(ada, client_of):
    conversation, _ = start_conversation(user=ada, body="First")
    client = client_of(ada)
    assert client.post(f"/support/{conversation.pk}/close/").status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    assert conversation.closed_at is not None
    client.post(f"/support/{conversation.pk}/", {"body": "One more thing"})
    conversation.refresh_from_db()
    assert conversation.status == "open"
    assert conversation.closed_at is None


def test_chat_messages_are_throttled_per_person(ada, client_of, settings):
    settings.SUPPORT_CHAT_PER_HOUR = 2
    conversation, _ = start_conversation(user=ada, body="First")
    client = client_of(ada)
    assert client.post(f"/support/{conversation.pk}/", {"body": "2"}).status_code == 302
    refused = client.post(f"/support/{conversation.pk}/", {"body": "3"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert conversation.messages.count() == 2


def test_someone_elses_conversation_is_not_found_on_every_page(ada, ben, client_of):
    conversation, _ = start_conversation(user=ada, body="Private")
    ben_client = client_of(ben)
    base = f"/support/{conversation.pk}/"
    assert ben_client.get(base).status_code == 404
    assert ben_client.get(base + "messages/").status_code == 404
    assert ben_client.post(base, {"body": "Hi"}).status_code == 404
    assert ben_client.post(base + "close/").status_code == 404
    assert conversation.messages.count() == 1
    conversation.refresh_from_db()
    assert conversation.status == "open"


def test_odd_requests_get_clear_answers_never_a_500(ada, client_of):
    client = client_of(ada)
    conversation, _ = start_conversation(user=ada, body="First")
    missing = uuid.uuid4()
    for path in (f"/support/{missing}/", f"/support/{missing}/messages/", "/support/not-a-uuid/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/support/{missing}/", {"body": "x"}).status_code == 404
    assert client.post(f"/support/{missing}/close/").status_code == 404
    assert client.get(f"/support/{conversation.pk}/close/").status_code == 405
    assert client.post(f"/support/{conversation.pk}/messages/").status_code == 405
    assert client.delete("/support/").status_code == 405
    assert client.post("/support/", {}).status_code == 422
    assert client.post("/support/", {"body": "x", "subject": "s" * 500}).status_code == 422
    null = client.post(f"/support/{conversation.pk}/", {"body": "a\x00b"})
    assert null.status_code == 422
    assert "Null characters are not allowed" in null.content.decode()
    assert conversation.messages.count() == 1


def test_the_poll_costs_the_same_few_queries_however_long_the_conversation(
    ada, staff, client_of, django_assert_max_num_queries
):
    conversation, _ = start_conversation(user=ada, body="First")
    client = client_of(ada)
    url = f"/support/{conversation.pk}/messages/"
    client.get(url)  # the session's first use writes it
    for n in range(40):
        post_staff_reply(staff=staff, conversation_id=conversation.pk, body=f"Reply {n}")
    with django_assert_max_num_queries(6):
        assert client.get(url + "?count=41").status_code == 204
    with django_assert_max_num_queries(8):
        assert client.get(url + "?count=1").status_code == 200
