"""The Atom feed: valid XML, published posts only, full sanitised content, absolute links on
SITE_URL whatever host was asked."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_holds_published_posts_with_full_sanitised_content(make_post, settings):
    settings.SITE_URL = "https://routinie.example"
    newer = make_post(
        title="Newer", summary="Short", body="Full *text* <script>x()</script><iframe></iframe>"
    )
    older = make_post(title="Older", published_at=timezone.now() - timedelta(days=3))
    make_post(title="Draft", is_draft=True, published_at=None)
    make_post(title="Scheduled", published_at=timezone.now() + timedelta(days=1))
    response = Client().get("/blog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newer", "Older"]
    first = entries[0]
    link = first.find(f"{ATOM}link").get("href")
    assert link == f"https://routinie.example/blog/{newer.slug}/"
    assert first.findtext(f"{ATOM}summary") == "Short"
    content = first.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<em>text</em>" in content.text
    assert "<script" not in content.text
    assert "<iframe" not in content.text
    assert first.findtext(f"{ATOM}updated")
    assert first.findtext(f"{ATOM}published")
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Wes Rom"
    assert first.findtext(f"{ATOM}id").startswith("tag:routinie.example,")
    assert feed.findtext(f"{ATOM}updated")
    links = feed.findall(f"{ATOM}link")
    self_link = [link.get("href") for link in links if link.get("rel") == "self"]
    assert self_link == ["https://routinie.example/blog/feed/"]
    assert older.title in response.content.decode()


def test_an_empty_feed_is_still_valid(db):
    response = Client().get("/blog/feed/")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)
    assert feed.findall(f"{ATOM}entry") == []
