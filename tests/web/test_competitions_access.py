"""Who may do what: (anonymous, member without subscription, paying member, staff) x
(view, join, submit) on a member-only competition, and the rules every entry obeys:
joining first, drafts, suspensions and disqualification."""

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from app.accounts.models import Role
from app.competitions import catalogue, organising
from app.competitions.challenges import submit_answer
from app.competitions.joining import join
from app.competitions.models import Entrant
from app.competitions.standings import get_standings
from app.extensions import db
from app.forum.errors import MembersOnly, NotFound, PermissionDenied
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.competitions import make_challenge_set, make_organiser
from tests.fixtures.courses import make_paying_member
from tests.fixtures.users import make_user


def _who(who):
    return {"anonymous": AnonymousUserMixin, "user": make_user, "paying": make_paying_member,
            "staff": lambda: make_user(role=Role.MODERATOR)}[who]()


# (details shown, join allowed, submit allowed); None means refused with the error class
MATRIX = {
    "anonymous": (False, PermissionDenied, PermissionDenied),
    "user": (False, MembersOnly, MembersOnly),
    "paying": (True, None, None),
    "staff": (True, None, None),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_member_only_access_matrix(app, who):
    details, join_error, submit_error = MATRIX[who]
    competition = make_challenge_set(member_only=True, title="Members CTF")
    viewer = _who(who)

    page = catalogue.competition_page(viewer, competition.slug)
    assert page.competition.title == "Members CTF"  # the teaser is for everyone
    assert page.locked is not details
    if details:
        get_standings(competition, viewer)
    else:
        with pytest.raises(MembersOnly):
            get_standings(competition, viewer)

    challenge = competition.challenges[0]
    if join_error is None:
        join(viewer, competition.id)
    else:
        with pytest.raises(join_error):
            join(viewer, competition.id)
    if submit_error is None:
        assert submit_answer(viewer, challenge.id, "flag{1}").correct
    else:
        with pytest.raises(submit_error):
            submit_answer(viewer, challenge.id, "flag{1}")


@pytest.mark.parametrize("who", ["anonymous", "user", "paying"])
def test_drafts_are_hidden_from_everyone_but_staff(app, who):
    draft = make_challenge_set(published=False, title="Secret draft")
    with pytest.raises(NotFound):
        catalogue.competition_page(_who(who), draft.slug)
    assert catalogue.competition_page(make_organiser(), draft.slug).status == "draft"
    listed = catalogue.competitions_overview(_who(who))
    assert not (listed.running or listed.upcoming or listed.past or listed.drafts)


def test_a_competition_that_requires_joining_refuses_entries_before_it(app):
    competition = make_challenge_set()
    user = make_user()
    with pytest.raises(PermissionDenied, match="Join the competition"):
        submit_answer(user, competition.challenges[0].id, "flag{1}")
    page = catalogue.competition_page(user, competition.slug)
    assert page.join_problem is None and "Join the competition" in page.submit_problem
    join(user, competition.id)
    join(user, competition.id)  # a second click changes nothing
    assert submit_answer(user, competition.challenges[0].id, "flag{1}").correct
    entered = db.session.scalars(select(Event).filter_by(type="competition_entered")).all()
    assert [(e.user_id, e.subject_id) for e in entered] == [(user.id, competition.id)]


def test_without_joining_the_first_answer_enters_once(app):
    competition = make_challenge_set(requires_join=False, challenges=2)
    user = make_user()
    submit_answer(user, competition.challenges[0].id, "wrong")
    submit_answer(user, competition.challenges[1].id, "flag{2}")
    entered = db.session.scalars(select(Event).filter_by(type="competition_entered")).all()
    assert [e.user_id for e in entered] == [user.id]
    assert db.session.scalar(select(Entrant.user_id)) == user.id


def test_suspended_and_disqualified_people_cannot_take_part(app):
    competition = make_challenge_set()
    suspended = make_user()
    suspended.suspended_until = utcnow() + timedelta(days=1)
    db.session.commit()
    with pytest.raises(PermissionDenied, match="suspended until"):
        join(suspended, competition.id)
    cheat = make_user()
    join(cheat, competition.id)
    organising.disqualify(make_organiser(), competition.id, cheat.id, "Shared the flags.")
    with pytest.raises(PermissionDenied, match="disqualified from this competition: Shared"):
        submit_answer(cheat, competition.challenges[0].id, "flag{1}")


def test_the_list_sorts_running_upcoming_and_past(app):
    now = utcnow().replace(microsecond=0)
    running = make_challenge_set(title="Running now")
    upcoming = make_challenge_set(title="Next month", starts_at=now + timedelta(days=30),
                                  ends_at=now + timedelta(days=31))
    past = make_challenge_set(title="Last year", starts_at=now - timedelta(days=400),
                              ends_at=now - timedelta(days=390))
    make_challenge_set(title="Not yet published", published=False)
    join(make_user(), running.id)
    overview = catalogue.competitions_overview(make_user())
    assert [c.competition.id for c in overview.running] == [running.id]
    assert overview.running[0].entrants == 1 and overview.running[0].status == "running"
    assert [c.competition.id for c in overview.upcoming] == [upcoming.id]
    assert [c.competition.id for c in overview.past] == [past.id]
    assert overview.drafts == []
    assert len(catalogue.competitions_overview(make_organiser()).drafts) == 1
