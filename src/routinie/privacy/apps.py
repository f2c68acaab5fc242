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
