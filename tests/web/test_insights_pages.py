"""Pages that show the stored recommendations, and the topics a person picks."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.insights.interests import interests_of
from app.insights.models.recommendations import UserInterest
from app.insights.recommendations import refresh_recommendations
from tests.fixtures.forum import make_thread
from tests.fixtures.recommendations import build_pandas_forum
from tests.fixtures.users import login_as, make_user


@pytest.fixture
def forum(app):
    data = build_pandas_forum()
    refresh_recommendations(data["now"])
    return data


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_home_shows_picks_with_their_reasons_to_the_signed_in(client, forum):
    login_as(client, forum["alice"])
    page = _page(client, "/")
    assert "For you" in page
    assert "Pivot tables in pandas" in page
    assert "Because you answered “Grouping a pandas frame”" in page
    assert "Pandas internals for members" not in page  # member-only, alice is not a member


def test_the_for_you_page_lists_picks_and_says_why(client, forum):
    login_as(client, forum["alice"])
    page = _page(client, "/for-you")
    assert "Pivot tables in pandas" in page and "Because you answered" in page
    assert "Alice asks about pandas" not in page  # her own question


def test_anonymous_readers_get_the_popular_list(client, forum):
    page = _page(client, "/for-you")
    assert "What is popular right now" in page
    assert "Pandas internals for members" not in page
    assert "For you</h2>" not in _page(client, "/")  # the home card is for the signed in


def test_people_who_opted_out_see_popular_picks_and_are_told_why(client, forum):
    alice = forum["alice"]
    alice.personalise = False
    db.session.commit()
    login_as(client, alice)
    page = _page(client, "/for-you")
    assert "Personalisation is off" in page
    assert "Because you answered" not in page


def test_a_thread_page_shows_related_threads_it_may_show(client, forum):
    start = forum["start"]
    page = _page(client, f"/t/{start.id}/{start.slug}")
    assert 'id="related-heading"' in page
    assert "Pivot tables in pandas" in page
    assert "Pandas internals for members" not in page


def test_picking_topics(client, app):
    ada = make_user(username="ada")
    make_thread(author=ada, tags=("pandas", "docker"))
    login_as(client, ada)
    page = _page(client, "/interests?welcome=1")
    assert "What do you want to learn?" in page and "Skip for now" in page
    assert 'value="pandas"' in page and 'value="docker"' in page

    response = client.post("/interests", data={"interests": ["pandas"]}, follow_redirects=True)
    assert "Saved: 1 topic you follow." in response.get_data(as_text=True)
    assert [tag.name for tag in interests_of(ada)] == ["pandas"]
    assert 'checked id="interests-' in _page(client, "/interests")


def test_an_unknown_topic_is_refused_and_the_ticks_kept(client, app):
    ada = make_user(username="ada")
    make_thread(author=ada, tags=("pandas",))
    login_as(client, ada)
    response = client.post("/interests", data={"interests": ["pandas", "cobol"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "No such tag: #cobol" in page
    assert "checked" in page
    assert db.session.scalar(select(UserInterest)) is None


def test_topics_need_a_login(client, app):
    response = client.get("/interests")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/interests", data={"interests": ["pandas"]}).status_code == 302


def test_sign_up_leads_to_picking_topics(client, app):
    response = client.post("/register", data={
        "username": "newbie", "email": "newbie@example.com",
        "password": "a long enough passphrase"})
    assert response.headers["Location"] == "/interests?welcome=1"


def test_a_course_page_shows_what_its_learners_also_took(client, forum):
    from app.accounts.models import Role
    from app.courses.enrolment import enrol
    from app.timeutil import utcnow
    from tests.fixtures.courses import make_course

    staff = make_user(role=Role.MODERATOR)
    first = make_course(title="Pandas basics", author=staff)
    second = make_course(title="Pandas in depth", author=staff)
    for peer in forum["peers"]:
        enrol(peer, first.slug)
        enrol(peer, second.slug)
    refresh_recommendations(utcnow())

    page = _page(client, f"/courses/{first.slug}")
    assert "Learners also took" in page and f'href="/courses/{second.slug}"' in page
    login_as(client, forum["alice"])
    assert "Pandas in depth" in _page(client, "/for-you")  # a course for her too
