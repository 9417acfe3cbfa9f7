"""The re-engagement campaign end to end: chosen from stored results, logged once, sent
to a real SMTP server on loopback (aiosmtpd), links that lead back to live pages."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum.models import ThreadKind
from app.outreach import audience, campaign, holdout, links, preferences
from app.outreach.models import EmailBounce, EmailMessage, MessageStatus
from app.timeutil import utcnow
from jobs.registry import all_jobs
from jobs.runner import run_job
from tests.fixtures.competitions import make_challenge_set
from tests.fixtures.concurrency import side_by_side
from tests.fixtures.courses import make_course, make_paying_member
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.outreach import make_lapsed, store_recommendations
from tests.fixtures.smtp import running_smtp_server
from tests.fixtures.users import login_as, make_user

REASON = ("You are getting this because you asked for a digest when you have been away and "
          "have not visited since {date}.")


@pytest.fixture
def smtp(app):
    with running_smtp_server() as server:
        app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port,
                          OUTREACH_SEND_RATE=1000, OUTREACH_HOLDOUT_PERCENT=0)
        yield server


@pytest.fixture
def now():
    return utcnow()


def _rows(**where) -> list[EmailMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(EmailMessage).filter_by(**where)
                                   .order_by(EmailMessage.id)))


def _with_new_answer(user, *, category=None, title=None, at=None):
    """A question of `user`'s that someone answered since they left."""
    question = make_thread(author=user, category=category, title=title)
    make_post(thread=question, author=make_user(), created_at=at)
    return question


def test_the_digest_arrives_with_both_parts_the_reason_and_one_click_unsubscribe(
        app, client, smtp, now):
    ada = make_lapsed(as_of=now, username="ada", display_name="Ada")
    asked = _with_new_answer(ada, title="How do I profile a slow loop?")
    popular = make_thread(author=make_user(), title="Ten pandas idioms", kind=ThreadKind.DISCUSSION)
    open_question = make_thread(author=make_user(), title="Why is my merge slow?")
    course = make_course(title="Data cleaning in practice")
    store_recommendations(popular=[popular], picks={ada: [
        ("answerable", open_question, "You answered well in #python"),
        ("course", course, "Learners like you took it")]})
    contest = make_challenge_set(title="Spring capture the flag")

    counts = campaign.run_campaign(now)

    assert (counts["selected"], counts["held_out"], counts["sent"]) == (1, 0, 1)
    [row] = _rows()
    assert (row.campaign, row.kind, row.period, row.status) == (
        "reengagement", "reengagement", now.date().isoformat(), MessageStatus.SENT)
    assert row.variant in campaign.SUBJECTS
    [mail] = smtp.to(ada.email)
    assert mail.message["Subject"] == campaign.subject_for(row.variant, ada) == row.subject
    assert mail.message["List-Unsubscribe"] == f"<{links.unsubscribe_url(ada.id, 'reengagement')}>"
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # On one line as sent, not folded into encoded words a mail client would not read.
    assert f"List-Unsubscribe: {mail.message['List-Unsubscribe']}\r\n".encode() in mail.raw
    reason = REASON.format(date=ada.last_seen_at.strftime("%-d %B %Y"))
    for part in (mail.text, mail.html):
        assert reason in " ".join(part.split())
        for title in (asked.title, popular.title, open_question.title, course.title,
                      contest.title, "Guildhall"):
            assert title in part
    assert 'style="' in mail.html and "max-width:560px" in mail.html  # narrow clients

    login_as(client, ada)
    tracked = re.findall(r"https?://\S+/r/[\w.-]+", mail.text)
    assert len(tracked) == 8  # 5 items, points, the site, preferences
    for url in tracked:
        redirect = client.get(url)
        assert redirect.status_code == 302, url
        assert client.get(redirect.location).status_code == 200, redirect.location
    assert _rows()[0].clicked_at is not None

    unsubscribe = re.search(r"Unsubscribe: (\S+)", mail.text).group(1)
    assert client.post(unsubscribe).status_code == 200  # what a mail client's button does
    assert preferences.mode_of(ada.id, "reengagement") == preferences.NEVER


