"""Organisers' pages: staff only; refused input keeps what was typed and saves nothing;
answers and the split secret never reach a page."""

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.competitions import challenges, joining, predictions, standings
from app.competitions.models import Challenge, Competition, Entrant, GroundTruth, Hint, PrizeTier
from app.extensions import db
from app.timeutil import utcnow
from tests.fixtures.competitions import (
    csv_bytes,
    make_challenge,
    make_challenge_set,
    make_hint,
    make_prediction_contest,
)
from tests.fixtures.users import login_as, make_user

FORMAT = "%Y-%m-%dT%H:%M"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _staff(client, role=Role.MODERATOR):
    user = make_user(role=role)
    login_as(client, user)
    return user


def _assert_clean(response, *competitions):
    """No inline styles (CSP), and no competition's split secret, on any page."""
    body = response.get_data(as_text=True)
    assert "style=" not in body
    for competition in competitions:
        assert competition.split_secret not in body
    return body


def _world():
    """A challenge set with a solve, a hint and an attempt; a prediction contest with a
    submission. Returns the competitions and the ids the routes need."""
    contest = make_challenge_set(challenges=2)
    first = contest.challenges[0]
    hint = make_hint(challenge=first)
    player = make_user()
    joining.join(player, contest.id)
    challenges.submit_answer(player, first.id, "wrong")
    challenges.submit_answer(player, first.id, "flag{1}")
    prediction = make_prediction_contest()
    joining.join(player, prediction.id)
    predictions.submit_predictions(player, prediction.id, "mine.csv",
                                   csv_bytes((f"r{i:03d}", "a") for i in range(40)))
    ids = {"c": contest.id, "p": prediction.id, "ch": first.id, "h": hint.id, "u": player.id}
    return contest, prediction, ids


GET_ROUTES = [
    "/admin/competitions",
    "/admin/competitions/new",
    "/admin/competitions/{c}/edit",
    "/admin/competitions/{p}/edit",
    "/admin/competitions/{c}/challenges",
    "/admin/competitions/{c}/challenges/new",
    "/admin/challenges/{ch}/edit",
    "/admin/challenges/{ch}/attempts",
    "/admin/competitions/{c}/prizes",
    "/admin/competitions/{p}/ground-truth",
    "/admin/competitions/{c}/entrants",
    "/admin/competitions/{p}/entrants",
    "/admin/competitions/{p}/submissions",
]
POST_ROUTES = [
    "/admin/competitions/new",
    "/admin/competitions/{c}/edit",
    "/admin/competitions/{c}/publish",
    "/admin/competitions/{c}/challenges/new",
    "/admin/challenges/{ch}/edit",
    "/admin/challenges/{ch}/hints",
    "/admin/hints/{h}/edit",
    "/admin/competitions/{c}/prizes",
    "/admin/competitions/{p}/ground-truth",
    "/admin/competitions/{c}/entrants/{u}/disqualify",
    "/admin/competitions/{c}/entrants/{u}/reinstate",
]


def test_only_staff_reach_the_organisers_pages(client):
    contest, prediction, ids = _world()
    for route in GET_ROUTES + POST_ROUTES:
        url = route.format(**ids)
        send = client.post if route in POST_ROUTES and route not in GET_ROUTES else client.get
        anonymous = send(url)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"], url
    login_as(client, make_user())
    for route in GET_ROUTES:
        assert client.get(route.format(**ids)).status_code == 403, route
    for route in POST_ROUTES:
        assert client.post(route.format(**ids), data={"dq-{u}-reason".format(**ids): "x"}
                           ).status_code == 403, route
    assert not db.session.get(Entrant, db.session.scalar(select(Entrant.id))).is_disqualified
    for role in (Role.MODERATOR, Role.ADMIN):
        _staff(client, role)
        for route in GET_ROUTES:
            page = client.get(route.format(**ids))
            assert page.status_code == 200, (role, route)
            _assert_clean(page, contest, prediction)


def test_the_list_shows_every_competition_with_its_status_and_links(client):
    _staff(client)
    empty = client.get("/admin/competitions")
    assert b"No competitions yet" in empty.data
    contest = make_challenge_set(title="Live capture")
    draft = make_prediction_contest(title="Draft forecast", published=False)
    body = _assert_clean(client.get("/admin/competitions"), contest, draft)
    assert "Live capture" in body and "Draft forecast" in body
    assert "<td>Running</td>" in body and "<td>Draft</td>" in body
    assert f"/admin/competitions/{contest.id}/challenges" in body
    assert f"/admin/competitions/{draft.id}/ground-truth" in body
    assert f"/admin/competitions/{draft.id}/prizes" in body


