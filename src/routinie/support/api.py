"""The support app's API endpoints."""

from ninja import Router

router = Router(tags=["support"])
