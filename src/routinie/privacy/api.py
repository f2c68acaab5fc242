"""Public, cookie-free API: the cookie inventory."""

from django.http import HttpRequest
from ninja import Router, Schema

from routinie.privacy.cookies import inventory

router = Router(tags=["public"])


class CookieOut(Schema):
    name: str
    purpose: str
    lifetime: str
    http_only: bool
    same_site: str
    secure: bool
    set_by: str
    needed_for: str


class CookieList(Schema):
    items: list[CookieOut]


@router.get("/cookies", auth=None, response=CookieList)
def cookies(request: HttpRequest) -> dict[str, object]:
    return {"items": [c.as_dict() for c in inventory()]}


class PeriodOut(Schema):
    label: str
    legal_requests: int
    legal_requests_granted: int
    consent_disclosures: int


class TransparencyOut(Schema):
    periods: list[PeriodOut]


@router.get("/transparency", auth=None, response=TransparencyOut)
def transparency(request: HttpRequest) -> dict[str, object]:
    from routinie.privacy.disclosure import transparency_report

    return {"periods": transparency_report()}
