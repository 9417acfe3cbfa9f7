"""The console's arithmetic on small hand-made inputs with known answers."""

from datetime import date, datetime

from app.moderation import metrics
from tests.fixtures.purity import impure_imports

D = date(2026, 3, 2)  # a Monday


def _day(n: int) -> date:
    return date.fromordinal(D.toordinal() + n)


def test_daily_weekly_and_monthly_actives_count_people_once_per_window():
    activity = [(1, _day(0)), (1, _day(0)), (2, _day(0)), (1, _day(6)), (3, _day(29)),
                (2, _day(30))]
    days = [_day(0), _day(6), _day(7), _day(29), _day(30)]
    rows = {a.day: (a.daily, a.weekly, a.monthly) for a in metrics.active_users(activity, days)}
    assert rows[_day(0)] == (2, 2, 2)
    assert rows[_day(6)] == (1, 2, 2)    # 2 was active 6 days before: still this week
    assert rows[_day(7)] == (0, 1, 2)    # ... and 7 days before: not any more
    assert rows[_day(29)] == (1, 1, 3)   # the month reaches back 29 days
    assert rows[_day(30)] == (1, 2, 3)   # day 0 has left the month; 1 (day 6) has not


def test_dau_over_mau_is_none_without_anyone_in_the_month():
    busy, quiet = metrics.active_users([(1, _day(0)), (2, _day(1))], [_day(1), _day(40)])
    assert busy.stickiness == 0.5
    assert quiet.stickiness is None


def test_answer_times_give_the_share_answered_and_the_median_hours():
    asked = datetime(2026, 3, 2, 9)
    questions = [(asked, datetime(2026, 3, 2, 10)), (asked, datetime(2026, 3, 2, 12)),
                 (asked, datetime(2026, 3, 3, 9)), (asked, None)]
    assert metrics.answer_times(questions) == (0.75, 3.0)
    assert metrics.answer_times([(asked, None)]) == (0.0, None)
    assert metrics.answer_times([]) == (None, None)
    even = [(asked, datetime(2026, 3, 2, 10)), (asked, datetime(2026, 3, 2, 12))]
    assert metrics.answer_times(even) == (1.0, 2.0)  # the middle of the two


def test_weekly_cohorts_share_each_week_and_leave_the_future_blank():
    signups = {1: _day(0), 2: _day(3), 3: _day(7), 99: _day(-70)}  # 99: before the table
    activity = [(1, _day(0)), (2, _day(1)), (1, _day(8)), (1, _day(9)), (3, _day(8)),
                (99, _day(8)), (2, _day(-1))]  # before their sign-up: ignored
    first, second = metrics.weekly_cohorts(signups, activity, today=_day(10), weeks=2)
    assert (first.week, first.size, first.retained) == (_day(0), 2, [1.0, 0.5])
    assert (second.week, second.size, second.retained) == (_day(7), 1, [1.0, None])


def test_an_empty_cohort_reads_zero_not_an_error():
    [cohort] = metrics.weekly_cohorts({}, [], today=_day(2), weeks=1)
    assert (cohort.size, cohort.retained) == (0, [0.0])
    assert metrics.week_of(_day(6)) == _day(0) and metrics.week_of(_day(7)) == _day(7)


def test_the_metrics_module_is_pure():
    assert impure_imports(metrics) == []


def test_nearest_rank_is_one_of_the_values_and_defined_for_one():
    from app.moderation.metrics import nearest_rank
    assert nearest_rank([], 0.9) is None
    assert nearest_rank([7.0], 0.9) == 7.0
    assert nearest_rank([1, 2, 3, 10], 0.9) == 10
    assert nearest_rank(list(range(1, 11)), 0.9) == 9


def test_resolve_times_group_by_the_week_resolved_in():
    from datetime import date, datetime

    from app.moderation.metrics import ResolveWeek, resolve_times
    raised = datetime(2026, 3, 8, 20)  # a Sunday; resolved on Monday, so that week
    weeks = [date(2026, 3, 2), date(2026, 3, 9)]
    assert resolve_times([(raised, datetime(2026, 3, 9, 2)),
                          (raised, datetime(2026, 3, 8, 21))], weeks) == [
        ResolveWeek(date(2026, 3, 2), 1, 1.0, 1.0), ResolveWeek(date(2026, 3, 9), 1, 6.0, 6.0)]
