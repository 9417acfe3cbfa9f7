"""Who may do what with threads and posts, as a matrix of role x action.

Each cell is checked twice: at the service (PermissionDenied or success) and over HTTP
(the status a browser gets), so a hidden button is never the only guard.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from app.accounts.models import Role
from app.extensions import db
from app.forum import permissions, posting, thread_page, voting
from app.forum.errors import PermissionDenied
from app.timeutil import utcnow
from tests.fixtures.forum import first_post, make_category, make_post, make_thread
from tests.fixtures.users import login_as, make_user

ROLES = ("anonymous", "member", "author", "moderator", "admin")
BODY = "An answer with enough words to pass the length check."
REASON = "Tidied the wording"  # staff editing someone else's post must say why

# True = allowed. "author" is the person who asked the public question.
MATRIX = {
    "view_public": dict(anonymous=True, member=True, author=True, moderator=True, admin=True),
    "view_member_only": dict(anonymous=False, member=False, author=False, moderator=True, admin=True),
    "ask": dict(anonymous=False, member=True, author=True, moderator=True, admin=True),
    "answer": dict(anonymous=False, member=True, author=True, moderator=True, admin=True),
    "vote": dict(anonymous=False, member=True, author=True, moderator=True, admin=True),
    "vote_own_post": dict(anonymous=False, member=False, author=False, moderator=False, admin=False),
    "accept": dict(anonymous=False, member=False, author=True, moderator=False, admin=False),
    "edit": dict(anonymous=False, member=False, author=True, moderator=True, admin=True),
    "delete": dict(anonymous=False, member=False, author=True, moderator=True, admin=True),
}
# Members in the matrix have earned the right to vote up; other privileges have their own tests.
VOTE_UP_POINTS = 15
CELLS = [(action, role, allowed) for action, row in MATRIX.items() for role, allowed in row.items()]


@pytest.fixture
def world(app):
    asker = make_user(points=VOTE_UP_POINTS)
    public = make_thread(author=asker, title="A public question about files")
    answer = make_post(thread=public, author=make_user())
    lounge = make_thread(author=make_user(role=Role.ADMIN),
                         category=make_category(member_only=True))
    return SimpleNamespace(asker=asker, public=public, question=first_post(public),
                           answer=answer, lounge=lounge)


def _actor(role: str, world):
    if role == "anonymous":
        return AnonymousUserMixin()
    if role == "author":
        return world.asker
    return make_user(role={"member": Role.MEMBER, "moderator": Role.MODERATOR,
                           "admin": Role.ADMIN}[role], points=VOTE_UP_POINTS)


def _own_post(user, world):
    """A post by `user` to vote on (the anonymous visitor has none: use any post)."""
    if not user.is_authenticated:
        return world.answer
    if user.id == world.asker.id:
        return world.question
    return make_post(thread=world.public, author=user)


SERVICE = {
    "view_public": lambda u, w: thread_page.get_visible_thread(u, w.public.id),
    "view_member_only": lambda u, w: thread_page.get_visible_thread(u, w.lounge.id),
    "ask": lambda u, w: posting.create_thread(
        u, kind="question", title="Another question about files", body=BODY,
        category_id=w.public.category_id, tags="python"),
    "answer": lambda u, w: posting.add_reply(u, w.public.id, body=BODY),
    "vote": lambda u, w: voting.cast_vote(u, w.answer.id, "up"),
    "vote_own_post": lambda u, w: voting.cast_vote(u, _own_post(u, w).id, "up"),
    "accept": lambda u, w: voting.accept_answer(u, w.answer.id),
    "edit": lambda u, w: posting.edit_post(
        u, w.question.id, body=BODY, title=w.public.title, tags="python", reason=REASON),
    "delete": lambda u, w: posting.delete_post(u, w.question.id),
}


@pytest.mark.parametrize(("action", "role", "allowed"), CELLS)
def test_service_level(world, action, role, allowed):
    user = _actor(role, world)
    if allowed:
        SERVICE[action](user, world)
    else:
        with pytest.raises(PermissionDenied):
            SERVICE[action](user, world)


def _http(client, action, user, w):
    if action == "view_public":
        return client.get(f"/t/{w.public.id}/{w.public.slug}")
    if action == "view_member_only":
        return client.get(f"/t/{w.lounge.id}/{w.lounge.slug}")
    if action == "ask":
        return client.post("/ask", data={"kind": "question", "title": "Another question about files",
                                         "body": BODY, "category": w.public.category_id,
                                         "tags": "python"})
    if action == "answer":
        return client.post(f"/t/{w.public.id}/reply", data={"body": BODY})
    if action == "vote":
        return client.post(f"/posts/{w.answer.id}/vote", data={"value": "up"})
    if action == "vote_own_post":
        return client.post(f"/posts/{_own_post(user, w).id}/vote", data={"value": "up"})
    if action == "accept":
        return client.post(f"/posts/{w.answer.id}/accept")
    if action == "edit":
        return client.post(f"/posts/{w.question.id}/edit",
                           data={"body": BODY, "title": w.public.title, "tags": "python",
                                 "reason": REASON})
    assert action == "delete"
    return client.post(f"/posts/{w.question.id}/delete")


@pytest.mark.parametrize(("action", "role", "allowed"), CELLS)
def test_http_level(client, world, action, role, allowed):
    user = _actor(role, world)
    if user.is_authenticated:
        login_as(client, user)

    response = _http(client, action, user, world)

    if allowed:
        expected = 200 if action.startswith("view") else 302
        assert response.status_code == expected, response.data[:300]
        assert "/login" not in response.headers.get("Location", "")
    elif role == "anonymous" and not action.startswith("view"):
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


# --- The thread page's controls: every rule asked once per post -----------------------

CONTROL_RULES = {
    "voting": lambda u, p: permissions.may_vote_on(u, p),
    "accept": lambda u, p: permissions.can_accept(u, p),
    "edit": lambda u, p: permissions.can_edit(u, p),
    "delete": lambda u, p: permissions.can_delete(u, p),
    "flag": lambda u, p: permissions.can_flag(u, p),
    "hide": lambda u, p: permissions.can_hide(u, p),
    "restore": lambda u, p: permissions.can_restore(u, p),
    "undelete": lambda u, p: permissions.can_undelete(u, p),
}


@pytest.fixture
def page_world(app):
    """A question by `asker` with a live, a deleted and a hidden answer, and a discussion."""
    asker = make_user(points=VOTE_UP_POINTS)
    question = make_thread(author=asker, title="Which loop reads a file fastest")
    answerer = make_user()
    live = make_post(thread=question, author=answerer)
    deleted = make_post(thread=question, author=answerer)
    hidden = make_post(thread=question, author=answerer)
    deleted.deleted_at = hidden.hidden_at = utcnow()
    talk = make_thread(author=answerer, kind="discussion", title="Share your file tricks")
    reply = make_post(thread=talk, author=asker)
    db.session.commit()
    return SimpleNamespace(asker=asker, answerer=answerer, question=question,
                           answers=[first_post(question), live, deleted, hidden],
                           talk=talk, replies=[first_post(talk), reply])


def _page_viewer(kind: str, w):
    if kind == "anonymous":
        return AnonymousUserMixin()
    if kind in ("asker", "answerer"):
        return getattr(w, kind)
    if kind == "silenced":
        user = make_user(points=2_000)
        user.silenced_until = utcnow() + timedelta(days=1)
        db.session.commit()
        return user
    return make_user(role=Role.MODERATOR if kind == "moderator" else Role.MEMBER,
                     points={"newcomer": None, "trusted": 2_000}.get(kind))


@pytest.mark.parametrize("kind", ["anonymous", "newcomer", "trusted", "asker", "answerer",
                                  "moderator", "silenced"])
def test_post_controls_agree_with_each_rule(page_world, kind):
    """The thread page's once-per-post answers are the rules' own answers, for every viewer."""
    user = _page_viewer(kind, page_world)
    for thread, posts in ((page_world.question, page_world.answers),
                          (page_world.talk, page_world.replies)):
        my_votes = {posts[-1].id: 1}
        controls = permissions.post_controls(permissions.Viewer(user), thread, posts, my_votes)
        for post in posts:
            got = controls[post.id]
            for name, rule in CONTROL_RULES.items():
                assert getattr(got, name) == rule(user, post), (kind, name, post.id)
            mine = my_votes.get(post.id, 0)
            assert got.vote_up == (permissions.can_vote(user, post, "up") or (got.voting and mine == 1))
            assert got.vote_down == (permissions.can_vote(user, post, "down")
                                     or (got.voting and mine == -1))
            assert got.show_body == (
                (not post.is_deleted or permissions.can_read_deleted(user, post))
                and (not post.is_hidden or permissions.can_read_hidden(user, post)))
            assert got.reply == (not thread.is_question and not post.is_first
                                 and not post.is_deleted and permissions.can_answer(user, thread))


def test_post_controls_give_each_role_its_buttons(page_world):
    """Spot checks, so the agreement above is not agreement on nothing."""
    w = page_world
    question, live, deleted, hidden = w.answers
    anonymous = permissions.post_controls(AnonymousUserMixin(), w.question, w.answers, {})
    assert not any(c.voting or c.edit or c.flag or c.show_body is False
                   for c in (anonymous[question.id], anonymous[live.id]))
    assert not anonymous[deleted.id].show_body and not anonymous[hidden.id].show_body

    asker = permissions.post_controls(w.asker, w.question, w.answers, {})
    assert asker[live.id].accept and asker[live.id].voting and not asker[question.id].voting
    assert asker[question.id].edit and asker[question.id].delete and not asker[live.id].edit

    newcomer = permissions.post_controls(make_user(), w.question, w.answers, {live.id: 1})
    assert newcomer[live.id].voting and newcomer[live.id].vote_up  # may undo their own vote
    assert not newcomer[live.id].vote_down and not newcomer[live.id].flag

    moderator = permissions.post_controls(make_user(role=Role.MODERATOR), w.question, w.answers, {})
    assert moderator[hidden.id].show_body and moderator[hidden.id].restore
    assert moderator[deleted.id].undelete and moderator[live.id].hide and moderator[live.id].edit

    talk = permissions.post_controls(w.answerer, w.talk, w.replies, {})
    assert [talk[p.id].reply for p in w.replies] == [False, True]
