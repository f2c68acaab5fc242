"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def operator_identity(request: HttpRequest) -> dict[str, str]:
    """The operator's identity, shown in every footer and on /contact/ (P16)."""
    return {
        "operator_name": settings.OPERATOR_NAME,
        "operator_address": settings.OPERATOR_ADDRESS,
        "support_email": settings.SUPPORT_EMAIL,
    }
