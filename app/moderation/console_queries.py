"""What the moderators' console reads: each page as numbers, pictures and tables, and
`PAGES`, every page by name (the communities, jobs and revenue pages have modules of
their own; who may read which is `permissions.can_read_console_page`).

Every page is a handful of aggregate queries over the event log, the forum, the points
ledger and the jobs' stored results (engagement, communities), so its query count stays
the same however much data there is; the arithmetic is in `metrics`, the drawing in
`charts`.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, and_, cast, func, select

from app.accounts.models import User
from app.database import as_date, day_of
from app.extensions import db
from app.forum.models import Category, Post, Thread, ThreadKind
from app.gamification.models import BadgeAward, PointTransaction, SerialVoteFinding
from app.insights import engagement_queries
from app.insights.engagement_rules import NOT_ACTIVITY, SEGMENTS
from app.insights.models import Event
from app.insights.models.engagement import EngagementScore
from app.moderation import charts, metrics
from app.moderation.console_communities import communities_page
from app.moderation.console_jobs import jobs_page
from app.moderation.console_revenue import revenue_page
from app.moderation.models import Flag, FlagStatus
from app.moderation.tables import ConsolePage, StaffLink, Table
from app.timeutil import utcnow

DAYS = 90
COHORT_WEEKS = 12
AT_RISK_SHOWN = 50
SCORE_BINS = 10
REPEAT_OFFENDERS = 20


def health_page(now: datetime | None = None) -> ConsolePage:
    """Activity, sign-ups and questions per day over the last `DAYS` days (5 queries)."""
    days, start, end = _window(now)
    active = metrics.active_users(_activity(start - timedelta(days=metrics.MONTH - 1), end), days)
    signups = _per_day(User.created_at, start, end)
    questions = _per_day(Thread.created_at, start, end,
                         Thread.kind == ThreadKind.QUESTION, Thread.deleted_at.is_(None))
    answers = _per_day(Post.created_at, start, end, *_answer_filters(),
                       join=(Thread, Thread.id == Post.thread_id))
    answered, median_hours = metrics.answer_times(_first_answers(start, end))
    latest = active[-1]
    labels = [_short(day) for day in days]
    return ConsolePage(
        "Health", f"The last {DAYS} days. Active means any action in the event log.",
        figures=[("Active today", str(latest.daily)), ("Active this week", str(latest.weekly)),
                 ("Active this month", str(latest.monthly)),
                 ("DAU/MAU", _percent(latest.stickiness)),
                 ("Questions answered", _percent(answered)),
                 ("Median time to first answer", _hours(median_hours))],
        pictures=[
            ("Active users", charts.line_chart(labels, [
                charts.Series("daily", [a.daily for a in active]),
                charts.Series("weekly", [a.weekly for a in active]),
                charts.Series("monthly", [a.monthly for a in active])], title="Active users")),
            ("DAU/MAU", charts.line_chart(labels, [charts.Series(
                "DAU/MAU", [a.stickiness for a in active])], title="DAU/MAU",
                format_value=charts.percent)),
            ("Sign-ups, questions and answers", charts.line_chart(labels, [
                charts.Series(name, [counts.get(day, 0) for day in days])
                for name, counts in (("sign-ups", signups), ("questions", questions),
                                     ("answers", answers))],
                title="Sign-ups, questions and answers")),
        ],
        tables={"daily": Table("Per day", (
            "day", "dau", "wau", "mau", "dau_mau", "signups", "questions", "answers"), [
            (a.day.isoformat(), a.daily, a.weekly, a.monthly, a.stickiness,
             signups.get(a.day, 0), questions.get(a.day, 0), answers.get(a.day, 0))
            for a in reversed(active)])})


def retention_page(now: datetime | None = None) -> ConsolePage:
    """Weekly sign-up cohorts and the share of each active in each week since (2 queries)."""
    today = (now or utcnow()).date()
    since = datetime.combine(metrics.week_of(today) - timedelta(weeks=COHORT_WEEKS - 1),
                             datetime.min.time())
    signups = {user_id: at.date() for user_id, at in db.session.execute(
        select(User.id, User.created_at).where(User.created_at >= since))}
    day = day_of(Event.created_at)
    activity = [(user_id, as_date(on)) for user_id, on in db.session.execute(
        select(Event.user_id, day).distinct().join(User, User.id == Event.user_id)
        .where(User.created_at >= since, Event.created_at >= since, _counts_as_activity()))]
    cohorts = metrics.weekly_cohorts(signups, activity, today=today, weeks=COHORT_WEEKS)
    weeks = [f"+{k}" for k in range(COHORT_WEEKS)]
    return ConsolePage(
        "Retention", f"People by the week they signed up (the last {COHORT_WEEKS} weeks) "
        "and the share of them active in each week since; week +0 is the sign-up week.",
        figures=[("Signed up", str(len(signups)))],
        pictures=[("Weekly cohorts", charts.heat_map(
            [f"{c.week:%d %b} ({c.size})" for c in cohorts], weeks,
            [c.retained for c in cohorts], title="Weekly retention"))],
        tables={"cohorts": Table("Cohorts", ("week", "size", *weeks), [
            (c.week.isoformat(), c.size, *c.retained) for c in cohorts])})


def engagement_page(now: datetime | None = None) -> ConsolePage:
    """Segment sizes over time, today's score distribution and the members most at risk
    of leaving, from the engagement job's latest run (4 queries)."""
    run = engagement_queries.latest_run(now)
    if run is None:
        return ConsolePage("Engagement", "The engagement job has not run yet.")
    sizes = engagement_queries.segment_sizes(DAYS, now)
    days = sorted(sizes)
    buckets = dict(db.session.execute(
        select(cast(EngagementScore.score / (100 / SCORE_BINS), Integer).label("bin"), func.count())
        .where(EngagementScore.day == run.day).group_by("bin")).all())
    counts = [buckets.get(b, 0) for b in range(SCORE_BINS)]
    counts[-1] += sum(n for b, n in buckets.items() if b >= SCORE_BINS)
    bins = [f"{b * 100 // SCORE_BINS}–{(b + 1) * 100 // SCORE_BINS}" for b in range(SCORE_BINS)]
    at_risk = db.session.execute(
        select(User, EngagementScore.score, EngagementScore.churn_risk, User.last_seen_at)
        .join(EngagementScore, EngagementScore.user_id == User.id)
        .where(EngagementScore.day == run.day, EngagementScore.segment == "at-risk")
        .order_by(EngagementScore.churn_risk.desc().nulls_last(), User.id)
        .limit(AT_RISK_SHOWN)).all()
    return ConsolePage(
        "Engagement", f"From the engagement run of {run.day:%d %b %Y} "
        f"(churn risk by the {run.churn_model} model).",
        figures=[(segment, str(sizes.get(run.day, {}).get(segment, 0))) for segment in SEGMENTS],
        pictures=[
            ("Segment sizes", charts.line_chart([_short(d) for d in days], [
                charts.Series(segment, [sizes[d].get(segment, 0) for d in days])
                for segment in SEGMENTS], title="Members per segment")),
            ("Score distribution", charts.bar_chart(bins, [charts.Series("members", counts)],
                                                    title="Engagement scores")),
        ],
        tables={
            "segments": Table("Segment sizes", ("day", *SEGMENTS), [
                (d.isoformat(), *(sizes[d].get(s, 0) for s in SEGMENTS)) for d in reversed(days)]),
            "at-risk": Table(f"At risk (the {AT_RISK_SHOWN} most likely to leave)",
                             ("member", "score", "churn_risk", "last_seen"), [
                (user, score, risk, seen.date().isoformat() if seen else None)
                for user, score, risk, seen in at_risk]),
        })


