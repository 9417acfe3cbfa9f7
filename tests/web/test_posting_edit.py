"""Editing with revisions, the history page, deleting and undeleting; staff edits and
deletions of someone else's post are audited and explained to its author."""

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.forum import posting
from app.forum.errors import ValidationError
from app.forum.models import Post, PostRevision, SearchDocument, Thread
from app.insights.models import Event
from app.moderation.models import AuditEntry
from app.notifications.models import Notification
from tests.fixtures.forum import first_post, make_post, make_thread
from tests.fixtures.users import login_as, make_user

NEW_BODY = "How do I read a big file line by line in Python without loading it?"


def _audit(action: str) -> list[AuditEntry]:
    return db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def _notices(user) -> list[dict]:
    return [n.data for n in db.session.scalars(
        db.select(Notification).where(Notification.user_id == user.id,
                                      Notification.kind == "moderation")
        .order_by(Notification.id))]


def _revisions(post) -> list[PostRevision]:
    return db.session.scalars(
        db.select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.number)
    ).all()


def _edit(client, post, **data):
    return client.post(f"/posts/{post.id}/edit", data=data)


def _fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def test_the_edit_form_is_prefilled(client):
    author = make_user()
    thread = make_thread(author=author, title="Reading files line by line", tags=("python", "io"))
    login_as(client, author)

    page = client.get(f"/posts/{first_post(thread).id}/edit")

    assert page.status_code == 200
    assert b'value="Reading files line by line"' in page.data
    assert b'value="io python"' in page.data
    assert b"How do I read a file line by line in Python?" in page.data


def test_editing_the_opening_post_saves_a_revision_with_title_and_tags(client):
    author = make_user(points=300)
    thread = make_thread(author=author, title="Reading files line by line")
    post = first_post(thread)
    login_as(client, author)

    response = _edit(client, post, title="Reading huge files line by line", tags="python files",
                     body=NEW_BODY, reason="clearer title")

    assert response.status_code == 302 and response.headers["Location"].endswith(f"#post-{post.id}")
    post, thread = _fresh(Post, post.id), _fresh(Thread, thread.id)
    assert (post.body, post.revision_count, post.edited_by_id) == (NEW_BODY, 2, author.id)
    assert post.edited_at is not None and "without loading it" in post.body_html
    assert thread.title == "Reading huge files line by line"
    assert thread.slug == "reading-huge-files-line-by-line"
    assert [t.name for t in thread.tags] == ["files", "python"]
    latest = _revisions(post)[-1]
    assert (latest.number, latest.title, latest.tags, latest.reason, latest.editor_id) == (
        2, "Reading huge files line by line", "files python", "clearer title", author.id)
    document = db.session.get(SearchDocument, post.id)
    assert document.title == "Reading huge files line by line" and "without loading" in document.body_text
    assert db.session.scalars(db.select(Event).filter_by(type="edit")).one().data == {"revision": 2}
    assert b"Your edit is saved." in client.get(response.headers["Location"]).data


def test_saving_without_changes_creates_nothing_and_says_so(client):
    author = make_user()
    thread = make_thread(author=author, title="Reading files line by line", tags=("python",))
    post = first_post(thread)
    login_as(client, author)

    response = _edit(client, post, title=thread.title, tags="python", body=post.body)

    assert response.status_code == 302
    assert len(_revisions(post)) == 1 and _fresh(Post, post.id).edited_at is None
    assert b"Nothing changed" in client.get(response.headers["Location"]).data


def test_an_edit_with_bad_input_keeps_the_text_and_shows_the_error(client):
    author = make_user()
    thread = make_thread(author=author)
    answer = make_post(thread=thread, author=author)
    login_as(client, author)

    response = _edit(client, answer, body="short one")

    assert response.status_code == 422
    assert b"Write at least 20 characters (you have 9)." in response.data
    assert b"short one</textarea>" in response.data
    assert len(_revisions(answer)) == 1


def test_editing_an_answer_ignores_title_and_tags(client):
    author = make_user()
    thread = make_thread(author=make_user(), title="Reading files line by line")
    answer = make_post(thread=thread, author=author)
    login_as(client, author)

    _edit(client, answer, body=NEW_BODY, title="A hijacked thread title")

    assert _fresh(Thread, thread.id).title == "Reading files line by line"
    assert (_revisions(answer)[-1].title, _revisions(answer)[-1].tags) == (None, None)


