from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "routinie.tracking"
    label = "tracking"
    verbose_name = "Tracking"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from routinie.accounts.models import User
        from routinie.core.periodic import register_periodic
        from routinie.tracking.forgotten.reminders import schedule_forgotten_timer_check
        from routinie.tracking.reminders.signals import reschedule_on_zone_change
        from routinie.tracking.reminders.tasks import schedule_reminders

        register_periodic("routine reminders", schedule_reminders)
        register_periodic("forgotten timers", schedule_forgotten_timer_check)
        post_save.connect(
            reschedule_on_zone_change, sender=User, dispatch_uid="tracking.reminders.zone"
        )
