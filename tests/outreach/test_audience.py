"""Who may get a re-engagement email: each rule alone, then the values read for them."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.insights.services import record
from app.outreach import audience, preferences
from app.outreach.eligibility import Candidate, Sent, exclusion
from app.outreach.models import EmailBounce, EmailMessage, MessageStatus
from app.timeutil import utcnow
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.outreach import make_lapsed, score, store_recommendations
from tests.fixtures.queries import count_queries
from tests.fixtures.users import make_user

AS_OF = datetime(2026, 3, 10, 10, 0)
EMAILABLE = Candidate(user_id=1, segment="dormant", churn_risk=1.0,
                      last_seen=AS_OF - timedelta(days=40))


def _days(n: float) -> datetime:
    return AS_OF - timedelta(days=n)


def test_an_opted_in_dormant_member_with_something_to_read_may_get_one():
    assert exclusion(EMAILABLE, AS_OF) is None
    assert exclusion(replace(EMAILABLE, segment="at-risk", churn_risk=0.7), AS_OF) is None


@pytest.mark.parametrize(("change", "reason"), [
    ({"deleted": True}, "deleted"),
    ({"segment": "active", "churn_risk": 0.2}, "not_at_risk"),
    ({"segment": "loyal", "churn_risk": None}, "not_at_risk"),
    ({"verified": False}, "unverified"),
    ({"subscribed": False}, "not_subscribed"),
    ({"suspended_until": _days(-1)}, "suspended"),
    ({"silenced": True}, "silenced"),
    ({"bounced": True}, "bounced"),
    ({"last_seen": _days(366)}, "not_seen_in_a_year"),
    ({"last_seen": None}, "not_seen_in_a_year"),
    ({"last_marketing": _days(6)}, "emailed_recently"),
    ({"recent_sends": (Sent(_days(7), None), Sent(_days(14), None), Sent(_days(21), None))},
     "ignored_in_a_row"),
    ({"has_content": False}, "nothing_to_read"),
])
def test_each_rule_leaves_someone_out_with_its_reason(change, reason):
    assert exclusion(replace(EMAILABLE, **change), AS_OF) == reason


def test_a_high_churn_risk_counts_whatever_the_segment():
    assert exclusion(replace(EMAILABLE, segment="active", churn_risk=0.71), AS_OF) is None
    assert exclusion(replace(EMAILABLE, segment="active", churn_risk=0.7), AS_OF) == "not_at_risk"


def test_a_suspension_that_ended_and_a_year_to_the_day_are_fine():
    assert exclusion(replace(EMAILABLE, suspended_until=_days(1)), AS_OF) is None
    assert exclusion(replace(EMAILABLE, last_seen=_days(365)), AS_OF) is None


def test_one_marketing_email_every_seven_days_counted_in_days():
    late_on_day_one = datetime(2026, 3, 3, 23, 59)  # seven days before AS_OF's day
    assert exclusion(replace(EMAILABLE, last_marketing=late_on_day_one), AS_OF) is None
    assert exclusion(replace(EMAILABLE, last_marketing=datetime(2026, 3, 4, 0, 1)),
                     AS_OF) == "emailed_recently"
    assert exclusion(replace(EMAILABLE, last_marketing=AS_OF), AS_OF) == "emailed_recently"


def test_three_unanswered_in_a_row_stop_until_the_person_comes_back():
    three = (Sent(_days(7), None), Sent(_days(14), None), Sent(_days(21), None))
    ignored = replace(EMAILABLE, recent_sends=three, last_seen=_days(30))
    assert exclusion(ignored, AS_OF) == "ignored_in_a_row"
    assert exclusion(replace(ignored, recent_sends=three[:2]), AS_OF) is None
    answered = (three[0], Sent(_days(14), _days(13)), three[2])
    assert exclusion(replace(ignored, recent_sends=answered), AS_OF) is None
    assert exclusion(replace(ignored, last_seen=_days(6)), AS_OF) is None  # came back


# The values behind the rules, read from the database.

def _gathered(as_of) -> dict[int, Candidate]:
    return {c.user_id: c for batch in audience.gather(as_of) for c in batch}


def test_nobody_is_looked_at_before_the_engagement_job_has_run(app):
    make_user()
    assert _gathered(utcnow()) == {}


def test_the_values_each_rule_needs_are_read(app):
    now = utcnow()
    lapsed = make_lapsed(as_of=now)
    quiet = make_lapsed(as_of=now, subscribed=False, verified=False, segment="at-risk",
                        churn_risk=0.7)
    quiet.suspended_until, quiet.last_seen_at = now + timedelta(days=3), None
    record("login", user=quiet, at=now - timedelta(days=50))
    db.session.add(EmailBounce(user_id=quiet.id, email=quiet.email))
    db.session.commit()
    loyal = make_user()
    score(loyal, day=now.date(), segment="loyal", churn_risk=0.1)
    risky = make_user()
    score(risky, day=now.date(), segment="new", churn_risk=0.9)
    sent = [EmailMessage(user_id=lapsed.id, kind="reengagement", campaign="reengagement",
                         period=f"2026-01-0{n}", status=MessageStatus.SENT,
                         sent_at=now - timedelta(days=10 * n),
                         returned_at=now - timedelta(days=9) if n == 1 else None)
            for n in range(1, 5)]
    held = EmailMessage(user_id=quiet.id, kind="reengagement", campaign="reengagement",
                        period="2026-02-01", status=MessageStatus.HELD_OUT,
                        created_at=now - timedelta(days=2))
    db.session.add_all([*sent, held])
    db.session.commit()

    found = _gathered(now)
    assert set(found) == {lapsed.id, quiet.id, risky.id}  # the loyal one is not looked at
    one, other = found[lapsed.id], found[quiet.id]
    assert (one.segment, one.verified, one.subscribed, one.bounced) == ("dormant", True, True,
                                                                        False)
    assert one.last_seen == lapsed.last_seen_at
    assert [s.sent_at for s in one.recent_sends] == [m.sent_at for m in sent[:3]]
    assert one.recent_sends[0].returned_at is not None
    assert one.last_marketing == sent[0].sent_at
    assert (other.verified, other.subscribed, other.bounced) == (False, False, True)
    assert other.suspended_until == quiet.suspended_until
    assert other.last_seen == now - timedelta(days=50)  # their latest event
    assert other.last_marketing == held.created_at and other.recent_sends == ()
    assert not one.has_content  # no recommendations and no answers yet
    assert exclusion(one, now) == "nothing_to_read"


def test_something_to_read_is_new_answers_or_stored_recommendations(app):
    now = utcnow()
    asker, picked, other = (make_lapsed(as_of=now) for _ in range(3))
    question = make_thread(author=asker)
    make_post(thread=question, author=make_user(), created_at=now - timedelta(days=2))
    old_question = make_thread(author=other)
    make_post(thread=old_question, author=make_user(), created_at=now - timedelta(days=60))
    store_recommendations(picks={picked: [("thread", make_thread(author=make_user()), "Why")]})
    found = _gathered(now)
    assert (found[asker.id].has_content, found[picked.id].has_content,
            found[other.id].has_content) == (True, True, False)
    store_recommendations(popular=[old_question])  # the popular list is for everyone
    assert _gathered(now)[other.id].has_content


def test_a_batch_costs_the_same_queries_for_few_or_many_people(app):
    now = utcnow()

    def cost(n: int) -> int:
        people = [make_lapsed(as_of=now) for _ in range(n)]
        preferences.set_mode(people[0].id, preferences.REENGAGEMENT, preferences.NEVER)
        db.session.commit()
        with count_queries() as queries:
            list(audience.gather(now))
        return queries.count

    assert cost(2) == cost(10)
