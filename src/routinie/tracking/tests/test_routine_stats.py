"""Routine statistics: streaks, completion rate, strength, weekday counts and the heatmap."""

import math
import time
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from routinie.tracking.routines.stats import (
    Mark,
    RoutineStats,
    Schedule,
    heatmap,
    is_due,
    routine_stats,
    strength_series,
    weekday_frequency,
)

MONDAY = date(2024, 1, 1)
DONE = Mark("done")
SKIPPED = Mark("skipped")
NOTE = Mark("note")
DAILY_MULTIPLIER = 0.5 ** (math.sqrt(1 / 1) / 13)


def day(offset):
    """The day `offset` days after Monday 2024-01-01."""
    return MONDAY + timedelta(days=offset)


def daily(starts=0):
    return Schedule("daily", starts_on=day(starts))


def weekly(count, starts=0):
    return Schedule("times_per_week", starts_on=day(starts), count=count)


def done_on(*offsets):
    return {day(offset): DONE for offset in offsets}


def streaks(schedule, marks, today, target=None):
    stats = routine_stats(schedule, marks, day(today), target)
    return stats.current_streak, stats.best_streak


def rate(schedule, marks, today, target=None):
    return routine_stats(schedule, marks, day(today), target).completion_rate_30d


def scores(schedule, marks, today, target=None):
    return [score for _, score in strength_series(schedule, marks, day(today), target)]


# --- Due days --------------------------------------------------------------------------------


def test_a_daily_routine_is_due_every_day():
    assert [is_due(daily(), day(offset)) for offset in range(-2, 8)] == [True] * 10


def test_a_weekdays_routine_is_due_on_its_chosen_days_only():
    schedule = Schedule("weekdays", starts_on=MONDAY, days=frozenset({0, 2, 4}))
    due = [is_due(schedule, day(offset)) for offset in range(7)]
    assert due == [True, False, True, False, True, False, False]


def test_every_n_days_counts_from_the_start_and_backwards_before_it():
    schedule = Schedule("every_n_days", starts_on=day(0), n=3)
    due = [offset for offset in range(-7, 8) if is_due(schedule, day(offset))]
    assert due == [-6, -3, 0, 3, 6]


def test_times_per_week_accepts_any_day():
    assert [is_due(weekly(3), day(offset)) for offset in range(7)] == [True] * 7


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule("monthly", starts_on=MONDAY),
        Schedule("weekdays", starts_on=MONDAY),
        Schedule("weekdays", starts_on=MONDAY, days=frozenset({7})),
        Schedule("times_per_week", starts_on=MONDAY, count=0),
        Schedule("times_per_week", starts_on=MONDAY, count=8),
        Schedule("every_n_days", starts_on=MONDAY, n=0),
    ],
)
def test_a_schedule_the_rules_cannot_evaluate_is_refused(schedule):
    with pytest.raises(ValueError):
        is_due(schedule, MONDAY)
    with pytest.raises(ValueError):
        routine_stats(schedule, {}, MONDAY)


def test_a_target_of_zero_is_refused():
    with pytest.raises(ValueError):
        routine_stats(daily(), done_on(0), day(0), target=0)
    with pytest.raises(ValueError):
        heatmap({}, day(0), day(1), target=0)


def test_an_unknown_check_in_status_is_refused():
    with pytest.raises(ValueError):
        routine_stats(daily(), {day(0): Mark("maybe")}, day(0))


# --- Effective start -------------------------------------------------------------------------


def test_a_back_filled_check_in_moves_the_start_earlier():
    marks = done_on(2, 3, 4, 5)
    assert streaks(daily(starts=5), marks, today=5) == (4, 4)
    series = strength_series(daily(starts=5), marks, day(5))
    assert [when for when, _ in series] == [day(2), day(3), day(4), day(5)]


def test_days_before_the_start_do_not_exist():
    stats = routine_stats(daily(starts=10), done_on(10, 11, 12), day(12))
    assert stats.current_streak == 3
    assert stats.completion_rate_30d == 1.0
    assert len(strength_series(daily(starts=10), done_on(10, 11, 12), day(12))) == 3


def test_a_routine_that_starts_after_today_has_no_stats_yet():
    stats = routine_stats(daily(starts=5), {}, day(0))
    assert stats == RoutineStats(
        current_streak=0, best_streak=0, completion_rate_30d=0.0, strength=0.0
    )
    assert strength_series(daily(starts=5), {}, day(0)) == []


