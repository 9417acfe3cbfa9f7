"""A member-only course, in a real browser: the outline for everyone, the lessons for
members, and the learner's progress kept when the membership ends."""

from playwright.sync_api import expect

from app.billing import services
from app.extensions import db
from tests.fixtures.browser import log_in
from tests.fixtures.courses import make_course
from tests.fixtures.users import make_user


def test_a_learner_joins_to_take_a_member_only_course_and_keeps_progress_after_leaving(
        live_server, page, shoot, axe):
    services.sync_plans()
    course = make_course(title="Testing with pytest", member_only=True, lessons=3)
    free = make_course(title="Python first steps")
    make_user(username="learner")
    first, second, _ = course.lessons
    titles = [lesson.title for lesson in course.lessons]
    course_url = f"{live_server}/courses/{course.slug}"
    first_url = f"{course_url}/{first.slug}"
    second_url = f"{course_url}/{second.slug}"
    free_lesson_url = f"{live_server}/courses/{free.slug}/{free.lessons[0].slug}"
    first_title = first.title
    db.session.commit()  # the live server writes in another thread; hold no lock on the file

    log_in(page, live_server, "learner")
    page.goto(f"{live_server}/courses")
    card = page.locator(".course-card", has_text="Testing with pytest")
    expect(card.locator(".course-badge-member")).to_have_attribute("title", "For members")
    expect(page.locator(".course-card", has_text="Python first steps")
           .locator(".course-badge-free")).to_have_text("Free")

    card.locator(".course-card-title a").click()
    expect(page.locator("h1")).to_have_text("Testing with pytest")
    expect(page.locator(".lesson-list .lesson-title")).to_have_text(titles)
    expect(page.locator(".course-cta a.button:has-text('Become a member')")).to_be_visible()
    expect(page.locator("button:has-text('Enrol')")).to_have_count(0)
    axe.check(page)

    assert page.goto(first_url).status == 403
    expect(page.locator("h1")).to_have_text(first_title)
    expect(page.locator("main")).not_to_contain_text("Body of lesson 1")
    expect(page.locator(".lesson-body")).to_have_count(0)
    axe.check(page)
    shoot(page, "member-only lesson teaser")
    page.click(".course-cta a.button:has-text('Become a member')")

    expect(page.locator("main")).to_contain_text("Test mode.")
    page.click("text=Join yearly")
    page.click("text=Complete test payment")
    expect(page.locator("h1")).to_have_text("Welcome, member!")

    page.goto(course_url)
    page.click(".course-actions button:text-is('Enrol')")
    expect(page).to_have_url(first_url)  # enrolling starts the first lesson
    expect(page.locator(".lesson-body")).to_contain_text("Body of lesson 1.")
    # The code block is highlighted on the server (Pygments classes), not by a script.
    expect(page.locator(".lesson-body pre span.hl-nb").first).to_have_text("print")
    expect(page.locator(".course-progress")).to_contain_text("0 of 3 lessons done")
    page.click("button:has-text('Mark as done')")

    expect(page).to_have_url(second_url)
    expect(page.locator("main")).to_contain_text(f"“{first_title}” is done.")
    expect(page.locator(".course-progress")).to_contain_text("1 of 3 lessons done · 33%")
    expect(page.locator(".course-progress progress")).to_have_attribute("value", "33")
    axe.check(page)
    shoot(page, "lesson with progress")
    page.click(f"a[rel=prev]:has-text('{first_title}')")
    expect(page.locator(".lesson-done-note")).to_contain_text("You have done this lesson")

    page.goto(course_url)
    expect(page.locator(".lesson-row.lesson-done")).to_contain_text(first_title)
    page.click(".course-actions a.button:text-is('Resume')")
    expect(page).to_have_url(second_url)  # the first lesson not done, not the last one seen

    page.goto(f"{live_server}/membership/manage")
    page.click("text=Open the billing portal")
    page.click("text=Cancel at period end")
    expect(page.locator("main")).to_contain_text("will not renew")
    page.goto(first_url)
    expect(page.locator(".lesson-body")).to_contain_text("Body of lesson 1.")  # paid till the end

    page.goto(f"{live_server}/membership/test-portal")
    page.click("text=Try: the period ends now")
    expect(page.locator("main")).to_contain_text("Your membership ended")
    assert page.goto(first_url).status == 403
    expect(page.locator("main")).not_to_contain_text("Body of lesson 1")
    expect(page.locator(".course-cta a.button:has-text('Become a member')")).to_be_visible()

    page.goto(course_url)
    expect(page.locator(".course-cta")).to_contain_text("Become a member")
    expect(page.locator(".lesson-row.lesson-done")).to_have_count(1)  # progress is kept
    expect(page.locator(".lesson-row.lesson-done")).to_contain_text(first_title)
    expect(page.locator(".lesson-row.lesson-done .lesson-tick")).to_have_text("✓")
    axe.check(page)

    page.goto(free_lesson_url)
    expect(page.locator(".lesson-body")).to_contain_text("Body of lesson 1.")  # free stays open
    # The teaser is served with 403, which Chromium logs as a failed load; nothing else may fail.
    assert [e for e in page.console_errors if "status of 403" not in e] == []
