"""Notifications fired by the real services: every kind, grouping, mentions, who hears what."""

from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.forum import posting, voting
from app.gamification import bounties
from app.notifications import services
from app.notifications.models import Notification
from app.timeutil import utcnow
from tests.fixtures.forum import first_post, get_or_make_tags, make_category, make_post, make_thread
from tests.fixtures.users import make_user

_bodies = iter(range(1, 10_000))


def _body(text: str = "Here is a thought about this problem") -> str:
    """A distinct body each time, so the double-post guard never merges two calls."""
    return f"{text} (#{next(_bodies)})."


def _ask(author, *, body: str | None = None, category=None, kind: str = "question"):
    get_or_make_tags(["python"])
    db.session.commit()
    category = category or make_category()
    posted = posting.create_thread(
        author, kind=kind, title="How do I read a large file lazily?", body=body or _body(),
        category_id=category.id, tags="python" if kind == "question" else "",
    )
    return posted.thread


def _answer(author, thread, *, body: str | None = None, reply_to=None):
    return posting.add_reply(author, thread.id, body=body or _body(),
                             reply_to_id=reply_to.id if reply_to else None).post


def _notes(user, kind: str | None = None) -> list[Notification]:
    query = db.select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


@pytest.fixture
def asker(app):
    return make_user(username="asker")


# -- answers, replies, accepts -----------------------------------------------------


def test_an_answer_tells_the_asker_who_answered_and_where(asker):
    thread = _ask(asker)
    answerer = make_user()

    answer = _answer(answerer, thread)

    [note] = _notes(asker, "answer")
    assert (note.subject_type, note.subject_id, note.actor_id, note.count) == (
        "thread", thread.id, answerer.id, 1)
    assert note.data == {"thread_id": thread.id, "post_id": answer.id}
    assert note.read_at is None
    assert _notes(answerer, "answer") == []


def test_answers_on_one_question_fold_into_one_unread_line(asker):
    thread = _ask(asker)
    first, second, third = make_user(), make_user(), make_user()

    _answer(first, thread)
    _answer(second, thread)
    latest = _answer(third, thread)

    [note] = _notes(asker, "answer")
    assert (note.count, note.actor_id, note.data["post_id"]) == (3, third.id, latest.id)
    assert note.updated_at >= note.created_at


def test_once_read_the_next_answer_starts_a_new_line(asker):
    thread = _ask(asker)
    _answer(make_user(), thread)
    services.mark_all_read(asker)

    _answer(make_user(), thread)

    old, new = _notes(asker, "answer")
    assert (old.count, old.read_at is not None) == (1, True)
    assert (new.count, new.read_at) == (1, None)


def test_answers_on_different_questions_stay_apart(asker):
    one, two = _ask(asker), _ask(asker, body=_body("Another question entirely"))
    answerer = make_user()

    _answer(answerer, one)
    _answer(answerer, two)

    assert [n.subject_id for n in _notes(asker, "answer")] == [one.id, two.id]


def test_answering_your_own_question_tells_nobody(asker):
    thread = _ask(asker)

    _answer(asker, thread)

    assert _notes(asker, "answer") == []


def test_a_reply_tells_the_author_of_the_post_it_replies_to(asker):
    discussion = _ask(asker, kind="discussion")
    bob, carol = make_user(), make_user()
    bobs = _answer(bob, discussion)

    _answer(carol, discussion, reply_to=bobs)

    [to_bob] = _notes(bob, "reply")
    assert (to_bob.actor_id, to_bob.subject_id) == (carol.id, discussion.id)
    # Bob's own reply (to the opening post) told the starter; Carol's reply to Bob did not.
    [to_asker] = _notes(asker, "reply")
    assert to_asker.actor_id == bob.id and to_asker.count == 1


def test_an_accepted_answer_tells_its_author(asker):
    thread = _ask(asker)
    answerer = make_user()
    answer = _answer(answerer, thread)

    voting.accept_answer(asker, answer.id)

    [note] = _notes(answerer, "accepted")
    assert (note.actor_id, note.subject_type, note.subject_id) == (asker.id, "post", answer.id)
    assert note.data == {"thread_id": thread.id, "post_id": answer.id}


def test_accepting_your_own_answer_tells_nobody(asker):
    thread = _ask(asker)
    own = _answer(asker, thread)

    voting.accept_answer(asker, own.id)

    assert _notes(asker, "accepted") == []


# -- mentions ----------------------------------------------------------------------


