"""The blog over a live server (black-box): reading sets no cookie; a comment keeps its IP
address for 90 days and `routinie purge` then clears it; forged, robotic or too frequent
comments are refused and store nothing; moderation; the Atom feed; no 500 on odd input."""

import re
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from routinie.blog.models import Comment, Post
from tests.plugin import cache_keys

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="token" value="([^"]+)"')
ATOM = "{http://www.w3.org/2005/Atom}"


def make_post(**fields: Any) -> Post:
    defaults: dict[str, Any] = {
        "title": "Hello readers",
        "slug": "hello-readers",
        "summary": "Our first post.",
        "body": "Welcome to **Routinie**.",
        "author_name": "Wes Rom",
        "is_draft": False,
        "published_at": timezone.now() - timedelta(days=1),
    }
    return Post.objects.create(**{**defaults, **fields})


def form_token(web: Any, slug: str, seconds_ago: int = 30) -> str:
    """Open the post as a reader did `seconds_ago` (people take a while to write)."""
    with time_machine.travel(timezone.now() - timedelta(seconds=seconds_ago)):
        page = web.get(f"/blog/{slug}/")
    assert page.status_code == 200
    match = TOKEN.search(page.text)
    assert match, "the comment form carries its signed token"
    return match.group(1)


def send_comment(web: Any, slug: str, origin: str | None, **fields: Any) -> Any:
    data = {"name": "Ioana", "email": "", "text": "Nice post.", "website": "", **fields}
    data.setdefault("token", form_token(web, slug))
    headers = {"Origin": origin} if origin else {}
    return web.http.post(f"/blog/{slug}/", data=data, headers=headers)


@pytest.mark.promise("P08")
@pytest.mark.promise("P20")
def test_a_comment_keeps_its_ip_for_90_days_then_routinie_purge_clears_it(site, live_server):
    post = make_post()
    web = site()
    start = timezone.now()
    assert send_comment(web, post.slug, live_server.url, text="Ninety days").status_code == 303
    with time_machine.travel(start + timedelta(hours=23)):
        assert send_comment(web, post.slug, live_server.url, text="A day later").status_code == 303
    old, young = Comment.objects.get(text="Ninety days"), Comment.objects.get(text="A day later")
    assert old.ip_address == young.ip_address == "127.0.0.1"

    with time_machine.travel(start + timedelta(days=90, hours=1)):
        call_command("purge", verbosity=0)
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.ip_address is None, "past 90 days the address is cleared"
    assert old.text == "Ninety days", "the comment itself stays"
    assert young.ip_address == "127.0.0.1", "89 days old: kept"
    assert (start + timedelta(days=90, hours=1) - young.created_at).days == 89


@pytest.mark.promise("P11")
def test_reading_the_blog_and_commenting_anonymously_set_no_cookie(site, live_server):
    post = make_post()
    make_post(title="Draft", slug="draft", is_draft=True, published_at=None)
    web = site()
    expected = {
        "/blog/": 200,
        "/blog/?page=2": 200,  # past the last page: the last page, as Paginator.get_page
        f"/blog/{post.slug}/": 200,
        "/blog/feed/": 200,
        "/blog/draft/": 404,  # a draft is not published
    }
    for path, status in expected.items():
        response = web.get(path)
        assert response.status_code == status, path
        assert "set-cookie" not in response.headers, path
    sent = send_comment(web, post.slug, live_server.url, text="No cookie needed")
    assert sent.status_code == 303
    assert "set-cookie" not in sent.headers
    notice = web.get(sent.headers["location"])
    assert "Your comment awaits moderation" in notice.text
    assert "set-cookie" not in notice.headers
    refused = send_comment(web, post.slug, live_server.url, text="")
    assert refused.status_code == 422
    assert "set-cookie" not in refused.headers
    assert not web.http.cookies, "the client holds no cookie at all"
    assert Comment.objects.filter(text="No cookie needed").exists()


@pytest.mark.promise("P17")
def test_a_forged_cross_origin_comment_is_refused_and_nothing_is_stored(site, live_server):
    post = make_post()
    web = site()
    token = form_token(web, post.slug)
    data = {"name": "Mallory", "text": "Forged", "token": token}
    for headers in [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {},
    ]:
        response = web.http.post(f"/blog/{post.slug}/", data=data, headers=headers)
        assert response.status_code == 403, headers
        assert "did not come from a page of this site" in response.text
    forged_token = send_comment(web, post.slug, live_server.url, token="1:forged:token")
    assert forged_token.status_code == 422
    assert "not one of ours" in forged_token.text
    assert Comment.objects.count() == 0


