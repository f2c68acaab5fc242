from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "routinie.tracking"
    label = "tracking"
    verbose_name = "Tracking"
