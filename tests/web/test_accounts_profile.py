import pytest

from app.accounts.models import Role, User
from app.extensions import db
from app.forum.models import Thread, ThreadKind
from app.insights.models import Event
from app.insights.services import record
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _events(type_: str) -> list[Event]:
    return list(db.session.scalars(db.select(Event).filter_by(type=type_)))


@pytest.fixture
def ada():
    return make_user(username="ada", display_name="Ada Lovelace")


def test_the_profile_shows_who_they_are(client, ada):
    ada.bio = "I like **engines**"
    ada.bio_html = "<p>I like <strong>engines</strong></p>"
    db.session.commit()
    make_thread(author=ada, title="How do looms read punched cards?")

    page = _page(client, "/u/ada")

    assert "<h1>Ada Lovelace</h1>" in page
    assert "@ada" in page
    assert "<strong>engines</strong>" in page
    assert "Joined" in page and "<time" in page
    assert "<strong>1</strong> question" in page and "<strong>0</strong> answers" in page
    assert "Edit profile" not in page
    assert 'aria-label="Ada Lovelace"' in page  # the initials avatar


def test_the_owner_sees_an_edit_link(client, ada):
    login_as(client, ada)
    assert "Edit profile" in _page(client, "/u/ada")


def test_staff_get_a_role_label(client):
    make_user(username="mod", role=Role.MODERATOR)
    assert "Moderator" in _page(client, "/u/mod")


def test_unknown_and_deleted_people_have_no_profile(client, ada):
    assert client.get("/u/nobody").status_code == 404
    ada.deleted_at = utcnow()
    db.session.commit()
    assert client.get("/u/ada").status_code == 404


def test_the_username_is_found_in_any_case_and_redirected_to_its_spelling(client):
    make_user(username="GraceH")
    response = client.get("/u/graceh?tab=questions&username=x")
    assert response.status_code == 301
    assert response.headers["Location"] == "/u/GraceH?tab=questions"


def test_questions_list_only_what_the_viewer_may_see(client, ada):
    public = make_thread(author=ada, title="A public question about looms")
    members = make_thread(author=ada, title="A question in the members lounge",
                          category=make_category(name="Lounge", member_only=True))
    gone = make_thread(author=ada, title="A question that was deleted")
    gone.deleted_at = utcnow()
    db.session.commit()
    make_thread(author=make_user(), title="Somebody else asked this")

    page = _page(client, "/u/ada?tab=questions")
    assert public.title in page
    assert members.title not in page and gone.title not in page
    assert "Somebody else asked this" not in page
    assert "<strong>1</strong> question" in page
    assert f'href="/t/{public.id}/{public.slug}"' in page

    login_as(client, make_user(role=Role.MODERATOR))  # staff count as members for now
    page = _page(client, "/u/ada?tab=questions")
    assert public.title in page and members.title in page
    assert gone.title not in page
    assert "<strong>2</strong> questions" in page


def test_answers_list_live_posts_with_their_thread_and_the_accepted_mark(client, ada):
    asker = make_user()
    question = make_thread(author=asker, title="What is a difference engine?")
    answer = make_post(thread=question, author=ada, body="It tabulates **polynomials**.")
    question.accepted_post_id = answer.id
    deleted = make_post(thread=question, author=ada, body="A deleted answer text")
    deleted.deleted_at = utcnow()
    hidden = make_thread(author=asker, title="Members only thread",
                         category=make_category(name="Vault", member_only=True))
    make_post(thread=hidden, author=ada, body="Answer in the members area")
    db.session.commit()

    page = _page(client, "/u/ada?tab=answers")

    assert question.title in page
    assert "It tabulates polynomials." in page  # a plain-text excerpt
    assert "Accepted" in page
    assert f'href="/posts/{answer.id}"' in page
    assert "A deleted answer text" not in page
    assert "Members only thread" not in page
    assert "<strong>1</strong> answer<" in page


def test_activity_shows_public_kinds_only(client, ada):
    asker = make_user()
    question = make_thread(author=asker, title="Where do the cards go?")
    answer = make_post(thread=question, author=ada)
    own = make_thread(author=ada, title="My own question about gears")
    record("ask", user=ada, subject=own)
    record("answer", user=ada, subject=answer)
    record("vote", user=ada, subject=answer, data={"value": 1})
    record("login", user=ada)
    db.session.commit()

    page = _page(client, "/u/ada")

    assert "Asked" in page and own.title in page
    assert "Answered" in page and question.title in page
    assert f'href="/posts/{answer.id}"' in page
    assert page.count('class="activity-item"') == 2


def test_activity_hides_deleted_posts_and_member_only_threads(client, ada):
    lounge = make_category(name="Lounge", member_only=True)
    secret = make_thread(author=ada, title="A secret question", category=lounge)
    thread = make_thread(author=make_user(), title="Public thread")
    removed = make_post(thread=thread, author=ada)
    removed.deleted_at = utcnow()
    record("ask", user=ada, subject=secret)
    record("answer", user=ada, subject=removed)
    db.session.commit()

    page = _page(client, "/u/ada")
    assert "A secret question" not in page and "Public thread" not in page
    assert "Nothing here yet" in page


