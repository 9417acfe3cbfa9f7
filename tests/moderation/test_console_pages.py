"""The moderators' console: every page renders with data and on an empty database, with a
query count that does not grow with the data; every table downloads as CSV; members and
visitors are kept out, and moderators out of the admins' revenue page."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.gamification.models import BadgeAward, SerialVoteFinding
from app.insights.models import Event
from app.insights.models.communities import Community
from app.moderation.console_queries import PAGES
from app.moderation.permissions import ADMIN_ONLY_PAGES
from app.timeutil import utcnow
from tests.fixtures.communities import make_community_run
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.leaderboards import earn
from tests.fixtures.outreach import score
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

TABLES = {"health": ["daily"], "retention": ["cohorts"], "engagement": ["segments", "at-risk"],
          "communities": ["communities"], "gamification": ["points", "badges", "serial-votes"],
          "moderation": ["flags", "resolve-times", "repeat-offenders"], "jobs": ["jobs", "runs"],
          "revenue": ["months"]}


@pytest.fixture
def staff(moderator):
    """Who reads a page: an admin for the admins' pages, else the moderator."""
    admin = make_user(username="admin", role=Role.ADMIN)
    return lambda name: admin if name in ADMIN_ONLY_PAGES else moderator


def _site(*, people: int = 3):
    """A small site: members who were active, asked and answered across two communities,
    earned points and badges, were scored by the engagement job, and a serial voter."""
    now = utcnow()
    members = [make_user(username=f"m{n}-{people}") for n in range(people * 2)]
    pythonistas, rustaceans = members[:people], members[people:]
    for n, user in enumerate(members):
        db.session.add(Event(type="login", user_id=user.id, created_at=now - timedelta(days=n)))
    question = make_thread(author=pythonistas[0], created_at=now - timedelta(hours=5))
    make_post(thread=question, author=rustaceans[0], created_at=now - timedelta(hours=2))
    make_thread(author=rustaceans[1], created_at=now - timedelta(hours=3))  # unanswered
    for user in members:
        earn(user, 10, days_ago=1, reason="adjustment")
        db.session.add(BadgeAward(user_id=user.id, badge="welcome", key=f"b{user.id}",
                                  awarded_at=now - timedelta(days=2)))
        score(user, day=now.date(), segment="at-risk", churn_risk=0.8)
    db.session.add(SerialVoteFinding(voter_id=members[0].id, author_id=members[1].id,
                                     rule="burst", votes=12, points_reversed=24,
                                     window_end=now, created_at=now - timedelta(days=1)))
    db.session.commit()
    make_community_run(as_of=now - timedelta(days=8), groups={1: pythonistas[:1]})
    make_community_run(as_of=now - timedelta(minutes=1), groups={1: pythonistas, 2: rustaceans})
    return members


def test_the_index_links_every_page_the_outreach_report_and_the_audit_log(client, moderator):
    login_as(client, moderator)
    page = client.get("/staff/console").get_data(as_text=True)
    for name in PAGES.keys() - ADMIN_ONLY_PAGES:
        assert f'href="/staff/console/{name}"' in page
    assert 'href="/staff/outreach"' in page and 'href="/staff/audit"' in page
    assert 'href="/staff/review"' in page


def test_only_admins_see_and_read_the_revenue_page(client, moderator):
    login_as(client, moderator)
    assert 'href="/staff/console/revenue"' not in client.get("/staff/console").get_data(
        as_text=True)
    assert 'href="/staff/console/revenue"' not in client.get("/staff/console/jobs").get_data(
        as_text=True)
    assert client.get("/staff/console/revenue").status_code == 403
    assert client.get("/staff/console/revenue/months.csv").status_code == 403
    login_as(client, make_user(role=Role.ADMIN))
    assert 'href="/staff/console/revenue"' in client.get("/staff/console").get_data(as_text=True)
    assert client.get("/staff/console/revenue").status_code == 200


def test_staff_reach_the_console_from_the_header_and_members_do_not_see_it(client, moderator):
    login_as(client, make_user())
    assert 'href="/staff/console"' not in client.get("/").get_data(as_text=True)
    login_as(client, moderator)
    assert 'href="/staff/console">Staff</a>' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_renders_on_an_empty_database(client, staff, name):
    login_as(client, staff(name))
    response = client.get(f"/staff/console/{name}")
    assert response.status_code == 200
    assert "<script" not in response.get_data(as_text=True).split("<main", 1)[-1]


