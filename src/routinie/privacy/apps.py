from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "routinie.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from routinie.core.periodic import register_periodic
        from routinie.privacy import checks  # noqa: F401 (registers the system check)
        from routinie.privacy.retention import schedule_daily_purge

        register_periodic("daily purge", schedule_daily_purge)
        self.discover_declarations()

    def discover_declarations(self) -> None:
        """Every app's personal_data.py and retention.py, found the way the admin finds its
        admin.py; and the hook that removes an account's export archives with it."""
        from routinie.privacy import (
            registry,
            retention,
            signals,  # noqa: F401 (connects the receiver)
        )

        registry.discover()
        retention.discover()