def gamification_page(now: datetime | None = None) -> ConsolePage:
    """Points given per day by reason, how concentrated points are, badges per day and
    serial-voting reversals, over the last `DAYS` days (4 queries)."""
    days, start, end = _window(now)
    day = day_of(PointTransaction.created_at)
    by_reason: dict[str, dict[date, int]] = defaultdict(dict)
    for reason, on, points in db.session.execute(
            select(PointTransaction.reason, day, func.sum(PointTransaction.delta))
            .where(PointTransaction.created_at >= start, PointTransaction.created_at < end,
                   PointTransaction.delta > 0)
            .group_by(PointTransaction.reason, day)):
        by_reason[reason][as_date(on)] = int(points)
    badges = _per_day(BadgeAward.awarded_at, start, end)
    top_ten, held = _points_held()
    reversals = _reversals(start, end)
    labels = [_short(d) for d in days]
    reasons = sorted(by_reason)
    return ConsolePage(
        "Gamification", f"The last {DAYS} days of the points ledger and badges.",
        figures=[("Points given", str(sum(sum(d.values()) for d in by_reason.values()))),
                 ("Held by the top 10", _percent(top_ten / held if held else None)),
                 ("Badges awarded", str(sum(badges.values()))),
                 ("Points reversed for serial voting", str(sum(r[3] for r in reversals)))],
        pictures=[
            ("Points given per day", charts.bar_chart(labels, [
                charts.Series(reason, [by_reason[reason].get(d, 0) for d in days])
                for reason in reasons], title="Points given per day by reason")),
            ("Badges awarded per day", charts.bar_chart(labels, [
                charts.Series("badges", [badges.get(d, 0) for d in days])],
                title="Badges awarded per day")),
        ],
        tables={
            "points": Table("Points given per day", ("day", *reasons), [
                (d.isoformat(), *(by_reason[r].get(d, 0) for r in reasons))
                for d in reversed(days) if any(d in by_reason[r] for r in reasons)]),
            "badges": Table("Badges per day", ("day", "badges"), [
                (d.isoformat(), badges[d]) for d in reversed(days) if d in badges]),
            "serial-votes": Table("Serial-voting reversals", (
                "day", "findings", "votes", "points_reversed"), reversals),
        })


