"""Public, cookie-free API about the privacy policy."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from routinie.core.errors import NotFound
from routinie.policy.selectors import policy_in_force, published_versions

router = Router(tags=["public"])


class PolicyHistoryItem(Schema):
    version: int
    effective_at: datetime
    summary: str
    reduces_rights: bool


class PolicyOut(Schema):
    version: int
    effective_at: datetime
    text: str
    summary: str
    history: list[PolicyHistoryItem]


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
    }
