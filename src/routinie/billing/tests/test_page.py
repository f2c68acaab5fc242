"""/account/billing/: the plans, the card form with the processor's script on this page only
(its CSP exception is this page's alone), subscribing with a payment method, cancelling."""

import pytest
from django.test import Client

from routinie.billing.models import Subscription
from routinie.billing.tests.conftest import DECLINED_CARD, GOOD_CARD, card_payment_method
from routinie.core.middleware import CONTENT_SECURITY_POLICY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("payment_sandbox")]


@pytest.fixture
def browser(ada):
    client = Client()
    client.force_login(ada)
    return client


def test_the_page_loads_the_card_script_with_its_own_csp_exception(browser, payment_sandbox):
    page = browser.get("/account/billing/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'src="{payment_sandbox}/js.stripe.com/v3/"' in html
    assert 'id="card-form"' in html
    policy = page.headers["Content-Security-Policy"]
    assert f"script-src 'self' {payment_sandbox}" in policy
    assert f"connect-src 'self' {payment_sandbox}" in policy
    other = browser.get("/account/")
    assert other.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert payment_sandbox not in other.content.decode()


def test_the_page_needs_a_signed_in_person(client):
    assert client.get("/account/billing/").status_code == 302


def test_subscribe_and_cancel_from_the_page(browser, ada):
    intent = browser.post("/account/billing/setup-intent/")
    assert intent.status_code == 200
    assert intent.json()["client_secret"].startswith("seti_")
    form = {"plan_id": "plus-month", "payment_method_id": card_payment_method(GOOD_CARD)}
    done = browser.post("/account/billing/subscribe/", form)
    assert done.status_code == 302
    page = browser.get("/account/billing/").content.decode()
    assert "Plus, monthly" in page
    assert "RT-" in page
    assert browser.post("/account/billing/cancel/").status_code == 302
    page = browser.get("/account/billing/").content.decode()
    assert "Cancelled: your plan lasts until" in page
    assert Subscription.objects.get(user=ada).cancel_at_period_end


def test_a_declined_card_on_the_page_says_why_and_changes_nothing(browser, ada):
    form = {"plan_id": "plus-month", "payment_method_id": card_payment_method(DECLINED_CARD)}
    refused = browser.post("/account/billing/subscribe/", form)
    assert refused.status_code == 402
    assert "declined" in refused.content.decode()
    assert not Subscription.objects.filter(user=ada, status="active").exists()
