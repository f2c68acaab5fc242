from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "routinie.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from routinie.billing import checks  # noqa: F401 (registers the deploy check)
        from routinie.billing.plans import PLANS
        from routinie.billing.sandbox import start_beside_server
        from routinie.billing.tasks import schedule_grace_check
        from routinie.core.companions import register_companion
        from routinie.core.landing import register_landing_section
        from routinie.core.periodic import register_periodic

        register_periodic("billing grace period", schedule_grace_check)
        register_companion("the local payment sandbox (localstripe)", start_beside_server)
        register_landing_section("pricing", "billing/_pricing.html", lambda: {"plans": PLANS})