def test_each_rule_leaves_its_person_out_and_only_the_eligible_get_mail(app, smtp, now):
    eligible = make_lapsed(as_of=now)
    active = make_lapsed(as_of=now, segment="active", churn_risk=0.2)  # not even looked at
    _with_new_answer(active)
    people = {
        "deleted": make_lapsed(as_of=now),
        "unverified": make_lapsed(as_of=now, verified=False),
        "not_subscribed": make_lapsed(as_of=now, subscribed=False),
        "suspended": make_lapsed(as_of=now),
        "bounced": make_lapsed(as_of=now),
        "not_seen_in_a_year": make_lapsed(as_of=now, away_days=400),
        "emailed_recently": make_lapsed(as_of=now),
        "ignored_in_a_row": make_lapsed(as_of=now),
        "nothing_to_read": make_lapsed(as_of=now),
    }
    for name, person in people.items():
        if name != "nothing_to_read":
            _with_new_answer(person)
    _with_new_answer(eligible)
    people["deleted"].deleted_at = now
    people["suspended"].suspended_until = now + timedelta(days=2)
    db.session.add(EmailBounce(user_id=people["bounced"].id, email=people["bounced"].email))
    db.session.add(EmailMessage(user_id=people["emailed_recently"].id, kind="reengagement",
                                campaign="spring", period="1", status=MessageStatus.SENT,
                                sent_at=now - timedelta(days=3)))
    ignored = people["ignored_in_a_row"]
    db.session.add_all(EmailMessage(user_id=ignored.id, kind="reengagement",
                                    campaign="reengagement", period=str(n),
                                    status=MessageStatus.SENT,
                                    sent_at=now - timedelta(days=8 * n)) for n in (1, 2, 3))
    db.session.commit()

    counts = campaign.run_campaign(now)

    assert {reason: counts[f"excluded_{reason}"] for reason in people} == dict.fromkeys(people, 1)
    assert (counts["candidates"], counts["selected"], counts["sent"]) == (10, 1, 1)
    assert [m.rcpt_tos for m in smtp.messages] == [[eligible.email]]
    assert [row.user_id for row in _rows(period=now.date().isoformat())] == [eligible.id]


def test_one_marketing_email_a_week_at_most(app, smtp, now):
    person = make_lapsed(as_of=now)
    _with_new_answer(person)
    assert campaign.run_campaign(now)["sent"] == 1
    later = campaign.run_campaign(now + timedelta(days=6))
    assert (later["selected"], later["excluded_emailed_recently"]) == (0, 1)
    assert campaign.run_campaign(now + timedelta(days=7))["sent"] == 1
    assert len(smtp.to(person.email)) == 2


def test_three_without_a_return_stop_the_emails_until_the_person_comes_back(app, smtp, now):
    person = make_lapsed(as_of=now)
    _with_new_answer(person)
    for day in (0, 7, 14):
        assert campaign.run_campaign(now + timedelta(days=day))["sent"] == 1
    stopped = campaign.run_campaign(now + timedelta(days=21))
    assert (stopped["selected"], stopped["excluded_ignored_in_a_row"]) == (0, 1)

    person.last_seen_at = utcnow()  # they came back by themselves, and left again
    db.session.commit()
    _with_new_answer(person, at=person.last_seen_at + timedelta(minutes=1))
    assert campaign.run_campaign(now + timedelta(days=21))["sent"] == 1
    assert len(smtp.to(person.email)) == 4


def test_a_stable_share_is_held_out_with_variants_and_gets_no_mail(app, smtp, now, monkeypatch):
    monkeypatch.setattr(audience, "BATCH", 5)  # three batches
    people = [make_lapsed(as_of=now) for _ in range(12)]
    for person in people:
        _with_new_answer(person)
    buckets = sorted(holdout.bucket(p.id, "reengagement") for p in people)
    app.config["OUTREACH_HOLDOUT_PERCENT"] = (buckets[2] + buckets[3]) / 2  # three of them
    expected = {p.id for p in people if holdout.is_held_out(
        p.id, "reengagement", app.config["OUTREACH_HOLDOUT_PERCENT"])}

    counts = campaign.run_campaign(now)

    assert (counts["selected"], counts["held_out"], counts["sent"]) == (12, 3, 9)
    rows = _rows()
    held = {row.user_id for row in rows if row.status == MessageStatus.HELD_OUT}
    assert held == expected
    assert {row.user_id for row in rows if row.status == MessageStatus.SENT} == \
        {p.id for p in people} - held
    mailed = {rcpt for m in smtp.messages for rcpt in m.rcpt_tos}
    assert not mailed & {p.email for p in people if p.id in held}
    assert all(row.variant == holdout.variant(row.user_id, "reengagement", ("a", "b"))
               for row in rows)
    assert {row.variant for row in rows} == {"a", "b"}  # twelve people: both, each way


