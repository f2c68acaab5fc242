"""Background tasks of accounts; each is safe to run twice."""

from django_tasks import TaskContext, task

from routinie.accounts.models import User


@task()
def send_password_reminder(user_id: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    from routinie.accounts.services import send_password_reminder_email

    return send_password_reminder_email(user=user)


@task(takes_context=True)
def send_email_confirmation(context: TaskContext, user_id: str) -> bool:
    """E-mail the confirmation link, once per run (a run again after its worker died finds
    the e-mail recorded and sends nothing)."""
    user = User.objects.filter(pk=user_id, email_confirmed_at__isnull=True).first()
    if user is None:
        return False
    from django.conf import settings

    from routinie.accounts.confirmation import confirmation_token, deletion_date
    from routinie.core.mail import build_templated_mail
    from routinie.core.task_mail import send_once_per_run

    return send_once_per_run(
        context.task_result.id,
        lambda: build_templated_mail(
            to=user.email,
            template="accounts/email/confirm_email",
            context={
                "user": user,
                "path": f"/confirm-email/{confirmation_token(user)}/",
                "deletion_date": deletion_date(user),
                "days": settings.UNCONFIRMED_SIGNUP_DAYS,
                "site_url": settings.SITE_URL,
            },
        ),
    )


@task(takes_context=True)
def send_password_reset(context: TaskContext, user_id: str) -> bool:
    """Make a reset link and e-mail it, once per run; an empty id (no such account) sends
    nothing."""
    from routinie.accounts.password_reset import send_reset_email

    return send_reset_email(user_id, task_id=context.task_result.id)
