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
