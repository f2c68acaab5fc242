from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "routinie.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from routinie.core import checks  # noqa: F401 (registers the deploy checks)
