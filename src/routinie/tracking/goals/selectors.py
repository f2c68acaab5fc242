"""Reads of goals and their progress: the worked time of each goal's project or tag in its
period, for all of a person's goals at once (`reports.selectors.worked_seconds_by`: one query a
period, whatever the number of goals)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from django.db.models import Exists, Q, QuerySet

from routinie.accounts.models import User
from routinie.core.pagination import Page, oldest_first
from routinie.tracking.calendar import today_for
from routinie.tracking.goals.periods import period_days, period_of_range
from routinie.tracking.models import Goal
from routinie.tracking.ownership import owned
from routinie.tracking.reports.selectors import tagged, worked_seconds_by
from routinie.tracking.routines.wording import duration_text


def goal_length_text(seconds: int) -> str:
    """A goal's hours in words, to the minute: "0 min", "45 min", "6 h 30 min", "10 h"."""
    return duration_text(seconds // 60 * 60) if seconds >= 60 else "0 min"


@dataclass(frozen=True)
class GoalProgress:
    """A goal with its period (local days first..last) and the time worked towards it there."""

    goal: Goal
    first: date
    last: date
    progress_seconds: int
    ended: bool = False  # a past period (a report's): its goal was met or not, no more to go

    @property
    def remaining_seconds(self) -> int:
        return max(0, self.goal.seconds - self.progress_seconds)

    @property
    def met(self) -> bool:
        return self.progress_seconds >= self.goal.seconds

    @property
    def shown_seconds(self) -> int:
        """The progress bar's value (a bar holds at most its maximum)."""
        return min(self.progress_seconds, self.goal.seconds)

    @property
    def text(self) -> str:
        """ "6 h 30 min of 10 h": the bar's text for screen readers and its caption."""
        return f"{goal_length_text(self.progress_seconds)} of {goal_length_text(self.goal.seconds)}"

    @property
    def goal_text(self) -> str:
        """ "10 h a week" """
        return f"{goal_length_text(self.goal.seconds)} a {self.goal.period}"

    @property
    def remaining_text(self) -> str:
        return goal_length_text(self.remaining_seconds)

    @property
    def target_label(self) -> str:
        goal = self.goal
        return goal.project.name if goal.project is not None else f"#{goal.tag}"


def goals_of(user: User) -> QuerySet[Goal]:
    """The user's goals, oldest first, with their projects."""
    return owned(Goal, user).select_related("project").order_by("created_at", "id")


def goals_page(*, user: User, cursor: str | None, limit: int | None) -> Page[Goal]:
    """A page of the user's goals, oldest first (as the projects' list)."""
    return oldest_first(owned(Goal, user).select_related("project"), cursor=cursor, limit=limit)


def _counts(goal: Goal) -> Q | Exists:
    """The entries a goal counts: of its project, or with its tag."""
    return Q(project_id=goal.project_id) if goal.project_id else tagged(goal.tag)


def progress_in(
    user: User, goals: Iterable[Goal], period_span: Callable[[str], tuple[date, date] | None]
) -> list[GoalProgress]:
    """Each goal's progress in the span `period_span` gives its period (a goal whose period
    has no span is left out), in the goals' order: one query a period."""
    goals = list(goals)
    spans = {period: period_span(period) for period in {g.period for g in goals}}
    totals: dict[str, dict[UUID, int]] = {}
    for period, span in spans.items():
        if span is not None:
            conditions = {g.pk: _counts(g) for g in goals if g.period == period}
            totals[period] = worked_seconds_by(
                user=user, first=span[0], last=span[1], conditions=conditions
            )
    return [
        GoalProgress(goal, *span, totals[goal.period][goal.pk])
        for goal in goals
        if (span := spans[goal.period]) is not None
    ]


def current_progress(user: User, goals: Iterable[Goal]) -> list[GoalProgress]:
    """Each goal's progress in its current week or month (the person's zone and week start),
    the running timer counted up to now."""
    today = today_for(user)
    week_start = getattr(user, "week_start", 0)
    return progress_in(user, goals, lambda period: period_days(period, today, week_start))


def goals_of_range(user: User, first: date, last: date) -> list[GoalProgress]:
    """When local days first..last are exactly a week (from the person's week start) or a
    calendar month, its goals' progress there (a past period's too); else none."""
    period = period_of_range(first, last, getattr(user, "week_start", 0))
    if period is None:
        return []
    goals = goals_of(user).filter(period=period)
    ended = last < today_for(user)
    return [
        replace(item, ended=ended)
        for item in progress_in(user, goals, lambda _period: (first, last))
    ]
