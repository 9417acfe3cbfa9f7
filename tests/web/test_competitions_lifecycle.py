"""Time boundaries: entries count from the start (inclusive) to the end (exclusive), and
from the freeze others see the board as it stood, while staff see it live."""

from datetime import datetime, timedelta

import pytest

from app.competitions import lifecycle
from app.competitions.challenges import submit_answer
from app.competitions.finalizing import finalize
from app.competitions.joining import join
from app.competitions.predictions import submit_predictions
from app.competitions.standings import get_standings, score_history
from app.forum.errors import Conflict
from tests.fixtures.competitions import (
    csv_bytes,
    make_challenge_set,
    make_organiser,
    make_prediction_contest,
)
from tests.fixtures.users import make_user

START = datetime(2026, 5, 1, 12, 0)
FREEZE = START + timedelta(hours=20)
END = START + timedelta(days=1)
SECOND = timedelta(seconds=1)


@pytest.fixture
def ctf(app):
    competition = make_challenge_set(challenges=3, starts_at=START, ends_at=END,
                                     freeze_at=FREEZE)
    return competition


def test_the_status_follows_the_clock(ctf):
    assert lifecycle.status(ctf, START - SECOND) == "scheduled"
    assert lifecycle.status(ctf, START) == "running"
    assert lifecycle.status(ctf, FREEZE) == "frozen"
    assert lifecycle.status(ctf, END - SECOND) == "frozen"
    assert lifecycle.status(ctf, END) == "ended"
    assert lifecycle.countdown_target(ctf, START - SECOND) == START
    assert lifecycle.countdown_target(ctf, START) == END


def test_answers_count_from_the_start_to_the_end_exclusive(ctf):
    user = make_user()
    join(user, ctf.id, now=START - timedelta(days=1))  # joining opens before the start
    first, second, third = ctf.challenges
    with pytest.raises(Conflict, match="The competition starts at 2026-05-01 12:00 UTC."):
        submit_answer(user, first.id, "flag{1}", now=START - SECOND)
    assert submit_answer(user, first.id, "flag{1}", now=START).correct
    assert submit_answer(user, second.id, "flag{2}", now=END - SECOND).correct
    with pytest.raises(Conflict, match="The competition ended at 2026-05-02 12:00 UTC."):
        submit_answer(user, third.id, "flag{3}", now=END)
    with pytest.raises(Conflict, match="ended"):
        submit_answer(user, third.id, "flag{3}", now=END + SECOND)
    with pytest.raises(Conflict, match="ended"):
        join(make_user(), ctf.id, now=END)


def test_a_prediction_one_second_after_the_end_is_refused(app):
    contest = make_prediction_contest(starts_at=START, ends_at=END, requires_join=False)
    data = csv_bytes((f"r{i:03d}", "a") for i in range(40))
    user = make_user()
    assert submit_predictions(user, contest.id, "p.csv", data, now=START).id
    with pytest.raises(Conflict, match="The competition ended at 2026-05-02 12:00 UTC."):
        submit_predictions(user, contest.id, "p.csv", data, now=END + SECOND)


def test_the_frozen_board_shows_others_the_freeze_and_staff_the_live_board(ctf):
    early, late = make_user(), make_user()
    for user in (early, late):
        join(user, ctf.id, now=START)
    submit_answer(early, ctf.challenges[0].id, "flag{1}", now=START + timedelta(hours=1))
    submit_answer(late, ctf.challenges[0].id, "flag{1}", now=FREEZE - SECOND)
    submit_answer(late, ctf.challenges[1].id, "flag{2}", now=FREEZE)  # at the freeze: hidden
    submit_answer(late, ctf.challenges[2].id, "flag{3}", now=FREEZE + timedelta(hours=1))
    during = FREEZE + timedelta(hours=2)

    public = get_standings(ctf, early, now=during)
    assert public.frozen and public.as_of == FREEZE
    assert [(r.user.id, r.score) for r in public.rows] == [(early.id, 100), (late.id, 100)]
    staff = get_standings(ctf, make_organiser(), now=during)
    assert not staff.frozen
    assert [(r.user.id, r.score) for r in staff.rows] == [(late.id, 300), (early.id, 100)]
    assert get_standings(ctf, None, now=FREEZE - SECOND).frozen is False
    assert [p[1] for p in score_history(ctf, late, now=during)[1].points] == [100]

    after_end = END + timedelta(hours=1)
    assert get_standings(ctf, early, now=after_end).frozen  # frozen until final
    finalize(ctf.id, now=after_end)
    final = get_standings(ctf, early, now=after_end)
    assert not final.frozen and final.rows[0].user.id == late.id
