"""The house over a live server: headers and CSP, operator identity, no IP or e-mail kept in
tables, rate-limit state or logs, production settings clean (black-box)."""

import io
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import override_settings

from routinie.billing.processor import card_form_sources
from routinie.core.middleware import content_security_policy
from tests.e2e.site_client import STRONG_PASSWORD, api_sign_up, api_token
from tests.plugin import cache_keys

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/",
    "/signup/",
    "/login/",
    "/password-reset/",
    "/privacy/",
    "/privacy/versions/1/",
    "/privacy/changes/?from=1&to=1",
    "/privacy/data/",
    "/cookies/",
    "/contact/",
    "/offline/",
    "/blog/",
    "/stats/",
    "/api/v1/docs",
]
SIGNED_IN_PAGES = [
    "/",
    "/account/",
    "/account/two-factor/",
    "/account/confirm/",
    "/account/billing/",
    "/today/",
    "/entries/",
    "/week/",
    "/timesheet/",
    "/projects/",
    "/goals/",
    "/routines/",
    "/reports/",
    "/support/",
    "/stats/",
    "/privacy/",
    "/contact/",
]
# A page's own exception to the CSP, and the origins it may add (nothing else may name one).
CSP_EXCEPTIONS = {"/account/billing/": card_form_sources}
EXTERNAL_REF = re.compile(r"""(?:src|href|action)\s*=\s*["']\s*(?:https?:)?//""", re.I)


def _signed_in(site):
    web = site()
    web.sign_up("Ana Pop", "ana@example.test")
    return web


@pytest.mark.promise("P02")
@pytest.mark.promise("P03")
@pytest.mark.promise("P17")
def test_every_page_has_a_strict_csp_and_no_external_origin(site, live_server):
    anonymous, member = site(), _signed_in(site)
    for web, paths in [(anonymous, PUBLIC_PAGES), (member, SIGNED_IN_PAGES)]:
        for path in paths:
            response = web.get(path)
            assert response.status_code == 200, path
            csp = response.headers["content-security-policy"]
            assert "default-src 'self'" in csp, path
            assert "script-src 'self'" in csp, path
            assert "unsafe-inline" not in csp, path
            if path in CSP_EXCEPTIONS:  # the processor's card form (P19), on that page only
                assert csp == content_security_policy(CSP_EXCEPTIONS[path]()), path
            else:
                assert "http" not in csp, path
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["x-frame-options"] == "DENY"
            assert response.headers["referrer-policy"] == "same-origin"
            if path in CSP_EXCEPTIONS:
                allowed = {o for origins in CSP_EXCEPTIONS[path]().values() for o in origins}
                for url in re.findall(
                    r"""(?:src|href|action)\s*=\s*["']\s*(https?://[^/"']+)""", response.text
                ):
                    assert url in allowed, (path, url)
            else:
                assert not EXTERNAL_REF.search(response.text), path
            assert "<script>" not in response.text
            assert " on" + "click=" not in response.text
            for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', response.text):
                served = web.get(asset)
                assert served.status_code == 200, asset
                if asset.endswith(".css"):
                    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", served.text), asset
                    assert "@import" not in served.text, asset
                for name, value in served.headers.items():
                    assert "http://" not in value, (asset, name)
                    assert "https://" not in value, (asset, name)


@pytest.mark.promise("P16")
def test_operator_identity_from_settings_is_in_every_footer(site):
    member = _signed_in(site)
    anonymous = site()
    identity = {
        "OPERATOR_NAME": "Testrom SRL",
        "OPERATOR_ADDRESS": "1 Test Street, Cluj",
        "SUPPORT_EMAIL": "help@testrom.example",
    }
    pages = [p for p in PUBLIC_PAGES if not p.startswith("/api/")]  # the API docs are not ours
    with override_settings(**identity):
        for web, paths in [(anonymous, pages), (member, SIGNED_IN_PAGES)]:
            for path in paths:
                text = web.get(path).text
                for value in identity.values():
                    assert value in text, (path, value)
        assert "1 Test Street, Cluj" in anonymous.get("/contact/").text
    assert "Wesrom Corporation" in anonymous.get("/contact/").text


def _run_account_flows(site):
    """Sign-up, failed and throttled sign-ins, tokens, 404s, sign-out: the usual traffic."""
    web = site()
    web.sign_up("Ana Pop", "ana.pop@example.test")
    web.get("/account/")
    web.get("/no-such-page/?email=ana.pop@example.test")
    token = api_token(web, "ana.pop@example.test", STRONG_PASSWORD)
    web.api("GET", "/me", token=token)
    web.api("GET", "/me", token="rt_forged-token-value-123")
    web.sign_out()
    for _ in range(12):
        web.sign_in("ana.pop@example.test", "wrong-password-1")
    api_sign_up(web, "Bo", "bo@example.test", "short")
    return token


