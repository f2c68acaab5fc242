from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "routinie.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from routinie.privacy import checks  # noqa: F401 (registers the system check)
