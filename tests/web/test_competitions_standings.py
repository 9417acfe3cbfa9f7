"""The board: ties go to whoever reached the score first, queries stay fixed whatever
the number of entrants, and disqualified entrants vanish (with their solves)."""

from datetime import datetime, timedelta

import pytest

from app.competitions import catalogue, organising
from app.competitions.challenge_board import challenge_list
from app.competitions.challenges import submit_answer, unlock_hint
from app.competitions.predictions import submit_predictions
from app.competitions.roster import entrants_page
from app.competitions.standings import get_standings, score_history
from app.forum.errors import Conflict, NotFound, ValidationError
from tests.fixtures.competitions import (
    csv_bytes,
    make_challenge,
    make_challenge_set,
    make_hint,
    make_organiser,
    make_prediction_contest,
)
from tests.fixtures.queries import count_queries
from tests.fixtures.users import make_user

START = datetime(2026, 5, 1, 12, 0)
END = START + timedelta(days=2)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def ctf(app):
    return make_challenge_set(challenges=3, starts_at=START, ends_at=END, requires_join=False)


def test_equal_scores_are_ranked_by_who_reached_them_first(ctf):
    a, b, c = ctf.challenges
    slow, fast, hinted = make_user(), make_user(), make_user()
    submit_answer(slow, a.id, "flag{1}", now=at(1))
    submit_answer(fast, b.id, "flag{2}", now=at(2))
    submit_answer(slow, b.id, "flag{2}", now=at(30))
    submit_answer(fast, a.id, "flag{1}", now=at(20))
    submit_answer(hinted, a.id, "flag{1}", now=at(3))
    submit_answer(hinted, b.id, "flag{2}", now=at(4))
    hint = make_hint(challenge=c, cost=0)
    unlock_hint(hinted, hint.id, now=at(40))  # free: does not move the time
    board = get_standings(ctf, make_user(), now=at(60))
    assert [(r.rank, r.user.id, r.score, r.entries, r.last_improvement_at) for r in board.rows] == [
        (1, hinted.id, 200, 2, at(4)), (2, fast.id, 200, 2, at(20)), (3, slow.id, 200, 2, at(30))]
    assert board.score_label == "Points" and board.greater_is_better
    history = score_history(ctf, make_user(), now=at(60))
    assert [s.user.id for s in history] == [hinted.id, fast.id, slow.id]
    assert history[2].points == [(at(1), 100), (at(30), 200)]
    assert get_standings(ctf, make_user(), as_of=at(10), now=at(60)).rows[0].user.id == hinted.id
    with pytest.raises(NotFound, match="no such leaderboard"):
        get_standings(ctf, make_user(), board="secret")


def _fill(competition, solvers: int) -> None:
    for n in range(solvers):
        user = make_user()
        for i, challenge in enumerate(competition.challenges[: 1 + n % 3]):
            submit_answer(user, challenge.id, f"flag{{{i + 1}}}", now=at(n + i))


def test_the_board_runs_a_fixed_number_of_queries(app):
    small = make_challenge_set(challenges=3, starts_at=START, ends_at=END, requires_join=False)
    large = make_challenge_set(challenges=3, starts_at=START, ends_at=END, requires_join=False)
    make_hint(challenge=small.challenges[0], cost=5)
    make_hint(challenge=large.challenges[0], cost=5)
    _fill(small, 2)
    _fill(large, 25)
    viewer = make_organiser()
    counts = []
    for competition in (small, large):
        get_standings(competition, viewer, now=at(100))  # loads the expired rows first
        with count_queries() as standings:
            board = get_standings(competition, viewer, now=at(100))
            [row.user.name for row in board.rows]
        with count_queries() as history:
            score_history(competition, viewer, now=at(100))
        with count_queries() as challenges:
            cards = challenge_list(viewer, competition, now=at(100)).cards
            [(card.challenge.prerequisites, card.hints) for card in cards]
        counts.append((standings.count, history.count, challenges.count))
    assert counts[0] == counts[1]
    assert counts[0][0] <= 4


def test_prediction_boards_and_the_list_run_fixed_queries(app):
    contests = [make_prediction_contest(starts_at=START, ends_at=END, requires_join=False)
                for _ in range(2)]
    data = csv_bytes((f"r{i:03d}", "a") for i in range(40))
    for contest, people in zip(contests, (1, 12), strict=True):
        for _ in range(people):
            submit_predictions(make_user(), contest.id, "p.csv", data, now=at(1))
    viewer = make_organiser()
    counts = []
    for contest in contests:
        get_standings(contest, viewer, now=at(5))  # loads the expired rows first
        with count_queries() as public:
            get_standings(contest, viewer, now=at(5))
        with count_queries() as private:
            get_standings(contest, viewer, board="private", now=at(5))
        counts.append((public.count, private.count))
    assert counts[0] == counts[1] and counts[0][0] <= 2
    with count_queries() as few:
        catalogue.competitions_overview(viewer)
    make_challenge_set(starts_at=START, ends_at=END)
    catalogue.competitions_overview(viewer)  # loads the expired viewer first
    with count_queries() as more:
        catalogue.competitions_overview(viewer)
    assert few.count == more.count == 2


def test_a_disqualified_entrant_vanishes_with_their_solves(app):
    ctf = make_challenge_set(challenges=0, published=False, starts_at=START, ends_at=END,
                             requires_join=False)
    challenge = make_challenge(competition=ctf, answer="flag{x}", scoring="dynamic",
                               initial=500, minimum=100, decay=2, first_blood="50")
    organising.set_published(make_organiser(), ctf.id, True)
    cheat, honest = make_user(), make_user()
    submit_answer(cheat, challenge.id, "flag{x}", now=at(1))
    submit_answer(honest, challenge.id, "flag{x}", now=at(2))
    assert [(r.user.id, r.score) for r in get_standings(ctf, None, now=at(3)).rows] == [
        (cheat.id, 450), (honest.id, 400)]
    staff = make_organiser()
    with pytest.raises(ValidationError, match="Say why"):
        organising.disqualify(staff, ctf.id, cheat.id, "  ")
    organising.disqualify(staff, ctf.id, cheat.id, "Copied the flag from a writeup.", now=at(4))
    board = get_standings(ctf, None, now=at(5))
    assert [(r.rank, r.user.id, r.score) for r in board.rows] == [(1, honest.id, 550)]
    assert challenge_list(make_user(), ctf, now=at(5)).cards[0].solves == 1
    [first, _] = entrants_page(staff, ctf).items
    assert (first.user_id, first.disqualified_reason, first.disqualified_by_id) == (
        cheat.id, "Copied the flag from a writeup.", staff.id)
    organising.reinstate(staff, ctf.id, cheat.id)
    assert len(get_standings(ctf, None, now=at(6)).rows) == 2


def test_disqualifying_is_closed_once_the_results_are_final(app):
    from app.competitions.finalizing import finalize

    ctf = make_challenge_set(starts_at=START, ends_at=END, requires_join=False)
    user = make_user()
    submit_answer(user, ctf.challenges[0].id, "flag{1}", now=at(1))
    finalize(ctf.id, now=END)
    with pytest.raises(Conflict, match="final"):
        organising.disqualify(make_organiser(), ctf.id, user.id, "Too late.")