def _competition_form(**changes) -> dict:
    now = utcnow().replace(second=0, microsecond=0)
    form = {"kind": "challenge", "title": "Spring capture", "slug": "",
            "summary": "Flags in the spring.", "description": "## Find them",
            "rules": "Be **fair**.", "starts_at": (now - timedelta(hours=1)).strftime(FORMAT),
            "ends_at": (now + timedelta(days=2)).strftime(FORMAT), "freeze_at": "",
            "requires_join": "y", "public_fraction": "30", "daily_limit": "5",
            "max_final": "2"}
    form.update(changes)
    return form


def test_create_a_draft_then_publish_it(client):
    _staff(client)
    created = client.post("/admin/competitions/new", data=_competition_form())
    assert created.status_code == 303
    competition = db.session.scalar(select(Competition))
    assert created.headers["Location"].endswith(f"/admin/competitions/{competition.id}/challenges")
    assert (competition.slug, competition.published, competition.kind) == (
        "spring-capture", False, "challenge")
    assert competition.starts_at.tzinfo is None and competition.starts_at.second == 0

    refused = client.post(f"/admin/competitions/{competition.id}/publish",
                          data={"published": "1"}, follow_redirects=True)
    assert b"Add at least one challenge before publishing." in refused.data
    db.session.expire_all()
    assert not db.session.get(Competition, competition.id).published

    make_challenge(competition=competition)
    done = client.post(f"/admin/competitions/{competition.id}/publish", data={"published": "1"},
                       follow_redirects=True)
    assert b"is published" in done.data
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).published


def test_a_prediction_contest_takes_its_settings_in_per_cent(client):
    _staff(client)
    client.post("/admin/competitions/new", data=_competition_form(
        kind="prediction", title="Churn forecast", metric="accuracy", public_fraction="25",
        daily_limit="3"))
    competition = db.session.scalar(select(Competition))
    assert (competition.kind, competition.metric, competition.public_fraction,
            competition.daily_limit) == ("prediction", "accuracy", 0.25, 3)
    edit = client.get(f"/admin/competitions/{competition.id}/edit").get_data(as_text=True)
    assert 'value="25"' in edit and 'name="kind"' not in edit
    assert competition.starts_at.strftime(FORMAT) in edit


def test_refused_competition_input_keeps_what_was_typed_and_saves_nothing(client):
    _staff(client)
    page = client.post("/admin/competitions/new", data=_competition_form(
        summary="My typed summary", ends_at="2020-01-01T00:00"))
    assert page.status_code == 200
    assert b"The end must come after the start." in page.data
    assert b"My typed summary" in page.data and b"Spring capture" in page.data
    assert b'value="2020-01-01T00:00"' in page.data
    shape = client.post("/admin/competitions/new", data=_competition_form(starts_at="soon"))
    assert b"Give a date and time like" in shape.data and b'value="soon"' in shape.data
    assert _count(Competition) == 0

    contest = make_challenge_set(title="Original title")
    edit = client.post(f"/admin/competitions/{contest.id}/edit", data=_competition_form(
        title="Edited title", slug="Bad Slug!"))
    assert b"Edited title" in edit.data and b"field-error" in edit.data
    db.session.expire_all()
    assert db.session.get(Competition, contest.id).title == "Original title"