def moderation_page(now: datetime | None = None) -> ConsolePage:
    """Flags raised per day and per category, how long they waited for a verdict per
    week, and the members with the most agreed flags against them, over the last `DAYS`
    days (3 queries)."""
    days, start, end = _window(now)
    day = day_of(Flag.created_at)
    by_category: dict[str, dict[date, int]] = defaultdict(dict)
    for name, on, n in db.session.execute(
            select(Category.name, day, func.count()).select_from(Flag)
            .join(Post, Post.id == Flag.post_id).join(Thread, Thread.id == Post.thread_id)
            .join(Category, Category.id == Thread.category_id)
            .where(Flag.created_at >= start, Flag.created_at < end)
            .group_by(Category.name, day)):
        by_category[name][as_date(on)] = n
    weeks = sorted({metrics.week_of(d) for d in days})
    waits = metrics.resolve_times(db.session.execute(
        select(Flag.created_at, Flag.resolved_at)
        .where(Flag.resolved_at >= start, Flag.resolved_at < end)).all(), weeks)
    offenders = _repeat_offenders(start, end)
    categories = sorted(by_category)
    per_day = [sum(by_category[c].get(d, 0) for c in categories) for d in days]
    resolved = [w for w in waits if w.resolved]
    return ConsolePage(
        "Moderation", f"The last {DAYS} days of flags: raised per day and per category, "
        "hours from raised to resolved, and the members flagged most often with reason.",
        figures=[("Flags raised", str(sum(per_day))),
                 ("Flags resolved", str(sum(w.resolved for w in waits))),
                 ("Median hours to resolve, latest week", _hours(
                     resolved[-1].median_hours if resolved else None))],
        pictures=[
            ("Flags per day", charts.bar_chart([_short(d) for d in days], [
                charts.Series(name, [by_category[name].get(d, 0) for d in days])
                for name in categories], title="Flags per day by category")),
            ("Time to resolve flags", charts.line_chart([_short(w) for w in weeks], [
                charts.Series("median", [w.median_hours for w in waits]),
                charts.Series("90th percentile", [w.p90_hours for w in waits])],
                title="Hours to resolve flags, by week")),
        ],
        tables={
            "flags": Table("Flags per day", ("day", "flags", *categories), [
                (d.isoformat(), total, *(by_category[c].get(d, 0) for c in categories))
                for d, total in reversed(list(zip(days, per_day, strict=True))) if total]),
            "resolve-times": Table("Hours to resolve, by week", (
                "week", "resolved", "median_hours", "p90_hours"), [
                (w.week.isoformat(), w.resolved, w.median_hours, w.p90_hours)
                for w in reversed(resolved)]),
            "repeat-offenders": Table(
                f"Repeat offenders (the {REPEAT_OFFENDERS} with the most agreed flags)",
                ("member", "agreed_flags", "posts_flagged"), offenders),
        })


PAGES: dict[str, Callable[..., ConsolePage]] = {
    "health": health_page, "retention": retention_page, "engagement": engagement_page,
    "communities": communities_page, "gamification": gamification_page,
    "moderation": moderation_page, "jobs": jobs_page, "revenue": revenue_page,
}


