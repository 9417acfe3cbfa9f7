"""The serial-voting sweep on the real database, and the moderators' findings page."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.extensions import db
from app.forum import voting
from app.forum.models import Post, Vote
from app.gamification import ledger
from app.gamification.fair_play import sweep_serial_votes
from app.gamification.models import PointTransaction, SerialVoteFinding
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


@pytest.fixture(autouse=True)
def _reconciles(app):
    yield
    db.session.rollback()
    assert ledger.find_discrepancies() == []


def _points(user) -> int:
    return db.session.scalar(select(User.points).where(User.id == user.id))


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _answers(author, n: int) -> list[Post]:
    thread = make_thread(author=make_user())
    return [make_post(thread=thread, author=author) for _ in range(n)]


def _vote_on(voter, posts, value: str = "up") -> None:
    for post in posts:
        voting.cast_vote(voter, post.id, value)


def test_eleven_votes_in_a_day_lose_their_points_but_stay(app):
    author, voter = make_user(), make_user(points=15)
    answers = _answers(author, 11)
    _vote_on(voter, answers)
    assert _points(author) == 111

    result = sweep_serial_votes()

    assert (result.findings, result.votes, result.points) == (1, 11, 110)
    assert _points(author) == 1
    assert _count(Vote, Vote.user_id == voter.id) == 11  # the votes themselves stay
    assert {p.score for p in db.session.scalars(select(Post).where(Post.author_id == author.id))} == {1}
    finding = db.session.scalars(select(SerialVoteFinding)).one()
    assert (finding.voter_id, finding.author_id, finding.rule) == (voter.id, author.id, "burst")
    assert (finding.votes, finding.points_reversed) == (11, 110)
    assert sorted(finding.details["post_ids"]) == sorted(a.id for a in answers)
    event = db.session.scalars(select(Event).where(Event.type == "serial_votes_reversed")).one()
    assert (event.user_id, event.subject_id, event.data["points"]) == (voter.id, finding.id, 110)
    reasons = db.session.scalars(
        select(PointTransaction.reason).where(PointTransaction.reverses_id.is_not(None))
    ).all()
    assert reasons == ["serial_vote_reversal"] * 11


def test_a_rerun_changes_nothing(app):
    author, voter = make_user(), make_user(points=15)
    _vote_on(voter, _answers(author, 11))
    sweep_serial_votes()
    rows = _count(PointTransaction)

    again = sweep_serial_votes()

    assert (again.findings, again.votes, again.points) == (0, 0, 0)
    assert _count(PointTransaction) == rows and _count(SerialVoteFinding) == 1
    assert _points(author) == 1


def test_taking_back_a_reversed_vote_pays_and_costs_nothing(app):
    author, voter = make_user(), make_user(points=15)
    answers = _answers(author, 11)
    _vote_on(voter, answers)
    sweep_serial_votes()

    voting.cast_vote(voter, answers[0].id, "up")  # unvote

    assert _points(author) == 1


def test_ten_votes_in_a_day_among_others_are_fine(app):
    author, voter = make_user(), make_user(points=15)
    _vote_on(voter, _answers(author, 10))
    _vote_on(voter, _answers(make_user(), 5) + _answers(make_user(), 5))

    assert sweep_serial_votes().findings == 0
    assert _points(author) == 101


def test_most_votes_on_one_author_is_caught(app):
    author, voter = make_user(), make_user(points=15)
    _vote_on(voter, _answers(author, 6))
    _vote_on(voter, _answers(make_user(), 4))

    result = sweep_serial_votes()

    assert (result.findings, result.votes) == (1, 6)
    finding = db.session.scalars(select(SerialVoteFinding)).one()
    assert finding.rule == "concentrated" and finding.details["share"] == [6, 10]


def test_serial_downvotes_give_the_author_back_what_they_lost(app):
    author, voter = make_user(points=100), make_user(points=200)
    _vote_on(voter, _answers(author, 11), "down")
    assert _points(author) == 100 - 22

    result = sweep_serial_votes()

    assert result.points == -22
    assert _points(author) == 100
    assert _points(voter) == 200 + 1  # the -1 per downvoted answer comes back; +1 activity


def test_votes_older_than_the_lookback_are_not_judged(app):
    author, voter = make_user(), make_user(points=15)
    _vote_on(voter, _answers(author, 11))

    result = sweep_serial_votes(now=utcnow() + timedelta(days=8))

    assert result.findings == 0 and _points(author) == 111


# -- the moderators' page ------------------------------------------------------------


def _a_finding():
    author, voter = make_user(username="propped"), make_user(username="friendly", points=15)
    _vote_on(voter, _answers(author, 11))
    sweep_serial_votes()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/admin/serial-votes")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("points", [1, 5000])
def test_members_are_refused_whatever_their_points(client, points):
    login_as(client, make_user(points=points))
    assert client.get("/admin/serial-votes").status_code == 403


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_staff_see_the_findings(client, role):
    _a_finding()
    login_as(client, make_user(role=role))
    response = client.get("/admin/serial-votes")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "friendly" in html and "propped" in html and "burst" in html
    assert "−110" in html or "-110" in html


def test_the_page_has_an_empty_state(client):
    login_as(client, make_user(role=Role.MODERATOR))
    html = client.get("/admin/serial-votes").get_data(as_text=True)
    assert "No serial voting found" in html


def test_the_findings_page_runs_a_fixed_number_of_queries_and_paginates(client):
    now = utcnow()
    for n in range(30):
        voter, author = make_user(), make_user()
        db.session.add(SerialVoteFinding(
            voter_id=voter.id, author_id=author.id, rule="burst", votes=11, points_reversed=110,
            window_end=now - timedelta(minutes=n), details={"rules": ["burst"]},
        ))
    db.session.commit()
    login_as(client, make_user(role=Role.MODERATOR))
    with count_queries() as log:
        first = client.get("/admin/serial-votes")
    second = client.get("/admin/serial-votes?page=2")
    assert first.status_code == second.status_code == 200
    assert log.count <= 6
    assert 'rel="next"' in first.get_data(as_text=True)
    assert second.get_data(as_text=True).count("status-warn") == 5
