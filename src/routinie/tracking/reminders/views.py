"""The reminder pages: the one-click unsubscribe (no sign-in: the signed link is the proof)
and the digest setting on /routines/.

Unsubscribe: GET shows what the link stops and a button (a link scanner following the link
changes nothing); POST stops it, from that button or from a mail program's one-click
unsubscribe (RFC 8058: `List-Unsubscribe=One-Click`, no cookie, no CSRF token, hence
csrf_exempt). A link we did not sign (tampered, another salt) answers 400 and changes nothing;
a link whose account or routine is gone answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from routinie.accounts.auth import signed_in_user
from routinie.core.errors import InvalidInput
from routinie.tracking.models import Routine
from routinie.tracking.reminders.links import read_token
from routinie.tracking.reminders.services import set_digest_time
from routinie.tracking.reminders.services import unsubscribe as stop
from routinie.tracking.reminders.times import parse_wall_time

PAGE = "tracking/unsubscribe.html"


def _page(request: HttpRequest, context: dict[str, object], status: int = 200) -> HttpResponse:
    answer = render(request, PAGE, context, status=status)
    answer["X-Robots-Tag"] = "noindex"
    answer["Cache-Control"] = "no-store"
    return answer


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("token", "")
    wanted = read_token(token)
    if wanted is None:
        return _page(request, {"state": "invalid"}, status=400)
    routine = None
    if wanted.routine_id is not None:
        routine = Routine.objects.filter(pk=wanted.routine_id, user_id=wanted.user_id).first()
        if routine is None:
            return _page(request, {"state": "gone"}, status=404)
    if request.method != "POST":
        return _page(request, {"state": "ask", "routine": routine, "token": token})
    if not stop(user_id=wanted.user_id, routine_id=wanted.routine_id):
        return _page(request, {"state": "gone"}, status=404)
    return _page(request, {"state": "done", "routine": routine})


@login_required
@require_POST
def digest(request: HttpRequest) -> HttpResponse:
    """The /routines/ page's digest form: a time turns it on (or moves it), empty turns it off."""
    raw = (request.POST.get("digest_time") or "").strip()
    try:
        wall = parse_wall_time(raw or None, "digest_time")
    except InvalidInput as error:
        messages.error(request, f"The digest was not changed: {error.detail}")
        return redirect("/routines/#reminders")
    set_digest_time(user=signed_in_user(request), wall=wall)
    if wall is None:
        messages.success(request, "The daily digest is off.")
    else:
        messages.success(request, f"You will get the daily digest at {raw}.")
    return redirect("/routines/#reminders")
