from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "routinie.tracking"
    label = "tracking"
    verbose_name = "Tracking"

    def ready(self) -> None:
        from routinie.core.periodic import register_periodic
        from routinie.tracking.forgotten.reminders import schedule_forgotten_timer_check

        register_periodic("forgotten timers", schedule_forgotten_timer_check)
