"""The facts a privacy policy states, rendered from the code that decides them (P15).

A policy's source is Markdown with placeholders such as `{{ data_we_keep }}` or
`{{ operator }}`. Publishing renders them from the personal-data registry, the cookie inventory
and the operator settings and freezes the result as the version's text, so what a version said
stays what it said. `facts_drift()` compares the version in force with what the code would
state today: the staff's policy page shows any difference, so a change to what we keep can
never go unannounced.
"""

import re
from collections.abc import Callable, Sequence
from itertools import groupby

from django.conf import settings

from routinie.core.errors import InvalidInput

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _unique(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(values))


def data_we_keep() -> str:
    """Every table holding personal data: what it is, why we keep it and for how long."""
    from routinie.privacy.registry import personal_fields

    rows = []
    for holds, group in groupby(personal_fields(), key=lambda item: item[0].holds):
        fields = list(group)
        names = ", ".join(dict.fromkeys(name.replace("_", " ") for _, name, _ in fields))
        rows.append(
            (
                f"**{holds}**: {names}",
                _unique([rule.purpose for _, _, rule in fields]),
                _unique([rule.retention for _, _, rule in fields]),
            )
        )
    return _table(("What", "Why", "How long"), rows)


def cookies() -> str:
    from routinie.privacy.cookies import inventory

    return _table(
        ("Cookie", "Why", "How long"),
        [(f"`{c.name}`", c.purpose, c.lifetime) for c in inventory()],
    )


def operator() -> str:
    return f"{settings.OPERATOR_NAME}, {settings.OPERATOR_ADDRESS}"


def support_email() -> str:
    return f"<{settings.SUPPORT_EMAIL}>"


def payment_processor() -> str:
    return (
        "our payment processor, Stripe, which learns only an anonymous customer number, the "
        "plan and the amount (never your name, e-mail address or address),"
    )


def comment_ip_days() -> str:
    return str(getattr(settings, "BLOG_COMMENT_IP_DAYS", 90))


def notice_days() -> str:
    return str(settings.POLICY_NOTICE_DAYS)


def password_reminder_days() -> str:
    return str(settings.PASSWORD_REMINDER_DAYS)


FACTS: dict[str, Callable[[], str]] = {
    "data_we_keep": data_we_keep,
    "cookies": cookies,
    "operator": operator,
    "support_email": support_email,
    "payment_processor": payment_processor,
    "comment_ip_days": comment_ip_days,
    "notice_days": notice_days,
    "password_reminder_days": password_reminder_days,
}


def unknown_placeholders(source: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(source) if name not in FACTS})


def render_facts(source: str) -> str:
    """The source with every placeholder replaced by today's fact; unknown ones are refused."""
    unknown = unknown_placeholders(source)
    if unknown:
        known = ", ".join(f"{{{{ {name} }}}}" for name in FACTS)
        raise InvalidInput.on(
            "source",
            f"Unknown placeholder(s): {', '.join(unknown)}. Known ones: {known}.",
            "unknown_placeholder",
        )
    values = {name: FACTS[name]() for name in set(PLACEHOLDER.findall(source))}
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], source)


def facts_drift(*, source: str, text: str) -> list[str]:
    """Names of the facts whose rendering today differs from the frozen `text`."""
    drifted = []
    for name in dict.fromkeys(PLACEHOLDER.findall(source)):
        if name in FACTS and FACTS[name]() not in text:
            drifted.append(name)
    return drifted
