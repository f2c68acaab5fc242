"""Every Set-Cookie of every page and flow matches the cookie inventory (P10, P11), and the
inventory is public (/cookies/, /api/v1/public/cookies)."""

import pytest
from django.conf import settings

from routinie.privacy.cookies import by_name
from tests.e2e.site_client import STRONG_PASSWORD
from tests.e2e.test_blog_http import make_post, send_comment

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = [
    "/",
    "/signup/",
    "/login/",
    "/privacy/",
    "/privacy/data/",
    "/cookies/",
    "/contact/",
    "/blog/",
    "/blog/feed/",
    "/stats/",
    "/api/v1/public/stats",
    "/privacy/versions/1/",
    "/privacy/changes/?from=1&to=1",
    "/api/v1/public/privacy-policy",
    "/api/v1/public/privacy-policy/changes?from=1&to=1",
    "/api/v1/public/cookies",
    "/no-such-page/",
]
SIGNED_IN = [
    "/",
    "/today/",
    "/entries/",
    "/routines/",
    "/reports/",
    "/support/",
    "/account/",
    "/privacy/",
    "/cookies/",
    "/api/v1/me",
    "/api/v1/time-entries",
]


class Recorder:
    def __init__(self) -> None:
        self.headers: list[tuple[str, str]] = []

    def __call__(self, response) -> None:
        for header in response.headers.get_list("set-cookie"):
            self.headers.append((str(response.request.url), header))


def _attributes(header: str) -> tuple[str, dict[str, str]]:
    name_value, *parts = [p.strip() for p in header.split(";")]
    name = name_value.split("=", 1)[0]
    attributes = {}
    for part in parts:
        key, _, value = part.partition("=")
        attributes[key.lower()] = value
    return name, attributes


@pytest.mark.promise("P10")
def test_every_cookie_set_by_any_page_or_flow_is_declared(site):
    recorder = Recorder()
    web = site()
    web.http.event_hooks["response"] = [recorder]
    for path in PUBLIC:
        web.get(path)
    post = make_post()  # a blog post, read and commented on without a cookie
    web.get(post.get_absolute_url())
    assert send_comment(web, post.slug, web.base_url).status_code == 303
    public_cookies = [h for url, h in recorder.headers]
    assert public_cookies == [
        h for h in public_cookies if h.startswith(settings.CSRF_COOKIE_NAME + "=")
    ], "public pages set only the form cookie, and only where there is a form"
    web.sign_up("Ana Pop", "ana@example.test")
    for path in [*SIGNED_IN, post.get_absolute_url()]:
        web.get(path)
    web.submit("/today/", "/today/timer/", {"description": "Work"})
    web.submit("/account/", "/account/tokens/", {"label": "crawler"})
    web.submit(
        "/account/",
        "/account/password/",
        {"current_password": STRONG_PASSWORD, "new_password": "Quiet-harbour-73"},
    )
    web.sign_out()
    web.sign_in("ana@example.test", "wrong-password-1")
    web.sign_in("ana@example.test", "Quiet-harbour-73")
    assert recorder.headers, "the flows set cookies"
    declared = by_name()
    for url, header in recorder.headers:
        name, attributes = _attributes(header)
        assert name in declared, f"undeclared cookie {name} from {url}"
        cookie = declared[name]
        deleting = attributes.get("max-age") == "0" or "1970" in attributes.get("expires", "")
        if deleting:  # a deletion carries no value, so its attributes do not matter
            continue
        assert "max-age" not in attributes, (name, url)
        assert "expires" not in attributes, (name, url)
        assert ("httponly" in attributes) == cookie.http_only, (name, url)
        assert attributes.get("samesite", "").lower() == cookie.same_site.lower(), (name, url)
        assert ("secure" in attributes) == cookie.secure, (name, url)


@pytest.mark.promise("P10")
def test_the_inventory_is_public_and_cookie_free(site):
    web = site()
    api = web.get("/api/v1/public/cookies")
    assert api.status_code == 200
    assert "set-cookie" not in api.headers
    names = [c["name"] for c in api.json()["items"]]
    assert names == list(by_name())
    page = web.get("/cookies/")
    for name in names:
        assert name in page.text


@pytest.mark.promise("P10")
@pytest.mark.browser
def test_a_real_browser_holds_only_declared_cookies(live_server, page, make_user):
    from tests.e2e.test_accounts_browser import sign_in_in_browser

    user, password = make_user()
    page.goto(f"{live_server.url}/login/")
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(f"{live_server.url}/today/")
    cookies = page.context.cookies()
    assert {c["name"] for c in cookies} == {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    assert all(c["expires"] == -1 for c in cookies), "browser-session cookies only"
    assert all(c["httpOnly"] for c in cookies)
