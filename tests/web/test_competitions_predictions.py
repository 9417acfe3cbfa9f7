"""Prediction contests: rejected files name their problem and never count, the daily
limit resets at 00:00 UTC, up to two finals, and stored scores equal scikit-learn's."""

import hashlib
from datetime import datetime, timedelta

import numpy as np
import pytest
from sklearn import metrics as sk
from sqlalchemy import func, select

from app.competitions.errors import FileRejected, LimitReached
from app.competitions.joining import join
from app.competitions.models import Submission
from app.competitions.predictions import my_submissions, quota_of, select_final, submit_predictions
from app.competitions.roster import submissions_page
from app.competitions.split import public_mask
from app.competitions.standings import get_standings
from app.extensions import db
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from tests.fixtures.competitions import csv_bytes, make_organiser, make_prediction_contest
from tests.fixtures.users import make_user

START = datetime(2026, 5, 1, 12, 0)
END = START + timedelta(days=5)
IDS = [f"r{i:03d}" for i in range(40)]
GOOD = csv_bytes((row_id, "a") for row_id in IDS)


@pytest.fixture
def contest(app):
    return make_prediction_contest(starts_at=START, ends_at=END)


@pytest.fixture
def entrant(contest):
    user = make_user()
    join(user, contest.id, now=START)
    return user


def _count() -> int:
    return db.session.scalar(select(func.count(Submission.id)))


BAD_FILES = [
    (b"identifier,target\nr000,a\n", 1, 'Row 1 must be the header "id,target"'),
    (csv_bytes((row_id, "a") for row_id in IDS[:-1]), None, 'the first id without one is "r039"'),
    (csv_bytes([*((row_id, "a") for row_id in IDS), ("r000", "b")]), 42,
     'Row 42: the id "r000" appears twice (first at row 2).'),
    (csv_bytes([("r999", "a"), *((row_id, "a") for row_id in IDS)]), 2,
     'Row 2: the id "r999" is not in the test set.'),
    (csv_bytes([("r000", ""), *((row_id, "a") for row_id in IDS[1:])]), 2,
     "Row 2: the value is empty."),
    (b"id,target\nr000,\xff\n", 2, "The file is not UTF-8 text (first bad byte at row 2)"),
    (b"", None, "The file is empty"),
    (b"id,target\n" + b"x" * (20 * 1024 * 1024), None, "the limit is 20.0 MB"),
]


@pytest.mark.parametrize(("data", "row", "message"), BAD_FILES)
def test_each_bad_file_gives_its_message_and_does_not_count(contest, entrant, data, row,
                                                            message):
    for _ in range(contest.daily_limit + 1):  # refused every time: nothing counted
        with pytest.raises(FileRejected) as refused:
            submit_predictions(entrant, contest.id, "bad.csv", data, now=START)
        assert message in refused.value.message
        assert refused.value.row == row and refused.value.field == "file"
    assert _count() == 0
    assert quota_of(entrant, contest, now=START).left == contest.daily_limit
    assert submit_predictions(entrant, contest.id, "good.csv", GOOD, now=START).id


@pytest.mark.parametrize(("metric", "raw", "message"), [
    ("rmse", "NaN", '"NaN" is not a finite number'),
    ("rmse", "abc", '"abc" is not a number'),
    ("log_loss", "1.5", "1.5 is not allowed; it must be a probability between 0 and 1"),
])
def test_numbers_are_checked_for_numeric_metrics(app, metric, raw, message):
    truth = csv_bytes((row_id, i % 2) for i, row_id in enumerate(IDS))
    contest = make_prediction_contest(metric=metric, truth=truth, requires_join=False,
                                      starts_at=START, ends_at=END)
    data = csv_bytes([("r000", raw), *((row_id, 0.5) for row_id in IDS[1:])])
    with pytest.raises(FileRejected, match="Row 2: " + message):
        submit_predictions(make_user(), contest.id, "p.csv", data, now=START)


def test_the_daily_limit_resets_at_midnight_utc(contest, entrant):
    evening = datetime(2026, 5, 2, 23, 0)
    for n in range(5):
        submit_predictions(entrant, contest.id, "p.csv", GOOD, now=evening + timedelta(minutes=n))
    with pytest.raises(LimitReached) as limited:
        submit_predictions(entrant, contest.id, "p.csv", GOOD,
                           now=datetime(2026, 5, 2, 23, 59, 59))
    assert limited.value.retry_at == datetime(2026, 5, 3)
    assert limited.value.message == (
        "You have used all 5 submissions for today. The count resets at 00:00 UTC "
        "(2026-05-03 00:00 UTC), in 1 min.")
    quota = quota_of(entrant, contest, now=evening)
    assert (quota.used, quota.left, quota.resets_at) == (5, 0, datetime(2026, 5, 3))
    assert submit_predictions(entrant, contest.id, "p.csv", GOOD, now=datetime(2026, 5, 3)).id
    assert _count() == 6


