from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "routinie.stats"
    label = "stats"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from routinie.core.periodic import register_periodic
        from routinie.stats import signals  # noqa: F401 (connects the erasure hook)
        from routinie.stats.tasks import schedule_daily_stats_refresh

        register_periodic("daily statistics", schedule_daily_stats_refresh)