def test_a_mention_in_a_new_question_tells_the_person_named(asker):
    ada = make_user(username="ada")

    thread = _ask(asker, body=_body("Maybe @ADA knows, or @nobody_here, or me: @asker"))

    [note] = _notes(ada, "mention")
    assert (note.actor_id, note.subject_id) == (asker.id, thread.id)
    assert note.data["post_id"] == first_post(thread).id
    assert _notes(asker, "mention") == []  # never yourself


def test_mentions_in_code_tell_nobody(asker):
    ada = make_user(username="ada")

    _ask(asker, body=_body("Run `notify @ada` like this:\n\n```\n@ada\n```\n\nand see"))

    assert _notes(ada) == []


def test_a_mention_in_an_answer_and_a_reply(asker):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    thread = _ask(asker)
    discussion = _ask(asker, kind="discussion", body=_body("Let us talk about files"))

    _answer(bob, thread, body=_body("@ada wrote about this last week"))
    _answer(bob, discussion, body=_body("I agree with @ada here"))

    assert [n.subject_id for n in _notes(ada, "mention")] == [thread.id, discussion.id]


def test_the_asker_named_in_an_answer_hears_of_it_once(asker):
    thread = _ask(asker)

    _answer(make_user(), thread, body=_body("@asker, try the io module"))

    assert [n.kind for n in _notes(asker) if n.kind in ("answer", "mention")] == ["answer"]


def test_members_only_threads_mention_only_people_who_can_see_them(app):
    staff = make_user(role=Role.MODERATOR)
    member, mod = make_user(username="member"), make_user(username="mod", role=Role.MODERATOR)
    private = make_category(member_only=True)

    _ask(staff, category=private, body=_body("Asking @member and @mod about this"))

    assert _notes(member) == []
    assert [n.kind for n in _notes(mod)] == ["mention"]


def test_an_edit_tells_only_the_newly_mentioned(asker):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    thread = _ask(asker)
    post = _answer(asker, thread, body=_body("Thanks a lot for this, @ada"))

    posting.edit_post(asker, post.id, body=post.body + " and @bob too, @ada")

    assert len(_notes(ada, "mention")) == 1
    [note] = _notes(bob, "mention")
    assert note.actor_id == asker.id


# -- badges, levels, privileges, bounties ------------------------------------------


def test_earning_a_badge_tells_the_holder(asker):
    _ask(asker)

    student = [n for n in _notes(asker, "badge") if n.data["badge"] == "student"]
    assert len(student) == 1
    assert student[0].data["tier"] == "bronze" and student[0].data["name"] == "Student"
    assert student[0].actor_id is None


def test_an_upvote_that_crosses_a_level_tells_of_the_level_and_the_privileges(app):
    author = make_user(points=14)
    thread = make_thread(author=author)
    voter = make_user(points=15)

    voting.cast_vote(voter, first_post(thread).id, "up")

    [level] = _notes(author, "level_up")
    assert level.data == {"level": 2, "name": "Learner"}
    assert sorted(n.data["privilege"] for n in _notes(author, "privilege")) == ["flag", "vote_up"]


def test_an_awarded_bounty_tells_the_answer_author(app):
    offerer = make_user(points=300)
    thread = make_thread(author=offerer, created_at=utcnow() - timedelta(days=3))
    answerer = make_user()
    answer = make_post(thread=thread, author=answerer)
    bounty = bounties.offer_bounty(offerer, thread.id, amount=100)

    bounties.award_bounty(offerer, bounty.id, answer.id)

    [note] = _notes(answerer, "bounty")
    assert (note.actor_id, note.subject_type, note.subject_id) == (offerer.id, "post", answer.id)
    assert note.data == {"thread_id": thread.id, "post_id": answer.id, "amount": 100,
                         "automatic": False}
    assert _notes(offerer, "bounty") == []


# -- notify itself -----------------------------------------------------------------


def test_notify_refuses_unknown_kinds_and_drops_your_own_actions(asker):
    with pytest.raises(ValueError):
        services.notify(asker.id, "gossip")

    assert services.notify(asker.id, "answer", actor_id=asker.id) is None
    db.session.commit()
    assert _notes(asker) == []


def test_notifications_without_a_subject_never_fold(asker):
    services.notify(asker.id, "level_up", data={"level": 2, "name": "Learner"})
    services.notify(asker.id, "level_up", data={"level": 3, "name": "Contributor"})
    db.session.commit()

    assert [n.data["level"] for n in _notes(asker, "level_up")] == [2, 3]
    assert services.unread_count(asker.id) == 2
