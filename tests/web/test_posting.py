"""Asking and answering: the happy paths, bad input kept on the page, double clicks, events."""

import pytest

from app.extensions import db
from app.forum import posting
from app.forum.models import Post, PostRevision, SearchDocument, Tag, Thread
from app.insights.models import Event
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.users import login_as, make_user

TITLE = "How do I stream a large CSV file in Python?"
BODY = "I tried `pandas.read_csv` but it loads everything into memory at once."

# Enough points to create tags (300) and to vote.
TAG_CREATOR_POINTS = 300


def _ask(client, category, **overrides):
    data = {"kind": "question", "title": TITLE, "body": BODY, "category": category.id,
            "tags": "Python, csv  streaming"}
    data.update(overrides)
    return client.post("/ask", data=data)


def _events(type_):
    return db.session.scalars(db.select(Event).filter_by(type=type_)).all()


def test_ask_creates_thread_first_post_revision_index_and_event(client):
    user, category = make_user(points=TAG_CREATOR_POINTS), make_category()
    login_as(client, user)

    response = _ask(client, category)

    thread = db.session.scalars(db.select(Thread)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{thread.id}/how-do-i-stream-a-large-csv-file-in-python#post-{thread.posts[0].id}")
    assert (thread.kind, thread.title, thread.author_id, thread.category_id) == (
        "question", TITLE, user.id, category.id)
    assert [t.name for t in thread.tags] == ["csv", "python", "streaming"]
    (post,) = thread.posts
    assert post.is_first and post.body == BODY and "<code>pandas.read_csv</code>" in post.body_html
    revision = db.session.scalars(db.select(PostRevision)).one()
    assert (revision.number, revision.title, revision.tags, revision.body) == (
        1, TITLE, "csv python streaming", BODY)
    assert db.session.get(SearchDocument, post.id).title == TITLE
    (event,) = _events("ask")
    assert (event.user_id, event.subject_type, event.subject_id) == (user.id, "thread", thread.id)

    page = client.get(response.headers["Location"])
    assert b"Your question is posted." in page.data


def test_ask_form_lists_only_categories_the_user_may_post_in(client):
    user = make_user()
    make_category(name="Open Talk")
    make_category(name="Members Lounge", member_only=True)
    login_as(client, user)

    page = client.get("/ask?kind=discussion")

    assert page.status_code == 200
    assert b"Start a discussion" in page.data
    assert b"Open Talk" in page.data and b"Members Lounge" not in page.data


def test_ask_without_any_category_shows_an_empty_state(client):
    login_as(client, make_user())
    page = client.get("/ask")
    assert page.status_code == 200 and b"No category to post in yet" in page.data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "Too short"}, b"at least 15 characters (it has 9)"),
        ({"title": "x" * 151}, b"Keep the title to 150 characters (it has 151)"),
        ({"body": "tiny body"}, b"Write at least 20 characters (you have 9)"),
        ({"body": "y" * 50_001}, b"Keep it to 50,000 characters (you have 50,001)"),
        ({"tags": ""}, b"Add at least one tag"),
        ({"tags": "a b c d e f"}, b"Use at most 5 tags (you gave 6)"),
        ({"tags": "good bad_tag"}, "“bad_tag” is not a valid tag".encode()),
        ({"tags": "x" * 36}, b"is not a valid tag"),
    ],
)
def test_ask_with_bad_input_shows_the_error_and_keeps_the_text(client, overrides, message):
    login_as(client, make_user())
    category = make_category()

    response = _ask(client, category, **overrides)

    assert response.status_code == 422
    assert message in response.data
    typed = overrides.get("body", BODY)
    assert typed[:200].encode() in response.data
    assert db.session.scalar(db.select(db.func.count()).select_from(Thread)) == 0


def test_ask_in_a_member_only_category_is_refused_for_non_members(client):
    login_as(client, make_user())
    make_category(name="Open Talk")
    lounge = make_category(member_only=True)

    response = _ask(client, lounge)

    assert response.status_code == 422
    assert b"Choose a category you can post in." in response.data
    assert db.session.scalar(db.select(db.func.count()).select_from(Thread)) == 0


def test_discussions_need_no_tags_and_unknown_tags_are_created(client):
    user, category = make_user(points=TAG_CREATOR_POINTS), make_category()
    login_as(client, user)

    _ask(client, category, kind="discussion", tags="")
    _ask(client, category, title="Which editor do you use and why?", tags="Editors")

    discussion, question = db.session.scalars(db.select(Thread).order_by(Thread.id)).all()
    assert discussion.kind == "discussion" and discussion.tags == []
    assert [t.name for t in question.tags] == ["editors"]
    assert db.session.scalar(db.select(Tag).filter_by(name="editors")) is not None


