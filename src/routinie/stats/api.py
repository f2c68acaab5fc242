"""The stats app's API endpoints."""

from ninja import Router

router = Router(tags=["stats"])
