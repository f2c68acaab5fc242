"""Public pages over a live server: the Blog link only when there is a post to read, /stats/
said plainly, a landing page with a picture of the product and its pricing."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from routinie.billing.plans import PLANS
from routinie.stats.releases import refresh_statistics
from tests.e2e.test_blog_http import make_post

pytestmark = pytest.mark.django_db(transaction=True)

BLOG_LINK = re.compile(r'<a href="/blog/"[^>]*>Blog</a>')
PLAIN = "We show a number only when at least 10 people are behind it, so no one can be singled out."


def test_the_blog_link_shows_only_once_a_post_is_published(site):
    web = site()
    assert BLOG_LINK.findall(web.get("/").text) == []
    make_post(slug="draft", is_draft=True, published_at=None)
    assert BLOG_LINK.findall(web.get("/").text) == []
    make_post(slug="later", published_at=timezone.now() + timedelta(days=2))
    assert BLOG_LINK.findall(web.get("/").text) == []
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert len(BLOG_LINK.findall(web.get("/").text)) == 2  # the menu and the footer


def test_a_published_post_puts_the_blog_in_the_menu_and_the_footer(site):
    web = site()
    make_post()
    page = web.get("/cookies/").text
    assert 'data-testid="nav-blog"' in page
    assert 'data-testid="footer-blog"' in page
    assert len(BLOG_LINK.findall(page)) == 2


def test_deleting_the_last_post_takes_the_blog_link_away(site):
    web = site()
    post = make_post()
    assert BLOG_LINK.search(web.get("/").text)
    post.delete()
    assert BLOG_LINK.findall(web.get("/").text) == []


def test_the_statistics_page_says_plainly_why_it_shows_little(site, settings):
    web = site()
    page = web.get("/stats/").text
    assert PLAIN in page
    assert "This installation is too small yet: here is what we can show." in page
    assert "How it works" in page
    refresh_statistics(release_now=True)  # an empty installation: every figure withheld
    page = web.get("/stats/").text
    assert PLAIN in page
    assert "This installation is too small yet" in page
    assert 'data-testid="last-release"' in page
    assert "not shown yet, fewer than 10 people are behind it" in page
    assert (
        "Differential privacy" in page.split('id="method-h"')[1]
    )  # the precise terms, kept for the curious


def test_a_figure_that_passes_is_shown_without_the_too_small_sentence(site, settings):
    from routinie.stats.tests.people import people

    settings.STATS_EPSILON_PER_RELEASE = 1000.0
    settings.STATS_EPSILON_BUDGET = 100000.0
    people(20, hours=[2], kinds=["daily"], checkins=2)
    refresh_statistics(release_now=True)
    page = site().get("/stats/").text
    assert PLAIN in page
    assert "too small yet: here is what we can show" not in page


def test_the_landing_page_shows_the_product_and_its_pricing(site):
    web = site()
    page = web.get("/").text
    picture = re.search(r"<picture>(.*?)</picture>", page, re.S)
    assert picture, "no picture of the product"
    sources = re.findall(r'(?:srcset|src)="(/static/[^"]+)"', picture.group(1))
    assert any("today-light" in s for s in sources)
    assert any("today-dark" in s for s in sources)
    assert 'media="(prefers-color-scheme: dark)"' in picture.group(1)
    alt = re.search(r'alt="([^"]+)"', picture.group(1))
    assert alt
    assert "Today page" in alt.group(1)
    for source in sources:
        image = web.get(source)
        assert image.status_code == 200
        assert image.content[:4] == b"RIFF"
        assert image.content[8:12] == b"WEBP"
    assert 'id="pricing"' in page
    for plan in PLANS:  # the prices are the billing table's, not a second copy in a page
        assert f'data-testid="plan-{plan.id}"' in page
        assert html.escape(plan.price_text) in page
    assert len(re.findall(r"€\d", page)) == len([p for p in PLANS if p.paid]) + 1
    assert page.count('href="/signup/"') >= 3