def test_a_new_exact_answer_never_shows_and_a_blank_one_keeps_it(client):
    _staff(client)
    contest = make_challenge_set(challenges=1, published=False)
    other = contest.challenges[0]
    created = client.post(f"/admin/competitions/{contest.id}/challenges/new", data={
        "title": "Hidden door", "category": "web", "statement": "Find the **door**.",
        "answer_mode": "exact", "answer": "flag{s3cret-door}", "scoring": "dynamic",
        "initial": "500", "minimum": "100", "decay": "20", "first_blood": "30, 20, 10",
        "prerequisite_ids": str(other.id),
        "attachments": "https://files.example.com/a.zip\nhttps://files.example.com/b.txt"})
    assert created.status_code == 303
    challenge = db.session.scalar(select(Challenge).where(Challenge.title == "Hidden door"))
    assert (challenge.scoring, challenge.initial, challenge.first_blood) == ("dynamic", 500,
                                                                           [30, 20, 10])
    assert [p.id for p in challenge.prerequisites] == [other.id]
    stored = challenge.answer_stored

    pages = [client.get(f"/admin/challenges/{challenge.id}/edit"),
             client.get(f"/admin/competitions/{contest.id}/challenges"),
             client.get(f"/admin/challenges/{challenge.id}/attempts")]
    for page in pages:
        body = _assert_clean(page, contest)
        assert "s3cret-door" not in body and stored not in body and challenge.answer_salt not in body
    edit = pages[0].get_data(as_text=True)
    assert "Leave empty to keep the current answer." in edit
    assert "30, 20, 10" in edit and "https://files.example.com/b.txt" in edit
    assert (f'checked id="prerequisite_ids-0" name="prerequisite_ids" type="checkbox" '
            f'value="{other.id}"') in edit

    kept = client.post(f"/admin/challenges/{challenge.id}/edit", data={
        "title": "Hidden door, renamed", "category": "web", "statement": "Find the door.",
        "answer_mode": "exact", "answer": "", "scoring": "static", "value": "150"})
    assert kept.status_code == 303
    db.session.expire_all()
    challenge = db.session.get(Challenge, challenge.id)
    assert (challenge.title, challenge.value, challenge.answer_stored) == (
        "Hidden door, renamed", 150, stored)


def test_a_refused_challenge_keeps_what_was_typed_and_saves_nothing(client):
    _staff(client)
    contest = make_challenge_set(challenges=0, published=False)
    page = client.post(f"/admin/competitions/{contest.id}/challenges/new", data={
        "title": "Typed title", "statement": "Typed statement", "answer_mode": "regex",
        "answer": "flag{(", "scoring": "static", "value": "100", "first_blood": "30, 20"})
    assert page.status_code == 200
    body = _assert_clean(page, contest)
    assert "Typed title" in body and "Typed statement" in body and "30, 20" in body
    assert 'class="field-error"' in body
    assert _count(Challenge) == 0


def test_hints_are_added_and_edited_on_the_challenge_page(client):
    _staff(client)
    contest = make_challenge_set(challenges=1)
    challenge = contest.challenges[0]
    added = client.post(f"/admin/challenges/{challenge.id}/hints",
                        data={"new-hint-text": "Try the *robots* file.", "new-hint-cost": "25"})
    assert added.status_code == 303
    hint = db.session.scalar(select(Hint))
    assert (hint.text, hint.cost, hint.challenge_id) == ("Try the *robots* file.", 25,
                                                         challenge.id)
    page = client.get(f"/admin/challenges/{challenge.id}/edit").get_data(as_text=True)
    assert "Try the *robots* file." in page

    refused = client.post(f"/admin/hints/{hint.id}/edit",
                          data={f"hint-{hint.id}-text": "Typed new text",
                                f"hint-{hint.id}-cost": "-5"})
    assert refused.status_code == 422
    assert b"Typed new text" in refused.data and b"free" in refused.data
    empty = client.post(f"/admin/challenges/{challenge.id}/hints",
                        data={"new-hint-text": "", "new-hint-cost": "0"})
    assert empty.status_code == 422 and _count(Hint) == 1

    saved = client.post(f"/admin/hints/{hint.id}/edit",
                        data={f"hint-{hint.id}-text": "Read robots.txt", f"hint-{hint.id}-cost": "0"})
    assert saved.status_code == 303
    db.session.expire_all()
    assert (db.session.get(Hint, hint.id).text, db.session.get(Hint, hint.id).cost) == (
        "Read robots.txt", 0)


def test_the_attempts_log_lists_wrong_answers(client):
    contest = make_challenge_set(challenges=1)
    player = make_user(username="alice")
    joining.join(player, contest.id)
    challenges.submit_answer(player, contest.challenges[0].id, "flag{guess}")
    challenges.submit_answer(player, contest.challenges[0].id, "flag{1}")
    _staff(client)
    body = _assert_clean(client.get(f"/admin/challenges/{contest.challenges[0].id}/attempts"),
                         contest)
    assert "alice" in body and "flag{guess}" in body and "flag{1}" not in body
    board = client.get(f"/admin/competitions/{contest.id}/challenges").get_data(as_text=True)
    assert re.search(r"<td>100</td>\s*<td>1</td>", board)  # value, then one solve


def _prize_rows(*rows) -> dict:
    data = {}
    for i, row in enumerate(rows):
        for key, value in zip(("rank_from", "rank_to", "points"), row, strict=True):
            data[f"rows-{i}-{key}"] = value
    return data


