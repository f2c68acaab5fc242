"""The vocabulary of the personal-data registry: a `Table` of `Rule`s, and the categories,
purposes and retentions they name, and the `RetentionRule`s the purge enforces.

It lives in core so that every layer can declare its own data: each app that owns models lists
them in its `personal_data.py` (`TABLES`) and its deadlines in its `retention.py` (`RULES`);
`privacy/registry.py` and `privacy/retention.py` gather them at start-up."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

ACCOUNT_LIFETIME = "as long as the account exists; deleted with it"


@dataclass(frozen=True)
class Rule:
    """How one field is kept. A `secret` field (see `secret()`) is never shown, exported or
    released to anyone: this flag is the one list of such fields that the export, the
    disclosure service and the admin's test read."""

    category: str
    purpose: str
    retention: str = ACCOUNT_LIFETIME
    personal: bool = True
    secret: bool = False


def not_personal(purpose: str, retention: str = ACCOUNT_LIFETIME) -> Rule:
    return Rule("not personal", purpose, retention, personal=False)


def secret(category: str, purpose: str, retention: str = ACCOUNT_LIFETIME) -> Rule:
    """A personal field that would let its holder act as the user (a session key, the signed
    session data) or is a hash of such a secret (the password hash, a token's hash): kept,
    but never shown, exported or released."""
    return Rule(category, purpose, retention, secret=True)


@dataclass(frozen=True)
class Table:
    """One model: what it holds, whose it is (an ORM path to the user) and its fields."""

    label: str
    holds: str
    owner: str | None
    fields: dict[str, Rule] = field(default_factory=dict)


KEY = not_personal("identifies the row")
LINK = not_personal("links the row to its owner or parent")
ACCOUNT = "account"
CONTENT = "content you track"
SECURITY = "security"
USAGE = "usage"
SETTINGS = "settings"
CONSENT = "consent"
OPERATIONS = "operations"

SESSION_RETENTION = "until sign-out, 2 hours idle (15 minutes on a shared computer) or 12 hours"
EXPORT_RETENTION = "7 days after the archive is ready, then deleted with the archive"
CONSENT_RETENTION = "as long as the account exists; a revoked consent stops every later release"
LEGAL_RETENTION = "six years (to account for what was released), without your name or e-mail"
TASK_RETENTION = "until the task has run; results are pruned by the purge job"


@dataclass(frozen=True)
class RetentionRule:
    """One deadline the purge job enforces: `expired(now)` is what is past it. The rows are
    deleted, unless `clear` names fields: then only those are emptied (set to NULL) and the row
    stays (a blog comment outlives its IP address). `before_delete` may clean up outside the
    database (files) for a batch about to go."""

    name: str
    expired: Callable[[Any], QuerySet[Any]]
    before_delete: Callable[[list[Any]], None] | None = None
    clear: tuple[str, ...] = ()
