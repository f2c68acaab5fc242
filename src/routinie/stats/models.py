"""Statistics tables.

`KeyFigures` holds each account's key figures under a pseudonym (P05): no user id, name or
e-mail address. Everything shown to staff or the public is a `Release` of `ReleasedFigure`s,
made once by the anonymity layer and then only read (P04): a figure's noise is drawn once, so
reloading a page never draws it again. `BudgetSpend` is the ledger of the privacy budget.
"""

from django.db import models
from django.utils.timezone import now


class KeyFigures(models.Model):
    """One account's key figures, keyed by a keyed hash of its id (see pseudonyms.py).

    "30d" figures cover the last 30 days in the account's time zone (today included).
    """

    pseudonym = models.CharField(max_length=32, primary_key=True)
    key_id = models.CharField(max_length=8)  # which pseudonym key made `pseudonym`
    entries_total = models.PositiveIntegerField(default=0)
    entries_30d = models.PositiveIntegerField(default=0)
    seconds_total = models.PositiveBigIntegerField(default=0)
    seconds_30d = models.PositiveBigIntegerField(default=0)
    projects_total = models.PositiveIntegerField(default=0)
    projects_30d = models.PositiveIntegerField(default=0)  # projects with an entry in 30 days
    routines_total = models.PositiveIntegerField(default=0)
    routines_30d = models.PositiveIntegerField(default=0)  # routines checked in within 30 days
    checkins_total = models.PositiveIntegerField(default=0)
    checkins_30d = models.PositiveIntegerField(default=0)
    active_days_total = models.PositiveIntegerField(default=0)
    active_days_30d = models.PositiveIntegerField(default=0)
    # The schedule kinds of the account's routines in use, as bits (see activity.KIND_BITS).
    routine_kinds = models.PositiveSmallIntegerField(default=0)
    # Seconds of the last 30 days' entries by the local weekday they started on.
    seconds_30d_mon = models.PositiveBigIntegerField(default=0)
    seconds_30d_tue = models.PositiveBigIntegerField(default=0)
    seconds_30d_wed = models.PositiveBigIntegerField(default=0)
    seconds_30d_thu = models.PositiveBigIntegerField(default=0)
    seconds_30d_fri = models.PositiveBigIntegerField(default=0)
    seconds_30d_sat = models.PositiveBigIntegerField(default=0)
    seconds_30d_sun = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField()  # when these figures were computed (unchanged since)

    class Meta:
        verbose_name_plural = "key figures"

    def __str__(self) -> str:
        return "key figures of one pseudonymous account"


class KeyFiguresRun(models.Model):
    """One computation of the key figures, as counts only."""

    started_at = models.DateTimeField(default=now)
    finished_at = models.DateTimeField(null=True, blank=True)
    accounts = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"key figures computed at {self.started_at:%Y-%m-%d %H:%M}"


class Release(models.Model):
    """A set of figures published at once, to the public or to staff."""

    class Audience(models.TextChoices):
        PUBLIC = "public"
        STAFF = "staff"

    audience = models.CharField(max_length=8, choices=Audience.choices)
    released_at = models.DateTimeField(default=now)
    data_as_of = models.DateTimeField()  # when the key figures behind it were computed
    k = models.PositiveSmallIntegerField()
    epsilon = models.FloatField(default=0.0)  # what the release spent of the budget

    class Meta:
        indexes = [models.Index(fields=["audience", "-released_at"])]

    def __str__(self) -> str:
        return f"{self.audience} release of {self.released_at:%Y-%m-%d %H:%M}"


class ReleasedFigure(models.Model):
    """One published figure: its values after suppression, noise and rounding, and its rule.

    `values` is a list of {"key", "label", "value", "withheld"}: `value` is null when the
    figure (or that bucket) is withheld, and `withheld` says why ("k" or "noise").
    """

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="figures")
    name = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=40)  # e.g. "k", "k + dp", "k + dp + lower bound"
    epsilon = models.FloatField(null=True, blank=True)
    sensitivity = models.FloatField(null=True, blank=True)
    noise_scale = models.FloatField(null=True, blank=True)
    margin = models.FloatField(null=True, blank=True)  # subtracted before rounding down
    values = models.JSONField(default=list)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="figure_once_per_release"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetSpend(models.Model):
    """The privacy-budget ledger: what each public release spent, and when."""

    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="spend")
    epsilon = models.FloatField()
    spent_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["spent_at"])]

    def __str__(self) -> str:
        return f"epsilon {self.epsilon} at {self.spent_at:%Y-%m-%d}"
