"""Competitions in a real browser: a challenge set (join by accepting the rules, a wrong
answer then a right one, your name on the leaderboard with the score chart) and a
prediction contest (a refused file that does not count, a scored one, the public board)."""

import re

from playwright.sync_api import expect

from app.competitions.joining import join
from app.competitions.predictions import submit_predictions
from app.extensions import db
from tests.fixtures.browser import log_in
from tests.fixtures.competitions import (
    csv_bytes,
    make_challenge_set,
    make_hint,
    make_prediction_contest,
)
from tests.fixtures.users import make_user


def test_a_user_joins_a_challenge_set_answers_and_climbs_the_board(live_server, page, shoot, axe):
    ctf = make_challenge_set(title="Spring capture the flag", challenges=2)
    make_hint(challenge=ctf.challenges[0], text="Curly braces.", cost=0)
    first_id = ctf.challenges[0].id
    url = f"{live_server}/competitions/{ctf.slug}"
    make_user(username="samsolver")
    db.session.commit()  # the live server writes in another thread; hold no lock on the file

    log_in(page, live_server, "samsolver")
    page.goto(f"{live_server}/competitions")
    card = page.locator(".comp-card", has_text="Spring capture the flag")
    expect(card.locator(".comp-status")).to_have_text("Running")
    expect(card).to_contain_text("Ends in")
    axe.check(page)
    card.locator(".comp-card-title a").click()

    expect(page.locator("h1")).to_have_text("Spring capture the flag")
    expect(page.locator(".answer-form")).to_have_count(0)  # not joined yet
    expect(page.locator(".comp-countdown time")).to_have_attribute("datetime", ctf.ends_at.isoformat() + "Z")
    page.click("button:has-text('Join the competition')")
    expect(page.locator(".field-error")).to_have_text("Accept the rules to join.")
    axe.check(page)
    page.check("#accept_rules")
    page.click("button:has-text('Join the competition')")
    expect(page).to_have_url(url)
    expect(page.locator(".flash-success")).to_contain_text("You joined “Spring capture the flag”")
    expect(page.locator(".comp-joined")).to_contain_text("You are in")

    challenge = page.locator(f"#challenge-{first_id}")
    challenge.locator("button:has-text('Unlock hint 1 · free')").click()
    expect(page.locator(".flash-success")).to_contain_text("Hint unlocked.")
    expect(challenge.locator(".hint-text")).to_contain_text("Curly braces.")

    challenge.locator("input[name=answer]").fill("flag{guess}")
    challenge.locator("button:has-text('Submit')").click()
    expect(page.locator(".flash-error")).to_contain_text("That is not the answer. 9 attempts left")
    challenge.locator("input[name=answer]").fill("flag{1}")
    challenge.locator("button:has-text('Submit')").click()
    expect(page.locator(".flash-success")).to_contain_text("Correct! You solved “Challenge 1”.")
    expect(challenge).to_have_class("card challenge-card challenge-solved")
    expect(challenge.locator(".challenge-solved-note")).to_contain_text("Solved")
    expect(page.locator(".comp-top .comp-board")).to_contain_text("samsolver")
    axe.check(page)
    shoot(page, "challenge solved")

    page.click(".comp-tabs a:has-text('Leaderboard')")
    expect(page).to_have_url(f"{url}/leaderboard")
    row = page.locator(".comp-leaderboard tbody tr").first
    expect(row.locator(".board-rank")).to_have_text("1")
    expect(row).to_contain_text("samsolver")
    expect(row.locator(".board-score")).to_have_text("100")
    expect(page.locator("svg.score-chart")).to_be_visible()
    expect(page.locator("svg.score-chart .chart-series.series-0 path")).to_have_count(1)
    expect(page.locator(".chart-legend li").first).to_contain_text("samsolver")
    axe.check(page)
    shoot(page, "leaderboard and chart")
    # The unticked rules box is answered with 422, which Chromium logs as a failed load.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_a_learner_uploads_predictions_and_sees_the_public_leaderboard(
        live_server, page, shoot, axe):
    truth = [(f"r{i:03d}", "ab"[i % 2]) for i in range(40)]
    contest = make_prediction_contest(title="Predict who renews", truth=csv_bytes(truth))
    rival = make_user(username="rival")
    join(rival, contest.id)
    submit_predictions(rival, contest.id, "all-a.csv", csv_bytes((row_id, "a") for row_id, _ in truth))
    make_user(username="lea")
    url = f"{live_server}/competitions/{contest.slug}"
    db.session.commit()  # the live server writes in another thread; hold no lock on the file

    log_in(page, live_server, "lea")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Predict who renews")
    page.get_by_label("I have read the rules and accept them").check()
    page.get_by_role("button", name="Join the competition").click()
    expect(page.locator(".comp-joined")).to_contain_text("You are in")
    axe.check(page)

    upload = page.get_by_label("Predictions (CSV)")
    upload.set_input_files(_csv_file("guess.csv", b"identifier,target\nr000,a\n"))
    page.get_by_role("button", name="Upload and score").click()
    expect(page.get_by_label("Predictions (CSV)")).to_have_accessible_description(
        re.compile(r'Row 1 must be the header "id,target"'))
    expect(page.locator(".comp-quota")).to_contain_text(f"{contest.daily_limit} of {contest.daily_limit}")
    axe.check(page)  # the refused file's message, tied to the field
    shoot(page, "refused file")

    page.get_by_label("Predictions (CSV)").set_input_files(_csv_file("model.csv", csv_bytes(truth)))
    page.get_by_role("button", name="Upload and score").click()
    expect(page.get_by_role("status")).to_contain_text("“model.csv” is scored: 1 on the public board.")
    expect(page.locator(".comp-submissions")).to_contain_text("model.csv")
    expect(page.locator(".comp-quota")).to_contain_text(f"{contest.daily_limit - 1} of {contest.daily_limit}")

    page.get_by_role("link", name="Full leaderboard and chart").click()
    rows = page.locator(".comp-leaderboard tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("lea")
    expect(rows.first.locator(".board-score")).to_have_text("1")
    expect(rows.nth(1)).to_contain_text("rival")
    axe.check(page)
    shoot(page, "public leaderboard")
    # The refused file is answered with 422, which Chromium logs as a failed load.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def _csv_file(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": data}
