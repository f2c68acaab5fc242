"""The cookie inventory (P10, P11): every cookie Routinie sets, why, for how long, and how.

`/cookies/` and `GET /api/v1/public/cookies` show it; a crawler test compares every
`Set-Cookie` the platform sends against it, so an undeclared cookie fails the tests.
"""

from dataclasses import asdict, dataclass

from django.conf import settings

from routinie.accounts.sessions import REMEMBER_LABEL

BROWSER_SESSION = "until you close the browser (a session cookie: no expiry date)"


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str
    http_only: bool
    same_site: str
    secure: bool
    set_by: str  # "server" or "script"
    needed_for: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def inventory() -> list[Cookie]:
    """The cookies of this deployment (their names and Secure flag depend on the settings)."""
    secure = settings.PRODUCTION
    remember_days = settings.SESSION_REMEMBER_SECONDS // 86400
    return [
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose="Keeps you signed in during a visit, so you do not sign in on every page.",
            lifetime=BROWSER_SESSION
            + "; the session itself ends after 2 hours idle or 12 hours. If you tick "
            + f"“{REMEMBER_LABEL}” when you sign in: {remember_days} days from sign-in "
            + "(the cookie then has an expiry date), on that device only",
            http_only=True,
            same_site="Lax",
            secure=secure,
            set_by="server",
            needed_for="signing in",
        ),
        Cookie(
            name=settings.CSRF_COOKIE_NAME,
            purpose="Protects forms against forgery by other sites (CSRF).",
            lifetime=BROWSER_SESSION,
            http_only=True,
            same_site="Lax",
            secure=secure,
            set_by="server",
            needed_for="every form: signing up, signing in, and all changes",
        ),
        Cookie(
            name="rt_cookie_probe",
            purpose="Checks whether your browser accepts cookies, so the sign-in page can warn "
            "you before you try; written and deleted at once by the page's script.",
            lifetime="deleted immediately",
            http_only=False,
            same_site="Lax",
            secure=False,
            set_by="script",
            needed_for="the warning on the sign-in and sign-up pages",
        ),
    ]


def by_name() -> dict[str, Cookie]:
    return {c.name: c for c in inventory()}