def test_the_prize_table_saves_filled_rows_and_shows_overlaps(client):
    _staff(client)
    contest = make_challenge_set()
    form = client.get(f"/admin/competitions/{contest.id}/prizes").get_data(as_text=True)
    assert 'name="rows-4-points"' in form
    saved = client.post(f"/admin/competitions/{contest.id}/prizes", data=_prize_rows(
        ("1", "", "500"), ("2", "3", "200"), ("", "", ""), ("", "", "")))
    assert saved.status_code == 303
    assert [(t.rank_from, t.rank_to, t.points) for t in db.session.scalars(
        select(PrizeTier).order_by(PrizeTier.rank_from))] == [(1, 1, 500), (2, 3, 200)]
    again = client.get(f"/admin/competitions/{contest.id}/prizes").get_data(as_text=True)
    assert 'value="500"' in again and 'name="rows-6-points"' in again

    overlap = client.post(f"/admin/competitions/{contest.id}/prizes", data=_prize_rows(
        ("1", "5", "100"), ("3", "4", "777")))
    assert overlap.status_code == 200
    assert "Ranks 1–5 and 3–4 overlap".encode() in overlap.data and b'value="777"' in overlap.data
    assert _count(PrizeTier) == 2


def test_ground_truth_upload_shows_its_facts_and_names_a_bad_row(client):
    _staff(client)
    contest = make_prediction_contest(published=False)
    good = csv_bytes((f"t{i:03d}", "xy"[i % 2]) for i in range(30))
    uploaded = client.post(f"/admin/competitions/{contest.id}/ground-truth",
                           data={"file": (io.BytesIO(good), "answers.csv")},
                           content_type="multipart/form-data")
    assert uploaded.status_code == 303
    truth = db.session.scalar(select(GroundTruth))
    page = _assert_clean(client.get(f"/admin/competitions/{contest.id}/ground-truth"), contest)
    assert "answers.csv" in page and ">30<" in page and truth.sha256[:12] in page

    bad = good + b"t999,\n"
    refused = client.post(f"/admin/competitions/{contest.id}/ground-truth",
                          data={"file": (io.BytesIO(bad), "broken.csv")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422
    body = _assert_clean(refused, contest)
    assert "Row 32" in body
    db.session.expire_all()
    assert db.session.scalar(select(GroundTruth.filename)) == "answers.csv"

    missing = client.post(f"/admin/competitions/{contest.id}/ground-truth", data={},
                          content_type="multipart/form-data")
    assert missing.status_code == 422 and b"Choose a CSV file." in missing.data


def test_disqualifying_needs_a_reason_and_takes_them_off_the_board(client):
    staff = _staff(client)
    contest = make_challenge_set(challenges=1)
    player = make_user(username="cheater")
    joining.join(player, contest.id)
    challenges.submit_answer(player, contest.challenges[0].id, "flag{1}")
    assert [r.user.id for r in standings.get_standings(contest, staff).rows] == [player.id]
    url = f"/admin/competitions/{contest.id}/entrants/{player.id}/disqualify"

    refused = client.post(url, data={f"dq-{player.id}-reason": "   "})
    assert refused.status_code == 422 and b"Say why" in refused.data
    db.session.expire_all()
    assert not db.session.scalar(select(Entrant)).is_disqualified

    done = client.post(url, data={f"dq-{player.id}-reason": "Shared the flag"},
                       follow_redirects=True)
    body = _assert_clean(done, contest)
    assert "Disqualified" in body and "Shared the flag" in body
    db.session.expire_all()
    assert standings.get_standings(contest, staff).rows == []

    client.post(f"/admin/competitions/{contest.id}/entrants/{player.id}/reinstate")
    db.session.expire_all()
    assert [r.user.id for r in standings.get_standings(contest, staff).rows] == [player.id]


def test_the_submissions_page_lists_entries_with_both_scores(client):
    contest, prediction, ids = _world()
    _staff(client)
    body = _assert_clean(client.get(f"/admin/competitions/{prediction.id}/submissions"),
                         contest, prediction)
    assert "mine.csv" in body
    roster = _assert_clean(client.get(f"/admin/competitions/{prediction.id}/entrants"),
                           prediction)
    assert "Disqualify" in roster


@pytest.mark.parametrize("route", ["/admin/competitions/999/edit",
                                   "/admin/challenges/999/edit",
                                   "/admin/competitions/999/entrants"])
def test_missing_things_are_404(client, route):
    _staff(client)
    assert client.get(route).status_code == 404
