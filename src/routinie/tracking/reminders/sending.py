"""The reminder job: every due routine reminder and digest, sent once per local day.

Each routine (and each digest) keeps the UTC instant its reminder next comes, so what is due is
one range scan of a partial index (`reminder_next_at <= now`), whatever the number of people.
A due row is sent (when its routine is still due and open that day, see `due`) and moved to its
next instant. The sent e-mail is recorded with the send (`core.mail_once`) under a unique
(routine, local day) (or (person, day) for the digest), so two workers, or a run repeated after
a crash, send it once.

- Catch-up: a reminder found more than CATCH_UP late (the worker was down) is skipped, not
  sent late; the row moves on to its next instant.
- Only to a confirmed address: a mistyped address at sign-up never gets daily mail.
- The digest: while a person has one, their routines' own reminders fold into it (skipped);
  the digest lists every routine due and open that day, reminder time or not, and is not sent
  when there is none.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from routinie.accounts.models import User
from routinie.core.account_jobs import Failures
from routinie.core.mail import RenderedMail, mail_domain, render_mail
from routinie.core.mail_once import Outgoing, send_each_once
from routinie.tracking.calendar import zone_of
from routinie.tracking.models import ReminderDigest, Routine, SentReminder
from routinie.tracking.ownership import owned
from routinie.tracking.reminders.due import open_on
from routinie.tracking.reminders.links import unsubscribe_url
from routinie.tracking.reminders.times import next_reminder, reminder_day, wall_time_text

CATCH_UP = timedelta(hours=3)
BATCH = 500


@dataclass(frozen=True)
class Due:
    """A routine's or a digest's row found due: its day (None when it no longer matches the
    stored instant: the zone changed meanwhile) and its next instant."""

    day: date | None
    next_at: datetime


def due_of(instant: datetime, wall: time | None, user: object, now: datetime) -> Due:
    """Which day a row due at `instant` reminds of (None: too late, or no longer matching)."""
    assert wall is not None  # a row with a next instant has a time
    zone = zone_of(user)
    day = reminder_day(instant, wall, zone)
    late = now - instant > CATCH_UP
    following = next_reminder(wall, zone, after=max(instant, now - CATCH_UP))
    return Due(None if late else day, following)


def _headers(message_id: str, unsubscribe: str) -> dict[str, str]:
    return {
        "Message-ID": message_id,
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _outgoing(
    message_id: str, to: str, unsubscribe: str, mail: RenderedMail, sent: SentReminder
) -> Outgoing:
    message = mail.to(to, headers=_headers(message_id, unsubscribe))

    def record() -> bool:
        try:
            with transaction.atomic():
                sent.save(force_insert=True)
        except IntegrityError:  # another worker, or an earlier run, sent it
            return False
        return True

    def unrecord() -> None:
        SentReminder.objects.filter(pk=sent.pk).delete()

    return Outgoing(message, record, unrecord)


def _mail(
    user: User,
    day: date,
    now: datetime,
    *,
    routine: Routine | None,
    template: str,
    unsubscribe: str,
    context: dict[str, object],
) -> Outgoing:
    """A routine's reminder (or, `routine` None, the person's digest) for `day`, its record
    made with the send."""
    mail = render_mail(
        template=template,
        context={
            "day": day,
            "today_url": f"{settings.SITE_URL}/today/",
            "unsubscribe_all_url": unsubscribe_url(user.pk, None),
            **context,
        },
    )
    about = f"reminder-{routine.pk}" if routine is not None else f"digest-{user.pk}"
    message_id = f"<{about}-{day:%Y%m%d}@{mail_domain()}>"
    sent = SentReminder(user=user, routine=routine, day=day, sent_at=now)
    return _outgoing(message_id, user.email, unsubscribe, mail, sent)


def _routine_mail(routine: Routine, day: date, now: datetime) -> Outgoing:
    this_one = unsubscribe_url(routine.user.pk, routine.pk)
    return _mail(
        routine.user,
        day,
        now,
        routine=routine,
        template="tracking/email/reminder",
        unsubscribe=this_one,
        context={
            "routine": routine,
            "reminder_time": wall_time_text(routine.reminder_time),
            "unsubscribe_url": this_one,
        },
    )


def _already_sent(
    pairs: Iterable[tuple[object, date]], *, digest: bool
) -> set[tuple[object, date]]:
    pairs = list(pairs)
    if not pairs:
        return set()
    key = "user_id" if digest else "routine_id"
    rows = SentReminder.objects.filter(
        **{f"{key}__in": {owner for owner, _ in pairs}},
        day__in={day for _, day in pairs},
        routine__isnull=digest,
    ).values_list(key, "day")
    return set(rows)


def _send(items: list[Outgoing], job: str) -> int:
    if not items:
        return 0
    failed = Failures(job)
    return send_each_once(items, on_refused=lambda item, error: failed.add("reminder", error))


def send_routine_batch(routines: list[Routine], now: datetime) -> int:
    """Send the batch's reminders that are due and open, then move each to its next instant."""
    dues = {}
    for routine in routines:
        assert routine.reminder_next_at is not None
        dues[routine.pk] = due_of(
            routine.reminder_next_at, routine.reminder_time, routine.user, now
        )
    with_digest = set(
        ReminderDigest.objects.filter(user_id__in={r.user_id for r in routines}).values_list(
            "user_id", flat=True
        )
    )
    candidates = [
        (r, d.day)
        for r in routines
        if (d := dues[r.pk]).day is not None
        and r.user_id not in with_digest
        and r.user.email_confirmed_at is not None
    ]
    wanted = open_on(candidates) - _already_sent(
        ((r.pk, day) for r, day in candidates), digest=False
    )
    items = [_routine_mail(r, day, now) for r, day in candidates if (r.pk, day) in wanted]
    sent = _send(items, "Routine reminders")
    for routine in routines:  # moved only if nobody changed it meanwhile
        Routine.objects.filter(pk=routine.pk, reminder_next_at=routine.reminder_next_at).update(
            reminder_next_at=dues[routine.pk].next_at
        )
    return sent


