"""/account/billing/ in a real Chromium against the local payment sandbox (localstripe and its
stand-in for Stripe.js): a declined card says why, the test card subscribes, the invoice is on
the page, cancelling keeps the plan to the period's end; no CSP refusal, at 1280 and 390 px."""

from typing import Any

import pytest

from tests.e2e.conftest import PHONE, watch_for_problems

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.usefixtures("payment_sandbox"),
]


def _sign_in(page: Any, live_server: Any, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/today/")


def _card(page: Any, number: str) -> None:
    fields = page.locator("#card-element input")
    for index, value in enumerate([number, "12", "34", "123", "41000"]):
        fields.nth(index).fill(value)


@pytest.mark.promise("P19")
def test_choose_pay_see_the_invoice_and_cancel(live_server, new_page, make_user, screenshot):
    from playwright.sync_api import expect

    from routinie.billing.models import Invoice

    person, password = make_user(name="Ana Pop", email="ana@example.test")
    for viewport in (PHONE, None):  # the phone first, while the plan is free
        page = new_page(viewport=viewport)
        problems = watch_for_problems(page)
        _sign_in(page, live_server, person.email, password)
        page.goto(f"{live_server.url}/account/billing/")
        expect(page.locator("#plan-name")).to_have_text("Free")
        if viewport is PHONE:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], "the billing page scrolls sideways at 390 px"
            screenshot(page, "billing-free-390")
            assert problems.all() == []
            continue
        page.get_by_label("Plus, yearly: €40.00 a year").check()
        _card(page, "4000000000000002")
        page.get_by_role("button", name="Subscribe").click()
        expect(page.locator("#card-errors")).to_contain_text("declined")
        assert not Invoice.objects.filter(user=person).exists()
        screenshot(page, "billing-declined-1280")

        _card(page, "4242424242424242")
        page.get_by_role("button", name="Subscribe").click()
        expect(page.locator("#plan-name")).to_have_text("Plus, yearly")
        expect(page.locator("#invoices table")).to_contain_text("€40.00")
        expect(page.locator("#invoices table")).to_contain_text("RT-")
        screenshot(page, "billing-paid-1280")

        page.get_by_role("button", name="Cancel the plan").click()
        expect(page.locator("#period")).to_contain_text("your plan lasts until")
        expect(page.locator("#plan-name")).to_have_text("Plus, yearly")
        screenshot(page, "billing-cancelled-1280")
        # The processor's 402 for the declined card is the only console message.
        assert [p for p in problems.all() if "402" not in p] == []
