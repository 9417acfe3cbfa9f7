"""The journeys people take, in a real browser with CSRF and the CSP in force."""

import re

from playwright.sync_api import expect

from app.billing import services
from app.extensions import db
from tests.fixtures.browser import log_in
from tests.fixtures.forum import get_or_make_tags, make_category, make_thread
from tests.fixtures.smtp import link_in, read_outbox
from tests.fixtures.users import make_user

QUESTION_BODY = (
    "My loop prints every line twice and I cannot see why.\n\n"
    "```python\nfor line in open('data.txt'):\n    print(line)\n```\n"
)


def test_a_newcomer_verifies_asks_and_accepts_an_answer_that_earns_points_and_a_badge(
        app, live_server, page, open_page, shoot, axe):
    make_category(name="Python")
    get_or_make_tags(["python", "files"])  # a newcomer picks existing tags; creating one takes 300 points
    make_user(username="helper")
    db.session.commit()  # the live server writes in another thread; hold no lock on the file

    page.goto(f"{live_server}/register")
    axe.check(page)
    page.fill("#username", "ada_l")
    page.fill("#email", "ada@example.com")
    page.fill("#password", "analytical-engine-1843")
    page.click("form.form button[type=submit]")
    expect(page.locator(".user-chip")).to_contain_text("ada_l")
    expect(page.get_by_role("main")).to_contain_text("We sent a link to ada@example.com")

    [mail] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    assert mail["To"] == "ada@example.com"
    page.goto(link_in(mail.get_body(("plain",)).get_content(), "/verify/"))
    expect(page.get_by_role("main")).to_contain_text("Thanks, your email address is verified.")
    axe.check(page)

    page.goto(f"{live_server}/ask?kind=question")
    page.fill("#title", "Why does my loop print every line twice?")
    page.select_option("#category", label="Python")
    page.fill("#tags", "python files")
    page.fill("#body", QUESTION_BODY)
    axe.check(page)
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/t/\d+/why-does-my-loop-print-every-line-twice"))
    expect(page.locator("h1")).to_contain_text("Why does my loop print every line twice?")
    # The code block is highlighted on the server (Pygments classes), not by a script.
    expect(page.locator(".md pre span.hl-k").first).to_have_text("for")
    question_url = page.url.split("#")[0]

    helper = open_page()
    log_in(helper, live_server, "helper")
    helper.goto(question_url)
    helper.fill("#body", "`print` adds a newline and each line keeps its own; use `end=\"\"`.")
    helper.click("#reply button[type=submit]")
    expect(helper.locator(".post").nth(1)).to_contain_text("print adds a newline")

    page.reload()  # the asker, still on the question
    page.click(".notification-bell")
    expect(page.get_by_role("main")).to_contain_text("You earned the Student badge")  # for asking
    axe.check(page)
    page.locator(".notification.is-unread", has_text="answered your question") \
        .locator(".notification-link").click()
    expect(page).to_have_url(re.compile(re.escape(question_url) + "#post-2"))
    page.locator(".accept-button").first.click()
    expect(page.locator(".accepted-label")).to_be_visible()
    axe.check(page)
    shoot(page, "accepted answer")

    helper.goto(f"{live_server}/u/helper")
    # 1 to start, +1 for the day's first activity (the answer), +15 for the accept
    expect(helper.locator(".profile-level-points")).to_contain_text("17")
    expect(helper.locator(".profile-badges")).to_contain_text("Helper")  # the first answer's badge
    axe.check(helper)
    shoot(helper, "helper profile")
    helper.click(".notification-bell")
    expect(helper.locator(".notification", has_text="accepted your answer")).to_contain_text("ada_l")
    expect(helper.locator(".notification", has_text="badge")).to_contain_text("You earned the Helper badge")
    helper.goto(f"{live_server}/u/helper/points")
    expect(helper.get_by_role("main")).to_contain_text("Your answer was accepted")
    axe.check(helper)
    assert page.console_errors == helper.console_errors == []


