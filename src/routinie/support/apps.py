from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "routinie.support"
    label = "support"
    verbose_name = "Support"
