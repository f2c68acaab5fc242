"""Banners shown above every page for a signed-in person."""

from django.conf import settings
from django.http import HttpRequest

from routinie.accounts.models import User
from routinie.accounts.selectors import password_is_old
from routinie.core.htmx import is_htmx


def account_banners(request: HttpRequest) -> dict[str, list[dict[str, str]]]:
    user = getattr(request, "user", None)
    banners: list[dict[str, str]] = []
    if isinstance(user, User) and user.email_confirmed_at is None and not user.is_staff:
        from routinie.accounts.confirmation import deletion_date

        banners.append(
            {
                "kind": "info",
                "text": (
                    f"Please confirm your e-mail address with the link we sent to {user.email}. "
                    f"An account never confirmed is deleted on {deletion_date(user):%d %B %Y}."
                ),
                "link": "/account/#confirm",
                "link_text": "Send the link again",
            }
        )
    if isinstance(user, User) and password_is_old(user):
        banners.append(
            {
                "kind": "warning",
                "text": (
                    f"Your password is over {settings.PASSWORD_REMINDER_DAYS} days old. "
                    "Consider changing it; this is a reminder, not a requirement."
                ),
                "link": "/account/#password",
                "link_text": "Change password",
            }
        )
    if isinstance(user, User) and request.method == "GET" and not is_htmx(request):
        # Only on whole pages: the banner is recorded as shown the first time it renders.
        from routinie.policy.services import show_policy_banner

        news = show_policy_banner(user)
        if news is not None:
            banners.append(news)
    return {"account_banners": banners}
