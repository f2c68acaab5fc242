"""E-mail built from templates (plain text and HTML), always carrying the operator identity."""

from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def mail_domain() -> str:
    """The domain of the support address: our Message-IDs are made on it."""
    return parseaddr(settings.SUPPORT_EMAIL)[1].rpartition("@")[2] or "routinie.localhost"


@dataclass(frozen=True)
class RenderedMail:
    """A rendered subject, text and HTML, addressable to any number of people one by one."""

    subject: str
    text: str
    html: str

    def to(self, address: str, headers: dict[str, str] | None = None) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers=headers or {},
        )
        message.attach_alternative(self.html, "text/html")
        return message


def render_mail(*, template: str, context: dict[str, Any]) -> RenderedMail:
    """`template`_subject.txt / .txt / .html with the operator identity in the context."""
    full_context = {
        "operator_name": settings.OPERATOR_NAME,
        "operator_address": settings.OPERATOR_ADDRESS,
        "support_email": settings.SUPPORT_EMAIL,
        **context,
    }
    return RenderedMail(
        subject=" ".join(render_to_string(f"{template}_subject.txt", full_context).split()),
        text=render_to_string(f"{template}.txt", full_context),
        html=render_to_string(f"{template}.html", full_context),
    )


def build_templated_mail(
    *, to: str, template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> EmailMultiAlternatives:
    """`template`_subject.txt / .txt / .html for one address, ready to send."""
    return render_mail(template=template, context=context).to(to, headers)


def send_templated_mail(
    *, to: str, template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """Send `template`_subject.txt / .txt / .html to one address."""
    build_templated_mail(to=to, template=template, context=context, headers=headers).send()
