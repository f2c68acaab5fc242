from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "routinie.core"
    label = "core"
    verbose_name = "Core"
