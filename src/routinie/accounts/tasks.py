"""Background tasks of accounts; each is safe to run twice."""

from django_tasks import task

from routinie.accounts.models import User


@task()
def send_password_reminder(user_id: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    from routinie.accounts.services import send_password_reminder_email

    return send_password_reminder_email(user=user)