# --- Streaks: daily, weekdays, every n days --------------------------------------------------


def test_due_days_done_in_a_row_make_the_streak():
    assert streaks(daily(), done_on(0, 1, 2), today=2) == (3, 3)


def test_a_day_the_routine_is_not_due_never_breaks_the_streak():
    schedule = Schedule("weekdays", starts_on=MONDAY, days=frozenset({0, 2, 4}))
    assert streaks(schedule, done_on(0, 2, 4), today=6) == (3, 3)


def test_a_skipped_day_keeps_the_streak_but_does_not_extend_it():
    marks = {day(0): DONE, day(1): SKIPPED, day(2): DONE}
    assert streaks(daily(), marks, today=2) == (2, 2)


def test_today_without_a_check_in_keeps_the_streak_open():
    assert streaks(daily(), done_on(0, 1, 2), today=3) == (3, 3)


def test_a_done_today_counts_in_the_streak():
    assert streaks(daily(), done_on(0, 1, 2, 3), today=3) == (4, 4)


def test_a_past_due_day_without_a_check_in_breaks_the_streak():
    assert streaks(daily(), done_on(0, 1, 3), today=3) == (1, 2)


def test_a_note_counts_as_not_done_and_breaks_the_streak():
    marks = {day(0): DONE, day(1): NOTE, day(2): DONE}
    assert streaks(daily(), marks, today=2) == (1, 1)


def test_a_note_today_breaks_the_streak():
    marks = {day(0): DONE, day(1): NOTE}
    assert streaks(daily(), marks, today=1) == (0, 1)


def test_a_done_on_a_day_that_is_not_due_is_ignored():
    mondays = Schedule("weekdays", starts_on=MONDAY, days=frozenset({0}))
    assert streaks(mondays, done_on(0, 1, 7), today=7) == (2, 2)
    # Nor does it stand in for a missed due day.
    assert streaks(mondays, done_on(0, 8), today=8) == (0, 1)


def test_every_n_days_counts_only_its_own_days():
    every_other_day = Schedule("every_n_days", starts_on=day(0), n=2)
    assert streaks(every_other_day, done_on(0, 2, 4), today=4) == (3, 3)
    assert streaks(every_other_day, done_on(0, 4), today=4) == (1, 1)


def test_back_filled_days_before_the_start_follow_the_every_n_days_rhythm():
    every_other_day = Schedule("every_n_days", starts_on=day(4), n=2)
    assert streaks(every_other_day, done_on(0, 2, 4), today=4) == (3, 3)
    # Day 1 is off the rhythm: it only moves the start back.
    assert streaks(every_other_day, done_on(1, 2, 4), today=4) == (2, 2)


# --- Streaks: numeric routines ---------------------------------------------------------------


def test_a_numeric_done_reaching_the_target_counts():
    marks = {day(0): Mark("done", 10), day(1): Mark("done", 12)}
    assert streaks(daily(), marks, today=1, target=10) == (2, 2)


def test_a_numeric_done_below_the_target_is_partial_and_breaks_the_streak():
    marks = {day(0): Mark("done", 10), day(1): Mark("done", 5), day(2): Mark("done", 10)}
    assert streaks(daily(), marks, today=2, target=10) == (1, 1)
    assert rate(daily(), marks, today=2, target=10) == 2.5 / 3


def test_a_numeric_done_without_a_value_is_partial():
    assert streaks(daily(), {day(0): DONE}, today=0, target=10) == (0, 0)
    assert heatmap({day(0): DONE}, day(0), day(0), target=10) == [(day(0), "partial")]


def test_without_a_target_the_value_does_not_matter():
    assert streaks(daily(), {day(0): Mark("done", 0.1)}, today=0) == (1, 1)


# --- Streaks: times per week -----------------------------------------------------------------


def test_weeks_with_enough_done_days_make_a_streak_of_their_done_days():
    assert streaks(weekly(3), done_on(0, 2, 4, 7, 9, 11), today=14) == (6, 6)


def test_a_week_with_too_few_done_days_breaks_the_streak():
    assert streaks(weekly(3), done_on(0, 2, 4, 7, 9), today=14) == (0, 3)