@pytest.mark.promise("P08")
def test_too_many_comments_are_throttled_under_a_hash_without_the_ip(site, live_server):
    post = make_post()
    web = site()
    for n in range(5):
        assert send_comment(web, post.slug, live_server.url, text=f"Comment {n}").status_code == 303
    refused = send_comment(web, post.slug, live_server.url, text="Sixth")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 600
    assert "Please wait about" in refused.text
    assert Comment.objects.count() == 5
    keys = cache_keys()
    assert keys
    for key in keys:
        assert "127.0.0.1" not in key
        assert "localhost" not in key


def test_a_bot_filling_the_honeypot_is_told_success_and_nothing_is_kept(site, live_server):
    post = make_post()
    web = site()
    response = send_comment(web, post.slug, live_server.url, website="https://spam.example")
    assert response.status_code == 303
    assert "comment=pending" in response.headers["location"]
    assert Comment.objects.count() == 0


def test_a_form_sent_within_two_seconds_is_refused(site, live_server):
    post = make_post()
    web = site()
    token = form_token(web, post.slug, seconds_ago=0)
    response = send_comment(web, post.slug, live_server.url, token=token)
    assert response.status_code == 422
    assert "very quick" in response.text
    assert Comment.objects.count() == 0


def test_first_comments_wait_for_staff_and_approved_ones_are_shown(site, live_server, make_user):
    post = make_post()
    reader = site()
    send_comment(reader, post.slug, live_server.url, name="Ioana", text="Pending for now")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "Pending for now" not in site().get(f"/blog/{post.slug}/").text

    staff, password = make_user(name="Wes Staff", email="staff@example.test", superuser=True)
    moderator = site()
    moderator.sign_in(staff.email, password)
    listing = moderator.get("/admin/blog/comment/")
    assert "Pending for now" in listing.text
    assert "127.0.0.1" in listing.text, "staff see the address"
    approved = moderator.submit(
        "/admin/blog/comment/",
        "/admin/blog/comment/",
        {"action": "approve", "_selected_action": str(comment.pk)},
    )
    assert approved.status_code == 302
    page = site().get(f"/blog/{post.slug}/")
    assert "Pending for now" in page.text
    assert "127.0.0.1" not in page.text


def test_drafts_and_scheduled_posts_are_not_found(site):
    make_post(title="Draft", slug="draft", is_draft=True, published_at=None)
    make_post(title="Later", slug="later", published_at=timezone.now() + timedelta(hours=1))
    web = site()
    assert web.get("/blog/draft/").status_code == 404
    assert web.get("/blog/later/").status_code == 404
    listing = web.get("/blog/").text
    assert "Draft" not in listing
    assert "Later" not in listing


def test_the_feed_is_valid_atom_with_published_posts_only(site, settings):
    make_post()
    make_post(title="Draft", slug="draft", is_draft=True, published_at=None)
    make_post(title="Later", slug="later", published_at=timezone.now() + timedelta(hours=1))
    response = site().get("/blog/feed/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["Hello readers"]
    entry = feed.find(f"{ATOM}entry")
    href = entry.find(f"{ATOM}link").get("href")
    assert href == f"{settings.SITE_URL}/blog/hello-readers/"
    assert "<strong>Routinie</strong>" in entry.findtext(f"{ATOM}content")


def test_odd_input_never_answers_a_500(site, live_server):
    post = make_post()
    web = site()
    origin = {"Origin": live_server.url}
    odd_paths = {
        "/blog/%00/": 404,
        "/blog/" + "a" * 3000 + "/": 404,
        "/blog/?page=%ff": 200,  # not a number: the first page
        "/blog/feed/?x=1": 200,
    }
    for path, status in odd_paths.items():
        assert web.get(path).status_code == status, path
    posts = [
        {},
        {"token": "x" * 20_000},
        {"name": "n" * 100_000, "text": "t" * 100_000, "token": form_token(web, post.slug)},
        {"name": "\x00", "text": "\x00", "token": form_token(web, post.slug)},
        {"email": "@@@", "name": "a", "text": "b", "token": form_token(web, post.slug)},
    ]
    for data in posts:
        response = web.http.post(f"/blog/{post.slug}/", data=data, headers=origin)
        assert response.status_code == 422, data.keys()
    huge = web.http.post(f"/blog/{post.slug}/", data={"text": "t" * 3_000_000}, headers=origin)
    assert huge.status_code == 413  # over DATA_UPLOAD_MAX_MEMORY_SIZE
    binary = web.http.post(
        f"/blog/{post.slug}/", content=b"\xff\xfe\x00", headers={**origin, "Content-Type": "x/y"}
    )
    assert binary.status_code == 422
    assert web.http.post("/blog/nope/", data={}, headers=origin).status_code == 404
    assert Comment.objects.count() == 0
