"""Badges awarded right after the action, through the real services, and only once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.accounts.services import update_profile
from app.extensions import db
from app.forum import posting, voting
from app.forum.errors import ValidationError
from app.forum.models import Post
from app.gamification.badge_awards import award_badge
from app.gamification.models import ActivityDay, BadgeAward
from app.gamification.points import local_day
from app.insights.models import Event
from app.insights.services import record
from app.timeutil import utcnow
from tests.fixtures.forum import first_post, get_or_make_tags, make_category, make_post, make_thread
from tests.fixtures.users import make_user

VOTER_POINTS = 15
DOWNVOTER_POINTS = 125


def _badges(user) -> list[str]:
    return sorted(db.session.scalars(select(BadgeAward.badge).where(BadgeAward.user_id == user.id)))


def _awards(user, slug) -> list[BadgeAward]:
    return list(db.session.scalars(
        select(BadgeAward).where(BadgeAward.user_id == user.id, BadgeAward.badge == slug)
    ))


def _badge_events(user) -> list[dict]:
    return [e.data for e in db.session.scalars(
        select(Event).where(Event.type == "badge_awarded", Event.user_id == user.id).order_by(Event.id)
    )]


def _set_score(post, score: int) -> None:
    db.session.execute(update(Post).where(Post.id == post.id).values(score=score))
    db.session.commit()


@pytest.fixture
def category(app):
    get_or_make_tags(["python"])  # creating a tag is a privilege; asking with one is not
    return make_category()


def _ask(author, category, *, kind="question"):
    return posting.create_thread(author, kind=kind, title="How do generators work in Python?",
                                 body="I read about yield but it does not click yet.",
                                 category_id=category.id, tags="python").post


def test_asking_a_first_question_earns_student_with_an_event(app, category):
    asker = make_user()

    opening = _ask(asker, category)

    assert _badges(asker) == ["student"]
    award = _awards(asker, "student")[0]
    assert (award.subject_type, award.subject_id) == ("thread", opening.thread_id)
    assert _badge_events(asker) == [{"badge": "student", "name": "Student", "tier": "bronze"}]


def test_starting_a_discussion_is_not_a_question(app, category):
    author = make_user()
    _ask(author, category, kind="discussion")
    assert _badges(author) == []


def test_a_first_answer_earns_helper_once(app, category):
    answerer = make_user()
    thread = make_thread(author=make_user(), category=category)

    posting.add_reply(answerer, thread.id, body="Think of yield as a pause button for the function.")
    posting.add_reply(answerer, thread.id, body="And calling next() presses play again, until the end.")

    assert _badges(answerer) == ["helper"]
    assert len(_badge_events(answerer)) == 1


def test_votes_earn_supporter_critic_and_teacher(app, category):
    thread = make_thread(author=make_user(), category=category)
    answer = make_post(thread=thread, author=make_user())
    other = make_post(thread=thread, author=make_user())
    voter = make_user(points=DOWNVOTER_POINTS)

    voting.cast_vote(voter, answer.id, "up")
    voting.cast_vote(voter, other.id, "down")

    assert _badges(voter) == ["critic", "supporter"]
    assert _badges(answer.author) == ["teacher"]
    assert _badges(other.author) == []


def test_an_answer_reaching_10_earns_nice_answer_for_that_answer(app, category):
    thread = make_thread(author=make_user(), category=category)
    author = make_user()
    answer = make_post(thread=thread, author=author)
    _set_score(answer, 9)

    voting.cast_vote(make_user(points=VOTER_POINTS), answer.id, "up")
    voting.cast_vote(make_user(points=VOTER_POINTS), answer.id, "up")  # 11: still one award

    awards = _awards(author, "nice-answer")
    assert [(a.subject_type, a.subject_id) for a in awards] == [("post", answer.id)]
    assert "good-answer" not in _badges(author)


def test_nice_answer_is_earned_again_for_another_answer(app, category):
    author = make_user()
    answers = [make_post(thread=make_thread(author=make_user(), category=category), author=author)
               for _ in range(2)]
    for answer in answers:
        _set_score(answer, 9)
        voting.cast_vote(make_user(points=VOTER_POINTS), answer.id, "up")

    assert sorted(a.subject_id for a in _awards(author, "nice-answer")) == sorted(a.id for a in answers)
    assert [e["badge"] for e in _badge_events(author)].count("nice-answer") == 2


def test_a_question_reaching_10_earns_nice_question_for_the_thread(app, category):
    asker = make_user()
    thread = make_thread(author=asker, category=category)
    _set_score(first_post(thread), 9)

    voting.cast_vote(make_user(points=VOTER_POINTS), first_post(thread).id, "up")

    [award] = _awards(asker, "nice-question")
    assert (award.subject_type, award.subject_id) == ("thread", thread.id)


def test_votes_in_discussions_earn_no_score_badges(app, category):
    thread = make_thread(author=make_user(), category=category, kind="discussion")
    reply = make_post(thread=thread, author=make_user())
    _set_score(reply, 9)

    voting.cast_vote(make_user(points=VOTER_POINTS), reply.id, "up")

    assert _badges(reply.author) == []


def test_accepting_earns_scholar_and_a_high_scoring_accepted_answer_enlightened(app, category):
    asker = make_user()
    thread = make_thread(author=asker, category=category)
    answer = make_post(thread=thread, author=make_user())
    _set_score(answer, 10)

    voting.accept_answer(asker, answer.id)

    assert _badges(asker) == ["scholar"]
    assert _badges(answer.author) == ["enlightened", "nice-answer", "teacher"]


def test_editing_earns_editor(app, category):
    author = make_user()
    thread = make_thread(author=author, category=category)
    answer = make_post(thread=thread, author=author)

    posting.edit_post(author, answer.id, body="Use `for line in f:` — it streams lazily.")

    assert _badges(author) == ["editor"]


def test_necromancer_for_a_late_answer_that_scores_5(app, category):
    thread = make_thread(author=make_user(), category=category,
                         created_at=utcnow() - timedelta(days=61))
    late = make_post(thread=thread, author=make_user())
    early = make_post(thread=thread, author=make_user(), created_at=thread.created_at + timedelta(days=1))
    _set_score(late, 4)
    _set_score(early, 4)

    voting.cast_vote(make_user(points=VOTER_POINTS), late.id, "up")
    voting.cast_vote(make_user(points=VOTER_POINTS), early.id, "up")

    assert "necromancer" in _badges(late.author)
    assert "necromancer" not in _badges(early.author)


def test_writing_a_bio_earns_autobiographer(app):
    user = make_user()

    update_profile(user, display_name="Ada", bio="")
    assert _badges(user) == []
    update_profile(user, display_name="Ada", bio="I build things with Python.")

    assert _badges(user) == ["autobiographer"]


def test_a_seventh_active_day_in_a_row_earns_steady(app, category):
    # Days count in the user's own time zone, whichever handler marked today first.
    user = make_user(timezone="Pacific/Auckland")
    today = local_day(utcnow(), user.timezone)
    for n in range(1, 6):
        db.session.add(ActivityDay(user_id=user.id, day=today - timedelta(days=n), actions=1))
    db.session.commit()

    _ask(user, category)  # six days in a row: not yet
    assert "steady" not in _badges(user)

    db.session.add(ActivityDay(user_id=user.id, day=today - timedelta(days=6), actions=1))
    db.session.commit()
    posting.add_reply(user, make_thread(author=make_user(), category=category).id, body="Try the itertools recipes for this.")

    assert "steady" in _badges(user)
    assert "enthusiast" not in _badges(user)


def test_a_gap_breaks_the_streak(app, category):
    user = make_user()
    today = local_day(utcnow(), user.timezone)
    for n in (1, 2, 3, 5, 6, 7, 8):  # day 4 missing
        db.session.add(ActivityDay(user_id=user.id, day=today - timedelta(days=n), actions=1))
    db.session.commit()

    _ask(user, category)

    assert "steady" not in _badges(user)


def test_later_parts_only_fire_the_event(app):
    user = make_user()
    other = make_user()
    thread = make_thread(author=other)  # any row works as the competition in this test

    record("competition_entered", user=user, subject=thread)
    record("competition_placed", user=user, subject=thread, data={"rank": 1})
    record("competition_placed", user=other, subject=thread, data={"rank": 4})
    record("membership_started", user=user)
    record("course_completed", user=user)
    db.session.commit()

    assert _badges(user) == ["champion", "competitor", "graduate", "patron", "podium"]
    assert _badges(other) == []
    [champion] = _awards(user, "champion")
    assert (champion.subject_type, champion.subject_id) == ("thread", thread.id)


def test_award_badge_twice_awards_once(app):
    user = make_user()

    first = award_badge(user.id, "supporter")
    again = award_badge(user.id, "supporter")
    db.session.commit()

    assert first is not None and again is None
    assert _badges(user) == ["supporter"]
    assert len(_badge_events(user)) == 1


def test_award_badge_names_tag_badges_after_the_tag(app):
    user = make_user()
    tag = make_thread(author=user, tags=("rust",)).tags[0]

    award_badge(user.id, "tag-silver", subject=tag)
    db.session.commit()

    assert _badge_events(user) == [{"badge": "tag-silver", "name": "rust", "tier": "silver"}]


def test_award_badge_refuses_an_unknown_badge(app):
    with pytest.raises(ValueError, match="unknown badge"):
        award_badge(make_user().id, "not-a-badge")


def test_nothing_is_awarded_when_the_action_fails(app, category):
    asker = make_user()
    with pytest.raises(ValidationError):
        posting.create_thread(asker, kind="question", title="", body="", category_id=category.id)
    db.session.rollback()
    assert db.session.scalar(select(func.count(BadgeAward.id))) == 0