def test_the_week_in_progress_never_breaks_the_streak_and_adds_its_done_days():
    assert streaks(weekly(3), done_on(0, 2, 4), today=9) == (3, 3)
    assert streaks(weekly(3), done_on(0, 2, 4, 7), today=9) == (4, 4)


def test_skipped_days_lower_what_a_week_needs():
    marks = {**done_on(0, 2), day(4): SKIPPED}
    assert streaks(weekly(3), marks, today=7) == (2, 2)


def test_a_skipped_week_of_vacation_is_neutral():
    vacation = {day(offset): SKIPPED for offset in (7, 8, 9)}
    marks = {**done_on(0, 2, 4, 14, 16, 18), **vacation}
    assert streaks(weekly(3), marks, today=21) == (6, 6)


def test_a_first_week_cut_by_the_start_needs_its_share_rounded_up():
    # Starting on Friday leaves 3 days: 3 x 3 / 7 rounds up to 2.
    assert streaks(weekly(3, starts=4), done_on(4, 5, 7, 9, 11), today=14) == (5, 5)
    assert streaks(weekly(3, starts=4), done_on(4, 7, 9, 11), today=14) == (3, 3)


def test_the_best_weekly_streak_is_the_longest_run_of_met_weeks():
    marks = done_on(0, 2, 4, 7, 8, 9, 10, 14, 21, 23, 25, 28)
    assert streaks(weekly(3), marks, today=28) == (4, 7)


def test_partial_numeric_days_do_not_meet_a_week():
    marks = {day(0): Mark("done", 10), day(2): Mark("done", 10), day(4): Mark("done", 9)}
    assert streaks(weekly(3), marks, today=7, target=10) == (0, 0)


# --- Completion rate -------------------------------------------------------------------------


def test_the_completion_rate_looks_at_the_last_30_days_only():
    marks = {**done_on(*range(40)), day(59): DONE}
    assert rate(daily(), marks, today=59) == 11 / 30


def test_today_without_a_check_in_is_left_out_of_the_rate():
    assert rate(daily(), done_on(0, 1, 2, 3), today=4) == 1.0
    assert rate(daily(), {**done_on(0, 1, 2, 3), day(4): NOTE}, today=4) == 4 / 5


def test_skipped_days_are_left_out_of_the_rate():
    marks = {day(0): DONE, day(1): SKIPPED, day(3): DONE}
    assert rate(daily(), marks, today=3) == 2 / 3


def test_the_rate_counts_due_days_only():
    mondays = Schedule("weekdays", starts_on=MONDAY, days=frozenset({0}))
    assert rate(mondays, done_on(0, 1, 7), today=15) == 2 / 3


def test_a_rate_with_nothing_expected_is_zero():
    assert rate(daily(), {}, today=0) == 0.0
    assert rate(daily(), {day(0): SKIPPED, day(1): SKIPPED}, today=1) == 0.0


def test_numeric_values_count_their_share_of_the_target_at_most_once():
    marks = {day(0): Mark("done", 30), day(2): Mark("done", 2.5)}
    assert rate(daily(), marks, today=2, target=10) == 1.25 / 3


def test_the_weekly_rate_compares_done_days_with_the_share_of_the_window():
    # 14 days at 3 a week expect 6.
    assert rate(weekly(3), done_on(0, 2, 4, 7, 9), today=13) == 5 / 6
    assert rate(weekly(3), {**done_on(0, 2, 4, 7, 9), day(11): SKIPPED}, today=13) == 1.0


def test_the_weekly_rate_is_capped_at_one():
    assert rate(weekly(3), done_on(*range(14)), today=13) == 1.0


def test_the_weekly_rate_with_nothing_expected_is_zero():
    assert rate(weekly(1), {day(0): SKIPPED}, today=0) == 0.0


# --- Strength --------------------------------------------------------------------------------


def test_strength_starts_at_zero_and_stays_there_without_done_days():
    assert scores(daily(), {day(1): NOTE}, today=2) == [0.0, 0.0, 0.0]


def test_a_perfect_daily_habit_passes_08_after_about_30_days():
    month = scores(daily(), done_on(*range(31)), today=30)
    assert month[-1] == round(1 - DAILY_MULTIPLIER**31, 4)
    assert month[-1] > 0.8
    assert month[-2] < 0.8


