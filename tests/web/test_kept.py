"""Values kept a while per worker (app/web/kept.py): the thread lists' counts, and the
helper itself. Lists stay fresh; only their counts may be up to a minute behind."""

import pytest

from app.accounts.models import Role
from app.web import kept
from app.web.kept import forget, kept_for
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(kept.time, "monotonic", lambda: now[0])
    return now


def test_a_value_is_kept_for_its_seconds_then_computed_again(app, clock):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert kept_for(60, "things", "a", compute) == 1
    clock[0] += 59
    assert kept_for(60, "things", "a", compute) == 1
    assert kept_for(60, "things", "b", compute) == 2  # each key on its own
    clock[0] += 1
    assert kept_for(60, "things", "a", compute) == 3
    forget("things")
    assert kept_for(60, "things", "a", compute) == 4


def test_zero_seconds_keeps_nothing(app):
    calls = []
    for _ in range(3):
        kept_for(0, "things", "a", lambda: calls.append(1))
    assert len(calls) == 3
    assert "kept:things" not in app.extensions


def test_a_full_store_drops_expired_values_first_then_everything(app, clock, monkeypatch):
    monkeypatch.setattr(kept, "MAX_KEYS", 3)
    for key in "abc":
        kept_for(60, "things", key, lambda key=key: key)
        clock[0] += 20
    # At 60 s a has expired, b and c have not: only a goes.
    kept_for(60, "things", "d", lambda: "d")
    assert set(app.extensions["kept:things"]) == {"b", "c", "d"}
    # Nothing expired and full again: everything goes, the new value stays.
    kept_for(60, "things", "e", lambda: "e")
    assert set(app.extensions["kept:things"]) == {"e"}


def _count_line(client, path="/tags/python") -> str:
    html = client.get(path).get_data(as_text=True)
    return html.split('<p class="muted small">')[1].split("</p>")[0]


def test_a_lists_count_is_kept_while_its_rows_stay_fresh(client, app, clock):
    app.config["LIST_COUNT_SECONDS"] = 60
    author = make_user()
    for n in range(2):
        make_thread(author=author, title=f"Python question {n}", tags=("python",))
    assert _count_line(client) == "2 threads"

    make_thread(author=author, title="A brand new python question", tags=("python",))
    with count_queries() as queries:
        page = client.get("/tags/python").get_data(as_text=True)
    assert "A brand new python question" in page  # the rows are read every time
    assert "2 threads" in page  # the count is a minute behind, by design
    assert not any("count(*)" in s for s in queries.statements)

    clock[0] += 60
    assert _count_line(client) == "3 threads"


def test_list_counts_are_kept_per_audience_and_per_list(client, app, clock):
    app.config["LIST_COUNT_SECONDS"] = 60
    author = make_user()
    make_thread(author=author, tags=("python",))
    lounge = make_category(name="Lounge", member_only=True)
    make_thread(author=author, category=lounge, tags=("python",))
    make_thread(author=author, tags=("python", "sql"), kind="discussion")

    assert _count_line(client) == "2 threads"  # a visitor does not count the lounge
    assert _count_line(client, "/tags/python?kind=discussion") == "1 thread"
    assert _count_line(client, "/tags/sql") == "1 thread"

    login_as(client, make_user(role=Role.MODERATOR))  # staff read every category
    assert _count_line(client) == "3 threads"