def test_voting_with_javascript_updates_the_score_without_a_reload(live_server, page, shoot, axe):
    asker = make_user(username="asker")
    make_user(username="voter", points=15)  # voting up unlocks at 15 points
    thread = make_thread(author=asker, title="How do I reverse a list in place?")

    log_in(page, live_server, "voter")
    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    page.evaluate("window.__sameDocument = true")
    score = page.locator(".vote-score").first
    expect(score).to_have_text("0")
    page.get_by_role("button", name="Vote up").first.click()
    expect(score).to_have_text("1")
    expect(page.locator("button[data-vote=up]").first).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__sameDocument") is True  # no navigation happened
    axe.check(page)
    shoot(page, "voted with javascript")

    page.reload()
    expect(page.locator(".vote-score").first).to_have_text("1")
    assert page.console_errors == []


def test_voting_without_javascript_posts_the_form_and_shows_the_new_score(
        live_server, open_page, shoot):
    """axe-core cannot run here (it needs scripts); the journey above checks the same page."""
    asker = make_user(username="asker")
    make_user(username="voter", points=15)
    thread = make_thread(author=asker, title="How do I reverse a list in place?")
    db.session.commit()
    page = open_page(java_script_enabled=False)

    log_in(page, live_server, "voter")
    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    expect(page.locator(".vote-score").first).to_have_text("0")
    page.get_by_role("button", name="Vote up").first.click()  # a plain form post, then a reload

    expect(page).to_have_url(re.compile(rf"/t/{thread.id}/{thread.slug}#post-\d+$"))
    expect(page.get_by_role("status")).to_contain_text("Voted")
    expect(page.locator(".vote-score").first).to_have_text("1")
    expect(page.locator("button[data-vote=up]").first).to_have_attribute("aria-pressed", "true")
    shoot(page, "voted without javascript")

    page.get_by_role("button", name="Vote up").first.click()  # again: the vote is taken back
    expect(page.get_by_role("status")).to_contain_text("Vote taken back.")
    expect(page.locator(".vote-score").first).to_have_text("0")
    assert page.console_errors == []


def test_search_finds_a_question_and_highlights_the_words(live_server, page, shoot, axe):
    asker = make_user()
    make_thread(author=asker, title="Pandas merge drops rows unexpectedly",
                body="After a merge on customer id some rows vanish from my dataframe.")

    page.goto(f"{live_server}/")
    page.fill("#site-search", "merge rows")
    page.press("#site-search", "Enter")
    expect(page.locator("main")).to_contain_text("Pandas merge drops rows unexpectedly")
    expect(page.locator("main mark").first).to_be_visible()
    axe.check(page)
    shoot(page, "search results")



def test_a_learner_becomes_a_member_in_test_mode_reads_and_cancels(live_server, page, shoot, axe):
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
    axe.check(page)
    shoot(page, "members-only teaser")
    page.click("a.button:has-text('Become a member')")

    expect(page.locator("main")).to_contain_text("Test mode.")
    axe.check(page)
    page.click("text=Join yearly")
    expect(page.locator("main")).to_contain_text("Complete test payment")
    axe.check(page)
    page.click("text=Complete test payment")
    expect(page.locator("h1")).to_have_text("Welcome, member!")
    axe.check(page)

    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    expect(page.locator(".post").first).to_contain_text("take-home exercises")

    page.goto(f"{live_server}/membership/manage")
    page.click("text=Open the billing portal")
    axe.check(page)
    page.click("text=Cancel at period end")
    expect(page.locator("main")).to_contain_text("will not renew")
    axe.check(page)
    shoot(page, "membership will not renew")
    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    expect(page.locator(".post").first).to_contain_text("take-home exercises")  # paid till the end

    page.goto(f"{live_server}/membership/test-portal")
    page.click("text=Try: the period ends now")
    page.goto(f"{live_server}/t/{thread.id}/{thread.slug}")
    expect(page.locator("main")).to_contain_text("Become a member")
    expect(page.locator("main")).not_to_contain_text("take-home exercises")
    # The teaser is served with 403, which Chromium logs as a failed load; nothing else may fail.
    assert [e for e in page.console_errors if "status of 403" not in e] == []
