"""Every request that changes something runs in one transaction, and one that answers 5xx
leaves nothing behind: what its services committed (their `atomic` blocks are savepoints inside
it), the session it saved and the tasks it queued are rolled back together, and their
`on_commit` side effects (e-mails) never run.

Django's ATOMIC_REQUESTS wraps the view only, so a failure while the answer is built after it
(a template, a middleware, the session's save) would still leave the view's writes behind; this
middleware wraps everything after it. Reads (GET, HEAD, OPTIONS) write nothing that matters and
run without it, so on SQLite they never queue for the write lock. A streaming answer (an export)
is read after the transaction ended: its body is written from committed rows.

With a read replica, the signed-in person's write position is remembered once the transaction
committed (`core/replica.py`: read-your-writes); without one, nothing more is done."""

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponseBase

from routinie.core.replica import configured, person_of, remember_write

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AtomicRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            # An exception below became a 500 answer in Django's handler before it got here.
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        if response.status_code < 500 and configured():
            remember_write(person_of(request))
        return response
