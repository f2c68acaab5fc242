"""Rows bound by a retention period, seeded for the purge scenario (bench/scale.py) over the
population already loaded: for every rule the purge enforces, a realistic number of rows for
that many accounts, 10 % of them past their period (every tenth), the rest within it.

Rows are written in bulk (COPY on PostgreSQL, `executemany` on SQLite: bench/bulk.py), never
one ORM save at a time. Each seeded row carries a mark (its id in one UUID range, or a fixed
prefix, subject or post), so the scenario can count what the purge left of them and remove the
rest afterwards: the database is as it was before, but for the purge's own record.

What is seeded for each rule, and how far past its period: bench/README.md ("The scale
scenarios"). Every count is at least 10, so at least one row of each is past its period.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bench.bulk import Columns

MARK = 0x5CA1AB1E_5CA1AB1E  # the top 64 bits of every seeded id
JOURNAL_MARK = 0x5CA1AB1E_10A1AB1E  # the same, for the erasure journal's seeded records
PREFIX = "scalebench"
SUBJECT = "Benchmark retention conversation"
POST_SLUG = "benchmark-retention"
CHUNK = 20_000
PAST_SHARE = 10  # every tenth row is past its period
DOCUMENTATION_IP = "192.0.2.10"  # TEST-NET-1 (RFC 5737): no one's address


def marked(i: int, mark: int = MARK) -> uuid.UUID:
    return uuid.UUID(int=(mark << 64) | i)


def marked_range() -> dict[str, uuid.UUID]:
    """`pk__range` of every marked id."""
    return {"pk__range": (marked(0), marked(2**64 - 1))}  # type: ignore[dict-item]


@dataclass
class Seeded:
    rule: str  # the purge rule whose deadline these rows have
    what: str
    rows: int
    past: int  # past their period: what the purge must remove (or clear)
    kept: Callable[[], int]  # how many of the rows within their period are there now
    cleanup: Callable[[], object]  # remove what is left of them


def is_past(i: int) -> bool:
    return i % PAST_SHARE == 0


def past_count(rows: int) -> int:
    return sum(1 for i in range(rows) if is_past(i))


def per(accounts: int, share: int) -> int:
    return max(10, accounts // share)


def user_ids(limit: int | None = None) -> Iterator[Any]:
    """The loaded accounts' ids in key order, a page at a time (no cursor held open while
    rows are written on the same connection)."""
    from routinie.accounts.models import User

    last, given = None, 0
    accounts = User.objects.exclude(**marked_range()).order_by("pk")
    while limit is None or given < limit:
        page = accounts.values_list("pk", flat=True)
        if last is not None:
            page = page.filter(pk__gt=last)
        size = CHUNK if limit is None else min(CHUNK, limit - given)
        ids = list(page[:size])
        if not ids:
            return
        yield from ids
        given += len(ids)
        last = ids[-1]


def _write_all(columns: Columns, rows: Iterator[tuple[Any, ...]]) -> int:
    written, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            columns.write(batch)
            written, batch = written + len(batch), []
    columns.write(batch)
    return written + len(batch)


def _for_accounts(
    columns: Columns, count: int, build: Callable[[int, Any], tuple[Any, ...]]
) -> int:
    """`build(i, user_id)` for the first `count` accounts, written; how many."""
    return _write_all(columns, (build(i, user_id) for i, user_id in enumerate(user_ids(count))))


def _counted(model: Any, **marks: Any) -> Callable[[], int]:
    return lambda: int(model._default_manager.filter(**marks).count())


def _deleted(model: Any, **marks: Any) -> Callable[[], object]:
    return lambda: model._default_manager.filter(**marks).delete()


def _seeded(rule: str, what: str, rows: int, model: Any, marks: dict[str, Any]) -> Seeded:
    """`rows` rows of `model` (every tenth past its period) that `marks` selects."""
    return Seeded(
        rule,
        what,
        rows,
        past_count(rows),
        _counted(model, **marks),
        _deleted(model, **marks),
    )


def sessions(now: datetime, accounts: int) -> Seeded:
    from routinie.accounts.models import UserSession

    columns = Columns(UserSession)
    rows = _write_all(
        columns,
        (
            columns.row(
                session_key=f"{PREFIX}{i:030d}",
                session_data="",
                expire_date=now - timedelta(hours=1) if is_past(i) else now + timedelta(hours=2),
                public_id=f"{PREFIX}{i:022d}",
                user_id=user_id,
                device="Firefox on Linux",
                created_at=now - timedelta(hours=3),
                last_active=now - timedelta(hours=1),
            )
            for i, user_id in enumerate(user_ids(accounts))
        ),
    )
    return _seeded(
        "expired sessions",
        "one session per account",
        rows,
        UserSession,
        {"session_key__startswith": PREFIX},
    )


def unconfirmed_sign_ups(now: datetime, accounts: int) -> Seeded:
    from django.conf import settings

    from routinie.accounts.models import User
    from routinie.tracking.models import TimeEntry

    count, days = per(accounts, 100), settings.UNCONFIRMED_SIGNUP_DAYS
    users, entries = Columns(User), Columns(TimeEntry)

    def created(i: int) -> datetime:
        return now - timedelta(days=days + 1 + i % 30 if is_past(i) else 1 + i % (days - 2))

    _write_all(
        users,
        (
            users.row(
                id=marked(i),
                password="!",  # unusable: never signed in
                name=f"Unconfirmed {i}",
                email=f"{PREFIX}-signup-{i:07d}@example.com",
                email_confirmed_at=None,
                created_at=created(i),
                password_changed_at=created(i),
            )
            for i in range(count)
        ),
    )
    _write_all(
        entries,
        (
            entries.row(
                id=marked(i * 3 + k),
                user_id=marked(i),
                description="First steps",
                start=created(i) + timedelta(hours=k + 1),
                end=created(i) + timedelta(hours=k + 1, minutes=30),
                created_at=created(i),
            )
            for i in range(count)
            for k in range(3)
        ),
    )
    return _seeded(
        "sign-ups never confirmed",
        "accounts never confirmed, 3 time entries each",
        count,
        User,
        marked_range(),
    )


def password_resets(now: datetime, accounts: int) -> Seeded:
    from routinie.accounts.models import PasswordResetToken

    columns = Columns(PasswordResetToken)

    def row(i: int, user_id: Any) -> tuple[Any, ...]:
        expires = now + (timedelta(hours=-1) if is_past(i) else timedelta(hours=1))
        return columns.row(
            id=marked(i),
            user_id=user_id,
            token_hash=f"{PREFIX}{i:054d}",
            created_at=now - timedelta(hours=2),
            expires_at=expires,
        )

    rows = _for_accounts(columns, per(accounts, 100), row)
    return _seeded(
        "expired password-reset links",
        "password-reset links in flight",
        rows,
        PasswordResetToken,
        marked_range(),
    )


def two_factor_setups(now: datetime, accounts: int) -> Seeded:
    from routinie.accounts.models import TwoFactor

    taken = set(TwoFactor.objects.values_list("user_id", flat=True))
    columns = Columns(TwoFactor)
    wanted = per(accounts, 100)
    free = (u for u in user_ids() if u not in taken)
    rows = _write_all(
        columns,
        (
            columns.row(
                user_id=user_id,
                secret=f"{PREFIX.upper()}{i:022d}",
                created_at=now - timedelta(days=2) if is_past(i) else now - timedelta(hours=1),
                enabled_at=None,
            )
            for i, user_id in zip(range(wanted), free, strict=False)
        ),
    )
    return _seeded(
        "two-factor set-ups never confirmed",
        "two-factor set-ups begun, not confirmed",
        rows,
        TwoFactor,
        {"secret__startswith": PREFIX.upper()},
    )


def invoices(now: datetime, accounts: int) -> Seeded:
    from routinie.billing.models import Invoice
    from routinie.billing.retention import INVOICE_YEARS

    count, columns = per(accounts, 10), Columns(Invoice)
    limit = timedelta(days=365 * INVOICE_YEARS + 3)
    _write_all(
        columns,
        (
            columns.row(
                user_id=None,  # of an erased account
                number=2_000_000_000 + i,
                processor_ref=f"{PREFIX}-{i}",
                plan_id="pro",
                amount_cents=500,
                currency="EUR",
                issued_at=now - limit - timedelta(days=10 + i % 50)
                if is_past(i)
                else now - timedelta(days=1 + i % 3000),
                status="paid",
            )
            for i in range(count)
        ),
    )
    return _seeded(
        "invoices past ten years",
        "invoices",
        count,
        Invoice,
        {"processor_ref__startswith": f"{PREFIX}-"},
    )


def payment_events(now: datetime, accounts: int) -> Seeded:
    from routinie.billing.models import ProcessedEvent

    count, columns = per(accounts, 10), Columns(ProcessedEvent)
    _write_all(
        columns,
        (
            columns.row(
                event_id=f"{PREFIX}-{i}",
                type="invoice.paid",
                received_at=now - timedelta(days=31 + i % 30 if is_past(i) else 1 + i % 28),
            )
            for i in range(count)
        ),
    )
    return _seeded(
        "applied payment-processor events",
        "payment-processor events applied",
        count,
        ProcessedEvent,
        {"event_id__startswith": f"{PREFIX}-"},
    )


def _post(now: datetime) -> Any:
    from routinie.blog.models import Post

    return Post.objects.create(
        title="Benchmark retention",
        slug=POST_SLUG,
        body="A post for the purge benchmark.",
        author_name="Benchmark",
        is_draft=False,
        published_at=now - timedelta(days=400),
    )


def blog_comments(now: datetime, accounts: int) -> list[Seeded]:
    """Comments with an IP address (10 % past its period: cleared, the comment stays) and
    rejected comments without one (10 % past theirs: deleted); the two never overlap."""
    from django.conf import settings

    from routinie.blog.models import Comment, Post

    post, columns = _post(now), Columns(Comment)
    with_ip, rejected = per(accounts, 100), per(accounts, 1000)
    ip_days, rejected_days = settings.BLOG_COMMENT_IP_DAYS, settings.BLOG_REJECTED_COMMENT_DAYS

    def ip_row(i: int) -> tuple[Any, ...]:
        back = ip_days + 1 + i % 30 if is_past(i) else 1 + i % (ip_days - 2)
        return columns.row(
            post_id=post.pk,
            name="Reader",
            text="Thanks for the post.",
            ip_address=DOCUMENTATION_IP,
            status="approved",
            created_at=now - timedelta(days=back),
            moderated_at=now - timedelta(days=back),
        )

    def rejected_row(i: int) -> tuple[Any, ...]:
        back = rejected_days + 1 + i % 30 if is_past(i) else 1 + i % (rejected_days - 2)
        return columns.row(
            post_id=post.pk,
            name="Spammer",
            text="Buy now.",
            ip_address=None,
            status="rejected",
            created_at=now - timedelta(days=back + 1),
            moderated_at=now - timedelta(days=back),
        )

    _write_all(columns, (ip_row(i) for i in range(with_ip)))
    _write_all(columns, (rejected_row(i) for i in range(rejected)))
    mine = {"post__slug": POST_SLUG}
    return [
        Seeded(
            "blog comment IP addresses",
            "blog comments with an IP address",
            with_ip,
            past_count(with_ip),
            _counted(Comment, ip_address__isnull=False, **mine),
            _deleted(Post, slug=POST_SLUG),
        ),
        Seeded(
            "rejected blog comments",
            "rejected blog comments",
            rejected,
            past_count(rejected),
            _counted(Comment, status="rejected", **mine),
            lambda: None,  # with the post
        ),
    ]


def support_conversations(now: datetime, accounts: int) -> Seeded:
    from django.conf import settings

    from routinie.support.models import Conversation, Message

    conversations, messages = Columns(Conversation), Columns(Message)
    days = settings.SUPPORT_CLOSED_RETENTION_DAYS
    closed, anonymous = per(accounts, 100), per(accounts, 1000)

    def ended(i: int) -> datetime:
        return now - timedelta(days=days + 1 + i % 30 if is_past(i) else 1 + i % (days - 2))

    def closed_row(i: int, user_id: Any) -> tuple[Any, ...]:
        return conversations.row(
            id=marked(i),
            user_id=user_id,
            subject=SUBJECT,
            status="closed",
            created_at=ended(i) - timedelta(days=2),
            last_message_at=ended(i) - timedelta(days=1),
            closed_at=ended(i),
        )

    def anonymous_row(i: int, first: int) -> tuple[Any, ...]:
        return conversations.row(
            id=marked(first + i),
            user_id=None,
            sender_email=f"{PREFIX}-{i}@example.com",
            subject=SUBJECT,
            status="open",
            created_at=ended(i) - timedelta(days=1),
            last_message_at=ended(i),
        )

    given = _write_all(conversations, (closed_row(i, u) for i, u in enumerate(user_ids(closed))))
    rows = given + _write_all(conversations, (anonymous_row(i, given) for i in range(anonymous)))
    _write_all(
        messages,
        (
            messages.row(
                id=marked(c * 2 + k),
                conversation_id=marked(c),
                author="user" if k == 0 else "staff",
                channel="chat",
                body="A question." if k == 0 else "An answer.",
                attachments=[],
                created_at=now - timedelta(days=days * 2),
            )
            for c in range(rows)
            for k in range(2)
        ),
    )
    marks = {"subject": SUBJECT}
    return Seeded(
        "closed support conversations",
        "support conversations (closed; from people without an account), 2 messages each",
        rows,
        past_count(given) + past_count(anonymous),
        _counted(Conversation, **marks),
        _deleted(Conversation, **marks),
    )


def task_results(now: datetime, accounts: int) -> Seeded:
    from django_tasks_db.models import DBTaskResult

    count, columns = per(accounts, 100), Columns(DBTaskResult)

    def row(i: int) -> tuple[Any, ...]:
        finished = now - (
            timedelta(days=8 + i % 22) if is_past(i) else timedelta(hours=1 + i % 140)
        )
        return columns.row(
            id=marked(i),
            status="SUCCESSFUL",
            enqueued_at=finished - timedelta(seconds=2),
            started_at=finished - timedelta(seconds=1),
            finished_at=finished,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="bench.retention_seed.nothing",
            backend_name="default",
            run_after=finished - timedelta(seconds=2),
            exception_class_path="",
            traceback="",
        )

    _write_all(columns, (row(i) for i in range(count)))
    return _seeded(
        "finished background tasks",
        "finished background tasks",
        count,
        DBTaskResult,
        marked_range(),
    )


def task_mail(now: datetime, accounts: int) -> Seeded:
    from routinie.core.models import TaskMail

    count, columns = per(accounts, 100), Columns(TaskMail)
    _write_all(
        columns,
        (
            columns.row(
                task_id=marked(i),
                sent_at=now
                - (timedelta(days=8 + i % 22) if is_past(i) else timedelta(hours=1 + i % 140)),
            )
            for i in range(count)
        ),
    )
    return _seeded(
        "sent-mail records of background tasks",
        "sent-mail records of background tasks",
        count,
        TaskMail,
        marked_range(),
    )


def data_exports(now: datetime, accounts: int) -> Seeded:
    from routinie.privacy.models import DataExport

    columns = Columns(DataExport)

    def row(i: int, user_id: Any) -> tuple[Any, ...]:
        expires = now + (-timedelta(days=1 + i % 10) if is_past(i) else timedelta(days=1 + i % 6))
        return columns.row(
            id=marked(i),
            user_id=user_id,
            status="ready",
            progress=100,
            created_at=now - timedelta(days=12),
            finished_at=now - timedelta(days=11),
            expires_at=expires,
        )

    rows = _for_accounts(columns, per(accounts, 1000), row)
    return _seeded(
        "expired data exports",
        "data exports ready (no archive file)",
        rows,
        DataExport,
        marked_range(),
    )


def purge_runs(now: datetime, accounts: int) -> Seeded:
    from routinie.privacy.models import PurgeRun
    from routinie.privacy.retention import PURGE_RUNS_KEPT

    count, columns = 400, Columns(PurgeRun)

    def started(i: int) -> datetime:
        return now - (
            PURGE_RUNS_KEPT + timedelta(days=1 + i % 35)
            if is_past(i)
            else timedelta(days=1 + i % 360)
        )

    _write_all(
        columns,
        (
            columns.row(
                started_at=started(i),
                finished_at=started(i) + timedelta(seconds=5),
                dry_run=False,
                counts={PREFIX: i},
            )
            for i in range(count)
        ),
    )
    return _seeded(
        "old purge records",
        "purge records, one a day",
        count,
        PurgeRun,
        {"counts__has_key": PREFIX},
    )


def erasure_journal(now: datetime, accounts: int) -> Seeded:
    """Lines appended to the journal file (one write, one fsync): accounts erased long ago."""
    from routinie.privacy.erasure_journal import Erasure, ensure_exists, kept_for

    count, path = per(accounts, 100), ensure_exists()
    mark = str(marked(0, JOURNAL_MARK))[:18]  # the first 64 bits of the seeded ids, as text
    # The seeded sign-ups' deletions (by the purge, then the cleanup) are recorded too.
    sign_up = str(marked(0))[:18]

    def at(i: int) -> datetime:
        return now - (
            kept_for() + timedelta(days=1 + i % 30) if is_past(i) else timedelta(days=1 + i % 390)
        )

    lines = b"".join(Erasure(str(marked(i, JOURNAL_MARK)), at(i)).line() for i in range(count))
    with open(path, "ab") as journal:
        journal.write(lines)
        journal.flush()
        os.fsync(journal.fileno())

    def kept() -> int:
        return sum(1 for line in path.read_text().splitlines() if mark in line)

    def cleanup() -> None:
        lines = path.read_text().splitlines(keepends=True)
        path.write_text("".join(x for x in lines if mark not in x and sign_up not in x))

    return Seeded(
        "old erasure-journal records",
        "erasure-journal records",
        count,
        past_count(count),
        kept,
        cleanup,
    )


def seed(now: datetime, accounts: int) -> list[Seeded]:
    """Every retention's rows for `accounts` accounts, 10 % past their period."""
    from django.db import transaction

    with transaction.atomic():
        return [
            sessions(now, accounts),
            unconfirmed_sign_ups(now, accounts),
            password_resets(now, accounts),
            two_factor_setups(now, accounts),
            invoices(now, accounts),
            payment_events(now, accounts),
            *blog_comments(now, accounts),
            support_conversations(now, accounts),
            task_results(now, accounts),
            task_mail(now, accounts),
            data_exports(now, accounts),
            purge_runs(now, accounts),
            erasure_journal(now, accounts),
        ]