def _digest_mail(
    digest: ReminderDigest, day: date, routines: list[Routine], now: datetime
) -> Outgoing:
    user = digest.user
    return _mail(
        user,
        day,
        now,
        routine=None,
        template="tracking/email/digest",
        unsubscribe=unsubscribe_url(user.pk, None),
        context={"routines": routines},
    )


def send_digest_batch(digests: list[ReminderDigest], now: datetime) -> int:
    """Send the batch's digests that have something due, then move each to its next instant."""
    dues = {d.pk: due_of(d.next_at, d.time, d.user, now) for d in digests}
    todo = [
        (d, day)
        for d in digests
        if (day := dues[d.pk].day) is not None and d.user.email_confirmed_at is not None
    ]
    done = _already_sent(((d.user_id, day) for d, day in todo), digest=True)
    items = []
    for digest, day in todo:
        if (digest.user_id, day) in done:
            continue
        routines = list(
            owned(Routine, digest.user).filter(archived=False).order_by("created_at", "id")
        )
        still_open = open_on((r, day) for r in routines)
        listed = [r for r in routines if (r.pk, day) in still_open]
        if listed:
            items.append(_digest_mail(digest, day, listed, now))
    sent = _send(items, "Reminder digests")
    for digest in digests:
        ReminderDigest.objects.filter(pk=digest.pk, next_at=digest.next_at).update(
            next_at=dues[digest.pk].next_at
        )
    return sent


def send_due_reminders(*, now: datetime) -> int:
    """Send every routine reminder and digest due at `now`; how many e-mails went."""
    sent = 0
    while routines := list(
        Routine.objects.filter(reminder_next_at__lte=now)
        .select_related("user")
        .order_by("reminder_next_at", "id")[:BATCH]
    ):
        sent += send_routine_batch(routines, now)
    while digests := list(
        ReminderDigest.objects.filter(next_at__lte=now)
        .select_related("user")
        .order_by("next_at", "id")[:BATCH]
    ):
        sent += send_digest_batch(digests, now)
    return sent