def test_each_done_day_moves_the_score_towards_one():
    assert scores(daily(), done_on(0, 1), today=1) == [
        round(1 - DAILY_MULTIPLIER, 4),
        round(1 - DAILY_MULTIPLIER**2, 4),
    ]


def test_a_missed_day_lowers_the_strength_a_little():
    first, missed, _ = scores(daily(), done_on(0, 2), today=2)
    assert missed == round((1 - DAILY_MULTIPLIER) * DAILY_MULTIPLIER, 4)
    assert 0 < missed < first


def test_a_skipped_day_freezes_the_strength():
    first, skipped, _ = scores(daily(), {day(0): DONE, day(1): SKIPPED, day(2): DONE}, today=2)
    assert skipped == first


def test_today_without_a_check_in_leaves_the_strength_unchanged():
    assert scores(daily(), done_on(0), today=1) == [round(1 - DAILY_MULTIPLIER, 4)] * 2


def test_a_partial_numeric_day_counts_its_share_of_the_target():
    only_day = scores(daily(), {day(0): Mark("done", 5)}, today=0, target=10)
    assert only_day == [round(0.5 * (1 - DAILY_MULTIPLIER), 4)]


def test_less_than_daily_habits_look_at_twice_their_period():
    # 3 a week reads as 6 in 14 days: one done day is 1/6 of the way, not 1/3.
    multiplier = 0.5 ** (math.sqrt(3 / 7) / 13)
    first = (1 / 6) * (1 - multiplier)
    second = first * multiplier + (2 / 6) * (1 - multiplier)
    assert scores(weekly(3), done_on(0, 1), today=1) == [round(first, 4), round(second, 4)]


def test_done_days_leave_the_rolling_window_after_the_period():
    # Every 2 days reads as 2 in 4 days: day 0 counts for days 0 to 3, then drops out.
    every_other_day = Schedule("every_n_days", starts_on=day(0), n=2)
    multiplier = 0.5 ** (math.sqrt(1 / 2) / 13)
    expected = []
    score = 0.0
    for share in [0.5, 0.5, 0.5, 0.5, 0.0]:
        score = score * multiplier + share * (1 - multiplier)
        expected.append(round(score, 4))
    marks = {day(0): DONE, day(4): NOTE}
    assert scores(every_other_day, marks, today=4) == expected


def test_the_strength_series_ends_with_the_routine_strength():
    marks = {**done_on(0, 1, 3, 4, 5), day(2): SKIPPED}
    series = strength_series(daily(), marks, day(5))
    assert [when for when, _ in series] == [day(offset) for offset in range(6)]
    assert series[-1][1] == routine_stats(daily(), marks, day(5)).strength


# --- Weekday frequency and heatmap -----------------------------------------------------------


def test_weekday_frequency_counts_done_check_ins_monday_first():
    marks = {**done_on(0, 7, 2, 13), day(1): SKIPPED, day(3): NOTE}
    assert weekday_frequency(marks) == [2, 0, 1, 0, 0, 0, 1]


def test_weekday_frequency_of_no_check_ins_is_all_zero():
    assert weekday_frequency({}) == [0] * 7


def test_the_heatmap_gives_every_day_its_state():
    marks = {
        day(1): Mark("done", 12),
        day(2): SKIPPED,
        day(3): NOTE,
        day(5): Mark("done", 5),
        day(6): Mark("done", 10),
    }
    assert heatmap(marks, day(0), day(7), target=10) == [
        (day(0), "empty"),
        (day(1), "done"),
        (day(2), "skipped"),
        (day(3), "note"),
        (day(4), "missed"),
        (day(5), "partial"),
        (day(6), "done"),
        (day(7), "empty"),
    ]


def test_the_heatmap_without_a_target_shows_any_done_as_done():
    assert heatmap({day(0): Mark("done", 1)}, day(0), day(0)) == [(day(0), "done")]


def test_the_heatmap_of_no_check_ins_is_empty_days():
    assert heatmap({}, day(0), day(2)) == [(day(0), "empty"), (day(1), "empty"), (day(2), "empty")]
    assert heatmap({}, day(2), day(0)) == []


# --- Properties ------------------------------------------------------------------------------

