"""Invitations: the personal link, sign-up through it, the reward and its monthly cap."""

from datetime import timedelta

import pytest

from app.accounts.models import User
from app.extensions import db
from app.forum import posting
from app.gamification import invitations
from app.gamification.models import Invitation, PointTransaction
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.forum import get_or_make_tags, make_category, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

SIGN_UP = {"username": "newbie", "email": "newbie@example.com", "password": "analytical engine"}


def _events(type: str) -> list[Event]:
    return list(db.session.scalars(db.select(Event).where(Event.type == type).order_by(Event.id)))


def _invite_rows(reason: str = "invite") -> list[PointTransaction]:
    return list(db.session.scalars(
        db.select(PointTransaction).where(PointTransaction.reason == reason)))


def _ask(author, n: int = 1):
    get_or_make_tags(["python"])
    db.session.commit()
    return posting.create_thread(
        author, kind="question", title=f"How do I parse dates, part {n}?",
        body=f"I keep getting timezone errors in case {n}.", category_id=make_category().id,
        tags="python",
    ).thread


def _invited(inviter, *, rewarded_at=None) -> User:
    invitee = make_user()
    invitation = invitations.accept_invitation(inviter.id, invitee)
    invitation.rewarded_at = rewarded_at
    db.session.commit()
    return invitee


@pytest.fixture
def inviter(app):
    return make_user(username="inviter", display_name="Ida Inviter")


# -- the link ----------------------------------------------------------------------


def test_a_token_names_its_member_and_a_forged_one_names_nobody(inviter):
    token = invitations.invite_token(inviter.id)

    assert invitations.inviter_for_token(token) == inviter
    assert invitations.inviter_for_token(token[:-2] + "xx") is None
    assert invitations.inviter_for_token("not-a-token") is None


def test_a_token_of_a_deleted_member_names_nobody(inviter):
    token = invitations.invite_token(inviter.id)
    inviter.deleted_at = utcnow()
    db.session.commit()

    assert invitations.inviter_for_token(token) is None


def test_the_invite_page_needs_a_login(client):
    response = client.get("/invite")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_invite_page_shows_the_link_and_records_invite_sent_once(client, inviter):
    login_as(client, inviter)

    page = client.get("/invite").get_data(as_text=True)
    client.get("/invite")

    token = invitations.invite_token(inviter.id)
    assert f'value="http://guildhall.test/join/{token}"' in page
    assert "readonly" in page
    assert "Nobody has joined through your link yet" in page
    assert "0</strong> <span class=\"muted\">of 20 rewards earned this month" in page
    assert [e.user_id for e in _events("invite_sent")] == [inviter.id]


def test_the_invite_page_lists_who_joined_and_the_rewards_this_month(client, inviter):
    paid = _invited(inviter, rewarded_at=utcnow())
    waiting = _invited(inviter)
    login_as(client, inviter)

    page = client.get("/invite").get_data(as_text=True)

    assert paid.name in page and waiting.name in page
    assert "+10 earned" in page and "No reward yet" in page
    assert "1</strong> <span class=\"muted\">of 20 rewards earned this month" in page


# -- joining -----------------------------------------------------------------------


def test_signing_up_through_a_link_records_the_invitation(client, inviter):
    response = client.get(f"/join/{invitations.invite_token(inviter.id)}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/register")

    assert client.post("/register", data=SIGN_UP).status_code == 302

    newbie = db.session.scalar(db.select(User).filter_by(username_key="newbie"))
    [invitation] = db.session.scalars(db.select(Invitation)).all()
    assert (invitation.inviter_id, invitation.invitee_id) == (inviter.id, newbie.id)
    assert invitation.accepted_at is not None and invitation.rewarded_at is None
    [event] = _events("invite_accepted")
    assert (event.user_id, event.subject_id, event.data) == (
        newbie.id, invitation.id, {"inviter_id": inviter.id})
    with client.session_transaction() as session:
        assert invitations.SESSION_KEY not in session


def test_the_join_page_says_who_invited(client, inviter):
    page = client.get(f"/join/{invitations.invite_token(inviter.id)}", follow_redirects=True)
    assert "Ida Inviter invited you." in page.get_data(as_text=True)


