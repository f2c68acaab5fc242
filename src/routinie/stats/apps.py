from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "routinie.stats"
    label = "stats"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from routinie.stats import signals  # noqa: F401 (connects the erasure hook)
