"""The forgotten-timer e-mail: one per entry, found by a periodic job and sent by the worker.

The job runs every `FORGOTTEN_TIMER_CHECK_MINUTES`; each run asks one indexed query for the
running timers past their person's threshold and not told yet (the `entry_running` partial index
holds only running timers, oldest first; each person's threshold is compared in the query, not
in a loop over accounts), and e-mails them in batches. Each e-mail is claimed as it is sent
(`mail_once`): a conditional UPDATE of the entry's `ForgottenTimer` row that only one worker
wins (`emailed_at` still empty, the timer still running and not said to be right), so two
workers, a re-run, or a worker killed mid-send never send a second one; the SMTP server
refusing it gives the claim back for the next run.
"""

from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.db import transaction
from django.db.models import (
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone
from django_tasks import task

from routinie.core.account_jobs import Failures
from routinie.core.mail import build_templated_mail, mail_domain
from routinie.core.mail_once import Outgoing, send_each_once
from routinie.core.periodic import queue_unless_waiting
from routinie.tracking.calendar import zone_of
from routinie.tracking.forgotten.services import HOUR, left_at
from routinie.tracking.models import ForgottenTimer, TimeEntry

BATCH = 500


def due_timers(now: datetime) -> QuerySet[TimeEntry]:
    """Running timers past their person's threshold (reminder on), not e-mailed about yet nor
    said to be right, oldest first, with their person: one query."""
    hours = ExpressionWrapper(F("user__forgotten_timer_hours"), output_field=IntegerField())
    threshold = ExpressionWrapper(hours * Value(HOUR), output_field=DurationField())
    told = ForgottenTimer.objects.filter(entry=OuterRef("pk")).filter(
        Q(emailed_at__isnull=False) | Q(kept_at__isnull=False)
    )
    return (
        TimeEntry.objects.filter(
            end__isnull=True, start__lte=now - HOUR, user__forgotten_timer_hours__gt=0
        )
        .alias(due_at=ExpressionWrapper(F("start") + threshold, output_field=DateTimeField()))
        .filter(due_at__lte=now)
        .filter(~Exists(told))
        .select_related("user")
        .only(
            "id",
            "start",
            "description",
            "user__id",
            "user__name",
            "user__email",
            "user__timezone",
            "user__forgotten_timer_hours",
            "user__last_active_at",
        )
        .order_by("start", "id")
    )


def _outgoing(entry: TimeEntry, now: datetime) -> Outgoing:
    user = entry.user
    left = left_at(entry.start, user.last_active_at, None)
    zone = zone_of(user)
    message = build_templated_mail(
        to=user.email,
        template="tracking/email/forgotten_timer",
        context={
            "user": user,
            "entry": entry,
            "hours": user.forgotten_timer_hours,
            "started": entry.start.astimezone(zone),
            "left": left.astimezone(zone) if left else None,
            "link": f"{settings.SITE_URL}/timer/forgotten/{entry.pk}/",
        },
        headers={
            "Message-ID": make_msgid(idstring="forgotten-timer", domain=mail_domain()),
            "Auto-Submitted": "auto-generated",
        },
    )

    def claim() -> bool:
        with transaction.atomic():
            ForgottenTimer.objects.bulk_create(
                [ForgottenTimer(entry_id=entry.pk, user_id=user.pk)], ignore_conflicts=True
            )
            return (
                ForgottenTimer.objects.filter(
                    entry_id=entry.pk,
                    emailed_at__isnull=True,
                    kept_at__isnull=True,
                    entry__end__isnull=True,
                ).update(emailed_at=now, left_at=left)
                == 1
            )

    def release() -> None:
        ForgottenTimer.objects.filter(entry_id=entry.pk, emailed_at=now).update(
            emailed_at=None, left_at=None
        )

    return Outgoing(message, claim, release)


def send_batch(batch: list[TimeEntry], now: datetime, failed: Failures) -> int:
    """E-mail the people of these due timers (as read by `due_timers`, perhaps by another
    worker too): each claimed as it is sent, so a timer another worker told is skipped."""
    items = [_outgoing(entry, now) for entry in batch]
    account_of = {id(item): str(entry.user_id) for item, entry in zip(items, batch, strict=True)}
    return send_each_once(
        items, on_refused=lambda item, error: failed.add(account_of[id(item)], error)
    )


def send_forgotten_timer_emails(now: datetime | None = None) -> int:
    """E-mail every person whose running timer is past their threshold, once per entry; how
    many this call sent. An address the server refuses is skipped (and retried next run)."""
    now = now or timezone.now()
    failed = Failures("Forgotten-timer e-mails")
    sent = 0
    while True:
        batch = list(due_timers(now)[:BATCH])
        done = send_batch(batch, now, failed)
        sent += done
        if len(batch) < BATCH or done == 0:
            return sent


@task()
def remind_forgotten_timers() -> int:
    """The periodic job: send what is due, then queue the next run."""
    sent = send_forgotten_timer_emails()
    schedule_forgotten_timer_check(delay=timedelta(minutes=settings.FORGOTTEN_TIMER_CHECK_MINUTES))
    return sent


def schedule_forgotten_timer_check(*, delay: timedelta = timedelta(0)) -> bool:
    return queue_unless_waiting(remind_forgotten_timers, delay=delay)
