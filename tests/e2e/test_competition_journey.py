"""A challenge set in a real browser: join by accepting the rules, a wrong answer then a
right one, and your name on the leaderboard with the score chart."""

from playwright.sync_api import expect

from app.extensions import db
from tests.fixtures.browser import log_in
from tests.fixtures.competitions import make_challenge_set, make_hint
from tests.fixtures.users import make_user


def test_a_user_joins_a_challenge_set_answers_and_climbs_the_board(live_server, page):
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
    card.locator(".comp-card-title a").click()

    expect(page.locator("h1")).to_have_text("Spring capture the flag")
    expect(page.locator(".answer-form")).to_have_count(0)  # not joined yet
    expect(page.locator(".comp-countdown time")).to_have_attribute("datetime", ctf.ends_at.isoformat() + "Z")
    page.click("button:has-text('Join the competition')")
    expect(page.locator(".field-error")).to_have_text("Accept the rules to join.")
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

    page.click(".comp-tabs a:has-text('Leaderboard')")
    expect(page).to_have_url(f"{url}/leaderboard")
    row = page.locator(".comp-leaderboard tbody tr").first
    expect(row.locator(".board-rank")).to_have_text("1")
    expect(row).to_contain_text("samsolver")
    expect(row.locator(".board-score")).to_have_text("100")
    expect(page.locator("svg.score-chart")).to_be_visible()
    expect(page.locator("svg.score-chart .chart-series.series-0 path")).to_have_count(1)
    expect(page.locator(".chart-legend li").first).to_contain_text("samsolver")
    # The unticked rules box is answered with 422, which Chromium logs as a failed load.
    assert [e for e in page.console_errors if "status of 422" not in e] == []
