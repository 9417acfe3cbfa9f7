"""Bounty pages through the test client: featured list, home box, thread banner, forms."""

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.gamification import bounties, bounty_views
from app.gamification.models import Bounty
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def _question(**kwargs):
    return make_thread(author=kwargs.pop("author", None) or make_user(),
                       created_at=utcnow() - timedelta(days=3), **kwargs)


def _url(thread) -> str:
    return f"/t/{thread.id}/{thread.slug}"


def _offer(amount=100, *, user=None, thread=None, reason=""):
    user = user or make_user(points=amount + 100)
    thread = thread or _question()
    return bounties.offer_bounty(user, thread.id, amount=amount, reason=reason)


def _text(response) -> str:
    return response.get_data(as_text=True)


# -- featured bounties page ------------------------------------------------------------


def test_the_bounties_page_has_an_empty_state(client):
    response = client.get("/bounties")
    assert response.status_code == 200
    assert "No bounties running" in _text(response)


def test_the_bounties_page_lists_running_bounties_ending_soonest_first(client):
    later = _offer(200, thread=_question(title="A later bounty question here"))
    sooner = _offer(50, thread=_question(title="A sooner bounty question here"), reason="Show a benchmark")
    sooner.ends_at = utcnow() + timedelta(hours=5, minutes=30)
    db.session.commit()
    settled = _offer(100, thread=_question(title="An awarded bounty question here"))
    answer = make_post(thread=settled.thread, author=make_user())
    bounties.award_bounty(settled.offered_by, settled.id, answer.id)

    page = _text(client.get("/bounties"))

    assert page.index("A sooner bounty question") < page.index("A later bounty question")
    assert "An awarded bounty question" not in page
    assert "+50" in page and "+200" in page and "“Show a benchmark”" in page
    assert "ends in <time" in page and "5 hours" in page
    assert later.offered_by.name in page


def test_member_only_and_deleted_questions_are_left_out(client):
    secret = _question(title="Secret members question here", category=make_category(member_only=True))
    _offer(user=make_user(role="moderator", points=500), thread=secret)
    gone = _offer(thread=_question(title="Deleted question with bounty"))
    gone.thread.deleted_at = utcnow()
    db.session.commit()

    assert "Secret members question" not in _text(client.get("/bounties"))
    assert "Deleted question with bounty" not in _text(client.get("/bounties"))
    login_as(client, make_user(role="moderator"))
    assert "Secret members question" in _text(client.get("/bounties"))


def test_the_bounties_page_paginates_with_a_fixed_number_of_queries(client, monkeypatch):
    monkeypatch.setattr(bounty_views, "BOUNTIES_PER_PAGE", 2)
    for n in range(2):
        _offer(thread=_question(tags=(f"tag{n}", "shared")))
    db.session.expunge_all()
    with count_queries() as few:
        assert client.get("/bounties").status_code == 200
    for n in range(3):
        _offer(thread=_question(tags=(f"more{n}", "shared")))
    db.session.expunge_all()
    with count_queries() as many:
        first = client.get("/bounties")

    assert few.count == many.count <= 4
    assert 'rel="next"' in _text(first)
    third = client.get("/bounties?page=3")
    assert third.status_code == 200 and len(re.findall(r'class="thread-row"', _text(third))) == 1
    assert "Nothing on this page" in _text(client.get("/bounties?page=9"))


# -- home page box -------------------------------------------------------------------------


def test_the_home_page_features_the_top_five(client):
    for n in range(6):
        bounty = _offer(thread=_question(title=f"Featured question number {n}"))
        bounty.ends_at = utcnow() + timedelta(days=1 + n)
    db.session.commit()

    page = _text(client.get("/"))

    box = page[page.index("Featured bounties"):page.index("All bounties")]
    assert [int(n) for n in re.findall(r"Featured question number (\d)", box)] == [0, 1, 2, 3, 4]


def test_the_home_page_box_has_an_empty_state_and_bounded_queries(client):
    assert "No bounties running" in _text(client.get("/"))

    _offer()
    db.session.expunge_all()
    with count_queries() as one:
        client.get("/")
    for _ in range(4):
        _offer()
    db.session.expunge_all()
    with count_queries() as five:
        client.get("/")
    assert one.count == five.count


# -- the thread page -------------------------------------------------------------------------


def test_the_thread_page_shows_the_banner(client):
    bounty = _offer(150, reason="Looking for an answer with numbers")

    page = _text(client.get(_url(bounty.thread)))

    assert "This question has a bounty of 150 points, ending in" in page
    assert "7 days" in page or "6 days" in page
    assert bounty.offered_by.name in page
    assert "Looking for an answer with numbers" in page


def test_eligible_viewers_get_the_offer_form(client):
    question = _question()
    login_as(client, make_user(points=160))

    page = _text(client.get(_url(question)))

    assert "Offer a bounty" in page
    assert f'action="/t/{question.id}/bounty/offer"' in page
    assert re.findall(r'<option value="(\d+)">', page) == ["50", "100", "150"]


@pytest.mark.parametrize("case", ["unprivileged", "anonymous", "young", "discussion"])
def test_no_offer_form_for_others(client, case):
    thread = {"young": lambda: make_thread(author=make_user()),
              "discussion": lambda: _question(kind="discussion")}.get(case, _question)()
    if case != "anonymous":
        login_as(client, make_user(points=74 if case == "unprivileged" else 500))

    page = _text(client.get(_url(thread)))

    assert "bounty/offer" not in page
    if case == "young":
        assert "once a question is 48 hours old" in page


