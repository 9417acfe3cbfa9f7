"""The thread page: what it shows, to whom, in which order, how views count, and its query budget."""

import re
from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.forum import view_counter
from app.forum.models import Thread, ThreadView
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.forum import first_post, make_category, make_post, make_thread, make_vote
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def _url(thread, **query) -> str:
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/t/{thread.id}/{thread.slug}" + (f"?{suffix}" if suffix else "")


def _post_ids(html: bytes) -> list[int]:
    return [int(n) for n in re.findall(rb'<article class="post[^"]*" id="post-(\d+)"', html)]


def test_a_question_page_shows_the_question_answers_and_counts(client):
    asker = make_user(username="asker")
    thread = make_thread(author=asker, title="Why is my list comprehension slow?", tags=("python", "perf"))

    page = client.get(_url(thread))

    assert page.status_code == 200
    html = page.data
    assert b"Why is my list comprehension slow?" in html
    assert b"How do I read a file line by line in Python?" in html  # the opening post's body
    assert b'href="/tags/python"' in html and b'href="/tags/perf"' in html
    assert f'href="/c/{thread.category.slug}"'.encode() in html
    assert b"Unanswered" in html and b"No answers yet" in html
    assert b"Viewed 1 time" in html and b"0 answers" in html
    assert b">asker</a>" in html and b'class="avatar"' in html
    assert b"Log in</a>" in html and b"to answer." in html  # anonymous: a prompt, no form


def test_answers_are_ordered_by_score_then_age_and_the_accepted_one_is_marked_not_pinned(client):
    asker = make_user()
    thread = make_thread(author=asker)
    base = utcnow() - timedelta(hours=1)
    old_low = make_post(thread=thread, author=make_user(), created_at=base)
    accepted = make_post(thread=thread, author=make_user(), created_at=base + timedelta(minutes=1))
    top = make_post(thread=thread, author=make_user(), created_at=base + timedelta(minutes=2))
    tie_newer = make_post(thread=thread, author=make_user(), created_at=base + timedelta(minutes=3))
    for voter in (make_user(), make_user()):
        make_vote(user=voter, post=top)
    make_vote(user=make_user(), post=accepted)
    make_vote(user=make_user(), post=tie_newer)
    thread.accepted_post_id = accepted.id
    db.session.commit()

    html = client.get(_url(thread)).data

    assert _post_ids(html)[1:] == [top.id, accepted.id, tie_newer.id, old_low.id]
    accepted_block = html.split(f'id="post-{accepted.id}"'.encode())[1].split(b"</article>")[0]
    assert b"Accepted answer" in accepted_block and "✓".encode() in accepted_block
    assert html.count(b"Accepted answer</p>") == 1
    assert b"Unanswered" not in html


def test_discussion_replies_are_chronological_and_link_what_they_answer(client):
    starter = make_user()
    thread = make_thread(author=starter, kind="discussion", tags=())
    base = utcnow() - timedelta(hours=1)
    first = make_post(thread=thread, author=make_user(username="ada"), created_at=base)
    second = make_post(thread=thread, author=make_user(), reply_to=first, created_at=base + timedelta(minutes=5))
    make_vote(user=make_user(), post=second)

    html = client.get(_url(thread)).data

    assert _post_ids(html)[1:] == [first.id, second.id]
    assert f'In reply to <a href="/posts/{first.id}">ada</a>'.encode() in html
    assert b"Unanswered" not in html  # only questions are "unanswered"


def test_wrong_or_missing_slug_redirects_permanently(client):
    thread = make_thread(author=make_user())

    wrong = client.get(f"/t/{thread.id}/old-title?page=1")
    bare = client.get(f"/t/{thread.id}")

    assert wrong.status_code == bare.status_code == 301
    assert wrong.headers["Location"].endswith(f"/t/{thread.id}/{thread.slug}?page=1")
    assert bare.headers["Location"].endswith(f"/t/{thread.id}/{thread.slug}")
    assert client.get("/t/9999/nothing").status_code == 404


def test_post_permalink_leads_to_the_page_and_anchor_of_the_post(app, client):
    app.config["POSTS_PER_PAGE"] = 2
    thread = make_thread(author=make_user())
    base = utcnow() - timedelta(hours=1)
    answers = [make_post(thread=thread, author=make_user(), created_at=base + timedelta(minutes=i))
               for i in range(3)]

    response = client.get(f"/posts/{answers[2].id}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{_url(thread, page=2)}#post-{answers[2].id}")


def test_answers_paginate(app, client):
    app.config["POSTS_PER_PAGE"] = 2
    thread = make_thread(author=make_user())
    base = utcnow() - timedelta(hours=1)
    answers = [make_post(thread=thread, author=make_user(), created_at=base + timedelta(minutes=i))
               for i in range(3)]

    first_page = client.get(_url(thread)).data
    second_page = client.get(_url(thread, page=2)).data

    assert _post_ids(first_page)[1:] == [answers[0].id, answers[1].id]
    assert _post_ids(second_page)[1:] == [answers[2].id]
    assert b'rel="next"' in first_page
    assert client.get(_url(thread, page=3)).status_code == 404


def test_a_deleted_answer_hides_its_text_except_from_its_author_and_staff(client):
    answerer, moderator = make_user(), make_user(role=Role.MODERATOR)
    thread = make_thread(author=make_user())
    answer = make_post(thread=thread, author=answerer, body="A secret answer that was deleted.")
    answer.deleted_at, answer.deleted_by_id = utcnow(), answerer.id
    db.session.commit()

    anonymous = client.get(_url(thread)).data
    login_as(client, answerer)
    own = client.get(_url(thread)).data
    login_as(client, moderator)
    staff = client.get(_url(thread)).data

    assert b"This post was deleted" in anonymous and b"A secret answer" not in anonymous
    for html in (own, staff):
        assert b"This post was deleted" in html and b"A secret answer" in html
    assert b"post-deleted" in own


