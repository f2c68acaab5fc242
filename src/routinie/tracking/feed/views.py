"""The calendar feed: the public address a calendar program reads (no sign-in, no cookie,
throttled per client like the other public endpoints), and the account page's make/revoke
buttons. The new address is shown once, on the page that made it (never put in a message or a
cookie); a wrong or revoked address answers 404, whoever asks."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from routinie.accounts.auth import signed_in_user
from routinie.core.errors import RateLimited
from routinie.core.throttling import Limit, client_address
from routinie.tracking.feed.events import feed_events
from routinie.tracking.feed.ical import calendar
from routinie.tracking.feed.services import feed_for_token, make_feed, revoke_feed


def feed_limit() -> Limit:
    return Limit("calendar-feed-client", settings.CALENDAR_FEED_THROTTLE_PER_CLIENT, 3600)


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    try:
        feed_limit().take(client_address(request))
    except RateLimited as error:
        answer = HttpResponse("Too many requests.\n", status=429, content_type="text/plain")
        answer["Retry-After"] = str(error.retry_after)
        return answer
    feed = feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    body = calendar("Routinie", feed_events(feed.user, feed.include_entries), timezone.now())
    answer = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    answer["Cache-Control"] = "private, max-age=900"
    answer["Content-Disposition"] = 'inline; filename="routinie.ics"'
    answer["X-Robots-Tag"] = "noindex"
    return answer


@login_required
@require_POST
def make(request: HttpRequest) -> HttpResponse:
    made = make_feed(
        user=signed_in_user(request), include_entries=request.POST.get("include_entries") == "on"
    )
    return render(request, "tracking/calendar_feed_made.html", {"feed": made})


@login_required
@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    revoke_feed(user=signed_in_user(request))
    messages.success(request, "Your calendar address is revoked: it no longer shows anything.")
    return redirect("/account/#calendar-feed")