SPAN = 80
offsets = st.integers(min_value=0, max_value=SPAN)
values = st.none() | st.floats(min_value=0, max_value=20, allow_nan=False)
any_marks = st.dictionaries(
    offsets.map(day), st.builds(Mark, st.sampled_from(["done", "skipped", "note"]), values)
)
targets = st.none() | st.floats(min_value=0.5, max_value=10, allow_nan=False)
weekdays_schedules = st.builds(
    Schedule,
    kind=st.just("weekdays"),
    starts_on=offsets.map(day),
    days=st.frozensets(st.integers(0, 6), min_size=1, max_size=6),
)
every_n_days_schedules = st.builds(
    Schedule, kind=st.just("every_n_days"), starts_on=offsets.map(day), n=st.integers(2, 10)
)
any_schedules = st.one_of(
    st.builds(Schedule, kind=st.just("daily"), starts_on=offsets.map(day)),
    weekdays_schedules,
    st.builds(
        Schedule,
        kind=st.just("times_per_week"),
        starts_on=offsets.map(day),
        count=st.integers(1, 7),
    ),
    every_n_days_schedules,
)


@given(any_schedules, any_marks, offsets, targets)
def test_the_stats_stay_within_their_bounds(schedule, marks, today, target):
    stats = routine_stats(schedule, marks, day(today), target)
    assert stats.best_streak >= stats.current_streak >= 0
    assert 0 <= stats.completion_rate_30d <= 1
    assert 0 <= stats.strength <= 1
    series = strength_series(schedule, marks, day(today), target)
    assert all(0 <= score <= 1 for _, score in series)
    assert (series[-1][1] if series else 0.0) == stats.strength


@given(weekdays_schedules | every_n_days_schedules, any_marks, offsets, offsets, targets, values)
def test_a_done_on_a_day_that_is_not_due_never_changes_the_streaks(
    schedule, marks, today, extra, target, value
):
    assume(extra <= today and not is_due(schedule, day(extra)))
    with_extra = {**marks, day(extra): Mark("done", value)}
    assert streaks(schedule, with_extra, today, target) == streaks(schedule, marks, today, target)


@given(offsets, any_marks, offsets, offsets)
def test_doing_a_missed_daily_day_never_lowers_the_current_streak(starts, marks, today, missed):
    assume(missed < today and day(missed) not in marks)
    before, _ = streaks(daily(starts), marks, today)
    after, _ = streaks(daily(starts), {**marks, day(missed): DONE}, today)
    assert after >= before


@given(offsets, any_marks, st.integers(min_value=1, max_value=40), st.sampled_from([None, NOTE]))
def test_k_done_days_in_a_row_ending_today_make_a_streak_of_k(starts, marks, k, before_run):
    today = SPAN + 40
    earlier = {when: mark for when, mark in marks.items() if when < day(today - k)}
    run = {day(today - offset): DONE for offset in range(k)}
    marks = {**earlier, **run}
    if before_run is not None:
        marks[day(today - k)] = before_run
    current, best = streaks(daily(starts), marks, today)
    assert current == k
    assert best >= k


@given(weekdays_schedules, any_marks, st.sets(offsets.map(day)), offsets, st.data())
def test_check_ins_on_days_that_are_not_due_never_break_streaks(
    schedule, marks, off_days, today, data
):
    on_due_days = {when: mark for when, mark in marks.items() if is_due(schedule, when)}
    off_day_statuses = st.sampled_from([NOTE, SKIPPED])
    off_due_days = {
        when: data.draw(off_day_statuses) for when in off_days if not is_due(schedule, when)
    }
    assert streaks(schedule, {**on_due_days, **off_due_days}, today) == streaks(
        schedule, on_due_days, today
    )


# --- Performance -----------------------------------------------------------------------------


def test_ten_years_of_daily_check_ins_compute_quickly():
    marks = {day(offset): Mark("done", 8.0) for offset in range(3653) if offset % 11}
    started = time.perf_counter()
    stats = routine_stats(daily(), marks, day(3652), target=10)
    elapsed = time.perf_counter() - started
    print(f"10 years, {len(marks)} check-ins: routine_stats took {elapsed * 1000:.1f} ms")
    assert stats.best_streak == 0  # 8 of 10 is partial: nothing counts as done
    marks = {day(offset): DONE for offset in range(3653) if offset % 11}
    started = time.perf_counter()
    stats = routine_stats(daily(), marks, day(3652))
    elapsed = time.perf_counter() - started
    print(f"10 years, {len(marks)} check-ins: routine_stats took {elapsed * 1000:.1f} ms")
    assert stats.best_streak == 10