def test_a_forged_link_still_leads_to_sign_up_without_an_inviter(client, inviter):
    response = client.get("/join/forged.token", follow_redirects=True)

    assert response.request.path == "/register"
    assert "That invite link is not valid" in response.get_data(as_text=True)
    client.post("/register", data=SIGN_UP)
    assert db.session.scalars(db.select(Invitation)).all() == []
    assert _events("invite_accepted") == []


def test_members_cannot_use_a_link_and_nobody_invites_themselves(client, inviter):
    login_as(client, inviter)

    own = client.get(f"/join/{invitations.invite_token(inviter.id)}", follow_redirects=True)

    assert "That is your own invite link" in own.get_data(as_text=True)
    with client.session_transaction() as session:
        assert invitations.SESSION_KEY not in session
    assert invitations.accept_invitation(inviter.id, inviter) is None
    assert db.session.scalars(db.select(Invitation)).all() == []


# -- the reward --------------------------------------------------------------------


def test_the_first_post_pays_the_inviter_once(inviter):
    invitee = _invited(inviter)

    _ask(invitee, 1)
    posting.add_reply(invitee, make_thread(author=make_user()).id, body="A second post of mine here.")

    [row] = _invite_rows()
    invitation = db.session.scalar(db.select(Invitation))
    assert (row.user_id, row.delta, row.key) == (inviter.id, 10, f"invite:{invitation.id}")
    assert (row.subject_type, row.subject_id, row.actor_id) == ("invitation", invitation.id, invitee.id)
    assert invitation.rewarded_at is not None
    db.session.refresh(inviter)
    assert inviter.points == 11


def test_an_answer_or_reply_counts_as_a_first_post_too(inviter):
    invitee = _invited(inviter)

    posting.add_reply(invitee, make_thread(author=make_user()).id, body="My very first answer here.")

    assert [r.user_id for r in _invite_rows()] == [inviter.id]


def test_people_who_joined_without_a_link_pay_nobody(inviter):
    _ask(make_user())
    assert _invite_rows() == []


def test_at_most_twenty_rewards_a_month(inviter):
    now = utcnow()
    for _ in range(invitations.MONTHLY_REWARD_CAP):
        _invited(inviter, rewarded_at=now)
    last_month = now.replace(day=1) - timedelta(days=1)
    _invited(inviter, rewarded_at=last_month)
    late = _invited(inviter)

    _ask(late)

    assert _invite_rows() == []
    invitation = db.session.scalar(db.select(Invitation).filter_by(invitee_id=late.id))
    assert invitation.rewarded_at is None  # recorded, unpaid
    assert invitations.rewarded_in_month(inviter.id, now) == invitations.MONTHLY_REWARD_CAP


def test_under_the_cap_a_reward_still_pays(inviter):
    for _ in range(invitations.MONTHLY_REWARD_CAP - 1):
        _invited(inviter, rewarded_at=utcnow())
    invitee = _invited(inviter)

    _ask(invitee)

    assert len(_invite_rows()) == 1


# -- the profile -------------------------------------------------------------------


def test_the_profile_shows_who_joined_and_the_owner_sees_the_link(client, inviter):
    people = [_invited(inviter) for _ in range(2)]

    public = client.get("/u/inviter").get_data(as_text=True)
    login_as(client, inviter)
    own = client.get("/u/inviter").get_data(as_text=True)

    assert "Invited 2 people" in public
    assert all(p.name in public for p in people)
    assert 'href="/invite"' not in public
    assert 'href="/invite"' in own


def test_a_profile_without_invites_shows_the_card_only_to_its_owner(client, inviter):
    assert "Invitations" not in client.get("/u/inviter").get_data(as_text=True)
    login_as(client, inviter)
    own = client.get("/u/inviter").get_data(as_text=True)
    assert "Nobody has joined through your invite link yet." in own


def test_the_profile_card_costs_one_query_and_names_the_latest_few(client, inviter):
    for _ in range(invitations.PROFILE_NAMES + 3):
        _invited(inviter)

    with count_queries() as log:
        page = client.get("/u/inviter").get_data(as_text=True)

    assert sum("invitation" in s.lower() for s in log.statements) == 1
    assert f"Invited {invitations.PROFILE_NAMES + 3} people" in page
    assert "and 3 more" in page
