"""The console's moderation page: flags per day and category, time to resolve them per
week, and repeat offenders, checked on a hand-made history; an empty database; a
query count that does not grow; moderators only."""

import csv
import io
from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.moderation.console_queries import moderation_page
from app.moderation.models import Flag, FlagStatus
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

NOW = datetime(2026, 3, 11, 12, 0)  # a Wednesday; its week starts on Monday 9 March


def _flag(post, *, at, status=FlagStatus.AGREED, waited_hours=None):
    flag = Flag(post_id=post.id, flagger_id=make_user().id, reason="spam", created_at=at,
                status=status,
                resolved_at=at + timedelta(hours=waited_hours) if waited_hours else None)
    db.session.add(flag)
    db.session.commit()
    return flag


def _history():
    """Two offenders in two categories: off1 has two agreed flags on one post (and one
    declined), off2 three agreed on two posts; one open flag today; one too old."""
    off1, off2 = make_user(username="off1"), make_user(username="off2")
    asker = make_user(username="asker")
    alpha, beta = make_category(name="Alpha"), make_category(name="Beta")
    p1 = make_post(thread=make_thread(author=asker, category=alpha), author=off1)
    p3 = make_post(thread=make_thread(author=asker, category=alpha), author=off1)
    p2 = make_post(thread=make_thread(author=asker, category=beta), author=off2)
    p4 = make_post(thread=make_thread(author=asker, category=beta), author=off2)
    day = timedelta(days=1)
    _flag(p1, at=NOW - day, waited_hours=1)
    _flag(p1, at=NOW - day, waited_hours=2)
    _flag(p2, at=NOW - day, waited_hours=3)
    _flag(p3, at=datetime(2026, 3, 9), status=FlagStatus.DISAGREED, waited_hours=10)
    _flag(p2, at=datetime(2026, 3, 3, 10), waited_hours=4)
    _flag(p4, at=datetime(2026, 3, 5, 8), waited_hours=6)
    _flag(p2, at=NOW - timedelta(hours=1), status=FlagStatus.OPEN)
    _flag(p2, at=NOW - 100 * day, waited_hours=1)  # before the window
    return off1, off2


def test_flags_per_day_and_category(app):
    _history()
    page = moderation_page(NOW)
    rows = page.tables["flags"].rows
    assert page.tables["flags"].columns == ("day", "flags", "Alpha", "Beta")
    assert rows == [("2026-03-11", 1, 0, 1), ("2026-03-10", 3, 2, 1),
                    ("2026-03-09", 1, 1, 0), ("2026-03-05", 1, 0, 1),
                    ("2026-03-03", 1, 0, 1)]
    assert ("Flags raised", "7") in page.figures


def test_time_to_resolve_per_week_is_median_and_90th_percentile(app):
    _history()
    page = moderation_page(NOW)
    assert page.tables["resolve-times"].rows == [
        ("2026-03-09", 4, 2.5, 10.0),   # 1, 2, 3 and 10 hours
        ("2026-03-02", 2, 5.0, 6.0),    # 4 and 6 hours
    ]
    assert ("Flags resolved", "6") in page.figures
    assert ("Median hours to resolve, latest week", "2.5 h") in page.figures


def test_repeat_offenders_rank_by_agreed_flags_in_the_window(app):
    off1, off2 = _history()
    rows = moderation_page(NOW).tables["repeat-offenders"].rows
    assert [(cell.user.id, flags, posts) for cell, flags, posts in rows] == [
        (off2.id, 3, 2), (off1.id, 2, 1)]


def test_the_page_links_offenders_to_their_staff_page_and_downloads_csv(client, moderator):
    offender = make_user(username="spammy")
    post = make_post(thread=make_thread(author=moderator), author=offender)
    _flag(post, at=utcnow() - timedelta(hours=3), waited_hours=2)
    login_as(client, moderator)
    page = client.get("/staff/console/moderation").get_data(as_text=True)
    assert 'href="/staff/users/spammy"' in page and "Flags per day by category" in page
    response = client.get("/staff/console/moderation/repeat-offenders.csv")
    [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert row == {"member": "spammy", "agreed_flags": "1", "posts_flagged": "1"}


def test_an_empty_database_gives_zeros_and_empty_tables(client, moderator):
    page = moderation_page()
    assert ("Flags raised", "0") in page.figures
    assert all(not table.rows for table in page.tables.values())
    login_as(client, moderator)
    response = client.get("/staff/console/moderation")
    assert response.status_code == 200 and "Nothing yet" in response.get_data(as_text=True)


def test_the_query_count_does_not_grow_with_the_flags(client, moderator):
    login_as(client, moderator)
    post = make_post(thread=make_thread(author=moderator), author=make_user())
    _flag(post, at=utcnow() - timedelta(days=2), waited_hours=5)
    with count_queries() as small:
        assert client.get("/staff/console/moderation").status_code == 200
    for n in range(6):
        other = make_post(thread=make_thread(author=moderator), author=make_user())
        _flag(other, at=utcnow() - timedelta(days=n, hours=1), waited_hours=n + 1)
    with count_queries() as large:
        assert client.get("/staff/console/moderation").status_code == 200
    assert large.count == small.count


@pytest.mark.parametrize("path", ["/staff/console/moderation",
                                  "/staff/console/moderation/flags.csv"])
def test_members_get_403(client, app, path):
    login_as(client, make_user(username="member", points=10_000))
    assert client.get(path).status_code == 403
