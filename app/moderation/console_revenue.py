"""The console's revenue page, for admins: members, new and cancelled memberships, monthly
recurring revenue and failed payments, month by month over the last year.

`Subscription` keeps only each subscription's latest state, so the past is rebuilt from
three dates: one live now (active, trialing, past due) counts from `created_at`, one that
ended counts until `ended_at`, and one that never got going (incomplete) never counts.
MRR is the plan amounts of the live subscriptions at the month's end, yearly ones as a
twelfth; it leaves out those still in their trial, which pay nothing yet. The current
month ends now. Every month in one statement, and the currency (2 queries).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, and_, func, literal, or_, select, union_all

from app.billing.models import Plan, StripeEvent, Subscription
from app.extensions import db
from app.moderation import charts
from app.moderation.tables import ConsolePage, Table
from app.timeutil import utcnow

MONTHS = 12
LIVE_STATUSES = ("active", "trialing", "past_due")
NEVER_STARTED = ("incomplete", "incomplete_expired")
FAILED_PAYMENT = "invoice.payment_failed"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Month:
    start: date
    members: int  # live at the month's end
    new: int
    cancelled: int
    mrr: Decimal  # in the plans' currency, to the cent
    failed_payments: int


def revenue_page(now: datetime | None = None) -> ConsolePage:
    months = monthly_revenue(now or utcnow())
    currency = _currency()
    this = months[-1]
    labels = [f"{m.start:%b %Y}" for m in months]
    return ConsolePage(
        "Revenue", f"The last {MONTHS} months of memberships; the current month so far. "
        "MRR normalises yearly plans to a month and leaves out trials.",
        figures=[("Members", str(this.members)), ("MRR", _money(this.mrr, currency)),
                 ("New this month", str(this.new)), ("Cancelled this month", str(this.cancelled)),
                 ("Failed payments this month", str(this.failed_payments))],
        pictures=[
            ("Monthly recurring revenue", charts.line_chart(labels, [
                charts.Series(f"MRR {currency}".strip(), [float(m.mrr) for m in months])],
                title="Monthly recurring revenue")),
            ("Members", charts.line_chart(labels, [
                charts.Series("members", [m.members for m in months]),
                charts.Series("new", [m.new for m in months]),
                charts.Series("cancelled", [m.cancelled for m in months])],
                title="Members")),
        ],
        tables={"months": Table("Per month", (
            "month", "members", "new", "cancelled", "mrr", "currency", "failed_payments"), [
            (f"{m.start:%Y-%m}", m.members, m.new, m.cancelled, m.mrr, currency,
             m.failed_payments) for m in reversed(months)])})


def monthly_revenue(now: datetime) -> list[Month]:
    """The last `MONTHS` calendar months up to `now`, oldest first (one query)."""
    bounds = month_bounds(now)
    months = union_all(*(
        select(literal(start, DateTime).label("month_start"),
               literal(end, DateTime).label("month_end"))
        for start, end in bounds)).cte("months")
    start, end = months.c.month_start, months.c.month_end
    started = Subscription.status.not_in(NEVER_STARTED)
    live = and_(started, Subscription.created_at < end, or_(
        Subscription.ended_at >= end,
        and_(Subscription.ended_at.is_(None), Subscription.status.in_(LIVE_STATUSES))))

    def count(model, *conditions):
        return select(func.count()).select_from(model).where(*conditions).scalar_subquery()

    def cents(interval: str):
        return (select(func.coalesce(func.sum(Plan.amount_cents), 0))
                .select_from(Subscription).join(Plan, Plan.id == Subscription.plan_id)
                .where(live, Plan.interval == interval,
                       or_(Subscription.trial_end.is_(None), Subscription.trial_end <= end))
                .scalar_subquery())

    rows = db.session.execute(select(
        count(Subscription, live),
        count(Subscription, started, Subscription.created_at >= start,
              Subscription.created_at < end),
        count(Subscription, started, Subscription.ended_at >= start,
              Subscription.ended_at < end),
        cents("month"), cents("year"),
        count(StripeEvent, StripeEvent.type == FAILED_PAYMENT, StripeEvent.received_at >= start,
              StripeEvent.received_at < end),
    ).select_from(months).order_by(start)).all()
    return [Month(month_start.date(), members, new, cancelled,
                  ((Decimal(monthly) + Decimal(yearly) / 12) / 100).quantize(CENT), failed)
            for (month_start, _), (members, new, cancelled, monthly, yearly, failed)
            in zip(bounds, rows, strict=True)]


def month_bounds(now: datetime) -> list[tuple[datetime, datetime]]:
    """(first moment, end) of each of the last `MONTHS` months; the current one ends now."""
    starts = [datetime(now.year + (now.month - 1 - back) // 12, (now.month - 1 - back) % 12 + 1, 1)
              for back in range(MONTHS - 1, -1, -1)]
    return list(zip(starts, [*starts[1:], now], strict=True))


def _currency() -> str:
    """The plans' currency; should there ever be several, all of them."""
    return "/".join(code.upper() for code in db.session.scalars(
        select(Plan.currency).distinct().order_by(Plan.currency)))


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}".strip()
