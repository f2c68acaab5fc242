"""Comments: anyone may comment; first-timers wait for a moderator; spam defences store
nothing; bad input is a clear error and stores nothing; nothing ever answers a 500."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from tests.plugin import cache_keys

from routinie.blog.comment_guard import issue_form_token
from routinie.blog.comments import CommentInput, add_comment, is_known_commenter
from routinie.blog.models import Comment
from routinie.blog.tests.conftest import ORIGIN, comment, old_token
from routinie.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


# --- Moderation ---------------------------------------------------------------------------------
def test_a_first_comment_awaits_moderation_and_is_hidden_until_approved(make_post):
    post = make_post()
    client = Client()
    response = comment(client, post, name="Ioana", text="First!")
    assert response.status_code == 303
    assert response["Location"] == f"/blog/{post.slug}/?comment=pending#comment-notice"
    stored = Comment.objects.get()
    assert stored.status == Comment.Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "Your comment awaits moderation" in page
    assert "First!" not in page
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert "First!" in Client().get(f"/blog/{post.slug}/").content.decode()


def test_a_rejected_comment_is_never_shown(make_post):
    post = make_post()
    comment(Client(), post, text="Buy pills")
    Comment.objects.update(status=Comment.Status.REJECTED)
    assert "Buy pills" not in Client().get(f"/blog/{post.slug}/").content.decode()


def test_an_anonymous_commenter_with_an_approved_comment_is_recognised_by_name_and_email(
    make_post,
):
    post = make_post()
    comment(Client(), post, name="Ioana", email="ioana@example.test", text="One")
    Comment.objects.update(status=Comment.Status.APPROVED)
    again = comment(Client(), post, name="Ioana", email="IOANA@example.test", text="Two")
    assert "?comment=approved#comment-" in again["Location"]
    assert Comment.objects.get(text="Two").status == Comment.Status.APPROVED
    comment(Client(), post, name="Mallory", email="ioana@example.test", text="Three")
    comment(Client(), post, name="Ioana", email="", text="Four")
    comment(Client(), post, name="Ioana", email="other@example.test", text="Five")
    for text in ["Three", "Four", "Five"]:
        assert Comment.objects.get(text=text).status == Comment.Status.PENDING, text


def test_a_signed_in_commenter_is_linked_prefilled_and_recognised_after_an_approval(
    make_post, make_user
):
    post = make_post()
    user, _ = make_user(name="Radu Member", email="radu@example.test")
    client = Client()
    client.force_login(user)
    page = client.get(f"/blog/{post.slug}/").content.decode()
    assert 'value="Radu Member"' in page
    assert 'name="email"' not in page
    assert "csrfmiddlewaretoken" in page
    comment(client, post, name="Radu", text="Member's first")
    first = Comment.objects.get()
    assert first.user == user
    assert first.email == ""
    assert first.status == Comment.Status.PENDING
    assert not is_known_commenter(user=user, name="Radu", email="")
    Comment.objects.update(status=Comment.Status.APPROVED)
    comment(client, post, name="Radu", text="Member's second")
    assert Comment.objects.get(text="Member's second").status == Comment.Status.APPROVED


def test_staff_approve_and_reject_in_the_admin(make_post, superuser):
    post = make_post()
    comment(Client(), post, text="Good one")
    comment(Client(), post, text="Bad one")
    good, bad = Comment.objects.get(text="Good one"), Comment.objects.get(text="Bad one")
    admin = Client()
    admin.force_login(superuser)
    listing = admin.get("/admin/blog/comment/?status=pending").content.decode()
    assert "Good one" in listing
    assert "127.0.0.1" in listing, "staff see the address, to handle abuse"
    for action, target in [("approve", good), ("reject", bad)]:
        response = admin.post(
            "/admin/blog/comment/", {"action": action, "_selected_action": [target.pk]}
        )
        assert response.status_code == 302
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status) == (Comment.Status.APPROVED, Comment.Status.REJECTED)
    assert good.moderated_at is not None
    page = Client().get(f"/blog/{post.slug}/").content.decode()
    assert "Good one" in page
    assert "Bad one" not in page
    assert "127.0.0.1" not in page


# --- What a comment shows -----------------------------------------------------------------------
def test_a_comment_is_plain_text_escaped_with_its_line_breaks(make_post):
    post = make_post()
    text = "Line one\nLine <b>two</b> <script>alert(1)</script>\n\n**not bold** [x](javascript:1)"
    comment(Client(), post, name="<i>Eve</i>", text=text)
    Comment.objects.update(status=Comment.Status.APPROVED)
    page = Client().get(f"/blog/{post.slug}/").content.decode()
    assert "Line one<br>Line &lt;b&gt;two&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "**not bold**" in page
    assert "&lt;i&gt;Eve&lt;/i&gt;" in page
    assert "<script>alert(1)" not in page


def test_the_public_never_sees_the_email_or_the_ip(make_post):
    post = make_post()
    comment(Client(), post, name="Ioana", email="ioana.secret@example.test", text="Hello")
    Comment.objects.update(status=Comment.Status.APPROVED)
    page = Client().get(f"/blog/{post.slug}/").content.decode()
    assert "Hello" in page
    assert "ioana.secret" not in page
    assert "127.0.0.1" not in page


# --- Bad input: a clear error, nothing stored -----------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "   "}, "name", "required"),
        ({"name": "n" * 101}, "name", "at most 100"),
        ({"text": ""}, "text", "required"),
        ({"text": "t" * 5001}, "text", "at most 5000"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"email": "a" * 250 + "@example.test"}, "email", "at most 254"),
        ({"text": "null\x00byte"}, "text", "Null characters"),
        ({"name": None, "text": None, "email": None}, "name", "required"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_stored(make_post, fields, field, words):
    post = make_post()
    response = comment(Client(), post, **fields)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    assert words.lower() in " ".join(errors[field]).lower()
    assert Comment.objects.count() == 0
    assert 'role="alert"' in response.content.decode()


def test_the_service_refuses_what_the_form_would(make_post):
    post = make_post()
    for data in [
        CommentInput(name=" ", email="", text="x"),
        CommentInput(name="x", email="bad", text="x"),
        CommentInput(name="x", email="", text="y" * 5001),
    ]:
        with pytest.raises(InvalidInput):
            add_comment(post=post, user=None, data=data, ip_address=None)
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("", "not one of ours"),
        ("forged", "not one of ours"),
        ("1:1:1", "not one of ours"),
        ("x" * 10_000, "not one of ours"),
    ],
)
def test_a_missing_or_forged_form_token_is_refused(make_post, token, words):
    post = make_post()
    response = comment(Client(), post, token=token)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_token_of_another_post_is_refused(make_post):
    post, other = make_post(), make_post()
    response = comment(Client(), post, token=old_token(other))
    assert response.status_code == 422
    assert "another post" in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_form_sent_faster_than_a_person_types_is_refused_then_accepted(make_post):
    post = make_post()
    fresh = issue_form_token(post_id=post.pk)
    response = comment(Client(), post, token=fresh)
    assert response.status_code == 422
    assert "very quick" in response.content.decode()
    assert Comment.objects.count() == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        assert comment(Client(), post, token=fresh).status_code == 303
    assert Comment.objects.count() == 1


def test_a_form_older_than_a_day_has_expired(make_post):
    post = make_post()
    token = old_token(post, seconds=24 * 3600 + 60)
    response = comment(Client(), post, token=token)
    assert response.status_code == 422
    assert "expired" in response.content.decode()
    assert Comment.objects.count() == 0


def test_odd_requests_never_fail(make_post):
    post = make_post()
    client = Client()
    headers = {"HTTP_ORIGIN": ORIGIN}
    path = f"/blog/{post.slug}/"
    assert client.post(path, {}, **headers).status_code == 422
    assert client.post(path, {"name": ["a", "b"], "text": ["x"] * 50}, **headers).status_code == 422
    assert (
        client.post(path, b"\xff\xfe garbage", content_type="text/plain", **headers).status_code
        == 422
    )
    assert client.post(path, "{}", content_type="application/json", **headers).status_code == 422
    assert client.post("/blog/no-such-post/", {"text": "x"}, **headers).status_code == 404
    assert client.put(path, {}, **headers).status_code == 405
    assert client.delete(path, **headers).status_code == 405
    assert client.post("/blog/", {}, **headers).status_code == 405
    assert client.post("/blog/feed/", {}, **headers).status_code == 405
    huge = {"name": "n", "text": "t" * 3_000_000, "token": old_token(post)}
    assert client.post(path, huge, **headers).status_code == 413
    assert Comment.objects.count() <= 1


# --- Forgery ------------------------------------------------------------------------------------
@pytest.mark.promise("P17")
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_REFERER": "https://evil.example/blog/"},
        {"HTTP_REFERER": "http://testserver.evil.example/"},
        {},
    ],
)
def test_a_comment_from_another_site_is_refused_and_stores_nothing(make_post, headers):
    post = make_post()
    data = {"name": "Eve", "text": "Forged", "token": old_token(post)}
    response = Client().post(f"/blog/{post.slug}/", data, **headers)
    assert response.status_code == 403
    assert "did not come from a page of this site" in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_same_origin_referer_is_enough_without_an_origin_header(make_post):
    post = make_post()
    data = {"name": "Old browser", "text": "Hi", "token": old_token(post)}
    response = Client().post(
        f"/blog/{post.slug}/", data, HTTP_REFERER=f"http://testserver/blog/{post.slug}/"
    )
    assert response.status_code == 303
    assert Comment.objects.count() == 1


@pytest.mark.promise("P17")
def test_a_signed_in_commenter_needs_the_csrf_token_as_well(make_post, make_user):
    post = make_post()
    user, _ = make_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    data = {"name": "Ana", "text": "Mine", "token": old_token(post)}
    refused = client.post(f"/blog/{post.slug}/", data, HTTP_ORIGIN=ORIGIN)
    assert refused.status_code == 403
    assert Comment.objects.count() == 0
    page = client.get(f"/blog/{post.slug}/")
    csrf = page.context["csrf_token"]
    accepted = client.post(
        f"/blog/{post.slug}/", {**data, "csrfmiddlewaretoken": str(csrf)}, HTTP_ORIGIN=ORIGIN
    )
    assert accepted.status_code == 303
    assert Comment.objects.get().user == user


# --- Spam defences ------------------------------------------------------------------------------
def test_a_filled_honeypot_pretends_success_and_stores_nothing(make_post):
    post = make_post()
    response = comment(Client(), post, website="http://spam.example", text="Cheap watches")
    assert response.status_code == 303
    assert "?comment=pending" in response["Location"]
    assert Comment.objects.count() == 0


def test_the_honeypot_is_hidden_by_a_class_not_an_inline_style(make_post):
    page = Client().get(f"/blog/{make_post().slug}/").content.decode()
    assert '<div class="field blog-extra" aria-hidden="true">' in page
    assert 'name="website"' in page
    assert "style=" not in page


def test_comments_are_throttled_per_client_under_a_keyed_hash(make_post, settings):
    settings.BLOG_COMMENT_THROTTLE = 3
    post = make_post()
    for n in range(3):
        assert comment(Client(), post, text=f"Comment {n}").status_code == 303
    refused = comment(Client(), post, text="One too many")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Please wait about" in refused.content.decode()
    assert Comment.objects.count() == 3
    keys = cache_keys()
    assert keys
    for key in keys:
        assert "127.0.0.1" not in key
    other_client = Client(REMOTE_ADDR="192.0.2.44")
    assert comment(other_client, post, text="From elsewhere").status_code == 303
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert comment(Client(), post, text="Later on").status_code == 303


def test_a_bad_forwarded_address_stores_no_ip_and_does_not_fail(make_post, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    post = make_post()
    response = comment(Client(), post, HTTP_X_FORWARDED_FOR="not-an-ip")
    assert response.status_code == 303
    assert Comment.objects.get().ip_address is None


def test_a_form_shown_again_after_an_error_keeps_its_token_so_its_age_counts(make_post):
    post = make_post()
    token = old_token(post)
    response = comment(Client(), post, name="", token=token)
    assert response.status_code == 422
    assert f'name="token" value="{token}"' in response.content.decode()
    forged = comment(Client(), post, token="forged")
    assert 'name="token" value="forged"' not in forged.content.decode()
    assert 'name="token" value="' in forged.content.decode()
