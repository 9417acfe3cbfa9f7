"""The leaderboard service on the real database: ranking, periods, boards, who is left out."""

from datetime import timedelta
from functools import partial

import pytest

from app.extensions import db
from app.gamification import ledger
from app.gamification.leaderboards import BoardQuery, leaderboard
from app.timeutil import utcnow
from tests.fixtures import leaderboards
from tests.fixtures.forum import first_post, make_post, make_thread
from tests.fixtures.users import make_user

NOW = utcnow().replace(microsecond=0)
earn = partial(leaderboards.earn, now=NOW)


def board(viewer=None, *, page=1, per_page=50, **args):
    return leaderboard(BoardQuery.parse(args), viewer, page=page, per_page=per_page, now=NOW)


def names(result) -> list[tuple[int, str, int]]:
    return [(s.rank, s.user.username, s.points) for s in result.page.items]


def test_ranks_by_points_earned_in_the_period(app):
    ada, bob, cy = (make_user(username=n) for n in ("ada", "bob", "cy"))
    earn(ada, 30, days_ago=1)
    earn(bob, 50, days_ago=2)
    earn(cy, 10, days_ago=3)
    earn(cy, 15, days_ago=1)

    result = board(period="week")

    assert names(result) == [(1, "bob", 50), (2, "ada", 30), (3, "cy", 25)]
    assert result.page.total == 3


def test_ties_go_to_who_reached_the_score_first_then_the_lower_id(app):
    early, late, same_a, same_b = (make_user(username=n) for n in ("early", "late", "same_a", "same_b"))
    earn(late, 20, days_ago=1)  # reached 20 one day ago...
    earn(early, 10, days_ago=3)
    earn(early, 10, days_ago=2)  # ...early reached 20 two days ago
    earn(same_a, 20, days_ago=1, minutes=5)
    earn(same_b, 20, days_ago=1, minutes=5)

    assert [u for _, u, _ in names(board(period="week"))] == ["early", "late", "same_a", "same_b"]


def test_a_row_that_changed_nothing_does_not_move_the_tie_break(app):
    first, second = make_user(username="first"), make_user(username="second")
    earn(first, 10, days_ago=3)
    earn(second, 10, days_ago=2)
    earn(first, 0, days_ago=1)  # e.g. a vote trimmed to 0 by the daily cap

    assert [u for _, u, _ in names(board(period="week"))] == ["first", "second"]


@pytest.mark.parametrize(
    ("period", "expected"),
    [("week", [("recent", 5)]),
     ("month", [("older", 40), ("recent", 5)]),
     ("all", [("ancient", 100), ("older", 40), ("recent", 5)])],
)
def test_periods(app, period, expected):
    recent, older, ancient = (make_user(username=n) for n in ("recent", "older", "ancient"))
    earn(recent, 5, days_ago=6.9)
    earn(older, 40, days_ago=7.1)
    earn(older, 0, days_ago=29)
    earn(ancient, 100, days_ago=31)

    assert [(u, p) for _, u, p in names(board(period=period))] == expected


def test_all_time_equals_the_cached_total_less_the_starting_point(app):
    ada = make_user(username="ada", points=120)
    earn(ada, 30, days_ago=400)
    db.session.refresh(ada)

    [standing] = board(period="all").page.items
    assert standing.points == ada.points - 1 == 149


def test_nobody_at_or_below_zero_for_the_period_is_listed(app):
    gone, negative, listed = (make_user(username=n) for n in ("gone", "negative", "listed"))
    row = earn(gone, 10, days_ago=1)
    ledger.reverse(row, at=NOW)
    earn(negative, 50, days_ago=20)  # outside the week...
    earn(negative, -5, days_ago=1)  # ...so the week nets -5
    earn(listed, 1, days_ago=1)
    db.session.commit()

    assert names(board(period="week")) == [(1, "listed", 1)]


def test_hidden_suspended_and_deleted_users_never_appear(app):
    people = {n: make_user(username=n) for n in ("shown", "hidden", "suspended", "deleted", "served")}
    for user in people.values():
        earn(user, 10, days_ago=1)
    people["hidden"].hide_from_leaderboards = True
    people["suspended"].suspended_until = NOW + timedelta(days=3)
    people["deleted"].deleted_at = NOW
    people["served"].suspended_until = NOW - timedelta(days=1)  # suspension over
    db.session.commit()

    for period in ("week", "month", "all"):
        assert [u for _, u, _ in names(board(period=period))] == ["shown", "served"]


