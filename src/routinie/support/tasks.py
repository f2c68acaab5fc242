"""Background tasks of the support inbox; each is safe to run twice."""

from django_tasks import task


@task()
def send_staff_reply(message_id: str) -> bool:
    """E-mail one staff reply to the person (once: see outbound.send_reply_email)."""
    from routinie.support.outbound import send_reply_email

    return send_reply_email(message_id=message_id)
