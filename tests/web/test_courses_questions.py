"""Questions tagged with a course, and lesson threads that follow their course.

Asking about a course (from its page or a lesson), the course's question list, editing
or clearing the course, refused choices, member-only questions, and the lesson threads:
opened when the course is published, renamed with it, left alone once a person retitled
them.
"""

import pytest
from sqlalchemy import func, select

from app.courses import editing
from app.courses.models import Course, Lesson
from app.extensions import db
from app.forum import posting
from app.forum.models import Post, SearchDocument, Thread
from tests.fixtures.courses import make_course
from tests.fixtures.forum import make_category
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

TITLE = "Why does my window function return duplicates?"
BODY = "I followed the lesson on `ROW_NUMBER()` but every row comes back twice."


def _ask(client, category, course_id, **overrides):
    data = {"kind": "question", "title": TITLE, "body": BODY, "category": category.id,
            "tags": "python", "course": course_id}
    data.update(overrides)
    return client.post("/ask", data=data)


def _ask_about(author, course, category, title=TITLE):
    return posting.create_thread(author, kind="question", title=title, body=BODY,
                                 category_id=category.id, tags="python",
                                 course_id=course.id).thread


def test_a_question_asked_about_a_course_is_listed_on_its_page(client):
    course, category = make_course(title="SQL for analysts"), make_category()
    login_as(client, make_user())

    form = client.get(f"/ask?course={course.slug}").data.decode()
    assert f'<option selected value="{course.id}">SQL for analysts</option>' in form

    response = _ask(client, category, course.id)
    thread = db.session.scalars(select(Thread).filter_by(title=TITLE)).one()
    assert response.status_code == 302 and thread.course_id == course.id

    page = client.get(f"/t/{thread.id}/{thread.slug}").data.decode()
    assert "About the course" in page and f'href="/courses/{course.slug}"' in page
    course_page = client.get(f"/courses/{course.slug}").data.decode()
    assert TITLE in course_page and f"/ask?course={course.slug}" in course_page
    listed = client.get(f"/courses/{course.slug}/questions").data.decode()
    assert TITLE in listed and "1 thread" in listed


def test_lesson_pages_offer_to_ask_about_the_course(client):
    course = make_course()
    login_as(client, make_user())
    lesson = client.get(f"/courses/{course.slug}/{course.lessons[0].slug}").data.decode()
    assert f"/ask?course={course.slug}" in lesson


def test_a_question_about_no_course_stays_that_way(client):
    make_course()
    category = make_category()
    login_as(client, make_user())
    assert _ask(client, category, "").status_code == 302
    assert db.session.scalars(select(Thread).filter_by(title=TITLE)).one().course_id is None


def test_an_unknown_or_draft_course_is_refused_and_the_text_is_kept(client):
    draft = make_course(title="Secret draft course", published=False)
    category = make_category()
    login_as(client, make_user())

    for course_id in (draft.id, 9999):
        response = _ask(client, category, course_id)
        assert response.status_code == 422
        page = response.data.decode()
        assert "Choose a course from the list, or none." in page
        assert TITLE in page and "ROW_NUMBER()" in page
    assert "Secret draft course" not in client.get("/ask").data.decode()
    assert db.session.scalar(select(func.count()).select_from(Thread).filter_by(title=TITLE)) == 0