@pytest.mark.parametrize(
    ("tab", "other_text", "own_text"),
    [
        ("activity", "Ada Lovelace has no public activity yet.", "Explore the community"),
        ("questions", "Ada Lovelace has not asked anything yet.", "Ask a question"),
        ("answers", "Ada Lovelace has not answered anything yet.", "Find questions to answer"),
    ],
)
def test_every_tab_has_an_empty_state(client, ada, tab, other_text, own_text):
    assert other_text in _page(client, f"/u/ada?tab={tab}")
    login_as(client, ada)
    assert own_text in _page(client, f"/u/ada?tab={tab}")


def test_an_unknown_tab_falls_back_to_activity(client, ada):
    page = _page(client, "/u/ada?tab=secrets")
    assert '<a href="/u/ada?tab=activity" aria-current="page">' in page


def test_lists_are_paginated(app, client, ada):
    app.config["PROFILE_ITEMS_PER_PAGE"] = 2
    category = make_category()
    titles = [make_thread(author=ada, category=category, title=f"Question number {n} on paging").title
              for n in range(5)]

    first = _page(client, "/u/ada?tab=questions")
    third = _page(client, "/u/ada?tab=questions&page=3")

    assert titles[4] in first and titles[3] in first and titles[2] not in first
    assert titles[0] in third and titles[1] not in third
    assert 'href="/u/ada?tab=questions&amp;page=2"' in first


def _activity_for(ada, n: int) -> None:
    category = make_category()
    asker = make_user()
    for i in range(n):
        own = make_thread(author=ada, category=category, title=f"Ada asks question {i} here")
        record("ask", user=ada, subject=own)
        answer = make_post(thread=make_thread(author=asker, category=category), author=ada)
        record("answer", user=ada, subject=answer)
    db.session.commit()


@pytest.mark.parametrize("tab", ["activity", "questions", "answers"])
def test_each_tab_runs_the_same_number_of_queries_whatever_it_shows(client, ada, tab):
    viewer = make_user()
    login_as(client, viewer)
    _activity_for(ada, 2)
    db.session.expire_all()  # as in a fresh request: nothing cached from the test
    with count_queries() as few:
        _page(client, f"/u/ada?tab={tab}")
    _activity_for(ada, 8)
    db.session.expire_all()
    with count_queries() as many:
        page = _page(client, f"/u/ada?tab={tab}")

    assert many.count == few.count <= 13  # 12, and one for the community line
    assert page.count("Ada asks question") + page.count("Question number") >= 8


def test_editing_the_profile_renders_the_bio_and_records_it(client, ada):
    login_as(client, ada)
    assert 'value="Ada Lovelace"' in _page(client, "/settings/profile")

    response = client.post("/settings/profile", data={
        "display_name": "  Countess   of Lovelace ",
        "bio": "I write **programs**.\n\n<script>alert(1)</script>",
    }, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Your profile has been updated." in page
    user = db.session.get(User, ada.id)
    assert user.display_name == "Countess of Lovelace"
    assert "<strong>programs</strong>" in user.bio_html
    assert "<script>" not in user.bio_html and "<script>alert" not in page
    [event] = _events("profile_update")
    assert event.data == {"changed": ["display_name", "bio"]}


def test_saving_an_unchanged_profile_writes_nothing(client, ada):
    login_as(client, ada)
    response = client.post("/settings/profile", data={"display_name": "Ada Lovelace", "bio": ""},
                           follow_redirects=True)
    assert "Nothing changed." in response.get_data(as_text=True)
    assert _events("profile_update") == []


def test_the_bio_html_is_only_rerendered_when_the_bio_changes(client, ada, monkeypatch):
    login_as(client, ada)
    client.post("/settings/profile", data={"display_name": "Ada", "bio": "Hello *there*"})
    calls = []
    monkeypatch.setattr("app.accounts.services.render_markdown", lambda s: calls.append(s) or s)
    client.post("/settings/profile", data={"display_name": "Ada L", "bio": "Hello *there*"})
    assert calls == []
    assert db.session.get(User, ada.id).bio_html == "<p>Hello <em>there</em></p>\n"


def test_an_overlong_bio_is_refused_with_the_text_kept(client, ada):
    login_as(client, ada)
    bio = "word " * 1001
    response = client.post("/settings/profile", data={"display_name": "Ada", "bio": bio})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Field cannot be longer than 5000 characters." in page
    assert "word word word" in page
    assert db.session.get(User, ada.id).bio == ""


def test_a_question_counts_once_even_with_many_tags(client, ada):
    make_thread(author=ada, tags=("python", "files", "io", "streams"), kind=ThreadKind.DISCUSSION)
    page = _page(client, "/u/ada?tab=questions")
    assert "<strong>1</strong> question" in page
    assert page.count('class="thread-row"') == 1
    assert "Discussion" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Thread)) == 1