def test_a_deleted_thread_is_not_found_except_for_staff(client):
    thread = make_thread(author=make_user())
    thread.deleted_at = utcnow()
    db.session.commit()

    assert client.get(_url(thread)).status_code == 404
    login_as(client, make_user())
    assert client.get(_url(thread)).status_code == 404
    login_as(client, make_user(role=Role.MODERATOR))
    page = client.get(_url(thread))
    assert page.status_code == 200
    assert b"This thread was deleted" in page.data and b"Only staff can see it" in page.data


@pytest.mark.parametrize("role", [None, Role.MEMBER])
def test_a_member_only_thread_is_forbidden_to_non_members(client, role):
    thread = make_thread(author=make_user(role=Role.ADMIN), category=make_category(member_only=True))
    if role:
        login_as(client, make_user(role=role))

    page = client.get(_url(thread))

    assert page.status_code == 403
    assert b"members-only category" in page.data
    assert db.session.get(Thread, thread.id).view_count == 0


def test_edit_and_delete_links_show_only_where_allowed(client):
    author, other = make_user(), make_user()
    thread = make_thread(author=author)
    post = first_post(thread)
    edit_link = f'href="/posts/{post.id}/edit"'.encode()
    delete_form = f'action="/posts/{post.id}/delete"'.encode()

    login_as(client, other)
    as_other = client.get(_url(thread)).data
    login_as(client, author)
    as_author = client.get(_url(thread)).data

    assert edit_link not in as_other and delete_form not in as_other
    assert edit_link in as_author and delete_form in as_author
    assert b'<form class="form" method="post" action="/t/' in as_author


def test_an_edited_post_links_to_its_history(client):
    author = make_user()
    thread = make_thread(author=author)
    post = first_post(thread)
    post.edited_at, post.edited_by_id = utcnow(), author.id
    db.session.commit()

    html = client.get(_url(thread)).data

    assert f'href="/posts/{post.id}/revisions">edited'.encode() in html


def test_reply_to_link_prefills_the_reply_form(client):
    thread = make_thread(author=make_user(), kind="discussion", tags=())
    target = make_post(thread=thread, author=make_user(username="grace"))
    login_as(client, make_user())

    html = client.get(_url(thread, reply_to=target.id)).data

    assert f'name="reply_to" value="{target.id}"'.encode() in html
    assert b"Replying to grace" in html


@pytest.mark.parametrize(("kind", "label"), [("question", b"Your answer"), ("discussion", b"Your reply")])
def test_the_reply_box_is_labelled_for_the_kind_of_thread(client, kind, label):
    thread = make_thread(author=make_user(), kind=kind, tags=())
    login_as(client, make_user())

    html = client.get(_url(thread)).data

    assert b'<label for="body">' + label + b"</label>" in html


# --- view counts -------------------------------------------------------------------


def test_a_viewer_counts_once_per_hour(client):
    thread = make_thread(author=make_user())

    client.get(_url(thread))
    client.get(_url(thread))
    client.get(_url(thread), headers={"User-Agent": "another browser"})
    login_as(client, make_user())
    client.get(_url(thread))
    client.get(_url(thread))

    assert db.session.get(Thread, thread.id).view_count == 3
    assert db.session.scalar(db.select(db.func.count()).select_from(ThreadView)) == 3
    assert len(db.session.scalars(db.select(Event).filter_by(type="view")).all()) == 3


def test_the_same_viewer_counts_again_the_next_hour(client, monkeypatch):
    thread = make_thread(author=make_user())
    client.get(_url(thread))

    later = utcnow() + timedelta(hours=1)
    monkeypatch.setattr(view_counter, "utcnow", lambda: later)
    client.get(_url(thread))

    assert db.session.get(Thread, thread.id).view_count == 2


def test_count_view_is_idempotent_for_one_key_and_hour(app):
    thread = make_thread(author=make_user())

    counted = [view_counter.count_view(thread, "u1") for _ in range(3)]

    assert counted == [True, False, False]
    assert db.session.get(Thread, thread.id).view_count == 1


def test_viewer_keys_name_users_and_hash_anonymous_visitors():
    class Anonymous:
        is_authenticated = False

    class Member:
        is_authenticated = True
        id = 7

    key = view_counter.viewer_key(Anonymous(), "10.0.0.1", "Firefox")
    assert view_counter.viewer_key(Member(), "10.0.0.1", "Firefox") == "u7"
    assert len(key) == 64 and "10.0.0.1" not in key
    assert key != view_counter.viewer_key(Anonymous(), "10.0.0.1", "Chrome")


# --- query budget ------------------------------------------------------------------


def _thread_with_answers(n: int, voter) -> Thread:
    thread = make_thread(author=make_user(), kind="discussion", tags=("python", "sql"))
    previous = None
    for i in range(n):
        previous = make_post(thread=thread, author=make_user(), reply_to=previous,
                             body=f"Reply number {i} with enough words in it.")
        if i % 2:
            make_vote(user=voter, post=previous, value=1)
    return thread


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_thread_page_runs_a_fixed_number_of_queries(client, signed_in):
    voter = make_user()
    small, large = _thread_with_answers(5, voter), _thread_with_answers(50, voter)
    if signed_in:
        login_as(client, voter)

    with count_queries() as few:
        small_page = client.get(_url(small))
    with count_queries() as many:
        large_page = client.get(_url(large))

    assert small_page.status_code == large_page.status_code == 200
    assert len(_post_ids(large_page.data)) == 51
    assert few.count == many.count, many.statements
    assert many.count <= 20
    if signed_in:
        assert large_page.data.count(b'aria-pressed="true"') == 25
