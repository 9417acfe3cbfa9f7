"""Staff organising: competitions, challenges, hints, prizes and ground truth. A refused
input names its field and saves nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.competitions import challenge_editing, ground_truth, organising
from app.competitions.answers import hash_answer
from app.competitions.errors import FileRejected
from app.competitions.models import Challenge, Competition, GroundTruth, PrizeTier
from app.competitions.organising import PrizeInput
from app.extensions import db
from app.forum.errors import Conflict, PermissionDenied, ValidationError
from app.timeutil import utcnow
from tests.fixtures.competitions import (
    competition_input,
    csv_bytes,
    make_challenge,
    make_challenge_set,
    make_organiser,
    make_prediction_contest,
)
from tests.fixtures.users import make_user


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_staff_create_a_draft_with_rendered_text_and_a_secret_split(app):
    staff = make_organiser()
    competition = organising.create_competition(staff, competition_input(
        kind="prediction", title="Predict the churn", metric="roc_auc", public_fraction=0.25))
    assert (competition.slug, competition.published, competition.kind) == (
        "predict-the-churn", False, "prediction")
    assert "<h2>Data</h2>" in competition.description_html
    assert "<strong>fair</strong>" in competition.rules_html
    assert len(competition.split_secret) == 64
    assert (competition.metric, competition.public_fraction, competition.daily_limit,
            competition.max_final) == ("roc_auc", 0.25, 5, 2)


def test_members_cannot_organise(app):
    with pytest.raises(PermissionDenied):
        organising.create_competition(make_user(), competition_input())
    assert _count(Competition) == 0


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": "x"}, "title", "at least 3 characters"),
    ({"summary": ""}, "summary", "cannot be empty"),
    ({"kind": "quiz"}, "kind", "Choose a challenge set or a prediction contest."),
    ({"starts_at": None}, "starts_at", "Give the start time"),
    ({"ends_at": "start"}, "ends_at", "The end must come after the start."),
    ({"freeze_at": "end"}, "freeze_at", "between the start and the end"),
    ({"kind": "prediction", "metric": "r2"}, "metric", "Choose the metric"),
    ({"kind": "prediction", "public_fraction": 1.0}, "public_fraction", "from 5% to 95% of the rows"),
    ({"kind": "prediction", "daily_limit": 0}, "daily_limit", "1 to 100"),
    ({"kind": "prediction", "max_final": 11}, "max_final", "1 to 10"),
])
def test_bad_input_names_its_field_and_saves_nothing(app, changes, field, message):
    staff = make_organiser()
    base = competition_input(kind="prediction" if changes.get("kind") == "prediction"
                             else "challenge")
    values = {**base.__dict__, **changes}
    if values.get("ends_at") == "start":
        values["ends_at"] = base.starts_at
    if values.get("freeze_at") == "end":
        values["freeze_at"] = base.ends_at
    with pytest.raises(ValidationError) as refused:
        organising.create_competition(staff, organising.CompetitionInput(**values))
    assert refused.value.field == field and message in refused.value.message
    assert _count(Competition) == 0


def test_a_taken_slug_and_a_refused_edit_change_nothing(app):
    staff = make_organiser()
    first = organising.create_competition(staff, competition_input(title="Spring CTF"))
    with pytest.raises(ValidationError, match="Another competition already uses this address"):
        organising.create_competition(staff, competition_input(title="Spring CTF"))
    edit = competition_input(title="Renamed CTF", summary="")
    with pytest.raises(ValidationError):
        organising.update_competition(staff, first.id, edit)
    db.session.expire_all()
    assert db.session.get(Competition, first.id).title == "Spring CTF"
    assert _count(Competition) == 1


def test_publishing_needs_something_to_compete_on(app):
    staff = make_organiser()
    empty = organising.create_competition(staff, competition_input())
    with pytest.raises(ValidationError, match="Add at least one challenge"):
        organising.set_published(staff, empty.id, True)
    contest = organising.create_competition(staff, competition_input(kind="prediction"))
    with pytest.raises(ValidationError, match="Upload the ground truth"):
        organising.set_published(staff, contest.id, True)
    make_challenge(competition=empty)
    assert organising.set_published(staff, empty.id, True).published


def test_exact_answers_are_stored_hashed_with_a_salt_never_as_typed(app):
    competition = make_challenge_set(challenges=0, published=False)
    one = make_challenge(competition=competition, answer="flag{same}")
    two = make_challenge(competition=competition, answer="flag{same}")
    assert "flag{same}" not in one.answer_stored
    assert one.answer_stored == hash_answer("flag{same}", one.answer_salt)
    assert one.answer_stored != two.answer_stored  # each challenge has its own salt
    staff = make_organiser()
    kept = challenge_editing.update_challenge(staff, one.id, challenge_editing.ChallengeInput(
        title="Renamed", statement="New text", answer=""))
    assert kept.answer_stored == hash_answer("flag{same}", one.answer_salt)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"answer_mode": "regex", "answer": "flag{(unclosed"}, "answer", "not a valid regular"),
    ({"answer": "  "}, "answer", "The answer is empty."),
    ({"answer_mode": "fuzzy"}, "answer_mode", "Choose exact"),
    ({"scoring": "dynamic", "initial": 100, "minimum": 200, "decay": 5}, "minimum", "above"),
    ({"scoring": "dynamic", "initial": 500, "minimum": 100, "decay": 0}, "decay", "solves"),
    ({"value": -1}, "value", "from 0 to 10,000"),
    ({"first_blood": "30, twenty"}, "first_blood", "whole numbers"),
    ({"first_blood": "1 2 3 4"}, "first_blood", "up to 3"),
    ({"attachments": "ftp://files.example.com/a.zip"}, "attachments", "https://"),
    ({"statement": ""}, "statement", "cannot be empty"),
])
def test_bad_challenges_are_refused_with_their_field(app, changes, field, message):
    competition = make_challenge_set(challenges=0, published=False)
    data = challenge_editing.ChallengeInput(**{
        "title": "A challenge", "statement": "Find it.", "answer": "flag{x}", **changes})
    with pytest.raises(ValidationError) as refused:
        challenge_editing.create_challenge(make_organiser(), competition.id, data)
    assert refused.value.field == field and message in refused.value.message
    assert _count(Challenge) == 0


def test_prerequisites_stay_in_the_set_and_never_loop(app):
    competition = make_challenge_set(challenges=0, published=False)
    first = make_challenge(competition=competition, title="First")
    second = make_challenge(competition=competition, title="Second", prerequisites=(first,))
    assert [p.title for p in second.prerequisites] == ["First"]
    staff = make_organiser()
    loop = challenge_editing.ChallengeInput(title="First", statement="x", answer="",
                                            prerequisite_ids=(second.id,))
    with pytest.raises(ValidationError, match="loop"):
        challenge_editing.update_challenge(staff, first.id, loop)
    other = make_challenge(competition=make_challenge_set(challenges=0, published=False))
    stray = challenge_editing.ChallengeInput(title="First", statement="x", answer="",
                                             prerequisite_ids=(other.id,))
    with pytest.raises(ValidationError, match="challenges of this set"):
        challenge_editing.update_challenge(staff, first.id, stray)
    db.session.expire_all()
    assert db.session.get(Challenge, first.id).prerequisites == []


@pytest.mark.parametrize(("tiers", "message"), [
    ([PrizeInput(1, 3, 100), PrizeInput(3, 5, 50)], "overlap"),
    ([PrizeInput(1, 1, 0)], "pay 1 to 10,000 points"),
    ([PrizeInput(1, 1, 10_001)], "pay 1 to 10,000 points"),
    ([PrizeInput(5, 2, 10)], "must not come before"),
    ([PrizeInput(0, 2, 10)], "first rank from 1"),
])
def test_prize_tables_refuse_overlaps_and_out_of_range_points(app, tiers, message):
    competition = make_challenge_set()
    with pytest.raises(ValidationError, match=message):
        organising.set_prizes(make_organiser(), competition.id, tiers)
    assert _count(PrizeTier) == 0


def test_a_prize_table_replaces_the_last_one(app):
    competition = make_challenge_set()
    staff = make_organiser()
    organising.set_prizes(staff, competition.id, [PrizeInput(1, 1, 500)])
    saved = organising.set_prizes(staff, competition.id, [
        PrizeInput(4, 10, 20), PrizeInput(1, 1, 300), PrizeInput(2, 3, 100),
        PrizeInput(None, None, None)])
    assert [(t.rank_from, t.rank_to, t.points) for t in saved] == [
        (1, 1, 300), (2, 3, 100), (4, 10, 20)]
    assert _count(PrizeTier) == 3


def test_ground_truth_is_checked_stored_and_fixed_once_scored(app):
    staff = make_organiser()
    contest = organising.create_competition(staff, competition_input(kind="prediction",
                                                                     metric="roc_auc"))
    with pytest.raises(FileRejected) as bad:
        ground_truth.upload_ground_truth(staff, contest.id, "t.csv",
                                         csv_bytes([("a", 1), ("b", 0.5)]))
    assert bad.value.row == 3 and "target must be 0 or 1" in bad.value.message
    with pytest.raises(FileRejected, match="cannot be scored"):  # one class on a side
        ground_truth.upload_ground_truth(staff, contest.id, "t.csv",
                                         csv_bytes((f"r{i}", 1) for i in range(20)))
    assert _count(GroundTruth) == 0
    rows = [(f"r{i}", i % 2) for i in range(200)]
    stored = ground_truth.upload_ground_truth(staff, contest.id, "C:\\data\\truth.csv",
                                              csv_bytes(rows))
    assert (stored.filename, stored.row_count) == ("truth.csv", 200)
    info = ground_truth.truth_info(contest)
    assert (info.row_count, info.sha256) == (200, stored.sha256)


def test_scoring_settings_are_fixed_once_entries_are_scored(app):
    from app.competitions.predictions import submit_predictions

    contest = make_prediction_contest(requires_join=False)
    staff = make_organiser()
    submit_predictions(make_user(), contest.id, "p.csv",
                       csv_bytes((f"r{i:03d}", "a") for i in range(40)))
    with pytest.raises(Conflict, match="no longer be replaced"):
        ground_truth.upload_ground_truth(staff, contest.id, "t.csv",
                                         csv_bytes((f"r{i:03d}", "b") for i in range(40)))
    changed = competition_input(kind="prediction", metric="macro_f1",
                                starts_at=contest.starts_at, ends_at=contest.ends_at)
    with pytest.raises(ValidationError, match="can no longer change"):
        organising.update_competition(staff, contest.id, changed)


def test_a_competition_people_entered_cannot_go_back_to_draft(app):
    from app.competitions.joining import join

    competition = make_challenge_set(ends_at=utcnow() + timedelta(days=2))
    join(make_user(), competition.id)
    with pytest.raises(Conflict):
        organising.set_published(make_organiser(), competition.id, False)


def test_new_settings_must_fit_the_uploaded_truth(app):
    contest = make_prediction_contest(published=False)  # labels "a" and "b"
    staff = make_organiser()
    roc = competition_input(kind="prediction", metric="roc_auc", title=contest.title,
                            starts_at=contest.starts_at, ends_at=contest.ends_at)
    with pytest.raises(ValidationError) as refused:
        organising.update_competition(staff, contest.id, roc)
    assert refused.value.field == "metric"
    assert "does not fit these settings" in refused.value.message
    assert '"a" is not a number' in refused.value.message
    db.session.expire_all()
    assert db.session.get(Competition, contest.id).metric == "accuracy"
    f1 = competition_input(kind="prediction", metric="macro_f1", title=contest.title,
                           public_fraction=0.5, starts_at=contest.starts_at,
                           ends_at=contest.ends_at)
    assert organising.update_competition(staff, contest.id, f1).metric == "macro_f1"
