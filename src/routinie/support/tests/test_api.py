"""The support API: the person's conversations and messages; someone else's is not found;
bad input is a 4xx naming the field, never a 500."""

import uuid

import pytest
from django.test import Client

from routinie.accounts.services import create_api_token
from routinie.support.models import Conversation, Message
from routinie.support.services import post_staff_reply

pytestmark = pytest.mark.django_db

BASE = "/api/v1/support/conversations"


@pytest.fixture
def api_of():
    def client(user):
        _, secret = create_api_token(user=user, label="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return client


def test_start_list_read_and_write_a_conversation(ada, staff, api_of):
    api = api_of(ada)
    created = api.post(BASE, {"subject": "Export", "body": "Where is my zip?"}, "application/json")
    assert created.status_code == 201, created.content
    conversation = created.json()
    assert conversation["subject"] == "Export"
    assert conversation["status"] == "open"
    assert [m["body"] for m in conversation["messages"]] == ["Where is my zip?"]
    assert conversation["messages"][0]["author"] == "user"
    assert conversation["messages"][0]["channel"] == "chat"
    post_staff_reply(staff=staff, conversation_id=conversation["id"], body="In /account/.")
    listed = api.get(BASE).json()
    assert [c["id"] for c in listed["items"]] == [conversation["id"]]
    assert listed["items"][0]["unread"] is True
    assert listed["next_cursor"] is None
    detail = api.get(f"{BASE}/{conversation['id']}").json()
    assert [(m["author"], m["body"]) for m in detail["messages"]] == [
        ("user", "Where is my zip?"),
        ("staff", "In /account/."),
    ]
    assert "staff" not in detail["messages"][1], "no staff identity"
    written = api.post(
        f"{BASE}/{conversation['id']}/messages", {"body": "Thanks!"}, "application/json"
    )
    assert written.status_code == 201
    assert written.json()["body"] == "Thanks!"
    closed = api.post(f"{BASE}/{conversation['id']}/close")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_at"] is not None


def test_someone_elses_conversation_is_not_found(ada, ben, api_of):
    conversation = api_of(ada).post(BASE, {"body": "Mine"}, "application/json").json()
    ben_api = api_of(ben)
    url = f"{BASE}/{conversation['id']}"
    assert ben_api.get(url).status_code == 404
    assert ben_api.post(f"{url}/messages", {"body": "Hi"}, "application/json").status_code == 404
    assert ben_api.post(f"{url}/close").status_code == 404
    assert ben_api.get(BASE).json()["items"] == []
    assert Message.objects.count() == 1
    assert Conversation.objects.get().status == "open"


def test_without_credentials_the_answer_is_401():
    assert Client().get(BASE).status_code == 401
    assert Client().post(BASE, {"body": "x"}, "application/json").status_code == 401


def test_repeating_a_create_with_the_same_id_is_safe(ada, api_of):
    api = api_of(ada)
    body = {"id": str(uuid.uuid4()), "subject": "S", "body": "Hello"}
    assert api.post(BASE, body, "application/json").status_code == 201
    assert api.post(BASE, body, "application/json").status_code == 200
    changed = api.post(BASE, {**body, "body": "Other"}, "application/json")
    assert changed.status_code == 409
    conversation_id = body["id"]
    message = {"id": str(uuid.uuid4()), "body": "Again"}
    url = f"{BASE}/{conversation_id}/messages"
    assert api.post(url, message, "application/json").status_code == 201
    assert api.post(url, message, "application/json").status_code == 200
    assert Message.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "body"),
        ({"body": ""}, 422, "body"),
        ({"body": "x" * 5001}, 422, "body"),
        ({"body": "x", "phone": "1"}, 422, "phone"),
        ({"body": 5}, 422, "body"),
        ({"body": "x", "subject": "s" * 201}, 422, "subject"),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(ada, api_of, body, status, field):
    response = api_of(ada).post(BASE, body, "application/json")
    assert response.status_code == status
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Conversation.objects.exists()


def test_odd_requests_never_500(ada, api_of):
    api = api_of(ada)
    assert api.get(f"{BASE}/not-a-uuid").status_code == 422
    assert api.get(f"{BASE}/{uuid.uuid4()}").status_code == 404
    assert (
        api.post(f"{BASE}/{uuid.uuid4()}/messages", {"body": "x"}, "application/json").status_code
        == 404
    )
    assert api.get(f"{BASE}?cursor=forged").status_code == 400
    assert api.get(f"{BASE}?limit=0").status_code == 422
    assert api.post(BASE, "not json", "application/json").status_code == 400
    # A NUL byte is refused as in every API text field (core.schemas.SafeStr), not stored.
    assert api.post(BASE, '{"body": "a\\u0000b"}', "application/json").status_code == 422
    assert not Message.objects.exists()


def test_the_list_pages_with_a_cursor(ada, api_of):
    api = api_of(ada)
    for n in range(3):
        api.post(BASE, {"body": f"Question {n}"}, "application/json")
    first = api.get(f"{BASE}?limit=2").json()
    assert len(first["items"]) == 2
    rest = api.get(f"{BASE}?limit=2&cursor={first['next_cursor']}").json()
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None