def test_a_tag_board_counts_points_on_posts_in_threads_with_that_tag(app):
    asker, answerer, other = (make_user(username=n) for n in ("asker", "answerer", "other"))
    python = make_thread(author=asker, tags=("python", "files"))
    rust = make_thread(author=other, tags=("rust",))
    answer = make_post(thread=python, author=answerer)
    earn(asker, 5, days_ago=1, subject=first_post(python), reason="question_upvoted")
    earn(answerer, 10, days_ago=1, subject=answer, reason="answer_upvoted")
    earn(answerer, 15, days_ago=1, subject=answer, reason="answer_accepted")
    earn(other, 50, days_ago=1, subject=first_post(rust), reason="question_upvoted")
    earn(asker, 100, days_ago=1)  # not about a post: on no tag board
    earn(answerer, 10, days_ago=40, subject=answer, reason="answer_upvoted")  # before the month

    result = board(period="month", tag="python")

    assert result.tag.name == "python" and not result.unknown_tag
    assert names(result) == [(1, "answerer", 25), (2, "asker", 5)]
    assert [u for _, u, _ in names(board(period="all", tag="python"))] == ["answerer", "asker"]
    assert names(board(period="all", tag="python"))[0][2] == 35
    assert names(board(period="month", tag="rust")) == [(1, "other", 50)]


def test_an_unknown_tag_gives_an_empty_board_marked_unknown(app):
    result = board(tag="cobol")
    assert result.unknown_tag and result.page.items == [] and result.page.total == 0


def test_the_rising_board_keeps_people_who_joined_in_the_last_90_days(app):
    veteran, newcomer = make_user(username="veteran"), make_user(username="newcomer")
    veteran.created_at = NOW - timedelta(days=91)
    newcomer.created_at = NOW - timedelta(days=89)
    db.session.commit()
    earn(veteran, 500, days_ago=1)
    earn(newcomer, 20, days_ago=60)
    earn(newcomer, 5, days_ago=2)

    assert names(board(board="rising", period="all")) == [(1, "newcomer", 25)]
    assert names(board(board="rising", period="week")) == [(1, "newcomer", 5)]
    assert [u for _, u, _ in names(board(period="week"))] == ["veteran", "newcomer"]


def test_pages_continue_the_ranks_and_the_viewer_is_found_on_any_page(app):
    people = [make_user(username=f"p{n:02d}") for n in range(7)]
    for n, user in enumerate(people):
        earn(user, 100 - n, days_ago=1)

    second = board(people[0], page=2, per_page=3)

    assert names(second) == [(4, "p03", 97), (5, "p04", 96), (6, "p05", 95)]
    assert second.page.total == 7 and second.page.pages == 3
    assert (second.viewer.rank, second.viewer.points) == (1, 100)  # off this page, still known
    assert board(people[4], page=2, per_page=3).viewer.rank == 5


def test_a_page_past_the_end_still_knows_the_total(app):
    earn(make_user(), 10, days_ago=1)
    result = board(page=5, per_page=3)
    assert result.page.items == [] and result.page.total == 1


def test_the_viewer_who_hides_is_told_and_not_ranked(app):
    ada = make_user(username="ada")
    earn(ada, 10, days_ago=1)
    ada.hide_from_leaderboards = True
    db.session.commit()

    result = board(ada)

    assert result.viewer is None and result.viewer_hidden
    assert result.page.items == []


def test_a_viewer_without_points_has_no_standing(app):
    earn(make_user(), 10, days_ago=1)
    result = board(make_user())
    assert result.viewer is None and not result.viewer_hidden


def test_levels_follow_the_total_not_the_period(app):
    ada = make_user()
    earn(ada, 2499, days_ago=20)
    earn(ada, 3, days_ago=1)
    [standing] = board(period="week").page.items
    assert standing.points == 3 and standing.level.name == "Expert"


@pytest.mark.parametrize(
    ("args", "expected"),
    [({}, BoardQuery("week", "top", None)),
     ({"period": "month", "board": "rising", "tag": " Python "}, BoardQuery("month", "rising", "python")),
     ({"period": "year", "board": "<b>", "tag": ""}, BoardQuery("week", "top", None)),
     ({"tag": "x" * 200}, BoardQuery("week", "top", "x" * 35))],
)
def test_bad_arguments_fall_back_to_the_defaults(args, expected):
    assert BoardQuery.parse(args) == expected


def test_links_keep_the_other_choices():
    query = BoardQuery("all", "rising", "python")
    assert query.args(period="week") == {"period": "week", "board": "rising", "tag": "python"}
    assert query.args(tag=None) == {"period": "all", "board": "rising"}