def test_a_rerun_of_the_day_logs_and_sends_nothing_twice(app, smtp, now):
    person = make_lapsed(as_of=now)
    _with_new_answer(person)
    first = campaign.run_campaign(now)
    again = campaign.run_campaign(now + timedelta(hours=2))
    assert (first["selected"], first["sent"]) == (1, 1)
    assert (again["selected"], again["sent"]) == (0, 0)
    assert len(_rows()) == 1 and len(smtp.messages) == 1


def test_a_day_already_logged_is_not_logged_again_even_when_the_caps_would_allow_it(app, now):
    person = make_lapsed(as_of=now)
    _with_new_answer(person)
    db.session.add(EmailMessage(user_id=person.id, kind="reengagement", campaign="reengagement",
                                period=now.date().isoformat(), status=MessageStatus.SKIPPED))
    db.session.commit()
    counts = campaign.choose_audience(now)  # a skipped row takes no slot, but the key holds
    assert counts["selected"] == 0 and len(_rows()) == 1


def test_two_runs_at_once_log_each_person_once(app, now):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once: PostgreSQL (SQLite serialises its writers)")
    people = [make_lapsed(as_of=now) for _ in range(8)]
    for person in people:
        _with_new_answer(person)
    selected = side_by_side(app, lambda: campaign.choose_audience(now)["selected"])
    assert sum(selected) == 8
    assert sorted(row.user_id for row in _rows()) == sorted(p.id for p in people)


def test_consent_withdrawn_or_nothing_left_to_read_at_send_time_is_skipped(app, smtp, now):
    changed_mind, answered = make_lapsed(as_of=now), make_lapsed(as_of=now)
    _with_new_answer(changed_mind)
    question = _with_new_answer(answered)
    assert campaign.choose_audience(now)["selected"] == 2
    preferences.set_mode(changed_mind.id, "reengagement", preferences.NEVER)
    for post in question.posts:
        if not post.is_first:
            post.deleted_at = utcnow()
    db.session.commit()

    delivery = campaign.send_pending()

    assert (delivery.sent, delivery.skipped) == (0, 2) and smtp.messages == []
    assert [row.status for row in _rows()] == [MessageStatus.SKIPPED] * 2


def test_member_only_threads_never_reach_a_non_members_digest(app, smtp, now):
    members_only = make_category(name="Members", member_only=True)
    locked = make_thread(author=make_user(), category=members_only, title="Members: internals")
    locked_question = make_thread(author=make_user(), category=members_only,
                                  title="Members: open question")
    public = make_thread(author=make_user(), title="A public thread")
    reader = make_lapsed(as_of=now)
    member = make_lapsed(as_of=now, user=make_paying_member())
    for person in (reader, member):
        _with_new_answer(person, category=members_only, title=f"Members: asked by {person.id}")
    picks = [("thread", locked, "Read by people like you"), ("thread", public, "Popular"),
             ("answerable", locked_question, "You answered well in #python")]
    store_recommendations(picks={reader: picks, member: picks})

    assert campaign.run_campaign(now)["sent"] == 2

    [to_reader] = smtp.to(reader.email)
    [to_member] = smtp.to(member.email)
    for part in (to_reader.text, to_reader.html):
        assert "Members:" not in part and public.title in part
    for part in (to_member.text, to_member.html):
        for title in (locked.title, locked_question.title, f"Members: asked by {member.id}"):
            assert title in part


def test_the_job_is_registered_daily_at_ten_and_records_its_counts(app, smtp, now):
    job = all_jobs()["reengagement"]
    assert str(job.schedule) == "daily at 10:00 UTC" and job.description
    person = make_lapsed(as_of=now)
    _with_new_answer(person)
    outcome = run_job("reengagement", as_of=now)
    assert outcome.ok
    assert {k: outcome.run.counts[k] for k in ("selected", "held_out", "sent", "skipped",
                                               "failed")} == {
        "selected": 1, "held_out": 0, "sent": 1, "skipped": 0, "failed": 0}
    assert len(smtp.to(person.email)) == 1


def test_without_the_sites_host_name_nothing_is_chosen_or_claimed(app, smtp, now):
    person = make_lapsed(as_of=now)
    _with_new_answer(person)
    app.config["SERVER_NAME"] = None  # a job has no request to take the host from
    with pytest.raises(RuntimeError, match="SERVER_NAME"):
        campaign.run_campaign(now)
    assert _rows() == [] and smtp.messages == []
