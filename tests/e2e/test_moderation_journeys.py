"""Moderation in a real browser: a flagged answer, a spammer, a heated thread and private
messages, each clicked through by the people involved, each in a browser of their own.

Controls are found by their role and accessible name, as a screen reader would find them;
each journey checks its key pages with axe-core and keeps screenshots of them.
"""

import re

from playwright.sync_api import expect

from app.extensions import db
from app.forum.models import ThreadKind
from tests.fixtures.browser import log_in
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import PASSWORD, make_user


def _thread_url(live_server, thread) -> str:
    return f"{live_server}/t/{thread.id}/{thread.slug}"


def _console_errors(*pages, expected: tuple[int, ...] = ()) -> list[str]:
    """Every page's console errors but the failed loads that Chromium logs for the
    `expected` statuses (a refused form's 422, a removed page's 404)."""
    return [e for p in pages for e in p.console_errors
            if not any(f"status of {status}" in e for status in expected)]


def _expand(page, summary: str) -> None:
    """Open the <details> whose summary says `summary`, unless it is open already (a
    refused form comes back open)."""
    details = page.locator("details").filter(
        has=page.locator("summary").get_by_text(summary, exact=True))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def _moderate(page, action: str, reason: str, **fields) -> None:
    """Open the thread's Moderate panel and submit one of its forms; `fields` maps a
    field's label to what to type."""
    _expand(page, "Moderate")
    form = page.get_by_role("form", name=action, exact=True)
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_label("Reason").fill(reason)
    form.get_by_role("button", name=action, exact=True).click()


def _act_on_member(page, action: str, reason: str, days: int | None = None) -> None:
    """On a member's staff page, open one action and submit it."""
    _expand(page, action)
    form = page.get_by_role("form", name=action, exact=True)
    form.get_by_label("Reason").fill(reason)
    if days is not None:
        form.get_by_label("Days").fill(str(days))
    form.get_by_role("button", name=action, exact=True).click()


def test_a_flagged_rude_answer_is_hidden_from_the_review_queue(
        live_server, page, open_page, moderator, shoot, axe):
    asker = make_user(username="asker")
    rude = make_user(username="rude_one")
    make_user(username="flagger", points=15)  # flagging unlocks at 15 points
    thread = make_thread(author=asker, title="Why is my regex so slow on long lines?")
    answer = make_post(thread=thread, author=rude,
                       body="Only a fool writes a regex like that. Learn to program.")
    db.session.commit()  # the live server writes in another thread; hold no lock on the file

    log_in(page, live_server, "flagger")
    page.goto(_thread_url(live_server, thread))
    page.locator(f"#post-{answer.id}").get_by_role("link", name="Flag").click()
    page.get_by_label("Rude or abusive").check()
    page.get_by_label("Details").fill("Name-calling instead of an answer.")
    axe.check(page)
    page.get_by_role("button", name="Flag", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Thanks, moderators will look at this post.")

    staff = open_page()
    log_in(staff, live_server, "mod")
    staff.get_by_role("link", name="Staff").click()
    staff.get_by_role("link", name="Review queue").click()
    entry = staff.locator(f"#review-{answer.id}")
    expect(entry).to_contain_text("Only a fool writes a regex")
    expect(entry.get_by_role("listitem")).to_contain_text(re.compile(
        r"Rude or abusive\s*: “Name-calling instead of an answer.”\s*by flagger"))
    axe.check(staff)
    shoot(staff, "review queue")
    entry.get_by_label("Note for the audit log").fill("Insults, not an answer")
    entry.get_by_role("button", name="Agree and hide").click()
    expect(staff.get_by_role("status")).to_contain_text("Flags agreed; the post is hidden.")
    expect(staff.get_by_role("heading", name="Nothing to review")).to_be_visible()

    staff.goto(_thread_url(live_server, thread))
    hidden = staff.locator(f"#post-{answer.id}")
    expect(hidden).to_contain_text("This post was hidden by a moderator. Only its author and "
                                   "staff see its text (Insults, not an answer).")
    expect(hidden).to_contain_text("Only a fool writes a regex")
    expect(hidden.get_by_role("button", name="Restore")).to_be_visible()
    axe.check(staff)

    page.reload()
    expect(page.locator(f"#post-{answer.id}")).to_contain_text("This post was hidden by a moderator.")
    expect(page.locator("main")).not_to_contain_text("Only a fool")
    assert _console_errors(page, staff) == []


def test_a_moderator_removes_a_spammer_s_posts_and_suspends_them(
        live_server, page, open_page, moderator, shoot, axe):
    asker = make_user(username="asker")
    spammer = make_user(username="pillseller")
    thread = make_thread(author=asker, title="How do I profile a slow Flask view?")
    make_post(thread=thread, author=spammer, body="Cheap pills, best prices, order today!")
    make_post(thread=thread, author=make_user(username="helper"),
              body="Wrap the app in Werkzeug's ProfilerMiddleware and sort by cumulative time.")
    own_thread = make_thread(author=spammer, title="Discount pills delivered overnight")
    db.session.commit()

    log_in(page, live_server, "pillseller")  # the spammer, browsing in a browser of their own
    page.goto(_thread_url(live_server, thread))
    expect(page.locator("main")).to_contain_text("Cheap pills")

    staff = open_page()
    log_in(staff, live_server, "mod")
    staff.goto(_thread_url(live_server, thread))
    staff.get_by_role("link", name="pillseller").first.click()
    staff.get_by_role("link", name="Moderate").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("pillseller")

    _act_on_member(staff, "Delete all posts", "")  # refused: the member reads the reason
    expect(staff.get_by_role("form", name="Delete all posts", exact=True).get_by_label("Reason")
           ).to_have_accessible_description("Give a reason: the member reads it.")
    _act_on_member(staff, "Delete all posts", "Advertising pills in answers.")
    expect(staff.get_by_role("status")).to_contain_text("Done: delete all posts.")
    _act_on_member(staff, "Suspend", "Spam.", days=7)
    expect(staff.get_by_role("status")).to_contain_text("Done: suspend until")
    expect(staff.locator("main")).to_contain_text("Suspended until")
    expect(staff.get_by_role("table")).to_contain_text("Advertising pills in answers.")
    axe.check(staff)
    shoot(staff, "member page")

    page.goto(_thread_url(live_server, thread))
    expect(page.locator("main")).to_contain_text("ProfilerMiddleware")
    expect(page.locator("main")).not_to_contain_text("Cheap pills")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Log in")).to_be_visible()  # the session ended
    expect(header).not_to_contain_text("pillseller")
    assert page.goto(_thread_url(live_server, own_thread)).status == 404  # their own thread too

    page.goto(f"{live_server}/login")
    page.get_by_label("Username or email").fill("pillseller")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("Password")).to_have_accessible_description(
        re.compile(r"^This account is suspended until .+\.$"))
    assert _console_errors(page, staff, expected=(404, 422)) == []


