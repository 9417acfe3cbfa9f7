"""Importing a small hand-written Stack Exchange dump: every mapping, the report's counts,
re-runs, --limit, points that reconcile, and the credit line on the thread page."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.forum.models import Bookmark, Post, PostRevision, SearchDocument, Tag, Thread, ThreadLink
from app.gamification import ledger
from app.gamification.models import BadgeAward, PointTransaction
from app.importers.stackexchange import NotADump, import_stackexchange
from app.insights.models import Event
from tests.fixtures.users import make_user

DUMP = Path(__file__).parents[1] / "fixtures" / "stackexchange"
SOURCE = "ai.stackexchange"


def _import(**options):
    return import_stackexchange(DUMP, **options)


def _user(source_id: int) -> User:
    return db.session.scalars(select(User).where(User.source_id == source_id)).one()


def _post(source_id: int, source: str = SOURCE) -> Post:
    return db.session.scalars(
        select(Post).where(Post.source == source, Post.source_id == source_id)
    ).one()


def _thread(source_id: int) -> Thread:
    return db.session.scalars(select(Thread).where(Thread.source_id == source_id)).one()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_people_keep_their_names_dates_and_about_text(app):
    make_user(username="Ada_Lovelace")  # a member here already has the obvious name

    _import()

    ada = _user(1)
    assert (ada.display_name, ada.source) == ("Ada Lovelace", SOURCE)
    assert ada.username == "Ada_Lovelace-1"  # the free name was taken
    assert _user(2).username == "Ada_Lovelace-2"
    assert _user(3).username == "Admin-3"  # 'admin' is reserved here
    assert _user(5).username == "Bjorn_O"
    assert str(ada.created_at) == "2016-08-02 15:36:45.333000"
    assert ada.last_seen_at.isoformat().startswith("2016-09-09")
    assert ada.bio == "I write *notes* on the [engine](https://example.org/engine)."
    assert "<script" not in ada.bio_html and "<em>notes</em>" in ada.bio_html
    assert not ada.check_password("") and ada.email.endswith(".invalid")


def test_questions_answers_and_comments_keep_their_shape(app):
    _import()

    question = _thread(10)
    assert (question.title, question.kind, question.score, question.view_count) == (
        'What is "backprop"?', "question", 5, 154)
    assert question.category.slug == "ai-stackexchange"
    assert [tag.name for tag in question.tags] == ["neural-networks", "python"]
    assert question.reply_count == 2  # two answers; the comment is not an answer
    assert question.accepted_post_id == _post(12).id
    assert question.last_activity_at.isoformat().startswith("2016-08-18")

    opening = _post(10)
    assert opening.is_first and opening.thread_id == question.id
    assert "```\ndef step(x):\n    return x * 2  # <b>\n```" in opening.body
    assert "`backprop_step`" in opening.body
    assert "<pre><code>def step(x):" in opening.body_html
    assert opening.edited_by_id == _user(2).id
    assert _post(12).body.startswith("- forward pass\n- backward pass")
    assert "[diagram](http://i.stack.imgur.com/x.png)" in _post(12).body
    assert _post(12).score == 7 and _post(11).score == 3

    comment = _post(1, source=f"{SOURCE}/comment")
    assert comment.reply_to_id == opening.id and comment.thread_id == question.id
    assert comment.body == "Do you mean the `backward` pass?"
    assert comment.author_id == _user(2).id and comment.score == 0

    orphan_owner = _post(21).author
    assert (orphan_owner.display_name, orphan_owner.source_id) == ("Former member", 0)
    assert _count(PostRevision) == _count(Post) == _count(SearchDocument) == 7


def test_tags_votes_favourites_links_and_badges(app):
    _import()

    tags = {tag.name: tag for tag in db.session.scalars(select(Tag))}
    assert set(tags) == {"neural-networks", "python", "philosophy"}
    assert tags["neural-networks"].description == "Networks of artificial neurons."

    bookmark = db.session.scalars(select(Bookmark)).one()
    assert (bookmark.user_id, bookmark.thread_id) == (_user(2).id, _thread(10).id)

    duplicate = _thread(20)
    assert duplicate.close_reason == "duplicate" and duplicate.duplicate_of_id == _thread(10).id
    assert duplicate.closed_at.isoformat().startswith("2016-08-07")
    link = db.session.scalars(select(ThreadLink)).one()
    assert (link.thread_id, link.related_id) == (_thread(30).id, _thread(10).id)

    awards = db.session.execute(select(BadgeAward.user_id, BadgeAward.badge)).all()
    assert awards == [(_user(1).id, "student")]


def test_points_arrive_as_one_ledger_row_per_person_and_reason(app):
    _import()

    rows = db.session.execute(
        select(PointTransaction.user_id, PointTransaction.reason, PointTransaction.delta)
        .where(PointTransaction.key.startswith("import:"))
    ).all()
    ada, third = _user(1).id, _user(3).id
    assert sorted(rows) == sorted([
        (ada, "question_upvoted", 10),  # two upvotes on her question
        (ada, "accepted_answer", 2),
        (third, "answer_upvoted", 10),
        (third, "answer_accepted", 15),
        (third, "post_downvoted", -2),
    ])
    assert (_user(1).points, _user(3).points) == (13, 24)
    assert ledger.find_discrepancies() == []


def test_the_history_lands_in_the_event_log_for_the_insights_jobs(app):
    _import()

    types = dict(db.session.execute(select(Event.type, func.count()).group_by(Event.type)).all())
    assert types["register"] == 6  # five people and the former member
    assert (types["ask"], types["answer"], types["reply"], types["accept"]) == (3, 3, 1, 1)
    accept = db.session.scalars(select(Event).where(Event.type == "accept")).one()
    assert accept.created_at.isoformat().startswith("2016-08-04")  # the accept vote's date


def test_the_report_counts_what_was_skipped_and_what_was_broken(app):
    report = _import()
    files = report.files

    assert (files["Users"].imported, files["Users"].broken) == (5, {"bad date in CreationDate": 1})
    assert files["Tags"].broken == {"missing TagName": 1}
    assert files["Posts"].imported == 6
    assert files["Posts"].broken == {"answer to a missing question": 1,
                                     "bad date in CreationDate": 1}
    assert sum(files["Posts"].skipped.values()) == 2  # the tag excerpt and the wiki
    assert files["Comments"].broken == {"comment on a missing post": 1}
    assert files["Votes"].imported == 6
    assert files["Votes"].broken == {"vote for a missing post": 1, "bad date in CreationDate": 1}
    assert files["Votes"].skipped == {"approve edit votes (no place for them here)": 1}
    assert files["PostLinks"].broken == {"link to a missing post": 1}
    assert files["Badges"].broken == {"badge of a missing user": 1}
    assert sum(files["Badges"].skipped.values()) == 2
    assert report.points_rows == 5
    assert any("broken: 1 vote for a missing post" in line for line in report.summary_lines())


def test_a_second_run_imports_nothing_twice(app):
    _import()
    counts = {model: _count(model) for model in
              (User, Thread, Post, Tag, Bookmark, ThreadLink, BadgeAward, PointTransaction, Event)}

    report = _import()

    assert {model: _count(model) for model in counts} == counts
    assert all(f.imported == 0 for f in report.files.values())
    assert report.files["Posts"].existing == 6 and report.files["Users"].existing == 5
    assert report.files["Votes"].existing == 6 and report.points_rows == 0
    assert ledger.find_discrepancies() == []


def test_limit_takes_the_first_questions_with_their_answers_and_votes(app):
    report = _import(limit=1)

    assert [t.source_id for t in db.session.scalars(select(Thread))] == [10]
    assert report.files["Posts"].imported == 3  # the question and its two answers
    assert report.files["Posts"].skipped["questions beyond --limit"] == 2
    assert report.files["Votes"].skipped["votes on posts not imported"] == 1

    _import()  # the rest arrives later, once
    assert _count(Thread) == 3 and _count(Post) == 7
    assert ledger.find_discrepancies() == []


def test_a_folder_without_the_dump_files_is_refused(app, tmp_path):
    with pytest.raises(NotADump, match="Posts.xml"):
        import_stackexchange(tmp_path)
    assert _count(User) == 0


def test_broken_xml_is_reported_and_the_rest_still_imports(app, tmp_path):
    for path in DUMP.iterdir():
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "Comments.xml").write_text('<comments><row Id="1" PostId="10"')

    report = import_stackexchange(tmp_path)

    assert sum(report.files["Comments"].broken.values()) == 1
    assert report.files["Posts"].imported == 6 and report.files["Badges"].imported == 1


def test_the_thread_page_credits_the_author_and_links_the_original(app, client):
    _import()
    question = _thread(10)

    page = client.get(f"/t/{question.id}/{question.slug}").get_data(as_text=True)

    assert "Originally asked by Ada Lovelace on" in page
    assert 'href="https://ai.stackexchange.com/q/10"' in page
    assert 'href="https://ai.stackexchange.com/a/12"' in page
    assert "CC BY-SA 3.0" in page
    # The comment sits under the question it remarks on; it is not a third answer.
    assert "2 Answers" in page and 'class="post-comment"' in page
    assert "Do you mean the <code>backward</code> pass?" in page
    assert 'href="https://ai.stackexchange.com/posts/comments/1"' in page


def test_deleting_an_imported_comment_leaves_the_answer_count_alone(app):
    from app.forum.posting import delete_post, undelete_post
    from tests.fixtures.users import make_user

    _import()
    moderator = make_user(role="moderator")
    comment = _post(1, source=f"{SOURCE}/comment")

    delete_post(moderator, comment.id)
    assert _thread(10).reply_count == 2
    undelete_post(moderator, comment.id)
    assert _thread(10).reply_count == 2


def test_the_command_prints_progress_and_the_summary(app):
    result = app.test_cli_runner().invoke(args=["import", "stackexchange", str(DUMP)])

    assert result.exit_code == 0, result.output
    assert "Posts: 10 rows in" in result.output
    assert "Posts: 6 imported, 0 already there, 2 skipped, 2 broken" in result.output

    missing = app.test_cli_runner().invoke(args=["import", "stackexchange", "no-such-dir"])
    assert missing.exit_code != 0 and "not a folder" in missing.output
