"""Banners shown above every page for a signed-in person.

Accounts' own come first; an app above accounts adds its banners by registering a source from
its own `apps.py` (the policy app: news of a new policy version). None registered is fine.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from routinie.accounts.models import User
from routinie.accounts.selectors import password_is_old

Banner = dict[str, str]  # kind ("info" or "warning"), text, link, link_text
BannerSource = Callable[[HttpRequest, User], Banner | None]

_BANNER_SOURCES: dict[str, BannerSource] = {}


def register_banner_source(name: str, source: BannerSource) -> None:
    """Show `source(request, user)` (a banner, or None) on every page; its banners follow
    accounts' own, in the order the sources were registered."""
    _BANNER_SOURCES[name] = source


WELCOME = "_rt_welcome"


def welcome_once(request: HttpRequest) -> None:
    """The next page greets a new account, in the same banner that asks to confirm the address
    (one message, not a greeting stacked on a request)."""
    request.session[WELCOME] = True


def account_banners(request: HttpRequest) -> dict[str, list[Banner]]:
    user = getattr(request, "user", None)
    banners: list[Banner] = []
    greeting = ""
    session = getattr(request, "session", None)
    if isinstance(user, User) and session is not None and session.pop(WELCOME, False):
        greeting = f"Welcome to Routinie, {user.name}! "
    if isinstance(user, User) and user.email_confirmed_at is None and not user.is_staff:
        from routinie.accounts.confirmation import deletion_date

        banners.append(
            {
                "kind": "info",
                "text": (
                    f"{greeting}Please confirm your e-mail address with the link we sent to "
                    f"{user.email}. An account never confirmed is deleted on "
                    f"{deletion_date(user):%d %B %Y}."
                ),
                "link": "/account/#confirm",
                "link_text": "Send the link again",
            }
        )
    elif greeting:
        banners.append({"kind": "info", "text": greeting.strip(), "link": "", "link_text": ""})
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
    if isinstance(user, User):
        for source in _BANNER_SOURCES.values():
            banner = source(request, user)
            if banner is not None:
                banners.append(banner)
    return {"account_banners": banners}
