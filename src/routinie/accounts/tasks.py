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


@task()
def send_email_confirmation(user_id: str) -> bool:
    user = User.objects.filter(pk=user_id, email_confirmed_at__isnull=True).first()
    if user is None:
        return False
    from django.conf import settings

    from routinie.accounts.confirmation import confirmation_token, deletion_date
    from routinie.core.mail import send_templated_mail

    send_templated_mail(
        to=user.email,
        template="accounts/email/confirm_email",
        context={
            "user": user,
            "path": f"/confirm-email/{confirmation_token(user)}/",
            "deletion_date": deletion_date(user),
            "days": settings.UNCONFIRMED_SIGNUP_DAYS,
            "site_url": settings.SITE_URL,
        },
    )
    return True


@task()
def send_password_reset(user_id: str) -> bool:
    """Make a reset link and e-mail it; an empty id (no such account) sends nothing."""
    from routinie.accounts.password_reset import send_reset_email

    return send_reset_email(user_id)