def test_the_asker_can_change_or_clear_the_course_when_editing(client):
    first, second, category = make_course(title="Pandas basics"), make_course(), make_category()
    author = make_user()
    thread = _ask_about(author, first, category)
    opening = thread.posts[0]
    login_as(client, author)

    edit_page = client.get(f"/posts/{opening.id}/edit").data.decode()
    assert f'<option selected value="{first.id}">Pandas basics</option>' in edit_page

    data = {"title": TITLE, "tags": "python", "body": BODY, "course": second.id}
    assert client.post(f"/posts/{opening.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).course_id == second.id

    assert client.post(f"/posts/{opening.id}/edit", data={**data, "course": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).course_id is None


def test_an_edit_that_leaves_the_course_out_keeps_it(app):
    course, category, author = make_course(), make_category(), make_user()
    thread = _ask_about(author, course, category)
    posting.edit_post(author, thread.posts[0].id, title=TITLE, tags="python",
                      body=BODY + " Also on PostgreSQL.")
    assert db.session.get(Thread, thread.id).course_id == course.id


def test_a_course_gone_back_to_draft_stays_on_its_questions_edit_form(client):
    course, category, author = make_course(title="Retired course"), make_category(), make_user()
    thread = _ask_about(author, course, category)
    editing.set_published(make_user(role="moderator"), course, False)
    login_as(client, author)
    opening_id = thread.posts[0].id
    assert "Retired course" in client.get(f"/posts/{opening_id}/edit").data.decode()
    data = {"title": TITLE, "tags": "python", "body": BODY + " Edited.", "course": course.id}
    assert client.post(f"/posts/{opening_id}/edit", data=data).status_code == 302
    assert "About the course" not in client.get(f"/t/{thread.id}").data.decode()  # a draft now


def test_member_only_questions_about_a_course_stay_hidden_from_non_members(client):
    course = make_course(title="Open course")
    lounge = make_category(name="Lounge", member_only=True)
    _ask_about(make_user(role="moderator"), course, lounge, title="A question for members only")
    login_as(client, make_user())
    assert b"A question for members only" not in client.get(f"/courses/{course.slug}").data
    listed = client.get(f"/courses/{course.slug}/questions").data
    assert b"A question for members only" not in listed and b"0 threads" in listed


def test_the_question_list_pages_and_the_course_page_shows_the_newest_five(client):
    # Points past level 1: a first-day account may only start three threads.
    course, category, author = make_course(), make_category(), make_user(points=200)
    for n in range(7):
        _ask_about(author, course, category, title=f"Numbered question {n} about joins")
    page = client.get(f"/courses/{course.slug}").data.decode()
    assert page.count('class="thread-row"') == 5 and "All 7 questions about this course" in page
    assert "Numbered question 6" in page and "Numbered question 0" not in page
    listed = client.get(f"/courses/{course.slug}/questions").data.decode()
    assert listed.count('class="thread-row"') == 7


def test_the_course_page_runs_the_same_queries_for_one_question_or_five(client):
    few, many, category, author = make_course(), make_course(), make_category(), make_user()
    _ask_about(author, few, category, title="The only question about this one")
    for n in range(5):
        _ask_about(make_user(), many, category, title=f"One of many questions {n}")
    login_as(client, make_user())
    counts = []
    for slug in (few.slug, many.slug):
        db.session.expunge_all()
        with count_queries() as log:
            assert client.get(f"/courses/{slug}").status_code == 200
        counts.append(log.count)
    assert counts[0] == counts[1]


def test_questions_is_not_a_lesson_address(client):
    course, staff = make_course(), make_user(role="moderator")
    login_as(client, staff)
    page = client.post(f"/admin/courses/{course.id}/lessons/new", data={
        "title": "Questions", "body": "text", "estimated_minutes": "5"})
    assert "is taken by a page of the course" in page.data.decode()


# -- lesson threads follow their course ----------------------------------------------


def _staff():
    return make_user(role="moderator")


def test_a_draft_opens_no_threads_and_publishing_opens_them(app):
    staff = _staff()
    course = make_course(title="Draft first", published=False, lessons=2, author=staff)
    assert all(lesson.discussion_thread_id is None for lesson in course.lessons)
    assert db.session.scalar(select(func.count()).select_from(Thread).filter_by(title=TITLE)) == 0

    editing.set_published(staff, course, True)
    titles = sorted(db.session.scalars(select(Thread.title)))
    assert titles == sorted(f"Draft first: {lesson.title}" for lesson in course.lessons)

    editing.set_published(staff, course, False)
    editing.set_published(staff, course, True)  # publishing again opens no second thread
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 2


def test_a_lesson_added_to_a_published_course_gets_its_thread_at_once(app):
    staff = _staff()
    course = make_course(lessons=1, author=staff)
    lesson = editing.create_lesson(staff, course, editing.LessonInput(
        title="A late addition", body="More text."))
    assert db.session.get(Thread, lesson.discussion_thread_id).title.endswith(": A late addition")


def test_renaming_a_course_or_a_lesson_renames_its_threads_and_their_search_title(app):
    staff = _staff()
    course = make_course(title="Old course name", lessons=2, author=staff)
    first, second = course.lessons
    editing.update_course(staff, course, editing.CourseInput(
        title="New course name", slug=course.slug, summary=course.summary, level=course.level,
        tags="python"))
    editing.update_lesson(staff, first, editing.LessonInput(
        title="Renamed lesson", slug=first.slug, body=first.body, estimated_minutes=5))

    thread = db.session.get(Thread, first.discussion_thread_id)
    assert thread.title == "New course name: Renamed lesson"
    assert thread.slug == "new-course-name-renamed-lesson"
    assert db.session.get(Thread, second.discussion_thread_id).title.startswith("New course name:")
    opening = db.session.scalar(select(Post).filter_by(thread_id=thread.id, is_first=True))
    assert db.session.get(SearchDocument, opening.id).title == "New course name: Renamed lesson"


def test_a_thread_someone_retitled_keeps_its_title(app):
    staff = _staff()
    course = make_course(title="Course title", lessons=1, author=staff)
    lesson = course.lessons[0]
    thread = db.session.get(Thread, lesson.discussion_thread_id)
    posting.edit_post(staff, thread.posts[0].id, title="Our own title for this talk",
                      tags="", body=thread.posts[0].body)
    editing.update_course(staff, course, editing.CourseInput(
        title="Another course title", slug=course.slug, summary=course.summary, tags="python"))
    assert db.session.get(Thread, thread.id).title == "Our own title for this talk"


def test_a_refused_rename_renames_nothing(app):
    staff = _staff()
    course = make_course(title="Stable title", lessons=1, author=staff)
    thread_id = course.lessons[0].discussion_thread_id
    with pytest.raises(editing.ValidationError):
        editing.update_course(staff, course, editing.CourseInput(
            title="Changed title", slug="Bad Slug!", summary="s"))
    db.session.expire_all()
    assert db.session.get(Course, course.id).title == "Stable title"
    assert db.session.get(Thread, thread_id).title.startswith("Stable title:")


def test_the_lasting_lesson_address_hides_drafts(client):
    draft = make_course(published=False, lessons=1)
    lesson_id = db.session.scalar(select(Lesson.id).where(Lesson.course_id == draft.id))
    login_as(client, make_user())
    assert client.get(f"/lessons/{lesson_id}").status_code == 404
    assert client.get("/lessons/99999").status_code == 404
    login_as(client, _staff())
    assert client.get(f"/lessons/{lesson_id}").status_code == 302