def test_staff_may_edit_others_but_members_may_not(client):
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=make_user())

    login_as(client, make_user())
    assert client.get(f"/posts/{answer.id}/edit").status_code == 403
    assert _edit(client, answer, body=NEW_BODY).status_code == 403

    moderator = make_user(role=Role.MODERATOR)
    login_as(client, moderator)
    assert _edit(client, answer, body=NEW_BODY, reason="Clearer").status_code == 302
    assert _revisions(answer)[-1].editor_id == moderator.id
    page = client.get(f"/t/{thread.id}/{thread.slug}")
    assert f"by {moderator.name}".encode() in page.data


# --- staff edits and deletions are explained to the author ----------------------


def test_staff_editing_someone_elses_post_must_say_why(client):
    author, moderator = make_user(), make_user(role=Role.MODERATOR)
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=author)
    login_as(client, moderator)
    assert b"Edit summary (required)" in client.get(f"/posts/{answer.id}/edit").data

    response = _edit(client, answer, body=NEW_BODY, reason="   ")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Say why you edited: the author reads it." in html and NEW_BODY in html
    assert len(_revisions(answer)) == 1 and _audit("edit_post") == []
    assert _notices(author) == []
    with pytest.raises(ValidationError) as refused:
        posting.edit_post(moderator, answer.id, body=NEW_BODY)
    assert refused.value.field == "reason"


def test_a_staff_edit_is_audited_with_revisions_and_title_and_the_author_is_told(client):
    author, moderator = make_user(), make_user(role=Role.MODERATOR)
    thread = make_thread(author=author, title="Reading files line by line")
    opening = first_post(thread)
    login_as(client, moderator)

    response = _edit(client, opening, title="Reading large files line by line", tags="python",
                     body=NEW_BODY, reason="Clearer title")

    assert response.status_code == 302
    [entry] = _audit("edit_post")
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.target_user_id,
            entry.reason) == (moderator.id, "post", opening.id, author.id, "Clearer title")
    assert entry.before == {"revision": 1, "title": "Reading files line by line"}
    assert entry.after == {"revision": 2, "title": "Reading large files line by line"}
    [notice] = _notices(author)
    assert notice == {"action": "edit_post", "reason": "Clearer title",
                      "title": "Reading large files line by line", "thread_id": thread.id,
                      "post_id": opening.id}

    posting.edit_post(moderator, opening.id, body=NEW_BODY + " Again.", reason="Typo",
                      title="Reading large files line by line", tags="python")
    assert _audit("edit_post")[-1].before == {"revision": 2}  # the title stayed
    login_as(client, author)
    html = client.get("/notifications").get_data(as_text=True)
    assert "A moderator edited your post" in html and "Clearer title" in html


def test_editing_ones_own_post_needs_no_reason_and_tells_no_one(client):
    author, moderator = make_user(), make_user(role=Role.MODERATOR)
    thread = make_thread(author=author)
    login_as(client, author)
    assert b"Edit summary (optional)" in client.get(f"/posts/{first_post(thread).id}/edit").data
    mine = make_post(thread=thread, author=moderator)
    posting.edit_post(author, first_post(thread).id, body=NEW_BODY, title=thread.title,
                      tags="python")
    posting.edit_post(moderator, mine.id, body="The moderator's own answer, improved.")
    editor = make_user(points=2000)  # earned `edit_any`, but is not staff
    posting.edit_post(editor, mine.id, body="An edit by a trusted member, no reason given.")
    assert _audit("edit_post") == [] and _notices(author) == [] and _notices(moderator) == []


def test_staff_deleting_someone_elses_post_tells_them_why(client):
    author, moderator = make_user(), make_user(role=Role.MODERATOR)
    thread = make_thread(author=author, title="Reading files line by line")
    answer = make_post(thread=thread, author=author)
    login_as(client, moderator)
    page = client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert 'name="reason"' in page and "the author reads it" in page

    client.post(f"/posts/{answer.id}/delete", data={"reason": "Off-topic advert"})
    client.post(f"/posts/{first_post(thread).id}/delete", data={"reason": "Spam thread"})

    post_notice, thread_notice = _notices(author)
    assert post_notice == {"action": "delete_post", "reason": "Off-topic advert",
                           "title": "Reading files line by line", "thread_id": thread.id,
                           "post_id": answer.id, "first": False}
    assert thread_notice == {"action": "delete_post", "reason": "Spam thread",
                             "title": "Reading files line by line", "first": True}
    login_as(client, author)
    html = client.get("/notifications").get_data(as_text=True)
    assert "A moderator deleted your post" in html and "Off-topic advert" in html
    assert "A moderator deleted your thread" in html and "Spam thread" in html
    mine = make_post(thread=make_thread(author=make_user()), author=author)
    client.post(f"/posts/{mine.id}/delete")
    assert len(_notices(author)) == 2  # nobody hears of their own deletion


