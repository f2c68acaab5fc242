"""Posts: public once published and due, newest first, paginated; drafts and scheduled posts
are for staff only; slugs are unique and made from the title; Markdown is sanitised."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from routinie.blog.models import Post
from routinie.blog.posts import prepare_for_saving, unique_slug

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_posts_newest_first_and_nothing_else(make_post):
    older = make_post(title="Older news", published_at=timezone.now() - timedelta(days=2))
    newer = make_post(title="Newer news", published_at=timezone.now() - timedelta(days=1))
    make_post(title="A draft", is_draft=True, published_at=None)
    make_post(title="Tomorrow's", published_at=timezone.now() + timedelta(days=1))
    page = Client().get("/blog/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index(newer.title) < text.index(older.title)
    assert "A draft" not in text
    assert "Tomorrow" not in text


def test_the_list_is_paginated_and_odd_page_numbers_do_not_fail(make_post, settings):
    settings.BLOG_POSTS_PER_PAGE = 2
    for n in range(5):
        make_post(title=f"Numbered {n}", published_at=timezone.now() - timedelta(hours=n))
    client = Client()
    first = client.get("/blog/").content.decode()
    assert "Numbered 0" in first
    assert "Numbered 2" not in first
    assert "Page 1 of 3" in first
    assert "Numbered 4" in client.get("/blog/?page=3").content.decode()
    for odd in ["0", "-1", "999", "abc", "1e9", "%00", "3" * 400]:
        assert client.get("/blog/", {"page": odd}).status_code == 200, odd


def test_a_draft_or_a_scheduled_post_is_not_found_for_the_public(make_post, make_user):
    draft = make_post(is_draft=True, published_at=None)
    scheduled = make_post(published_at=timezone.now() + timedelta(minutes=5))
    draft_with_time = make_post(is_draft=True, published_at=timezone.now() - timedelta(days=1))
    user, _ = make_user()
    member = Client()
    member.force_login(user)
    for client in [Client(), member]:
        for post in [draft, scheduled, draft_with_time]:
            assert client.get(f"/blog/{post.slug}/").status_code == 404, post.title


def test_a_scheduled_post_becomes_public_when_its_time_comes(make_post):
    import time_machine

    post = make_post(published_at=timezone.now() + timedelta(hours=1))
    assert Client().get(f"/blog/{post.slug}/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert Client().get(f"/blog/{post.slug}/").status_code == 200
        assert post.title in Client().get("/blog/").content.decode()


def test_staff_preview_a_draft_without_a_comment_form(make_post, superuser):
    draft = make_post(title="Secret plans", is_draft=True, published_at=None)
    client = Client()
    client.force_login(superuser)
    page = client.get(f"/blog/{draft.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Secret plans" in text
    assert 'data-testid="preview-notice"' in text
    assert 'data-testid="comment-form"' not in text


def test_bad_slugs_are_not_found(make_post):
    make_post(slug="hello")
    client = Client()
    for path in [
        "/blog/nope/",
        "/blog/HELLO/",
        "/blog/hello%00/",
        "/blog/../admin/",
        "/blog/" + "x" * 5000 + "/",
        "/blog/%E2%9C%93/",
        "/blog/hello/extra/",
    ]:
        assert client.get(path).status_code == 404, path


def test_slugs_are_made_from_the_title_and_kept_unique(make_post):
    make_post(title="Hello world", slug="hello-world")
    make_post(title="Hello world again", slug="hello-world-2")
    assert unique_slug(title="Hello, World!") == "hello-world-3"
    assert unique_slug(title="Ünïcödé ✓ title") == "unicode-title"
    assert unique_slug(title="✓✓✓") == "post"
    assert len(unique_slug(title="long " * 100)) <= 200


def test_publishing_without_a_time_publishes_now_and_a_draft_keeps_none():
    published = prepare_for_saving(Post(title="Now", body="x", author_name="A", is_draft=False))
    assert published.slug == "now"
    assert published.published_at is not None
    assert published.published_at <= timezone.now()
    draft = prepare_for_saving(Post(title="Later", body="x", author_name="A", is_draft=True))
    assert draft.published_at is None


def test_a_published_post_without_a_time_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(title="T", slug="t", body="b", author_name="A", is_draft=False)


def test_the_post_body_is_sanitised_markdown(make_post):
    body = (
        "## Heading\n\n**bold** [ours](/privacy/) [theirs](https://example.org/)\n\n"
        "<script>alert('x')</script>\n\n<iframe src=\"https://video.example/embed\"></iframe>\n\n"
        '<img src="/static/routinie/icon.svg" onerror="alert(1)" alt="ours">\n\n'
        "![tracker](https://tracker.example/pixel.gif)\n\n"
        '[click](javascript:alert(1)) <a href="jAvAsCrIpT:alert(2)">two</a>\n\n'
        '<div onclick="steal()" style="position:fixed">styled</div><style>body{}</style>'
        '<object data="x.swf"></object><embed src="x.swf"><form action="/x"><input></form>'
    )
    post = make_post(body=body)
    html = Client().get(f"/blog/{post.slug}/").content.decode()
    article = html[html.index('data-testid="post-body"') : html.index('id="comments"')]
    assert "<h2>Heading</h2>" in article
    assert "<strong>bold</strong>" in article
    assert '<a href="/privacy/" rel="nofollow noopener">ours</a>' in article
    assert '<a href="https://example.org/" rel="nofollow noopener">theirs</a>' in article
    assert 'src="/static/routinie/icon.svg"' in article
    for forbidden in [
        "<script",
        "alert('x')",
        "<iframe",
        "video.example",
        "tracker.example",
        "onerror",
        "javascript:",
        "jAvAsCrIpT",
        "onclick",
        "style=",
        "<style",
        "<object",
        "<embed",
        "<form",
        "<input",
    ]:
        assert forbidden not in article, forbidden


def test_the_body_is_rendered_in_the_admin_preview(make_post, superuser):
    post = make_post(body="Some *emphasis* <script>alert(1)</script>")
    client = Client()
    client.force_login(superuser)
    page = client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "<em>emphasis</em>" in page
    assert "<script>alert(1)" not in page


def test_the_admin_fills_the_slug_and_author_and_filters_by_state(make_post, superuser):
    client = Client()
    client.force_login(superuser)
    assert 'value="Wes Staff"' in client.get("/admin/blog/post/add/").content.decode()
    response = client.post(
        "/admin/blog/post/add/",
        {
            "title": "Fresh from the admin",
            "slug": "",
            "summary": "",
            "body": "Text",
            "author_name": "Wes Staff",
            "is_draft": "on",
            "published_at_0": "",
            "published_at_1": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get(title="Fresh from the admin")
    assert post.slug == "fresh-from-the-admin"
    assert post.is_draft
    response = client.post(
        "/admin/blog/post/add/",
        {"title": "Live one", "body": "Text", "author_name": "Wes Staff", "published_at_0": ""},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    live = Post.objects.get(title="Live one")
    assert live.slug == "live-one"
    assert live.is_public()
    client.get("/admin/blog/post/")  # shows (and so clears) the "added" messages
    drafts = client.get("/admin/blog/post/?state=draft").content.decode()
    assert "Fresh from the admin" in drafts
    assert "Live one" not in drafts
    published = client.get("/admin/blog/post/?state=published").content.decode()
    assert "Live one" in published
    assert "Fresh from the admin" not in published


def test_the_list_and_a_post_page_need_a_fixed_number_of_queries(
    make_post, django_assert_max_num_queries
):
    post = make_post()
    for _ in range(30):
        make_post()
    client = Client()
    with django_assert_max_num_queries(3):
        assert client.get("/blog/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/blog/{post.slug}/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/blog/feed/").status_code == 200
