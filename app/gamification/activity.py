"""A profile's streaks and activity calendar, read in one query.

"Today" is the profile owner's own day (their time zone setting), the same clock that
`app.gamification.points` uses to mark active days, so a streak never breaks or grows
because of who is looking.
"""

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.gamification import calendar
from app.gamification.models import ActivityDay
from app.gamification.points import local_day
from app.gamification.streaks import current_streak, longest_streak
from app.timeutil import utcnow


@dataclass(frozen=True)
class Activity:
    current_streak: int
    longest_streak: int  # within the calendar's 53 weeks
    active_days: int
    calendar: Markup


def user_activity(user, *, now: datetime | None = None) -> Activity:
    """Streaks and the calendar from the owner's ActivityDay rows of the last 53 weeks.

    One query, at most 371 rows (the days the calendar draws); streaks are counted
    within that window, which is why the longest one is "in the past year".
    """
    today = local_day(now or utcnow(), user.timezone)
    rows = db.session.execute(
        select(ActivityDay.day, ActivityDay.actions).where(
            ActivityDay.user_id == user.id,
            ActivityDay.day >= calendar.first_day(today),
            ActivityDay.day <= today,
        )
    )
    counts = {day: actions for day, actions in rows}
    return Activity(
        current_streak=current_streak(counts, today),
        longest_streak=longest_streak(counts),
        active_days=len(counts),
        calendar=Markup(calendar.render_calendar(counts, today, subject=f"{user.name}'s activity")),
    )
