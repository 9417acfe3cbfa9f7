"""The points history page, the privileges page, the profile's level card, and who holds
which privilege (an authorization matrix through the real services)."""

import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import update

from app.accounts.models import Role, User
from app.extensions import db
from app.forum import permissions, posting, voting
from app.forum.errors import PermissionDenied
from app.gamification import ledger
from app.gamification.levels import PRIVILEGES_BY_SLUG
from app.gamification.models import Bounty
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import give_points, login_as, make_user


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, flags=re.S)


# -- points history ------------------------------------------------------------------


def test_the_history_lists_every_row_newest_first_with_labels_links_and_signs(client):
    author = make_user(username="ada")
    thread = make_thread(author=make_user(), title="Reading files line by line")
    answer = make_post(thread=thread, author=author)
    voter = make_user(points=15)
    voting.cast_vote(voter, answer.id, "up")
    voting.cast_vote(voter, answer.id, "up")  # taken back

    rows = _rows(_html(client.get("/u/ada/points")))

    assert len(rows) == 2
    newest, oldest = rows
    assert "reversed: Answer upvoted" in newest and "points-loss" in newest and "-10" in newest
    assert "Answer upvoted" in oldest and "points-gain" in oldest and "+10" in oldest
    assert f'href="/posts/{answer.id}"' in oldest and "Reading files line by line" in oldest
    assert "<time" in oldest


def test_capped_rows_and_rows_without_a_subject(client):
    user = make_user(username="ada")
    ledger.award(user.id, "answer_upvoted", key="k1", points=200)
    ledger.award(user.id, "answer_upvoted", key="k2")
    ledger.award(user.id, "daily_activity", key="k3")
    db.session.commit()

    newest, capped, _ = _rows(_html(client.get("/u/ada/points")))

    assert "First activity of the day" in newest and "nothing to link" in newest
    assert "capped" in capped and "points-zero" in capped and 'title="The rule asked for +10"' in capped


def test_a_bounty_row_links_to_its_question(client):
    user = make_user(username="ada", points=200)
    thread = make_thread(author=user, title="A question with a bounty")
    bounty = Bounty(thread_id=thread.id, offered_by_id=user.id, amount=50,
                    active_thread_id=thread.id, ends_at=utcnow() + timedelta(days=7))
    db.session.add(bounty)
    db.session.flush()
    ledger.award(user.id, "bounty_offered", key="bounty", points=-50, subject=bounty)
    db.session.commit()

    newest = _rows(_html(client.get("/u/ada/points")))[0]

    assert "Bounty offered" in newest and "-50" in newest
    assert f'href="/t/{thread.id}/{thread.slug}"' in newest


def test_posts_the_viewer_cannot_see_are_not_named(client):
    author = make_user(username="ada")
    secret = make_thread(author=make_user(), category=make_category(member_only=True),
                         title="A members only question")
    ledger.award(author.id, "answer_upvoted", key="k", subject=make_post(thread=secret, author=author))
    db.session.commit()

    row = _rows(_html(client.get("/u/ada/points")))[0]
    assert "A members only question" not in row and "a post you cannot see" in row

    login_as(client, make_user(role=Role.MODERATOR))
    assert "A members only question" in _rows(_html(client.get("/u/ada/points")))[0]


def test_the_history_paginates(client):
    user = make_user(username="ada")
    for n in range(35):
        ledger.award(user.id, "daily_activity", key=f"day{n}", at=utcnow() - timedelta(days=n))
    db.session.commit()

    first = _html(client.get("/u/ada/points"))
    second = _html(client.get("/u/ada/points?page=2"))

    assert len(_rows(first)) == 30 and 'rel="next"' in first
    assert len(_rows(second)) == 5
    assert "Nothing on this page" in _html(client.get("/u/ada/points?page=9"))


def test_the_history_page_runs_a_fixed_number_of_queries(client):
    user = make_user(username="ada")
    thread = make_thread(author=make_user())

    def add_rows(n: int) -> None:
        for _ in range(n):
            post = make_post(thread=thread, author=user)
            ledger.award(user.id, "answer_upvoted", key=f"p{post.id}", subject=post)
            ledger.award(user.id, "daily_activity", key=f"d{post.id}")
        db.session.commit()

    add_rows(2)
    with count_queries() as few:
        client.get("/u/ada/points")
    add_rows(13)
    with count_queries() as many:
        client.get("/u/ada/points")
    assert many.count == few.count <= 6


def test_the_history_is_public_and_unknown_people_are_not_found(client):
    make_user(username="Ada")
    assert client.get("/u/Ada/points").status_code == 200
    assert client.get("/u/ada/points").status_code == 301
    assert client.get("/u/nobody/points").status_code == 404
    gone = make_user(username="gone")
    db.session.execute(update(User).where(User.id == gone.id).values(deleted_at=utcnow()))
    db.session.commit()
    assert client.get("/u/gone/points").status_code == 404


def test_an_empty_history_says_how_to_earn_points(client):
    user = make_user(username="ada")
    assert "has the starting point" in _html(client.get("/u/ada/points"))
    login_as(client, user)
    html = _html(client.get("/u/ada/points"))
    assert "No points earned yet" in html and "Find a question to answer" in html


