"""Badge pages: the catalogue, one badge's holders, and the badges on a profile."""

from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.gamification import badge_pages
from app.gamification.badge_awards import award_badge
from app.gamification.badges import BADGES
from app.timeutil import utcnow
from tests.fixtures.forum import first_post, make_category, make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def _award(user, slug, subject=None, *, days_ago=0):
    award = award_badge(user.id, slug, subject=subject, at=utcnow() - timedelta(days=days_ago))
    db.session.commit()
    return award


def _queries(client, url):
    """The statements a page runs, once the test's own session has nothing left to load."""
    _page(client, url)
    with count_queries() as log:
        _page(client, url)
    return log


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_catalogue_lists_every_badge_with_how_many_hold_it(app, client):
    ada, bob = make_user(display_name="Ada"), make_user()
    _award(ada, "supporter")
    _award(bob, "supporter")
    _award(ada, "student")

    html = _page(client, "/badges")

    for badge in BADGES:
        assert badge.name in html
    assert "2 people hold it" in html
    assert "1 person holds it" in html
    assert "Nobody yet" in html
    assert "Gold" in html and "Silver" in html and "Bronze" in html
    assert "You have it" not in html


def test_the_catalogue_marks_the_viewers_own_badges(app, client):
    ada = make_user()
    _award(ada, "critic")
    login_as(client, ada)

    html = _page(client, "/badges")

    assert html.count("You have it") == 1


def test_the_catalogue_runs_the_same_queries_however_many_awards(app, client):
    viewer = make_user()
    login_as(client, viewer)
    few = _queries(client, "/badges")
    for user in [viewer, *(make_user() for _ in range(4))]:
        for slug in ("supporter", "critic", "student", "helper"):
            _award(user, slug)
    many = _queries(client, "/badges")

    assert many.count == few.count <= 6


def test_a_badge_page_lists_holders_newest_first(app, client):
    old, new = make_user(display_name="Olga Old"), make_user(display_name="Nina New")
    _award(old, "supporter", days_ago=3)
    _award(new, "supporter", days_ago=1)

    html = _page(client, "/badges/supporter")

    assert "Supporter" in html and "Cast a first upvote." in html
    assert html.index("Nina New") < html.index("Olga Old")
    assert "Awarded 2 times to 2 people." in html


def test_a_badge_page_paginates(app, client, monkeypatch):
    monkeypatch.setattr(badge_pages, "HOLDERS_PER_PAGE", 2)
    for n, name in enumerate(("Holder Alpha", "Holder Bravo", "Holder Charlie")):
        _award(make_user(display_name=name), "student", days_ago=n)

    first = _page(client, "/badges/student")
    second = _page(client, "/badges/student?page=2")
    beyond = _page(client, "/badges/student?page=9")

    assert "Holder Alpha" in first and "Holder Bravo" in first and "Holder Charlie" not in first
    assert 'rel="next"' in first
    assert "Holder Charlie" in second and "Holder Alpha" not in second
    assert "Nothing on this page" in beyond


def test_a_badge_nobody_holds_says_so(app, client):
    html = _page(client, "/badges/famous-question")
    assert "Nobody has earned this yet" in html
    assert "Sign up" in html


def test_an_unknown_badge_is_404(app, client):
    response = client.get("/badges/no-such-badge")
    assert response.status_code == 404
    assert "no badge by that name" in response.get_data(as_text=True)


def test_holders_link_to_what_earned_the_badge(app, client):
    author = make_user()
    thread = make_thread(author=author, title="Why is my list comprehension slow?", tags=("perf",))
    answer = make_post(thread=make_thread(author=make_user(), title="Reading CSV files quickly"),
                       author=author)
    _award(author, "nice-question", thread)
    _award(author, "nice-answer", answer)
    _award(author, "tag-bronze", thread.tags[0])

    assert "Why is my list comprehension slow?" in _page(client, "/badges/nice-question")
    assert "Reading CSV files quickly" in _page(client, "/badges/nice-answer")
    tag_page = _page(client, "/badges/tag-bronze")
    assert "Bronze tag badge" in tag_page and ">perf</a>" in tag_page


def test_member_only_questions_stay_unnamed_to_non_members(app, client):
    author = make_user()
    secret = make_thread(author=author, category=make_category(member_only=True),
                         title="Members-only question about pricing")
    _award(author, "nice-question", secret)

    assert "Members-only question" not in _page(client, "/badges/nice-question")
    login_as(client, make_user(role=Role.MODERATOR))
    assert "Members-only question" in _page(client, "/badges/nice-question")


def test_a_badge_page_runs_the_same_queries_however_many_holders(app, client):
    def award_some(n):
        for _ in range(n):
            user = make_user()
            thread = make_thread(author=user)
            _award(user, "nice-question", thread)
            _award(user, "teacher", make_post(thread=thread, author=user))

    award_some(1)
    few = _queries(client, "/badges/nice-question")
    award_some(5)
    many = _queries(client, "/badges/nice-question")

    assert many.count == few.count <= 6


def test_the_profile_shows_badges_by_tier(app, client):
    user = make_user(display_name="Grace")
    thread = make_thread(author=user)
    answers = [make_post(thread=thread, author=user) for _ in range(2)]
    _award(user, "student", thread)
    _award(user, "nice-answer", answers[0])
    _award(user, "nice-answer", answers[1])
    _award(user, "enlightened", answers[0])
    _award(user, "guru", answers[0])

    html = _page(client, f"/u/{user.username}")

    assert "<strong>1</strong> gold" in html
    assert "<strong>1</strong> silver" in html
    assert "<strong>3</strong> bronze" in html
    assert "Nice Answer" in html and "×2" in html
    assert html.index("Guru") < html.index("Enlightened") < html.index("Student")
    assert "/badges/guru" in html


def test_the_profile_names_tag_badges_after_the_tag(app, client):
    user = make_user()
    tag = make_thread(author=user, tags=("django",)).tags[0]
    _award(user, "tag-silver", tag)

    html = _page(client, f"/u/{user.username}")

    assert ">django</span>" in html


@pytest.mark.parametrize(("own", "text"), [
    (True, "No badges yet"),
    (False, "has not earned any badges yet"),
])
def test_the_profile_without_badges(app, client, own, text):
    user = make_user()
    if own:
        login_as(client, user)
    assert text in _page(client, f"/u/{user.username}")


def test_the_profile_badges_cost_one_query_however_many(app, client):
    user = make_user()
    thread = make_thread(author=user)
    _award(user, "student", thread)
    few = _queries(client, f"/u/{user.username}")
    for _ in range(6):
        _award(user, "nice-question", make_thread(author=user))
    _award(user, "teacher", first_post(thread))
    many = _queries(client, f"/u/{user.username}")

    assert many.count == few.count
    badge_queries = [s for s in many.statements if "badge_award" in s]
    assert len(badge_queries) == 1