def test_a_double_click_posts_the_question_once(client):
    user, category = make_user(points=TAG_CREATOR_POINTS), make_category()
    login_as(client, user)

    first = _ask(client, category)
    second = _ask(client, category)

    assert db.session.scalar(db.select(db.func.count()).select_from(Thread)) == 1
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_events("ask")) == 1
    assert b"You posted this question a moment ago" in client.get(second.headers["Location"]).data


def test_ask_requires_login(client):
    response = client.get("/ask")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_answering_adds_a_post_and_updates_the_thread(client):
    asker, answerer = make_user(), make_user()
    thread = make_thread(author=asker)
    login_as(client, answerer)

    response = client.post(f"/t/{thread.id}/reply", data={"body": "Iterate over the file object; it is lazy."})

    answer = db.session.scalars(db.select(Post).filter_by(thread_id=thread.id, is_first=False)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#post-{answer.id}")
    db.session.refresh(thread)
    assert thread.reply_count == 1 and thread.last_activity_by_id == answerer.id
    assert db.session.scalars(db.select(PostRevision).filter_by(post_id=answer.id)).one().number == 1
    assert db.session.get(SearchDocument, answer.id) is not None
    (event,) = _events("answer")
    assert (event.user_id, event.subject_type, event.subject_id) == (answerer.id, "post", answer.id)
    assert event.data["thread_id"] == thread.id
    assert b"Your answer is posted." in client.get(response.headers["Location"]).data


def test_a_reply_in_a_discussion_can_answer_another_post(client):
    starter, first, second = make_user(), make_user(), make_user()
    thread = make_thread(author=starter, kind="discussion", tags=())
    earlier = make_post(thread=thread, author=first, body="I prefer tabs for indentation, always.")
    login_as(client, second)

    client.post(f"/t/{thread.id}/reply",
                data={"body": "Spaces render the same everywhere, though.", "reply_to": earlier.id})

    reply = db.session.scalars(db.select(Post).filter_by(author_id=second.id)).one()
    assert reply.reply_to_id == earlier.id
    assert len(_events("reply")) == 1
    page = client.get(f"/t/{thread.id}/{thread.slug}")
    assert b"In reply to" in page.data and f"/posts/{earlier.id}".encode() in page.data


def test_reply_to_a_post_of_another_thread_is_refused_and_the_text_kept(client):
    user = make_user()
    thread = make_thread(author=user, kind="discussion", tags=())
    elsewhere = make_thread(author=user, kind="discussion", tags=())
    other_post = make_post(thread=elsewhere, author=make_user())
    login_as(client, make_user())

    response = client.post(f"/t/{thread.id}/reply",
                           data={"body": "A reply that points at the wrong thread.", "reply_to": other_post.id})

    assert response.status_code == 422
    assert b"You can only reply to a live post in this thread." in response.data
    assert b"A reply that points at the wrong thread." in response.data
    assert db.session.get(Thread, thread.id).reply_count == 0


def test_a_short_answer_re_renders_the_thread_with_the_text_and_the_error(client):
    thread = make_thread(author=make_user())
    login_as(client, make_user())

    response = client.post(f"/t/{thread.id}/reply", data={"body": "Too short"})

    assert response.status_code == 422
    assert b"Write at least 20 characters (you have 9)." in response.data
    assert b"Too short</textarea>" in response.data
    assert thread.title.encode() in response.data


def test_a_double_clicked_answer_is_posted_once(client):
    thread = make_thread(author=make_user())
    login_as(client, make_user())
    data = {"body": "Iterate over the file object; it is lazy."}

    first = client.post(f"/t/{thread.id}/reply", data=data)
    second = client.post(f"/t/{thread.id}/reply", data=data)

    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.get(Thread, thread.id).reply_count == 1


def test_answering_needs_login(client):
    thread = make_thread(author=make_user())
    response = client.post(f"/t/{thread.id}/reply", data={"body": "Iterate over the file object; it is lazy."})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.get(Thread, thread.id).reply_count == 0


def test_answering_a_deleted_thread_is_not_possible(client):
    thread = make_thread(author=make_user())
    thread.deleted_at = thread.created_at
    db.session.commit()
    login_as(client, make_user())

    response = client.post(f"/t/{thread.id}/reply", data={"body": "Iterate over the file object; it is lazy."})

    assert response.status_code == 404


def test_a_crash_while_answering_shows_the_typed_text_on_the_500_page(client, monkeypatch):
    thread = make_thread(author=make_user())
    login_as(client, make_user())

    def explode(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(posting, "add_reply", explode)
    body = "A long and careful answer that must not be lost when the server fails."

    response = client.post(f"/t/{thread.id}/reply", data={"body": body})

    assert response.status_code == 500
    assert b"Your text was not saved." in response.data
    assert body.encode() in response.data


def test_get_on_the_reply_url_leads_back_to_the_thread(client):
    thread = make_thread(author=make_user())
    login_as(client, make_user())
    response = client.get(f"/t/{thread.id}/reply")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{thread.id}/{thread.slug}#reply")