def test_a_heated_thread_is_slowed_then_locked(live_server, page, open_page, moderator, shoot, axe):
    starter = make_user(username="starter")
    make_user(username="hothead")
    thread = make_thread(author=starter, kind=ThreadKind.DISCUSSION,
                         title="Tabs or spaces, once and for all")
    db.session.commit()
    url = _thread_url(live_server, thread)

    staff = open_page()
    log_in(staff, live_server, "mod")
    staff.goto(url)
    _moderate(staff, "Slow mode for this thread", "Let tempers cool.",
              **{"Minutes between posts": "10"})
    expect(staff.get_by_role("status")).to_contain_text("Slow mode is on for this thread.")
    expect(staff.get_by_role("note")).to_contain_text(
        "Slow mode: one post per person every 10 minutes. Let tempers cool.")
    axe.check(staff)  # with the Moderate panel open

    log_in(page, live_server, "hothead")
    page.goto(url)
    page.get_by_role("textbox", name="Your reply").fill("Spaces. PEP 8 settled this long ago.")
    page.get_by_role("button", name="Post your reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your reply is posted.")
    page.get_by_role("textbox", name="Your reply").fill("And anyone who uses tabs is wrong!")
    page.get_by_role("button", name="Post your reply").click()
    body = page.get_by_role("textbox", name="Your reply")
    expect(body).to_have_value("And anyone who uses tabs is wrong!")  # nothing typed is lost
    expect(body).to_have_accessible_description(  # the message is tied to the field
        re.compile(r"Slow mode is on here: you can post again at .+\. What you wrote is still below\."))
    axe.check(page)
    shoot(page, "slow mode refusal")

    staff.reload()
    _moderate(staff, "Lock", "Going in circles; locked for a cooling-off day.")
    expect(staff.get_by_role("status")).to_contain_text("The thread is locked.")

    page.goto(url)
    expect(page.get_by_role("note").filter(has_text="locked")).to_contain_text(
        "Going in circles; locked for a cooling-off day.")
    expect(page.get_by_role("textbox", name="Your reply")).to_have_count(0)
    expect(page.get_by_role("button", name="Post your reply")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("This thread is locked, so it takes no new replies.")
    axe.check(page)
    shoot(page, "locked thread")
    assert _console_errors(page, staff, expected=(422,)) == []


def test_members_message_each_other_and_the_moderators(
        live_server, page, open_page, moderator, shoot, axe):
    make_user(username="ada", points=15)  # writing to members unlocks at level 2
    make_user(username="bea", points=15)  # and so does answering one
    db.session.commit()

    log_in(page, live_server, "ada")
    page.get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="New message").click()
    page.get_by_role("textbox", name="To", exact=True).fill("bea")
    page.get_by_role("textbox", name="Subject", exact=True).fill("Pairing on the parser?")
    page.get_by_role("textbox", name="Message", exact=True).fill("Want to pair on the tokenizer this week?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pairing on the parser?")

    bea = open_page()
    log_in(bea, live_server, "bea")
    bea.get_by_role("link", name="Messages, 1 unread").click()
    bea.get_by_role("link", name="Pairing on the parser?").click()
    expect(bea.locator("main")).to_contain_text("Want to pair on the tokenizer this week?")
    expect(bea.get_by_role("link", name="Messages", exact=True)).to_be_visible()  # read now
    bea.get_by_role("textbox", name="Reply", exact=True).fill("Yes! Thursday afternoon works for me.")
    bea.get_by_role("button", name="Send").click()
    expect(bea.get_by_role("listitem").last).to_contain_text("Thursday afternoon works")

    page.reload()
    expect(page.get_by_role("listitem").last).to_contain_text("Thursday afternoon works")
    axe.check(page)
    shoot(page, "conversation")

    bea.get_by_role("link", name="Contact the moderators").click()
    bea.get_by_role("textbox", name="Subject", exact=True).fill("Someone keeps posting my code as theirs")
    bea.get_by_role("textbox", name="Message", exact=True).fill("See the thread about parsers: my snippet, their name.")
    bea.get_by_role("button", name="Send").click()
    expect(bea.locator("main")).to_contain_text("A conversation with the moderators")
    axe.check(bea)

    staff = open_page()
    log_in(staff, live_server, "mod")
    staff.get_by_role("link", name="Messages, 1 unread").click()
    line = staff.get_by_role("listitem").filter(has_text="with the moderators")
    line.get_by_role("link", name="Someone keeps posting my code as theirs").click()
    expect(staff.locator("main")).to_contain_text("my snippet, their name.")
    assert _console_errors(page, bea, staff) == []
