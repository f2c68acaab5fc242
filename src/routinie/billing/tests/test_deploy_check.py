"""`check --deploy` refuses a production installation that would take payments in the sandbox."""

from django.core.checks import run_checks
from django.test import override_settings


def deploy_ids() -> set[str]:
    return {m.id for m in run_checks(include_deployment_checks=True) if m.id}


@override_settings(PRODUCTION=True, PAYMENT_PROCESSOR_URL="")
def test_production_on_the_sandbox_is_reported() -> None:
    ids = deploy_ids()
    assert {"billing.W001", "billing.W002"} <= ids


@override_settings(
    PRODUCTION=True,
    PAYMENT_PROCESSOR_URL="https://api.stripe.com",
    STRIPE_SECRET_KEY="sk_live_x",
    STRIPE_PUBLISHABLE_KEY="pk_live_x",
    STRIPE_WEBHOOK_SECRET="whsec_x",
)
def test_production_with_real_keys_passes() -> None:
    assert not {"billing.W001", "billing.W002"} & deploy_ids()


@override_settings(PRODUCTION=False, PAYMENT_PROCESSOR_URL="")
def test_the_sandbox_is_fine_outside_production() -> None:
    assert not {"billing.W001", "billing.W002"} & deploy_ids()
