"""The public privacy policy page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from routinie.policy.selectors import policy_in_force, published_versions, render_policy_text


def privacy(request: HttpRequest) -> HttpResponse:
    current = policy_in_force()
    return render(
        request,
        "policy/privacy.html",
        {
            "policy": current,
            "policy_html": render_policy_text(current.text) if current else "",
            "history": published_versions(),
        },
    )
