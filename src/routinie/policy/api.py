"""Public, cookie-free API about the privacy policy: the version in force, its history, any
readable version, and the differences between two."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from routinie.core.errors import InvalidInput, NotFound
from routinie.policy.diff import diff_texts
from routinie.policy.models import PolicyVersion
from routinie.policy.selectors import (
    policy_in_force,
    public_version,
    published_versions,
    upcoming_versions,
)

router = Router(tags=["public"])


class PolicyHistoryItem(Schema):
    version: int
    effective_at: datetime
    summary: str
    reduces_rights: bool


class PolicyVersionOut(PolicyHistoryItem):
    text: str
    published: bool


class PolicyOut(Schema):
    version: int
    effective_at: datetime
    text: str
    summary: str
    history: list[PolicyHistoryItem]
    upcoming: list[PolicyHistoryItem]


class ChangeLine(Schema):
    kind: str
    text: str


class ChangesOut(Schema):
    from_version: int
    to_version: int
    changes: list[ChangeLine]


class ChangesQuery(Schema):
    from_version: int = Field(alias="from")
    to_version: int = Field(alias="to")


def _readable(number: int, field: str) -> PolicyVersion:
    found = public_version(number)
    if found is None:
        raise InvalidInput.on(field, f"There is no readable version {number}.", "unknown_version")
    return found


@router.get("/privacy-policy", auth=None, response=PolicyOut)
def privacy_policy(request: HttpRequest) -> dict[str, object]:
    current = policy_in_force()
    if current is None:
        raise NotFound("No privacy policy is published yet.")
    return {
        "version": current.version,
        "effective_at": current.effective_at,
        "text": current.text,
        "summary": current.summary,
        "history": list(published_versions()),
        "upcoming": list(upcoming_versions()),
    }


@router.get("/privacy-policy/versions/{number}", auth=None, response=PolicyVersionOut)
def privacy_policy_version(request: HttpRequest, number: int) -> dict[str, object]:
    found = public_version(number)
    if found is None:
        raise NotFound("There is no readable version with this number.")
    return {
        "version": found.version,
        "effective_at": found.effective_at,
        "summary": found.summary,
        "reduces_rights": found.reduces_rights,
        "text": found.text,
        "published": found.published_at is not None,
    }


@router.get("/privacy-policy/changes", auth=None, response=ChangesOut)
def privacy_policy_changes(request: HttpRequest, query: Query[ChangesQuery]) -> dict[str, object]:
    old = _readable(query.from_version, "from")
    new = _readable(query.to_version, "to")
    return {
        "from_version": old.version,
        "to_version": new.version,
        "changes": [
            {"kind": line.kind, "text": line.text} for line in diff_texts(old.text, new.text)
        ],
    }
