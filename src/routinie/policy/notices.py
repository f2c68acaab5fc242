"""Notice e-mails about a new privacy policy version (P15): one per account, sent in batches
through the task queue, each recorded as it is sent and never sent twice.

`queue_notice_batches` splits the accounts still to tell into key ranges, one task each, so
several workers share the work. A worker killed mid-batch leaves its task "running" for good;
`sweep_policy_notices` (queued with the fan-out, re-queued until everyone is told) notices the
accounts left out and queues their ranges again. `routinie.core.mail_once` makes each message
count once even when a worker dies between sending and recording.
"""

from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from routinie.accounts.models import User
from routinie.core.account_jobs import Failures
from routinie.core.mail import RenderedMail, mail_domain, render_mail
from routinie.core.mail_once import Outgoing, Stamp, send_each_once
from routinie.core.periodic import is_waiting, one_at_a_time
from routinie.policy.models import PolicyNotice, PolicyVersion


def accounts_to_notify(version: PolicyVersion) -> QuerySet[User]:
    told = PolicyNotice.objects.filter(user=OuterRef("pk"), version=version)
    return User.objects.filter(~Exists(told))


def _headers(message_id: str) -> dict[str, str]:
    return {"Message-ID": message_id, "Auto-Submitted": "auto-generated"}


def notice_mail(version: PolicyVersion, previous: int | None) -> RenderedMail:
    """The notice, the same for everyone (rendered once per batch; it names no one)."""
    changes = f"/privacy/changes/?from={previous}&to={version.version}" if previous else ""
    return render_mail(
        template="policy/email/notice",
        context={
            "version": version,
            "notice_days": settings.POLICY_NOTICE_DAYS,
            "version_url": f"{settings.SITE_URL}/privacy/versions/{version.version}/",
            "changes_url": f"{settings.SITE_URL}{changes}" if changes else "",
            "account_url": f"{settings.SITE_URL}/account/",
        },
    )


def _outgoing(user: User, version: PolicyVersion, mail: RenderedMail, stamp: Stamp) -> Outgoing:
    message_id = make_msgid(idstring=f"policy-v{version.version}", domain=mail_domain())
    message = mail.to(user.email, headers=_headers(message_id))

    def record() -> bool:
        try:
            with transaction.atomic():
                PolicyNotice.objects.create(
                    user=user, version=version, sent_at=timezone.now(), message_id=message_id
                )
        except IntegrityError:
            return False
        return True

    def unrecord() -> None:
        PolicyNotice.objects.filter(user=user, version=version, message_id=message_id).delete()

    return Outgoing(message, record, unrecord, stamp.data_for(user.email, message_id))


def send_notices_in_range(*, version: PolicyVersion, first: str, last: str) -> int:
    """E-mail every account with `first <= id <= last` not told yet; returns how many now."""
    users = list(
        accounts_to_notify(version)
        .filter(pk__gte=first, pk__lte=last)
        .order_by("pk")
        .only("id", "email")
    )
    previous = (
        PolicyVersion.objects.filter(published_at__isnull=False, version__lt=version.version)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    if not users:
        return 0
    mail = notice_mail(version, previous)
    stamp = Stamp(lambda to, message_id: mail.to(to, headers=_headers(message_id)))
    # One address the server refuses is skipped and reported by the account's id; the others
    # are told (the sweep tries the skipped one again later).
    failed = Failures(f"Policy notices v{version.version}")
    pairs = [(user.pk, _outgoing(user, version, mail, stamp)) for user in users]
    account_of = {id(item): pk for pk, item in pairs}
    return send_each_once(
        (item for _, item in pairs),
        on_refused=lambda item, error: failed.add(f"account {account_of[id(item)]}", error),
    )


def queue_notice_batches(*, version: PolicyVersion) -> int:
    """Queue one task per range of up to POLICY_NOTICE_BATCH accounts still to tell."""
    size = settings.POLICY_NOTICE_BATCH
    ids = accounts_to_notify(version).order_by("pk").values_list("pk", flat=True)
    queued = 0
    batch: list[str] = []
    for user_id in ids.iterator(chunk_size=10_000):
        batch.append(str(user_id))
        if len(batch) == size:
            send_notice_batch.enqueue(version.pk, batch[0], batch[-1])
            queued += 1
            batch = []
    if batch:
        send_notice_batch.enqueue(version.pk, batch[0], batch[-1])
        queued += 1
    return queued


@task()
def start_policy_notices(version_id: int) -> int:
    """The fan-out: queue the batches, and the sweep that finishes what a dead worker left."""
    version = PolicyVersion.objects.filter(pk=version_id).first()
    if version is None:
        return 0
    queued = queue_notice_batches(version=version)
    _queue_sweep(version_id)
    return queued


@task()
def send_notice_batch(version_id: int, first: str, last: str) -> int:
    version = PolicyVersion.objects.filter(pk=version_id).first()
    if version is None:
        return 0
    return send_notices_in_range(version=version, first=first, last=last)


def _queue_sweep(version_id: int) -> None:
    """Queue the version's next sweep, unless one waits already (the fan-out or a sweep run
    twice, after its worker died or on two workers at once, must not start a second chain of
    sweeps)."""
    path = sweep_policy_notices.module_path
    with one_at_a_time(f"{path}:{version_id}"):  # fan-outs on several workers at once
        waiting = DBTaskResult.objects.filter(
            task_path=path, status="READY", args_kwargs__args__0=version_id
        )
        if waiting.exists():
            return
        delay = timedelta(seconds=settings.POLICY_NOTICE_SWEEP_SECONDS)
        sweep_policy_notices.using(run_after=timezone.now() + delay).enqueue(version_id)


@task()
def sweep_policy_notices(version_id: int) -> int:
    """Queue again the accounts no batch told (a worker died), until every account is told."""
    version = PolicyVersion.objects.filter(pk=version_id).first()
    if version is None or not accounts_to_notify(version).exists():
        return 0
    queued = 0 if is_waiting(send_notice_batch) else queue_notice_batches(version=version)
    _queue_sweep(version_id)
    return queued


def notify_new_account(user: User) -> None:
    """An account created while a version is announced but not yet in force is told too."""
    upcoming = PolicyVersion.objects.filter(
        announced_at__isnull=False, effective_at__gt=timezone.now()
    ).values_list("pk", flat=True)
    for version_id in upcoming:
        send_notice_batch.enqueue(version_id, str(user.pk), str(user.pk))