def _window(now: datetime | None) -> tuple[list[date], datetime, datetime]:
    """The last `DAYS` days up to today, and the datetimes bounding them."""
    today = (now or utcnow()).date()
    days = metrics.days_between(today - timedelta(days=DAYS - 1), today)
    return (days, datetime.combine(days[0], datetime.min.time()),
            datetime.combine(today + timedelta(days=1), datetime.min.time()))


def _counts_as_activity():
    return and_(Event.user_id.is_not(None), Event.type.not_in(sorted(NOT_ACTIVITY)))


def _activity(start: datetime, end: datetime) -> list[tuple[int, date]]:
    """Distinct (user, day) pairs of activity: what DAU, WAU and MAU count."""
    day = day_of(Event.created_at)
    return [(user_id, as_date(on)) for user_id, on in db.session.execute(
        select(Event.user_id, day).distinct()
        .where(Event.created_at >= start, Event.created_at < end, _counts_as_activity()))]


def _per_day(column, start: datetime, end: datetime, *conditions, join=None) -> dict[date, int]:
    day = day_of(column)
    stmt = select(day, func.count()).where(column >= start, column < end, *conditions)
    if join is not None:
        stmt = stmt.join(*join)
    return {as_date(on): n for on, n in db.session.execute(stmt.group_by(day))}


def _answer_filters():
    return (Post.is_first.is_(False), Post.deleted_at.is_(None),
            Thread.kind == ThreadKind.QUESTION, Thread.deleted_at.is_(None))


def _first_answers(start: datetime, end: datetime) -> list[tuple[datetime, datetime | None]]:
    """(asked at, first answer by someone else or None) of the window's questions."""
    first = (select(Post.thread_id, func.min(Post.created_at).label("at"))
             .join(Thread, Thread.id == Post.thread_id)
             .where(*_answer_filters(), Post.author_id != Thread.author_id,
                    Thread.created_at >= start, Thread.created_at < end)
             .group_by(Post.thread_id).subquery())
    return [tuple(row) for row in db.session.execute(
        select(Thread.created_at, first.c.at).outerjoin(first, first.c.thread_id == Thread.id)
        .where(Thread.kind == ThreadKind.QUESTION, Thread.deleted_at.is_(None),
               Thread.created_at >= start, Thread.created_at < end))]


def _points_held() -> tuple[int, int]:
    """(points held by the top 10, points held by everyone), among live accounts."""
    live = User.deleted_at.is_(None)
    top = select(User.points).where(live).order_by(User.points.desc()).limit(10).subquery()
    top_ten, held = db.session.execute(select(
        select(func.sum(top.c.points)).scalar_subquery(),
        select(func.sum(User.points)).where(live).scalar_subquery())).one()
    return int(top_ten or 0), int(held or 0)


def _reversals(start: datetime, end: datetime) -> list[tuple[str, int, int, int]]:
    day = day_of(SerialVoteFinding.created_at)
    return [(as_date(on).isoformat(), findings, int(votes), int(points))
            for on, findings, votes, points in db.session.execute(
                select(day, func.count(), func.sum(SerialVoteFinding.votes),
                       func.sum(SerialVoteFinding.points_reversed))
                .where(SerialVoteFinding.created_at >= start, SerialVoteFinding.created_at < end)
                .group_by(day).order_by(day.desc()))]


def _repeat_offenders(start: datetime, end: datetime) -> list[tuple[StaffLink, int, int]]:
    """Authors by agreed flags raised against their posts in the window, most first,
    each linked to their moderation page (one query)."""
    counts = (select(Post.author_id, func.count(Flag.id).label("flags"),
                     func.count(func.distinct(Flag.post_id)).label("posts"))
              .join(Post, Post.id == Flag.post_id)
              .where(Flag.status == FlagStatus.AGREED, Flag.created_at >= start,
                     Flag.created_at < end)
              .group_by(Post.author_id).subquery())
    return [(StaffLink(user), flags, posts) for user, flags, posts in db.session.execute(
        select(User, counts.c.flags, counts.c.posts).join(counts, counts.c.author_id == User.id)
        .order_by(counts.c.flags.desc(), User.id).limit(REPEAT_OFFENDERS))]


def _short(day: date) -> str:
    return f"{day.day} {day:%b}"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _hours(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} days"
