"""The console's revenue page: members, new and cancelled memberships, MRR and failed
payments per month, checked on a hand-made history; admins only; a fixed query count."""

from datetime import datetime
from decimal import Decimal

from app.accounts.models import Role
from app.billing.models import Plan, StripeEvent, Subscription
from app.extensions import db
from app.moderation.console_revenue import revenue_page
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

NOW = datetime(2026, 3, 11, 12, 0)


def _subscription(plan, created, *, status="active", trial_end=None, ended=None):
    db.session.add(Subscription(
        user_id=make_user().id, stripe_subscription_id=f"sub_{created:%m%d%H}_{status}",
        stripe_customer_id="cus_x", plan_id=plan.id, status=status, trial_end=trial_end,
        ended_at=ended, created_at=created))


def _failed_payment(received, *, type="invoice.payment_failed"):
    db.session.add(StripeEvent(id=f"evt_{received:%Y%m%d}_{type}", type=type, created=received,
                               payload={}, received_at=received))


def _history():
    """Month by month (worked out by hand below):

    Nov 2025  C monthly starts                        members 1, MRR 15
    Dec 2025  B yearly 120 starts                     members 2, MRR 15 + 10
    Jan 2026  A monthly starts                        members 3, MRR 40
    Feb 2026  E starts in trial (ends 4 Mar), G past due starts, C cancelled on the 14th:
              members 4 (B A E G), MRR 10 + 15 + 15 (E pays nothing yet) = 40
    Mar 2026  D starts in trial (ends 16 Mar), F never completes checkout, E now pays:
              members 5 (B A E G D), MRR 10 + 15 + 15 + 15 = 55
    Failed payments: one in February, one in March; one a year too old, and a paid invoice.
    """
    monthly = Plan(slug="monthly", name="Monthly", interval="month", amount_cents=1500,
                   currency="usd")
    yearly = Plan(slug="yearly", name="Yearly", interval="year", amount_cents=12000,
                  currency="usd")
    db.session.add_all([monthly, yearly])
    db.session.flush()
    _subscription(monthly, datetime(2025, 11, 10), status="canceled",
                  ended=datetime(2026, 2, 14))                                   # C
    _subscription(yearly, datetime(2025, 12, 20))                                # B
    _subscription(monthly, datetime(2026, 1, 5))                                 # A
    _subscription(monthly, datetime(2026, 2, 25), trial_end=datetime(2026, 3, 4))  # E
    _subscription(monthly, datetime(2026, 2, 3), status="past_due")              # G
    _subscription(monthly, datetime(2026, 3, 2), status="trialing",
                  trial_end=datetime(2026, 3, 16))                               # D
    _subscription(monthly, datetime(2026, 3, 5), status="incomplete")            # F
    _failed_payment(datetime(2026, 2, 20))
    _failed_payment(datetime(2026, 3, 2))
    _failed_payment(datetime(2025, 1, 9))
    _failed_payment(datetime(2026, 3, 3), type="invoice.paid")
    db.session.commit()


def test_members_memberships_mrr_and_failed_payments_per_month(app):
    _history()
    page = revenue_page(NOW)
    rows = page.tables["months"].rows
    assert len(rows) == 12 and rows[-1][0] == "2025-04"
    assert rows[:5] == [
        ("2026-03", 5, 1, 0, Decimal("55.00"), "USD", 1),
        ("2026-02", 4, 2, 1, Decimal("40.00"), "USD", 1),
        ("2026-01", 3, 1, 0, Decimal("40.00"), "USD", 0),
        ("2025-12", 2, 1, 0, Decimal("25.00"), "USD", 0),
        ("2025-11", 1, 1, 0, Decimal("15.00"), "USD", 0),
    ]
    assert all(row[1:5] == (0, 0, 0, Decimal("0.00")) for row in rows[5:])
    assert page.figures == [("Members", "5"), ("MRR", "55.00 USD"), ("New this month", "1"),
                            ("Cancelled this month", "0"), ("Failed payments this month", "1")]


def test_a_yearly_plan_counts_a_twelfth_to_the_cent(app):
    yearly = Plan(slug="yearly", name="Yearly", interval="year", amount_cents=10000,
                  currency="eur")
    db.session.add(yearly)
    db.session.flush()
    _subscription(yearly, datetime(2026, 3, 1))
    db.session.commit()
    assert revenue_page(NOW).figures[1] == ("MRR", "8.33 EUR")


def test_the_page_draws_mrr_and_members_and_downloads_as_csv(client):
    _history()
    login_as(client, make_user(role=Role.ADMIN))
    page = client.get("/staff/console/revenue").get_data(as_text=True)
    assert 'aria-label="Monthly recurring revenue: MRR USD ' in page
    assert 'aria-label="Members: members ' in page
    csv = client.get("/staff/console/revenue/months.csv").get_data(as_text=True).splitlines()
    assert csv[0] == "month,members,new,cancelled,mrr,currency,failed_payments"
    assert len(csv) == 13


def test_the_query_count_does_not_grow_with_the_history(client):
    login_as(client, make_user(role=Role.ADMIN))
    with count_queries() as empty:
        client.get("/staff/console/revenue")
    _history()
    with count_queries() as full:
        client.get("/staff/console/revenue")
    assert full.count == empty.count
    with count_queries() as page_only:
        revenue_page(NOW)
    assert page_only.count == 2


def test_moderators_and_members_are_refused(client, moderator):
    for user in (moderator, make_user()):
        login_as(client, user)
        assert client.get("/staff/console/revenue").status_code == 403
        assert client.get("/staff/console/revenue/months.csv").status_code == 403
