"""The disclosure service (P09): the only way to release a user's data to anyone but that
user. It refuses unless a live consent or a legal-request record covers the recipient and every
category asked for, and logs every release. A refusal releases nothing and changes nothing."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import DomainError
from routinie.privacy.models import Consent, Disclosure, LegalRequest
from routinie.privacy.registry import TABLES


class DisclosureRefused(DomainError):
    status = 403


def _covered(categories: list[str], scope: Any) -> bool:
    return isinstance(scope, list) and set(categories) <= set(scope)


def _data_of(user: User, categories: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The user's personal fields in these registry categories, table by table."""
    released: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        if not table.owner:
            continue
        names = [
            name
            for name, rule in table.fields.items()
            # A secret is never released to anyone, whatever a record says: it would let
            # someone act as the user.
            if rule.personal and rule.category in categories and not rule.secret
        ]
        if names:
            model = apps.get_model(table.label)
            rows = model._default_manager.filter(**{table.owner: user.pk}).values(*names)
            released[table.label] = list(rows)
    return released


def disclose(
    *,
    user: User,
    recipient: str,
    categories: list[str],
    released_by: User | None,
    consent: Consent | None = None,
    legal_request: LegalRequest | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Release the user's data in `categories` to `recipient`, or raise DisclosureRefused."""
    if not categories:
        raise DisclosureRefused("Name the categories of data to release.")
    if consent is not None:
        consent.refresh_from_db()
        if consent.user_id != user.pk or consent.revoked_at is not None:
            raise DisclosureRefused("No live consent of this user covers this release.")
        if consent.recipient != recipient or not _covered(categories, consent.scope):
            raise DisclosureRefused("The consent does not cover this recipient or these data.")
    elif legal_request is not None:
        legal_request.refresh_from_db()
        if legal_request.user_id != user.pk or not _covered(categories, legal_request.scope):
            raise DisclosureRefused("The legal request does not cover this user or these data.")
    else:
        raise DisclosureRefused(
            "Refused: releasing a user's data needs their written consent or a legal obligation."
        )
    with transaction.atomic():
        data = _data_of(user, categories)
        Disclosure.objects.create(
            user=user,
            consent=consent,
            legal_request=legal_request,
            recipient=recipient,
            categories=sorted(categories),
            released_by=released_by,
        )
        if legal_request is not None and not legal_request.granted:
            LegalRequest.objects.filter(pk=legal_request.pk).update(granted=True)
    return data


def revoke_consent(*, consent: Consent) -> None:
    """The user took their permission back: no later release may rely on it."""
    Consent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@dataclass(frozen=True)
class Period:
    label: str
    legal_requests: int
    legal_requests_granted: int
    consent_disclosures: int


def _half(year: int, month: int) -> str:
    return f"{year} H{1 if month <= 6 else 2}"


def transparency_report() -> list[Period]:
    """Counts of requests and releases by half-year, naming no one."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    requests = (
        LegalRequest.objects.annotate(y=ExtractYear("received_at"), m=ExtractMonth("received_at"))
        .values("y", "m", "granted")
        .annotate(n=Count("id"))
    )
    for row in requests:
        half = _half(row["y"], row["m"])
        counts[half]["received"] += row["n"]
        if row["granted"]:
            counts[half]["granted"] += row["n"]
    releases = (
        Disclosure.objects.filter(consent__isnull=False)
        .annotate(y=ExtractYear("released_at"), m=ExtractMonth("released_at"))
        .values("y", "m")
        .annotate(n=Count("id"))
    )
    for release in releases:
        counts[_half(release["y"], release["m"])]["consent"] += release["n"]
    if not counts:
        today = date.today()
        counts[_half(today.year, today.month)]  # an explicit zero for the current half-year
    return [
        Period(label, c["received"], c["granted"], c["consent"])
        for label, c in sorted(counts.items(), reverse=True)
    ]