# -- privileges page and the profile card --------------------------------------------


def test_the_privileges_page_for_visitors(client):
    html = _html(client.get("/privileges"))
    for privilege in PRIVILEGES_BY_SLUG.values():
        assert str(escape(privilege.name)) in html and f"{privilege.points:,} points" in html
    assert "Log in</a> to see how far you are" in html
    assert html.count('class="is-current"') == 0 and "role=\"progressbar\"" not in html
    assert "Luminary" in html and "10,000 points" in html


def test_the_privileges_page_shows_what_you_hold_and_how_far_the_rest_are(client):
    login_as(client, make_user(points=60))
    html = _html(client.get("/privileges"))

    vote_up = html.split('id="privilege-vote_up"', 1)[1].split("</li>", 1)[0]
    vote_down = html.split('id="privilege-vote_down"', 1)[1].split("</li>", 1)[0]
    assert "You have this" in vote_up
    assert 'role="progressbar"' in vote_down and 'aria-valuenow="60"' in vote_down
    assert 'aria-valuemax="125"' in vote_down and "65 points to go" in vote_down
    current = html.split('class="is-current"', 1)[1].split("</tr>", 1)[0]
    assert "Contributor" in current and "You are here" in current
    assert "hold 3 of 9 privileges" in html


def test_staff_hold_every_privilege(client):
    login_as(client, make_user(role=Role.MODERATOR))
    html = _html(client.get("/privileges"))
    assert "you hold every privilege" in html and html.count("You have this") == 9


def test_the_profile_shows_level_points_and_progress(client):
    make_user(username="ada", points=60)
    html = _html(client.get("/u/ada"))
    card = html.split('class="card profile-level"', 1)[1].split("</section>", 1)[0]
    assert "Level 3" in card and "Contributor" in card
    assert 'href="/u/ada/points"' in card and "<strong>60</strong> points" in card
    assert 'role="progressbar"' in card and 'aria-valuenow="60"' in card
    assert 'aria-valuemin="50"' in card and 'aria-valuemax="125"' in card
    assert "65 points to Regular" in card


def test_the_profile_at_the_top_level(client):
    make_user(username="ada", points=12000)
    card = _html(client.get("/u/ada")).split('class="card profile-level"', 1)[1]
    assert "Level 9" in card and "12,000" in card and "The top level" in card


# -- who holds which privilege -------------------------------------------------------

MATRIX = ["vote_up", "vote_down", "edit_any"]


def _attempt(slug: str, user) -> None:
    """Use privilege `slug` through the real service; raises PermissionDenied if refused."""
    thread = make_thread(author=make_user())
    post = make_post(thread=thread, author=make_user())
    if slug == "edit_any":
        posting.edit_post(user, post.id, body="An edit that makes the answer clearer.",
                          reason="Clearer wording")  # staff must say why
    else:
        voting.cast_vote(user, post.id, "up" if slug == "vote_up" else "down")


def _allowed_by_permissions(slug: str, user, post) -> bool:
    if slug == "edit_any":
        return permissions.can_edit(user, post)
    return permissions.can_vote(user, post, "up" if slug == "vote_up" else "down")


@pytest.mark.parametrize("slug", MATRIX)
def test_just_below_the_threshold_is_refused(app, slug):
    user = make_user(points=PRIVILEGES_BY_SLUG[slug].points - 1)
    post = make_post(thread=make_thread(author=make_user()), author=make_user())
    assert not _allowed_by_permissions(slug, user, post)
    with pytest.raises(PermissionDenied) as refused:
        _attempt(slug, user)
    if slug != "edit_any":  # editing says "only your own posts", which is as true
        assert f"{PRIVILEGES_BY_SLUG[slug].points:,} points" in refused.value.message


@pytest.mark.parametrize("slug", MATRIX)
def test_at_the_threshold_is_allowed(app, slug):
    user = make_user(points=PRIVILEGES_BY_SLUG[slug].points)
    post = make_post(thread=make_thread(author=make_user()), author=make_user())
    assert _allowed_by_permissions(slug, user, post)
    _attempt(slug, user)


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
@pytest.mark.parametrize("slug", MATRIX)
def test_staff_are_always_allowed(app, slug, role):
    user = make_user(role=role)
    post = make_post(thread=make_thread(author=make_user()), author=make_user())
    assert user.points == 1 and _allowed_by_permissions(slug, user, post)
    _attempt(slug, user)


@pytest.mark.parametrize("slug", MATRIX)
def test_losing_points_takes_the_privilege_away(app, slug):
    user = make_user(points=PRIVILEGES_BY_SLUG[slug].points)
    give_points(user, -1)
    with pytest.raises(PermissionDenied):
        _attempt(slug, user)


def test_taking_a_vote_back_needs_no_privilege(app):
    user = make_user(points=15)
    post = make_post(thread=make_thread(author=make_user()), author=make_user())
    voting.cast_vote(user, post.id, "up")
    give_points(user, -10)
    assert voting.cast_vote(user, post.id, "clear").changed