def test_the_health_page_counts_activity_questions_and_answers(client, moderator):
    _site()
    login_as(client, moderator)
    page = client.get("/staff/console/health").get_data(as_text=True)
    assert "<svg" in page and 'aria-label="Active users: daily' in page
    assert "50%" in page  # one of the two questions answered
    assert "3.0 h" in page  # three hours after it was asked
    rows = _csv(client, "health", "daily")
    today = rows[0]
    assert (today["dau"], today["wau"], today["mau"], today["dau_mau"]) == (
        "1", "6", "6", "0.1667")  # one a day, over the last six days
    # The questions were asked hours ago, so near midnight they fall on yesterday's row.
    totals = {column: sum(int(row[column]) for row in rows[:2])
              for column in ("signups", "questions", "answers")}
    assert totals == {"signups": 7, "questions": 2, "answers": 1}


def test_the_engagement_page_lists_the_at_risk_with_links_to_their_profiles(client, moderator):
    members = _site()
    login_as(client, moderator)
    page = client.get("/staff/console/engagement").get_data(as_text=True)
    assert f'href="/u/{members[0].username}"' in page and "Members per segment" in page
    rows = _csv(client, "engagement", "at-risk")
    assert {r["member"] for r in rows} == {m.username for m in members}
    assert rows[0]["churn_risk"] == "0.8"


def test_the_communities_page_draws_the_graph_and_tabulates_growth(client, moderator):
    members = _site()
    login_as(client, moderator)
    page = client.get("/staff/console/communities").get_data(as_text=True)
    assert "graph-picture" in page and 'class="graph-link"' in page  # the answer across them
    rows = {r["community"]: r for r in _csv(client, "communities", "communities")}
    assert rows["c1"]["growth"] == "2" and rows["c2"]["growth"] == ""  # new: no growth
    assert rows["c1"]["bridges"] == members[2].username
    key = db.session.scalars(select(Community.community_key).where(Community.label == "c1")
                             .order_by(Community.id.desc())).first()
    link = f'href="/staff/console/communities/{key}"'
    assert page.count(link) == 2  # the circle in the picture and the name in the table


def test_the_gamification_page_sums_points_badges_and_reversals(client, moderator):
    _site()
    login_as(client, moderator)
    client.get("/staff/console/gamification")
    [points] = _csv(client, "gamification", "points")
    assert points["adjustment"] == "60"
    [badges] = _csv(client, "gamification", "badges")
    assert badges["badges"] == "6"
    [reversal] = _csv(client, "gamification", "serial-votes")
    assert (reversal["findings"], reversal["votes"], reversal["points_reversed"]) == (
        "1", "12", "24")


def test_the_retention_page_draws_the_cohort_heat_map(client, moderator):
    _site()
    login_as(client, moderator)
    page = client.get("/staff/console/retention").get_data(as_text=True)
    assert "heat-map" in page
    this_week = _csv(client, "retention", "cohorts")[-1]
    assert this_week["size"] == "7" and this_week["+1"] == ""


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_runs_the_same_number_of_queries_however_much_data(client, staff, name):
    login_as(client, staff(name))
    _site(people=2)
    with count_queries() as small:
        assert client.get(f"/staff/console/{name}").status_code == 200
    _site(people=6)
    with count_queries() as large:
        assert client.get(f"/staff/console/{name}").status_code == 200
    assert large.count == small.count <= 10


@pytest.mark.parametrize(("name", "table"), [(n, t) for n, ts in TABLES.items() for t in ts])
def test_every_table_downloads_as_csv(client, staff, name, table):
    _site()
    login_as(client, staff(name))
    response = client.get(f"/staff/console/{name}/{table}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]


def test_unknown_pages_and_tables_are_not_found(client, moderator):
    login_as(client, moderator)
    assert client.get("/staff/console/nope").status_code == 404
    assert client.get("/staff/console/health/nope.csv").status_code == 404
    assert client.get("/staff/console/nope/daily.csv").status_code == 404


@pytest.mark.parametrize("path", ["/staff/console", "/staff/console/health",
                                  "/staff/console/health/daily.csv", "/staff/console/jobs",
                                  "/staff/console/revenue", "/staff/console/communities/1"])
def test_members_get_403_and_visitors_are_sent_to_log_in(client, app, path):
    assert client.get(path).status_code == 302
    login_as(client, make_user(username="member", points=10_000))
    assert client.get(path).status_code == 403


def _csv(client, name: str, table: str) -> list[dict]:
    response = client.get(f"/staff/console/{name}/{table}.csv")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
