"""Streaks: pure functions over the days someone was active."""

from datetime import date, timedelta

import pytest

from app.gamification.streaks import current_streak, longest_streak, streak_ending

TODAY = date(2026, 3, 4)


def _run(last: date, length: int) -> list[date]:
    return [last - timedelta(days=n) for n in range(length)]


def test_no_activity_means_no_streak():
    assert current_streak([], TODAY) == 0
    assert longest_streak([]) == 0
    assert streak_ending([], TODAY) == 0


def test_a_single_day():
    assert current_streak([TODAY], TODAY) == 1
    assert longest_streak([TODAY]) == 1


def test_the_streak_ending_today():
    assert current_streak(_run(TODAY, 5), TODAY) == 5


def test_the_streak_still_stands_before_todays_first_action():
    assert current_streak(_run(TODAY - timedelta(days=1), 4), TODAY) == 4


def test_a_missed_day_breaks_the_current_streak():
    assert current_streak(_run(TODAY - timedelta(days=2), 10), TODAY) == 0


def test_only_the_run_ending_now_counts_as_current():
    days = _run(TODAY, 3) + _run(TODAY - timedelta(days=5), 20)
    assert current_streak(days, TODAY) == 3
    assert longest_streak(days) == 20


def test_duplicates_and_order_do_not_matter():
    days = [TODAY, TODAY - timedelta(days=2), TODAY, TODAY - timedelta(days=1)]
    assert current_streak(reversed(days), TODAY) == 3
    assert longest_streak(days) == 3


def test_generators_are_read_once_safely():
    assert current_streak((d for d in _run(TODAY, 4)), TODAY) == 4
    assert longest_streak(d for d in _run(TODAY, 4)) == 4


@pytest.mark.parametrize(
    "last",
    [date(2026, 1, 2), date(2024, 3, 1), date(2025, 3, 1)],  # a new year, a leap day, none
)
def test_runs_cross_month_and_year_ends(last):
    days = _run(last, 4)
    assert current_streak(days, last) == 4
    assert longest_streak(days) == 4


def test_days_after_today_do_not_count():
    # a day ahead of "today" can only come from a clock or zone mix-up; it is ignored
    assert current_streak([TODAY + timedelta(days=1), TODAY], TODAY) == 1


def test_the_longest_of_several_runs_with_ties():
    days = _run(date(2025, 1, 10), 3) + _run(date(2025, 2, 10), 3) + [date(2025, 5, 5)]
    assert longest_streak(days) == 3


def test_streak_ending_on_an_inactive_day_is_zero():
    assert streak_ending(_run(TODAY - timedelta(days=1), 3), TODAY) == 0
