"""Learning paths: ordered courses, progress across the track, staff editing."""

from sqlalchemy import select

from app.accounts.models import Role
from app.courses.models import LearningPath
from app.courses.paths import PathInput, create_path
from app.extensions import db
from tests.fixtures.courses import make_course
from tests.fixtures.users import login_as, make_user


def test_no_paths_yet_says_so(client):
    assert b"No learning paths yet" in client.get("/paths").data


def test_a_path_lists_its_courses_in_order_with_progress_across_the_track(client):
    staff = make_user(role=Role.MODERATOR)
    first, second = make_course(title="Python basics path course", lessons=2), make_course(
        title="Pandas path course", lessons=2)
    hidden = make_course(title="Draft path course", published=False)
    create_path(staff, PathInput(title="Data analyst track", summary="From Python to pandas.",
                                 course_slugs=(second.slug, first.slug, hidden.slug), published=True))
    user = make_user()
    login_as(client, user)
    client.post(f"/courses/{first.slug}/{first.lessons[0].slug}/done")
    index = client.get("/paths").data
    assert b"Data analyst track" in index
    page = client.get("/paths/data-analyst-track").data
    assert page.index(b"Pandas path course") < page.index(b"Python basics path course")
    assert b"Draft path course" not in page
    assert b"1 of 4 lessons done" in page and b"25%" in page


def test_drafts_are_hidden_and_staff_edit_paths_with_errors_kept(client):
    staff = make_user(role=Role.MODERATOR)
    course = make_course(title="Only course")
    create_path(staff, PathInput(title="Secret track", summary="s", course_slugs=(course.slug,)))
    assert client.get("/paths/secret-track").status_code == 404
    login_as(client, staff)
    bad = client.post("/admin/paths/new", data={"title": "New track", "summary": "typed summary",
                                                "step-no-such-course": "1"})
    assert b"No course has the address no-such-course" in bad.data and b"typed summary" in bad.data
    path = db.session.scalar(select(LearningPath))
    edit_page = client.get(f"/admin/paths/{path.id}/edit").data.decode()
    assert f'name="step-{course.slug}" value="1"' in edit_page
    saved = client.post(f"/admin/paths/{path.id}/edit", data={
        "title": "Secret track", "slug": "secret-track", "summary": "s", f"step-{course.slug}": "1",
        "published": "y"})
    assert saved.status_code == 303
    login_as(client, make_user())
    assert client.get("/paths/secret-track").status_code == 200
    assert client.get("/admin/paths/new").status_code == 403


def test_the_path_picker_orders_by_step_and_keeps_what_was_typed(client):
    staff = make_user(role=Role.MODERATOR)
    first, second, unused = (make_course(title=t) for t in ("Alpha course", "Beta course",
                                                             "Gamma course"))
    login_as(client, staff)
    refused = client.post("/admin/paths/new", data={
        "title": "Ordered track", "summary": "s", f"step-{first.slug}": "2",
        f"step-{second.slug}": "one"})
    page = refused.data.decode()
    assert f"Give “{second.slug}” a whole step number from 1" in page
    assert f'name="step-{first.slug}" value="2"' in page
    assert f'name="step-{second.slug}" value="one"' in page
    assert f'name="step-{unused.slug}" value=""' in page
    assert db.session.scalar(select(LearningPath)) is None
    empty = client.post("/admin/paths/new", data={"title": "Ordered track", "summary": "s"})
    assert "Give at least one course a step number." in empty.data.decode()

    client.post("/admin/paths/new", data={"title": "Ordered track", "summary": "s",
                                          f"step-{first.slug}": "2", f"step-{second.slug}": "1"})
    path = db.session.scalar(select(LearningPath))
    assert [step.course.title for step in path.steps] == ["Beta course", "Alpha course"]
