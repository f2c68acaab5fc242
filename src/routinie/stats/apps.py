from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "routinie.stats"
    label = "stats"
    verbose_name = "Statistics"