def test_an_accepted_file_is_kept_with_its_hash_scores_and_metric_version(contest, entrant):
    submission = submit_predictions(entrant, contest.id, "../home/me/preds.csv", GOOD,
                                    now=START)
    assert submission.sha256 == hashlib.sha256(GOOD).hexdigest()
    assert (submission.filename, submission.row_count) == ("preds.csv", 40)
    assert (submission.metric, submission.metric_version) == ("accuracy", "accuracy-1")
    lines = my_submissions(entrant, contest, now=START)
    assert lines[0].public_score == submission.public_score
    assert lines[0].private_score is None  # hidden until the end
    assert my_submissions(entrant, contest, now=END)[0].private_score == submission.private_score


@pytest.mark.parametrize(("metric", "fn"), [
    ("roc_auc", sk.roc_auc_score),
    ("log_loss", lambda y, p: sk.log_loss(y, p, labels=[0.0, 1.0])),
    ("rmse", lambda y, p: np.sqrt(sk.mean_squared_error(y, p))),
])
def test_public_and_private_scores_equal_direct_metric_calls(app, metric, fn):
    rng = np.random.default_rng(7)
    ids = [f"id{i}" for i in range(300)]
    y = rng.integers(0, 2, size=300).astype(float)
    p = rng.random(300)
    contest = make_prediction_contest(
        metric=metric, truth=csv_bytes(zip(ids, y.astype(int), strict=True)),
        requires_join=False, starts_at=START, ends_at=END)
    data = csv_bytes(zip(ids, (repr(float(v)) for v in p), strict=True))
    submission = submit_predictions(make_user(), contest.id, "p.csv", data, now=START)
    mask = public_mask(contest.split_secret, ids, contest.public_fraction)
    assert 0 < mask.sum() < 300
    assert submission.public_score == fn(y[mask], p[mask])
    assert submission.private_score == fn(y[~mask], p[~mask])


def test_at_most_two_finals_and_only_while_running(contest, entrant):
    subs = [submit_predictions(entrant, contest.id, "p.csv", GOOD, now=START + timedelta(hours=n))
            for n in range(3)]
    select_final(entrant, subs[0].id, True, now=START)
    select_final(entrant, subs[1].id, True, now=START)
    select_final(entrant, subs[1].id, True, now=START)  # again: still two
    with pytest.raises(ValidationError, match="at most 2 final submissions"):
        select_final(entrant, subs[2].id, True, now=START)
    select_final(entrant, subs[0].id, False, now=START)
    assert select_final(entrant, subs[2].id, True, now=START).selected_final
    with pytest.raises(Conflict, match="ended"):
        select_final(entrant, subs[0].id, True, now=END)
    from app.forum.errors import NotFound

    with pytest.raises(NotFound):
        select_final(make_user(), subs[0].id, True, now=START)


def test_the_private_board_uses_the_finals_else_the_best_public_ones(app):
    truth = csv_bytes((row_id, "ab"[i % 2]) for i, row_id in enumerate(IDS))
    contest = make_prediction_contest(truth=truth, requires_join=False, starts_at=START,
                                      ends_at=END)
    mask = public_mask(contest.split_secret, IDS, contest.public_fraction)
    right = {row_id: "ab"[i % 2] for i, row_id in enumerate(IDS)}

    def guess(public_right: bool, private_right: bool) -> bytes:
        return csv_bytes((row_id, right[row_id] if (public_right if mask[i] else private_right)
                          else "z") for i, row_id in enumerate(IDS))

    chooser, lazy = make_user(), make_user()
    hour = timedelta(hours=1)
    submit_predictions(lazy, contest.id, "c.csv", guess(True, False), now=START)
    chosen = submit_predictions(chooser, contest.id, "a.csv", guess(False, True), now=START + hour)
    submit_predictions(chooser, contest.id, "b.csv", guess(True, False), now=START + 2 * hour)
    select_final(chooser, chosen.id, True, now=START + 2 * hour)
    submit_predictions(lazy, contest.id, "e.csv", guess(True, False), now=START + 3 * hour)
    submit_predictions(lazy, contest.id, "d.csv", guess(False, True), now=START + 4 * hour)

    public = get_standings(contest, make_user(), now=START + 5 * hour)
    assert [(r.user.id, r.score, r.entries, r.last_improvement_at) for r in public.rows] == [
        (lazy.id, 1.0, 3, START), (chooser.id, 1.0, 2, START + 2 * hour)]  # earlier wins
    with pytest.raises(PermissionDenied, match="revealed when the competition ends"):
        get_standings(contest, make_user(), board="private", now=START)
    private = get_standings(contest, make_user(), board="private", now=END)
    # chooser's selected file counts; lazy chose none, so their best two public ones do,
    # and d.csv, right on every private row, is not among them
    assert [(r.user.id, r.score, r.public_rank, r.movement) for r in private.rows] == [
        (chooser.id, 1.0, 2, 1), (lazy.id, 0.0, 1, -1)]
    assert get_standings(contest, make_organiser(), board="private", now=START).rows


def test_organisers_see_every_submission_with_both_scores(contest, entrant):
    submission = submit_predictions(entrant, contest.id, "p.csv", GOOD, now=START)
    page = submissions_page(make_organiser(), contest)
    assert [(s.id, s.user.id, s.private_score) for s in page.items] == [
        (submission.id, entrant.id, submission.private_score)]
    with pytest.raises(PermissionDenied):
        submissions_page(entrant, contest)
