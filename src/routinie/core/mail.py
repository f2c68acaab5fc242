"""E-mail built from templates (plain text and HTML), always carrying the operator identity."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def build_templated_mail(
    *, to: str, template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> EmailMultiAlternatives:
    """`template`_subject.txt / .txt / .html for one address, ready to send."""
    full_context = {
        "operator_name": settings.OPERATOR_NAME,
        "operator_address": settings.OPERATOR_ADDRESS,
        "support_email": settings.SUPPORT_EMAIL,
        **context,
    }
    subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
    text = render_to_string(f"{template}.txt", full_context)
    html = render_to_string(f"{template}.html", full_context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_templated_mail(
    *, to: str, template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """Send `template`_subject.txt / .txt / .html to one address."""
    build_templated_mail(to=to, template=template, context=context, headers=headers).send()
