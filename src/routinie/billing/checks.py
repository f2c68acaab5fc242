"""`check --deploy`: a production installation takes real payments, so it must not run on the
local sandbox (localstripe) or with the sandbox's placeholder keys."""

from typing import Any

from django.conf import settings
from django.core import checks

SANDBOX_KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_routinie_sandbox",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_routinie_sandbox",
    "STRIPE_WEBHOOK_SECRET": "whsec_routinie_sandbox",
}


@checks.register(checks.Tags.security, deploy=True)
def payments_are_real(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not settings.PRODUCTION:
        return []
    problems: list[checks.CheckMessage] = []
    if not settings.PAYMENT_PROCESSOR_URL:
        problems.append(
            checks.Warning(
                "PAYMENT_PROCESSOR_URL is not set: payments would go to the local sandbox, "
                "which takes no money.",
                hint="Set PAYMENT_PROCESSOR_URL=https://api.stripe.com and the Stripe keys.",
                id="billing.W001",
            )
        )
    for name, placeholder in SANDBOX_KEYS.items():
        if getattr(settings, name) == placeholder:
            problems.append(
                checks.Warning(
                    f"{name} is the sandbox's placeholder.",
                    hint=f"Set {name} to the value from the processor's dashboard.",
                    id="billing.W002",
                )
            )
    return problems
