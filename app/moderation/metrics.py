"""The console's computations on plain values: active users, DAU/MAU, answer times,
weekly retention cohorts and the time flags wait for a verdict. Pure, so each is checked
on small hand-made inputs."""

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

WEEK, MONTH = 7, 30


@dataclass(frozen=True)
class ActiveUsers:
    day: date
    daily: int
    weekly: int   # active on any of the 7 days ending on `day`
    monthly: int  # ... of the 30 days ending on `day`

    @property
    def stickiness(self) -> float | None:
        """DAU/MAU: the share of the month's people who came that day."""
        return self.daily / self.monthly if self.monthly else None


@dataclass(frozen=True)
class Cohort:
    week: date                         # the Monday of the sign-up week
    size: int
    retained: list[float | None]       # [k]: share active in week k after; None: not yet


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def active_users(activity: Iterable[tuple[int, date]], days: Sequence[date]) -> list[ActiveUsers]:
    """Distinct people active per day, per 7 and per 30 days ending on each of `days`.

    `activity` holds (user, day) pairs, repeats allowed; a day of activity counts towards
    the windows of the 30 days from it, so the work grows with the activity, not with
    days times people.
    """
    wanted = set(days)
    daily, weekly, monthly = defaultdict(set), defaultdict(set), defaultdict(set)
    for user, day in set(activity):
        for ahead in range(MONTH):
            on = day + timedelta(days=ahead)
            if on in wanted:
                monthly[on].add(user)
                if ahead < WEEK:
                    weekly[on].add(user)
                if ahead == 0:
                    daily[on].add(user)
    return [ActiveUsers(day, len(daily[day]), len(weekly[day]), len(monthly[day]))
            for day in days]


def answer_times(questions: Iterable[tuple[datetime, datetime | None]]
                 ) -> tuple[float | None, float | None]:
    """(share answered, median hours to the first answer among the answered) of
    (asked at, first answer at or None) pairs; None and None for no questions."""
    questions = list(questions)
    if not questions:
        return None, None
    hours = [(answered - asked).total_seconds() / 3600 for asked, answered in questions
             if answered is not None]
    return len(hours) / len(questions), (statistics.median(hours) if hours else None)


@dataclass(frozen=True)
class ResolveWeek:
    week: date                    # the Monday of the week the flags were resolved in
    resolved: int
    median_hours: float | None    # None: nothing resolved that week
    p90_hours: float | None


def nearest_rank(values: Sequence[float], share: float) -> float | None:
    """The smallest value with at least `share` of `values` at or below it (the
    nearest-rank percentile: always one of the values, defined for a single one)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def resolve_times(flags: Iterable[tuple[datetime, datetime]], weeks: Sequence[date]
                  ) -> list[ResolveWeek]:
    """Per week of `weeks` (Mondays), the median and 90th percentile of hours from
    raised to resolved, over the (raised at, resolved at) pairs resolved that week."""
    hours: dict[date, list[float]] = defaultdict(list)
    for raised, resolved in flags:
        hours[week_of(resolved.date())].append((resolved - raised).total_seconds() / 3600)
    return [ResolveWeek(week, len(hours[week]),
                        statistics.median(hours[week]) if hours[week] else None,
                        nearest_rank(hours[week], 0.9)) for week in weeks]


def week_of(day: date) -> date:
    """The Monday starting `day`'s week."""
    return day - timedelta(days=day.weekday())


def weekly_cohorts(signups: dict[int, date], activity: Iterable[tuple[int, date]], *,
                   today: date, weeks: int) -> list[Cohort]:
    """People grouped by sign-up week (the last `weeks` weeks up to `today`'s, oldest
    first), with the share of each group active in each week since; week 0 is the
    sign-up week itself. Weeks after `today`'s are None, not 0: they have not happened."""
    this_week = week_of(today)
    first = this_week - timedelta(weeks=weeks - 1)
    members: dict[date, set[int]] = defaultdict(set)
    for user, day in signups.items():
        if first <= week_of(day) <= this_week:
            members[week_of(day)].add(user)
    seen: dict[date, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for user, day in activity:
        joined = signups.get(user)
        if joined is None or week_of(joined) not in members:
            continue
        since = (week_of(day) - week_of(joined)).days // 7
        if since >= 0:
            seen[week_of(joined)][since].add(user)
    cohorts = []
    for n in range(weeks):
        week = first + timedelta(weeks=n)
        size = len(members[week])
        elapsed = (this_week - week).days // 7
        cohorts.append(Cohort(week, size, [
            (len(seen[week][k]) / size if size else 0.0) if k <= elapsed else None
            for k in range(weeks)]))
    return cohorts

