from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "routinie.tracking"
    label = "tracking"
    verbose_name = "Tracking"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from routinie.accounts.models import User
        from routinie.core.periodic import register_periodic
        from routinie.tracking.reminders.signals import reschedule_on_zone_change
        from routinie.tracking.reminders.tasks import schedule_reminders

        register_periodic("routine reminders", schedule_reminders)
        post_save.connect(
            reschedule_on_zone_change, sender=User, dispatch_uid="tracking.reminders.zone"
        )