def test_offering_through_the_form(client):
    question = _question()
    user = make_user(points=300)
    login_as(client, user)

    response = client.post(f"/t/{question.id}/bounty/offer", data={"amount": "200", "reason": "Please"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{_url(question)}#bounty")
    db.session.refresh(user)
    assert user.points == 100
    page = _text(client.get(response.headers["Location"]))
    assert "Your bounty of 200 points is on" in page
    assert "This question has a bounty of 200 points" in page


def test_a_bad_amount_re_renders_the_form_with_the_input(client):
    question = _question()
    login_as(client, make_user(points=300))

    response = client.post(f"/t/{question.id}/bounty/offer",
                           data={"amount": "75", "reason": "My carefully typed reason"})

    assert response.status_code == 422
    page = _text(response)
    assert "Offer 50 to 500 points, in steps of 50." in page
    assert "My carefully typed reason" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Bounty)) == 0


def test_too_few_points_keeps_the_input_and_says_how_many(client):
    question = _question()
    login_as(client, make_user(points=120))

    response = client.post(f"/t/{question.id}/bounty/offer", data={"amount": "150", "reason": "Keep me"})

    assert response.status_code == 422
    assert "at most 100" in _text(response)
    assert '<option selected value="150">' in _text(response)
    assert "Keep me" in _text(response)


def test_a_fourth_bounty_is_refused_with_a_message_and_the_input_kept(client):
    user = make_user(points=1000)
    for _ in range(3):
        _offer(50, user=user)
    question = _question()
    login_as(client, user)

    assert "3 bounties running" in _text(client.get(_url(question)))
    response = client.post(f"/t/{question.id}/bounty/offer", data={"amount": "50", "reason": "Fourth try"})

    assert response.status_code == 409
    assert "3 bounties running" in _text(response) and "Fourth try" in _text(response)


def test_the_offer_page_needs_the_privilege_and_a_login(client):
    question = _question()
    assert client.get(f"/t/{question.id}/bounty/offer").status_code == 302
    login_as(client, make_user(points=10))
    response = client.get(f"/t/{question.id}/bounty/offer")
    assert response.status_code == 403
    assert "unlocks at 75 points" in _text(response)


def test_the_offer_page_shows_the_form(client):
    question = _question(title="The question we offer on")
    login_as(client, make_user(points=300))
    page = _text(client.get(f"/t/{question.id}/bounty/offer"))
    assert "The question we offer on" in page and 'name="amount"' in page


def test_the_award_button_shows_to_the_offerer_on_other_peoples_answers(client):
    bounty = _offer(100)
    other = make_post(thread=bounty.thread, author=make_user())
    make_post(thread=bounty.thread, author=bounty.offered_by)

    assert "Award bounty" not in _text(client.get(_url(bounty.thread)))
    login_as(client, make_user(points=500))
    assert "Award bounty" not in _text(client.get(_url(bounty.thread)))
    login_as(client, bounty.offered_by)
    page = _text(client.get(_url(bounty.thread)))
    assert page.count("Award bounty (+100)") == 1
    assert f'name="post_id" value="{other.id}"' in page


def test_awarding_through_the_button(client):
    bounty = _offer(100)
    answerer = make_user()
    answer = make_post(thread=bounty.thread, author=answerer)
    login_as(client, bounty.offered_by)

    response = client.post(f"/bounties/{bounty.id}/award", data={"post_id": answer.id})

    assert response.status_code == 302
    db.session.refresh(answerer)
    assert answerer.points == 101
    page = _text(client.get(response.headers["Location"]))
    assert "You awarded your 100-point bounty" in page
    assert "+100 bounty awarded to this answer" in page
    assert "Award bounty" not in page


def test_someone_else_cannot_award_it(client):
    bounty = _offer(100)
    answer = make_post(thread=bounty.thread, author=make_user())
    login_as(client, bounty.thread.author)

    response = client.post(f"/bounties/{bounty.id}/award", data={"post_id": answer.id})

    assert response.status_code == 403
    assert "Only the person who offered" in _text(response)
    assert client.post("/bounties/999/award", data={"post_id": answer.id}).status_code == 404


def test_the_thread_page_stays_at_a_fixed_number_of_queries(client):
    viewer = make_user(role="moderator", points=1000)  # may offer, award and vote to close
    small = _offer(100, user=viewer, thread=_question())
    large = _offer(100, user=viewer, thread=_question())
    for _ in range(2):
        make_post(thread=small.thread, author=make_user())
    for _ in range(30):
        make_post(thread=large.thread, author=make_user())
    small_url, large_url = _url(small.thread), _url(large.thread)
    login_as(client, viewer)
    db.session.expunge_all()
    with count_queries() as few:
        assert client.get(small_url).status_code == 200
    db.session.expunge_all()
    with count_queries() as many:
        page = client.get(large_url)

    # 22 for a moderator: their Moderate panel lists the categories a thread may move to,
    # and the Linked list is one more.
    assert few.count == many.count <= 22, many.statements
    assert _text(page).count("Award bounty (+100)") == 30
