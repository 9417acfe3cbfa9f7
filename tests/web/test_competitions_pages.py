"""The competition pages through the test client: the list, a competition, its board,
answers, hints, uploads and final choices, as anonymous visitors, users, members and staff."""

import re
from datetime import timedelta
from io import BytesIO

import pytest

from app.competitions import finalizing, organising
from app.competitions.challenges import ATTEMPT_LIMIT, submit_answer
from app.competitions.models import Entrant, HintUnlock, Submission
from app.competitions.predictions import submit_predictions
from app.extensions import db
from app.timeutil import utcnow
from tests.fixtures.competitions import (
    csv_bytes,
    make_challenge,
    make_challenge_set,
    make_hint,
    make_organiser,
    make_prediction_contest,
)
from tests.fixtures.courses import make_paying_member
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

GOOD = csv_bytes((f"r{i:03d}", "ab"[i % 2]) for i in range(40))  # every label right
HALF = csv_bytes((f"r{i:03d}", "a") for i in range(40))


def html_of(response) -> str:
    return response.get_data(as_text=True)


def text_of(response) -> str:
    """The page's visible text, roughly: tags dropped, spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


def _ago(**kwargs):
    return utcnow().replace(microsecond=0) - timedelta(**kwargs)


def _ahead(**kwargs):
    return utcnow().replace(microsecond=0) + timedelta(**kwargs)


def _finished(*, winner_name: str = "Winner", **settings):
    """A challenge set that ran last week, with one solver, finalized."""
    ctf = make_challenge_set(title="Spring set", starts_at=_ago(days=8),
                             ends_at=_ago(days=7), requires_join=False, **settings)
    winner = make_user(display_name=winner_name)
    submit_answer(winner, ctf.challenges[0].id, "flag{1}", now=_ago(days=7, hours=12))
    organising.set_prizes(make_organiser(), ctf.id, [organising.PrizeInput(1, 1, 50)])
    finalizing.finalize(ctf.id)
    return ctf, winner


# -- the list -----------------------------------------------------------------------


def test_the_list_has_its_sections_and_empty_states(client):
    response = client.get("/competitions")
    assert response.status_code == 200
    page = text_of(response)
    assert "Nothing running right now" in page
    assert "No competition is scheduled yet" in page and "No competition has ended yet" in page


def test_the_list_sorts_running_upcoming_past_and_shows_drafts_to_staff(client):
    make_challenge_set(title="Running set", member_only=True)
    make_prediction_contest(title="Soon contest", starts_at=_ahead(days=2), ends_at=_ahead(days=9))
    make_challenge_set(title="Secret draft", published=False)
    _finished(winner_name="Ada Champion")
    login_as(client, make_user())
    page = text_of(client.get("/competitions"))
    running, upcoming = page.index("Running now"), page.index("Upcoming")
    past = page.index("Past")
    assert running < page.index("Running set") < upcoming < page.index("Soon contest") < past
    assert page.index("Spring set") > past
    assert "Winner: Ada Champion" in page
    assert re.search(r"Ends in (23 hours|1 day)", page), page
    assert re.search(r"Starts in (1 day 23 hours|2 days)", page), page
    assert "Challenges" in page and "Prediction" in page and "Members" in page
    assert "Secret draft" not in page and "Drafts" not in page

    login_as(client, make_organiser())
    staff_page = text_of(client.get("/competitions"))
    assert "Drafts" in staff_page and "Secret draft" in staff_page


# -- the competition page -----------------------------------------------------------


def test_anonymous_visitors_see_the_page_and_a_log_in_button(client):
    ctf = make_challenge_set(title="Open set", challenges=2)
    response = client.get(f"/competitions/{ctf.slug}")
    assert response.status_code == 200
    html = html_of(response)
    assert "Log in to join" in html and "Be <strong>fair</strong>." in html
    assert "Challenge 1" in html and "Find the <strong>flag</strong>" in html
    assert 'class="answer-form"' not in html
    assert "Ties: the earlier time of reaching the score wins." in html
    assert re.search(r'<time datetime="[0-9T:-]+Z"[^>]*>\d+ hours? \d+ min|<time datetime="[0-9T:-]+Z"[^>]*>23 hours', html)


def test_a_member_only_competition_is_a_teaser_for_non_members(client):
    ctf = make_challenge_set(title="Members set", member_only=True,
                             description="Secret **description** body")
    url = f"/competitions/{ctf.slug}"
    for viewer in (None, make_user()):
        if viewer:
            login_as(client, viewer)
        response = client.get(url)
        assert response.status_code == 403
        html = html_of(response)
        assert "Members set" in html and "Become a member" in html
        assert "description</strong> body" not in html and "Challenge 1" not in html
        assert client.get(f"{url}/leaderboard").status_code == 403
    for viewer in (make_paying_member(), make_organiser()):
        login_as(client, viewer)
        response = client.get(url)
        assert response.status_code == 200
        assert "description</strong> body" in html_of(response)


def test_a_draft_is_missing_except_for_staff(client):
    draft = make_challenge_set(title="Draft set", published=False)
    assert client.get(f"/competitions/{draft.slug}").status_code == 404
    login_as(client, make_user())
    assert client.get(f"/competitions/{draft.slug}").status_code == 404
    login_as(client, make_organiser())
    response = client.get(f"/competitions/{draft.slug}")
    assert response.status_code == 200 and "This competition is a draft" in html_of(response)


def test_joining_needs_the_rules_accepted(client):
    ctf = make_challenge_set()
    user = make_user()
    login_as(client, user)
    page = html_of(client.get(f"/competitions/{ctf.slug}"))
    assert "Join the competition" in page
    assert "Join the competition (accept its rules) before taking part." not in page

    refused = client.post(f"/competitions/{ctf.slug}/join", data={})
    assert refused.status_code == 422
    assert "Accept the rules to join." in html_of(refused)
    assert db.session.scalar(db.select(Entrant)) is None

    joined = client.post(f"/competitions/{ctf.slug}/join", data={"accept_rules": "y"})
    assert joined.status_code == 303
    assert joined.headers["Location"].endswith(f"/competitions/{ctf.slug}")
    page = text_of(client.get(f"/competitions/{ctf.slug}"))
    assert "You joined" in page and "You are in" in page
    assert db.session.scalar(db.select(Entrant.user_id)) == user.id


def test_right_and_wrong_answers_are_flashed(client):
    ctf = make_challenge_set(challenges=2, requires_join=False)
    first = ctf.challenges[0]
    login_as(client, make_user())
    url = f"/competitions/{ctf.slug}/challenges/{first.id}/answer"

    wrong = client.post(url, data={"answer": "flag{nope}"}, follow_redirects=True)
    assert f"That is not the answer. {ATTEMPT_LIMIT - 1} attempts left" in text_of(wrong)
    empty = client.post(url, data={"answer": ""}, follow_redirects=True)
    assert "Type an answer first." in text_of(empty)

    right = client.post(url, data={"answer": "flag{1}"})
    assert right.status_code == 303 and right.headers["Location"].endswith(f"#challenge-{first.id}")
    page = text_of(client.get(f"/competitions/{ctf.slug}"))
    assert "Correct! You solved “Challenge 1”." in page
    assert "Solved" in page and "1 solve " in page


def test_first_blood_is_announced(client):
    ctf = make_challenge_set(challenges=0, published=False, requires_join=False)
    challenge = make_challenge(competition=ctf, answer="flag{fb}", first_blood="30 20")
    organising.set_published(make_organiser(), ctf.id, True)
    login_as(client, make_user())
    page = client.post(f"/competitions/{ctf.slug}/challenges/{challenge.id}/answer",
                       data={"answer": "flag{fb}"}, follow_redirects=True)
    assert "First blood: you were solver number 1." in text_of(page)


def test_the_attempt_limit_says_when_to_try_again(client):
    ctf = make_challenge_set(requires_join=False)
    challenge = ctf.challenges[0]
    user = make_user()
    for _ in range(ATTEMPT_LIMIT):
        submit_answer(user, challenge.id, "wrong")
    login_as(client, user)
    response = client.post(f"/competitions/{ctf.slug}/challenges/{challenge.id}/answer",
                           data={"answer": "flag{1}"}, follow_redirects=True)
    page = text_of(response)
    assert f"You have made {ATTEMPT_LIMIT} attempts" in page and "Try again at" in page
    assert "Correct!" not in page


def test_a_hint_is_unlocked_from_the_page(client):
    ctf = make_challenge_set(requires_join=False)
    hint = make_hint(challenge=ctf.challenges[0], text="Try **base64**.", cost=25)
    user = make_user()
    login_as(client, user)
    before = html_of(client.get(f"/competitions/{ctf.slug}"))
    assert "Unlock hint 1 · costs 25 points" in before and "base64" not in before
    response = client.post(f"/competitions/{ctf.slug}/hints/{hint.id}/unlock")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#hint-{hint.id}")
    after = client.get(f"/competitions/{ctf.slug}")
    assert "Hint unlocked. 25 points came off your score." in text_of(after)
    assert "Try <strong>base64</strong>." in html_of(after)
    assert db.session.scalar(db.select(HintUnlock.user_id)) == user.id


def test_a_locked_challenge_shows_what_opens_it(client):
    ctf = make_challenge_set(challenges=1, published=False, requires_join=False)
    make_challenge(competition=ctf, title="Second stage", prerequisites=(ctf.challenges[0],))
    organising.set_published(make_organiser(), ctf.id, True)
    login_as(client, make_user())
    page = text_of(client.get(f"/competitions/{ctf.slug}"))
    assert "Opens once you solve “Challenge 1”." in page


# -- prediction contests --------------------------------------------------------------


@pytest.fixture
def contest(app):
    return make_prediction_contest(title="Label the rows", daily_limit=3)


def _upload(client, contest, data, name="preds.csv", **kwargs):
    return client.post(f"/competitions/{contest.slug}/submit",
                       data={"file": (BytesIO(data), name)},
                       content_type="multipart/form-data", **kwargs)


def test_an_upload_is_scored_and_listed(client, contest):
    login_as(client, make_user())
    client.post(f"/competitions/{contest.slug}/join", data={"accept_rules": "y"})
    page = text_of(client.get(f"/competitions/{contest.slug}"))
    assert "Scored by Accuracy : higher is better." in page
    assert "about 30% of the test rows" in page and "the other 70%" in page
    assert "3 of 3 submissions left today, resets at 00:00 UTC" in page
    assert "No submissions yet" in page

    response = _upload(client, contest, GOOD, follow_redirects=True)
    assert response.status_code == 200
    page = text_of(response)
    assert "“preds.csv” is scored: 1 on the public board." in page
    assert "2 of 3 submissions left today" in page
    assert "preds.csv" in page and "after the end" in page  # the private score stays hidden


def test_a_file_larger_than_a_form_reaches_the_checks(client, contest):
    """Forms stop at 2 MB; data files get the competition's own 20 MB limit and its
    message, and a body past even that gets a 413 that says the limits."""
    login_as(client, make_user())
    client.post(f"/competitions/{contest.slug}/join", data={"accept_rules": "y"})
    big = GOOD + b"".join(f"x{i:07d},a\n".encode() for i in range(300_000))  # ~3.3 MB
    response = _upload(client, contest, big)
    assert response.status_code == 422 and "x0000000" in html_of(response)
    huge = _upload(client, contest, b"id,target\n" + b"0" * (22 * 1024 * 1024))
    assert huge.status_code == 413 and "competition data files up to 20 MB" in html_of(huge)


def test_a_bad_file_rerenders_with_the_row_and_does_not_count(client, contest):
    login_as(client, make_user())
    client.post(f"/competitions/{contest.slug}/join", data={"accept_rules": "y"})
    bad = GOOD.replace(b"r003,b", b"r999,b")
    response = _upload(client, contest, bad)
    assert response.status_code == 422
    html = html_of(response)
    assert re.search(r'<p class="field-error" id="file-error">Row 5: the id (&#34;|&quot;|")r999', html)
    assert "3 of 3 submissions left today" in text_of(response)
    assert db.session.scalar(db.select(Submission)) is None

    missing = client.post(f"/competitions/{contest.slug}/submit", data={},
                          content_type="multipart/form-data")
    assert missing.status_code == 422 and "Choose a CSV file to upload." in html_of(missing)


def test_the_daily_limit_is_flashed(client, app):
    contest = make_prediction_contest(daily_limit=1, requires_join=False)
    user = make_user()
    submit_predictions(user, contest.id, "first.csv", HALF)
    login_as(client, user)
    response = _upload(client, contest, GOOD, follow_redirects=True)
    page = text_of(response)
    assert "You have used all 1 submissions for today." in page and "00:00 UTC" in page
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 1


def test_a_submission_is_chosen_as_final(client, contest):
    user = make_user()
    login_as(client, user)
    client.post(f"/competitions/{contest.slug}/join", data={"accept_rules": "y"})
    first = submit_predictions(user, contest.id, "one.csv", HALF)
    url = f"/competitions/{contest.slug}/submissions/{first.id}/final"
    response = client.post(url, data={"selected": "y"}, follow_redirects=True)
    assert "“one.csv” counts as a final submission." in text_of(response)
    assert db.session.get(Submission, first.id).selected_final is True
    assert re.search(rf'id="final-{first.id}" checked', html_of(response))
    response = client.post(url, data={}, follow_redirects=True)
    assert "is no longer a final submission" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Submission, first.id).selected_final is False
    login_as(client, make_user())
    assert client.post(url, data={"selected": "y"}).status_code == 404


# -- leaderboards ---------------------------------------------------------------------


def test_the_leaderboard_shows_rows_and_the_chart_with_names(client):
    ctf = make_challenge_set(challenges=2, requires_join=False)
    ada, bob = make_user(display_name="Ada Lovelace"), make_user(display_name="Bob Builder")
    submit_answer(ada, ctf.challenges[0].id, "flag{1}")
    submit_answer(ada, ctf.challenges[1].id, "flag{2}")
    submit_answer(bob, ctf.challenges[0].id, "flag{1}")
    response = client.get(f"/competitions/{ctf.slug}/leaderboard")
    assert response.status_code == 200
    html = html_of(response)
    assert '<svg class="score-chart"' in html
    assert "1. Ada Lovelace 200; 2. Bob Builder 100" in html  # the chart's aria-label
    assert 'class="chart-series series-0"' in html and 'class="chart-series series-1"' in html
    legend = html[html.index('class="chart-legend"'):]
    assert legend.index("Ada Lovelace") < legend.index("Bob Builder")
    assert "Ties: the earlier time of reaching the score wins." in html
    assert "Moved" not in html
    rows = re.findall(r'<td class="board-rank">(\d+)</td>', html)
    assert rows == ["1", "2"]
    on_page = html_of(client.get(f"/competitions/{ctf.slug}"))
    assert "Ada Lovelace" in on_page and "Full leaderboard and chart" in on_page


def test_an_empty_leaderboard_says_so(client):
    ctf = make_challenge_set()
    page = text_of(client.get(f"/competitions/{ctf.slug}/leaderboard"))
    assert "No one on the board yet" in page and "score-chart" not in page


def test_the_private_board_has_a_moved_column_once_over(client):
    contest = make_prediction_contest(requires_join=False, starts_at=_ago(days=3),
                                      ends_at=_ahead(hours=1))
    good, half = make_user(display_name="Good Guesser"), make_user(display_name="Half Right")
    # Good submits first: in about one split in a thousand (a random secret per contest)
    # no odd row is public, Half ties Good there, and the earlier one takes first place.
    submit_predictions(good, contest.id, "good.csv", GOOD, now=_ago(hours=2))
    submit_predictions(half, contest.id, "half.csv", HALF, now=_ago(hours=1))
    login_as(client, make_user())
    url = f"/competitions/{contest.slug}/leaderboard"
    assert client.get(f"{url}?board=private").status_code == 403
    assert "Private (revealed at the end)" in text_of(client.get(url))

    organising.update_competition(make_organiser(), contest.id, organising.CompetitionInput(
        kind="prediction", title=contest.title, slug=contest.slug, starts_at=contest.starts_at,
        ends_at=_ago(minutes=1), metric="accuracy", summary=contest.summary,
        description=contest.description, rules=contest.rules, requires_join=False,
        public_fraction=contest.public_fraction, daily_limit=contest.daily_limit,
        max_final=contest.max_final))
    response = client.get(f"{url}?board=private")
    assert response.status_code == 200
    html = html_of(response)
    assert "Private leaderboard" in html and ">Moved</th>" in html
    assert re.search(r'class="move move-(same|up|down|none)"', html)
    assert '<span class="visually-hidden">no change</span>' in html
    assert client.get(f"{url}?board=secret").status_code == 404


def test_a_finalized_competition_shows_prizes_and_the_winner(client):
    ctf, winner = _finished(winner_name="Grace Hopper")
    page = text_of(client.get(f"/competitions/{ctf.slug}/leaderboard"))
    assert "Final results" in page and "+50 points" in page and "Grace Hopper" in page
    overview = text_of(client.get(f"/competitions/{ctf.slug}"))
    assert "Final results" in overview and "1st" in overview


def test_a_frozen_board_says_so(client):
    ctf = make_challenge_set(requires_join=False, starts_at=_ago(hours=3),
                             freeze_at=_ago(hours=1), ends_at=_ahead(hours=5))
    submit_answer(make_user(display_name="Early Bird"), ctf.challenges[0].id, "flag{1}",
                  now=_ago(hours=2))
    page = text_of(client.get(f"/competitions/{ctf.slug}/leaderboard"))
    assert "The board is frozen" in page and "Early Bird" in page


def _board_queries(client, solvers: int) -> int:
    ctf = make_challenge_set(challenges=3, requires_join=False, starts_at=_ago(hours=5))
    for n in range(solvers):
        user = make_user()
        for i, challenge in enumerate(ctf.challenges[: 1 + n % 3]):
            submit_answer(user, challenge.id, f"flag{{{i + 1}}}", now=_ago(hours=4, minutes=n))
    url = f"/competitions/{ctf.slug}/leaderboard"
    client.get(url)
    with count_queries() as log:
        assert client.get(url).status_code == 200
    return log.count


def test_the_leaderboard_runs_the_same_queries_for_3_and_15_entrants(client):
    login_as(client, make_user())
    assert _board_queries(client, 3) == _board_queries(client, 15)


# -- every page ---------------------------------------------------------------------


def test_pages_have_no_inline_styles(client):
    ctf = make_challenge_set(challenges=2, requires_join=False)
    make_hint(challenge=ctf.challenges[0], cost=5)
    contest = make_prediction_contest()
    user = make_user()
    submit_answer(user, ctf.challenges[0].id, "flag{1}")
    submit_predictions(user, contest.id, "p.csv", HALF) if not contest.requires_join else None
    login_as(client, user)
    for url in ("/competitions", f"/competitions/{ctf.slug}",
                f"/competitions/{ctf.slug}/leaderboard", f"/competitions/{contest.slug}",
                f"/competitions/{contest.slug}/leaderboard"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not re.search(r"\sstyle=", html_of(response)), url


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_a_post_without_a_token_is_refused(self, client):
        ctf = make_challenge_set(requires_join=False)
        login_as(client, make_user())
        url = f"/competitions/{ctf.slug}/challenges/{ctf.challenges[0].id}/answer"
        refused = client.post(url, data={"answer": "flag{1}"})
        assert refused.status_code == 400 and "Your form expired" in html_of(refused)
        html = html_of(client.get(f"/competitions/{ctf.slug}"))
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        done = client.post(url, data={"answer": "flag{1}", "csrf_token": token})
        assert done.status_code == 303
