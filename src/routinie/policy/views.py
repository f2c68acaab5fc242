"""The public privacy policy pages: the version in force, any version, and what changed."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from routinie.policy.diff import diff_texts
from routinie.policy.selectors import (
    policy_in_force,
    public_version,
    published_versions,
    render_policy_text,
    upcoming_versions,
)


def privacy(request: HttpRequest) -> HttpResponse:
    current = policy_in_force()
    history = list(published_versions())
    return render(
        request,
        "policy/privacy.html",
        {
            "policy": current,
            "policy_html": render_policy_text(current.text) if current else "",
            "history": history,
            "upcoming": list(upcoming_versions()),
            "compare_from": history[1].version if len(history) > 1 else None,
        },
    )


def version(request: HttpRequest, number: int) -> HttpResponse:
    shown = public_version(number)
    if shown is None:
        raise Http404("No such version of the privacy policy.")
    current = policy_in_force()
    return render(
        request,
        "policy/version.html",
        {
            "policy": shown,
            "policy_html": render_policy_text(shown.text),
            "in_force": current is not None and current.pk == shown.pk,
        },
    )


def _number(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def changes(request: HttpRequest) -> HttpResponse:
    """The differences between two readable versions, `?from=1&to=2`."""
    numbers = (_number(request, "from"), _number(request, "to"))
    versions = [public_version(n) if n is not None else None for n in numbers]
    choices = list(published_versions()) + list(upcoming_versions().filter(published_at=None))
    context: dict[str, object] = {
        "choices": choices,
        "from_number": numbers[0],
        "to_number": numbers[1],
    }
    old, new = versions
    if old is None or new is None:
        context["error"] = "Choose two versions of the policy to compare."
        if "from" in request.GET or "to" in request.GET:
            return render(request, "policy/changes.html", context, status=400)
        if not choices:
            return render(request, "policy/changes.html", context)
        # The address typed alone: the latest change (the last two versions).
        numbers_known = sorted(v.version for v in choices)
        older, newest = numbers_known[max(0, len(numbers_known) - 2)], numbers_known[-1]
        return redirect(f"{request.path}?from={older}&to={newest}")
    context.update({"old": old, "new": new, "lines": diff_texts(old.text, new.text)})
    return render(request, "policy/changes.html", context)
