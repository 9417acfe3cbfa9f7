"""The journeys people take, in a real browser with CSRF and the CSP in force."""

import re

from playwright.sync_api import expect

from app.billing import services
from app.extensions import db
from tests.fixtures.browser import log_in
from tests.fixtures.forum import get_or_make_tags, make_category, make_thread
from tests.fixtures.users import PASSWORD, make_user

QUESTION_BODY = (
    "My loop prints every line twice and I cannot see why.\n\n"
    "```python\nfor line in open('data.txt'):\n    print(line)\n```\n"
)


def test_a_newcomer_registers_and_asks_a_question(live_server, page):
    make_category(name="Python")
    get_or_make_tags(["python", "files"])  # a newcomer picks existing tags; creating one takes 300 points
    db.session.commit()  # the live server writes in another thread; hold no lock on the file

    page.goto(f"{live_server}/register")
    page.fill("#username", "ada_l")
    page.fill("#email", "ada@example.com")
    page.fill("#password", "analytical-engine-1843")
    page.click("form.form button[type=submit]")
    expect(page.locator(".user-chip")).to_contain_text("ada_l")

    page.goto(f"{live_server}/ask?kind=question")
    page.fill("#title", "Why does my loop print every line twice?")
    page.select_option("#category", label="Python")
    page.fill("#tags", "python files")
    page.fill("#body", QUESTION_BODY)
    page.click("form.form button[type=submit]")

    expect(page).to_have_url(re.compile(r"/t/\d+/why-does-my-loop-print-every-line-twice"))
    expect(page.locator("h1")).to_contain_text("Why does my loop print every line twice?")
    # The code block is highlighted on the server (Pygments classes), not by a script.
    expect(page.locator(".md pre span.hl-k").first).to_have_text("for")
    assert page.console_errors == []


def test_voting_with_javascript_updates_the_score_without_a_reload(live_server, page):
    asker = make_user(username="asker")
    make_user(username="voter", points=15)  # voting up unlocks at 15 points
    thread = make_thread(author=asker, title="How do I reverse a list in place?")

    page.goto(f"{live_server}/login")
    page.fill("#identifier", "voter")
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page.locator(".user-chip")).to_contain_text("voter")

    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    page.evaluate("window.__sameDocument = true")
    score = page.locator(".vote-score").first
    expect(score).to_have_text("0")
    page.locator("button[data-vote=up]").first.click()
    expect(score).to_have_text("1")
    expect(page.locator("button[data-vote=up]").first).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__sameDocument") is True  # no navigation happened

    page.reload()
    expect(page.locator(".vote-score").first).to_have_text("1")
    assert page.console_errors == []


def test_search_finds_a_question_and_highlights_the_words(live_server, page):
    asker = make_user()
    make_thread(author=asker, title="Pandas merge drops rows unexpectedly",
                body="After a merge on customer id some rows vanish from my dataframe.")

    page.goto(f"{live_server}/")
    page.fill("#site-search", "merge rows")
    page.press("#site-search", "Enter")
    expect(page.locator("main")).to_contain_text("Pandas merge drops rows unexpectedly")
    expect(page.locator("main mark").first).to_be_visible()



def test_an_answer_notifies_the_asker_whose_accept_pays_the_helper(live_server, page):
    asker = make_user(username="asker")
    make_user(username="helper")
    thread = make_thread(author=asker, title="Why does my list keep growing between calls?")

    log_in(page, live_server, "helper")
    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    page.fill("#body", "A default argument is built once, when the function is defined; use `None`.")
    page.click("#reply button[type=submit]")
    expect(page.locator(".post").nth(1)).to_contain_text("default argument is built once")
    page.click("text=Log out")

    log_in(page, live_server, "asker")
    expect(page.locator(".bell-count")).to_have_text("1")
    page.click(".notification-bell")
    expect(page.locator(".notification.is-unread")).to_contain_text("answered your question")
    page.click(".notification.is-unread .notification-link")
    expect(page).to_have_url(re.compile(rf"/t/{thread.id}/"))
    expect(page.locator(".bell-count")).to_have_count(0)  # opening it marked it read
    page.locator(".accept-button").first.click()
    expect(page.locator(".accepted-label")).to_be_visible()

    page.goto(f"{live_server}/u/helper")
    # 1 to start, +1 for the day's first activity (the answer), +15 for the accept
    expect(page.locator(".profile-level-points")).to_contain_text("17")
    page.goto(f"{live_server}/u/helper/points")
    expect(page.locator("main")).to_contain_text("Your answer was accepted")
    assert page.console_errors == []


def test_a_learner_becomes_a_member_in_test_mode_reads_and_cancels(live_server, page):
    services.sync_plans()
    lounge = make_category(name="Members' Lounge", member_only=True)
    thread = make_thread(author=make_user(), category=lounge, title="Mock interview practice",
                         body="Members share their take-home exercises here.")
    make_user(username="learner")
    db.session.commit()

    log_in(page, live_server, "learner")
    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    expect(page.locator("main")).to_contain_text("Mock interview practice")
    expect(page.locator("main")).not_to_contain_text("take-home exercises")
    page.click("a.button:has-text('Become a member')")

    expect(page.locator("main")).to_contain_text("Test mode.")
    page.click("text=Join yearly")
    expect(page.locator("main")).to_contain_text("Complete test payment")
    page.click("text=Complete test payment")
    expect(page.locator("h1")).to_have_text("Welcome, member!")

    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    expect(page.locator(".post").first).to_contain_text("take-home exercises")

    page.goto(f"{live_server}/membership/manage")
    page.click("text=Open the billing portal")
    page.click("text=Cancel at period end")
    expect(page.locator("main")).to_contain_text("will not renew")
    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    expect(page.locator(".post").first).to_contain_text("take-home exercises")  # paid till the end

    page.goto(f"{live_server}/membership/test-portal")
    page.click("text=Try: the period ends now")
    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    expect(page.locator("main")).to_contain_text("Become a member")
    expect(page.locator("main")).not_to_contain_text("take-home exercises")
    # The teaser is served with 403, which Chromium logs as a failed load; nothing else may fail.
    assert [e for e in page.console_errors if "status of 403" not in e] == []