def _text_values(model: type[models.Model], skip: frozenset[str] = frozenset()) -> list[str]:
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(
            f, models.CharField | models.TextField | models.JSONField | models.GenericIPAddressField
        )
        and f.attname not in skip
    ]
    if not fields:
        return []
    return [str(v) for row in model.objects.values_list(*fields) for v in row if v is not None]


def _comment_on_the_blog(site, live_server):
    """An anonymous blog comment: the one place an IP address is kept (P08)."""
    from tests.e2e.test_blog_http import make_post, send_comment

    post = make_post()
    web = site()
    response = send_comment(web, post.slug, live_server.url, email="ioana@example.test")
    assert response.status_code == 303
    assert send_comment(web, post.slug, "https://evil.example").status_code == 403
    assert send_comment(web, post.slug, live_server.url, email="bad@").status_code == 422


# The blog comment's own address column: kept there for 90 days (P08), and only there.
KEEPS_THE_IP = {"blog.Comment": frozenset({"ip_address"})}


@pytest.mark.promise("P08")
def test_no_ip_address_is_kept_in_any_table_or_session_after_the_flows(site, live_server):
    from routinie.accounts.models import UserSession
    from routinie.blog.models import Comment

    _run_account_flows(site)
    _comment_on_the_blog(site, live_server)
    member = _signed_in(site)
    assert member.is_signed_in()
    assert list(Comment.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]
    for model in apps.get_models():
        for value in _text_values(model, KEEPS_THE_IP.get(model._meta.label, frozenset())):
            assert "127.0.0.1" not in value, model.__name__
            assert "::1" not in value, model.__name__
    for row in UserSession.objects.all():
        decoded = str(row.get_decoded())
        assert "127.0.0.1" not in decoded


@pytest.mark.promise("P08")
def test_rate_limit_state_holds_no_readable_ip_or_email(site, make_user):
    user, _ = make_user()
    web = site()
    for _ in range(3):
        web.sign_in(user.email, "wrong-password-1")
    keys = cache_keys()
    assert keys, "the failed sign-ins were counted"
    for key in keys:
        assert "127.0.0.1" not in key
        assert user.email not in key
        assert "example" not in key


@pytest.mark.promise("P08")
def test_log_lines_hold_no_ip_email_or_token(site, live_server):
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    configured = [
        h for h in handlers if any(type(f).__name__ == "RedactPersonalData" for f in h.filters)
    ]
    assert configured, "the console handler carries the redaction filter"
    buffer = io.StringIO()
    previous = [h.setStream(buffer) for h in configured]
    try:
        token = _run_account_flows(site)
        _comment_on_the_blog(site, live_server)
        logger = logging.getLogger("routinie.test")
        logger.warning("sign-in for %s from %s with %s", "ana.pop@example.test", "10.1.2.3", token)
        logger.warning("client at 2001:db8::1 sent Authorization: Bearer %s", token)
        try:
            raise ValueError("bad address ana.pop@example.test from 192.168.1.9")
        except ValueError:
            logger.exception("failed")
    finally:
        for handler, stream in zip(configured, previous, strict=True):
            handler.setStream(stream)
    output = buffer.getvalue()
    assert "sign-in for [email] from [ip] with [token]" in output
    for secret in ["example.test", "10.1.2.3", "2001:db8::1", "192.168.1.9", token, "127.0.0.1"]:
        assert secret not in output


@pytest.mark.promise("P17")
def test_production_settings_pass_check_deploy(tmp_path: Path):
    env = {
        "PATH": "/usr/bin:/bin",
        "ROUTINIE_ENV": "production",
        "SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-" + "y" * 20,
        "ALLOWED_HOSTS": "routinie.example",
        "DATA_DIR": str(tmp_path),
        # Real payments (billing.W001/W002 otherwise): placeholders of the live values.
        "PAYMENT_PROCESSOR_URL": "https://api.stripe.com",
        "STRIPE_SECRET_KEY": "sk_live_placeholder",
        "STRIPE_PUBLISHABLE_KEY": "pk_live_placeholder",
        "STRIPE_WEBHOOK_SECRET": "whsec_placeholder",
    }
    result = subprocess.run(
        [sys.executable, "-m", "routinie", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path):
    env = {"PATH": "/usr/bin:/bin", "ROUTINIE_ENV": "production", "DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "routinie", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