def test_the_history_page_diffs_each_revision_against_the_one_before(client):
    author = make_user()
    thread = make_thread(author=author, title="Reading files line by line",
                         body="Use readlines() to <b>read</b> the file.")
    post = first_post(thread)
    login_as(client, author)
    _edit(client, post, title="Reading files line by line", tags="python",
          body="Use a for loop to <b>read</b> the file.", reason="better advice")

    page = client.get(f"/posts/{post.id}/revisions")

    assert page.status_code == 200
    html = page.data.decode()
    assert "Revision 2" in html and "Revision 1 (original)" in html
    assert html.index("Revision 2") < html.index("Revision 1")
    assert "<del>readlines()</del><ins>a for loop</ins>" in html
    assert "&lt;b&gt;read&lt;/b&gt;" in html and "<b>read</b>" not in html
    assert "better advice" in html


def test_the_history_of_a_deleted_post_is_hidden_from_others(client):
    author = make_user()
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=author)
    login_as(client, author)
    client.post(f"/posts/{answer.id}/delete")

    assert client.get(f"/posts/{answer.id}/revisions").status_code == 200
    login_as(client, make_user())
    assert client.get(f"/posts/{answer.id}/revisions").status_code == 404


# --- delete and undelete ---------------------------------------------------------


def test_deleting_an_answer_is_soft_and_updates_the_thread(client):
    asker, author = make_user(), make_user()
    thread = make_thread(author=asker)
    answer = make_post(thread=thread, author=author)
    thread.accepted_post_id = answer.id
    db.session.commit()
    login_as(client, author)

    response = client.post(f"/posts/{answer.id}/delete")

    assert response.status_code == 302
    answer, thread = _fresh(Post, answer.id), _fresh(Thread, thread.id)
    assert answer.deleted_at is not None and answer.deleted_by_id == author.id
    assert answer.body  # the text stays
    assert (thread.reply_count, thread.accepted_post_id) == (0, None)
    assert db.session.get(SearchDocument, answer.id) is None
    assert db.session.scalars(db.select(Event).filter_by(type="delete")).one().subject_id == answer.id
    assert b"The post is deleted." in client.get(response.headers["Location"]).data


def test_deleting_the_opening_post_deletes_the_thread(client):
    author = make_user()
    thread = make_thread(author=author)
    answer = make_post(thread=thread, author=make_user())
    login_as(client, author)

    response = client.post(f"/posts/{first_post(thread).id}/delete")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/{thread.category.slug}")
    assert _fresh(Thread, thread.id).deleted_at is not None
    assert db.session.get(SearchDocument, answer.id) is None
    assert client.get(f"/t/{thread.id}/{thread.slug}").status_code == 404


def test_others_may_not_delete_and_deleting_twice_is_a_conflict(client):
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=make_user())

    login_as(client, make_user())
    assert client.post(f"/posts/{answer.id}/delete").status_code == 403
    assert _fresh(Post, answer.id).deleted_at is None

    login_as(client, make_user(role=Role.ADMIN))
    assert client.post(f"/posts/{answer.id}/delete").status_code == 302
    assert client.post(f"/posts/{answer.id}/delete").status_code == 409


def test_staff_can_undelete_a_thread(client):
    moderator = make_user(role=Role.MODERATOR)
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=make_user())
    opening = first_post(thread)
    login_as(client, moderator)
    client.post(f"/posts/{opening.id}/delete")

    staff_view = client.get(f"/t/{thread.id}/{thread.slug}")
    assert staff_view.status_code == 200 and b"This thread was deleted" in staff_view.data
    response = client.post(f"/posts/{opening.id}/undelete")

    assert response.status_code == 302
    assert _fresh(Thread, thread.id).deleted_at is None
    assert db.session.get(SearchDocument, opening.id) is not None
    assert db.session.get(SearchDocument, answer.id) is not None


def test_members_cannot_undelete(client):
    author = make_user()
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=author)
    login_as(client, author)
    client.post(f"/posts/{answer.id}/delete")

    assert client.post(f"/posts/{answer.id}/undelete").status_code == 403
    assert _fresh(Post, answer.id).deleted_at is not None
    assert _fresh(Thread, thread.id).reply_count == 0
