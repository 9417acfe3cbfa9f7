"""The second half of a Stack Exchange import: votes, favourites, post links and badges,
then the run's closing writes (reply counts, accept events, the points summary).

The dump's up and down votes are anonymous, so they become no `Vote` rows (there is no
voter to hold one); each post's score already counts them. What they earned is paid
through the ledger as one row per person and reason, under the site's own rules
(`app.gamification.rules`), keyed `import:<source>:...` so a re-run never pays twice.
Accepts pay the same way. Favourites, the only votes with a voter, become bookmarks.
"""

from sqlalchemy import func, select, tuple_, update

from app.extensions import db
from app.forum.models import Bookmark, Post, Thread, ThreadLink
from app.gamification import ledger
from app.gamification.badge_awards import award_imported_badges
from app.gamification.badges import BADGES
from app.gamification.rules import RULES
from app.importers.se_rows import ACCEPTED, DOWNVOTE, DUPLICATE, FAVOURITE, LINKED, UPVOTE
from app.importers.stackexchange import ImportRun, batches
from app.insights.services import record_history

# Vote types the site has no place for, named as the dump's documentation names them.
OTHER_VOTE_TYPES = {
    4: "offensive", 6: "close", 7: "reopen", 8: "bounty start", 9: "bounty close",
    10: "deletion", 11: "undeletion", 12: "spam", 15: "moderator review", 16: "approve edit",
}
BADGES_BY_NAME = {badge.name.lower(): badge for badge in BADGES}
IMPORT_KEY = "import"


def import_votes(run: ImportRun, rows) -> None:
    for batch in batches(rows):
        bookmarks, accepts = [], []
        for row in batch:
            post = run.posts.get(row.post_id)
            if post is None:
                if row.post_id in run.not_imported:
                    run.file.skip("votes on posts not imported")
                else:
                    run.file.break_("vote for a missing post")
            elif row.type in (UPVOTE, DOWNVOTE):
                _count_vote(run, row, post)
            elif row.type == ACCEPTED:
                _accept_at(run, row, accepts)
            elif row.type == FAVOURITE:
                _favourite(run, row, post, bookmarks)
            else:
                kind = OTHER_VOTE_TYPES.get(row.type, f"type {row.type}")
                run.file.skip(f"{kind} votes (no place for them here)")
        record_history(accepts)
        _add_bookmarks(run, bookmarks)


def _count_vote(run: ImportRun, row, post) -> None:
    """An anonymous vote: already in the post's score; owe its author the points."""
    if row.post_id not in run.new_posts:
        run.file.existing += 1
        return
    if row.type == UPVOTE:
        reason = "question_upvoted" if post.is_question else "answer_upvoted"
    else:
        reason = "post_downvoted"
    run.owe(post.author_id, reason, RULES[reason].points, row.created_at)
    run.file.imported += 1


def _accept_at(run: ImportRun, row, accepts: list[dict]) -> None:
    """The accept mark's date, for the accept event (the mark itself came with the post)."""
    mark = run.accepts_unrecorded.pop(row.post_id, None)
    if mark is not None:
        accepts.append(_accept_event(*mark[:2], at=row.created_at))
        run.file.imported += 1
    elif row.post_id in run.new_posts:
        run.file.skip("accept marks later moved to another answer")
    else:
        run.file.existing += 1


def _accept_event(answer, asker_id: int, *, at) -> dict:
    return {"type": "accept", "user_id": asker_id, "subject_type": "post",
            "subject_id": answer.id, "created_at": at,
            "data": {"thread_id": answer.thread_id, "previous": None}}


def _favourite(run: ImportRun, row, post, bookmarks: list[dict]) -> None:
    user_id = run.users.get(row.user_id) if row.user_id is not None else None
    if user_id is None:
        run.file.break_("favourite without a known user")
        return
    bookmarks.append({"user_id": user_id, "thread_id": post.thread_id,
                      "created_at": row.created_at})


def _add_bookmarks(run: ImportRun, rows: list[dict]) -> None:
    _add_pairs(run, Bookmark, ("user_id", "thread_id"), rows)


def _add_pairs(run: ImportRun, model, key: tuple[str, str], rows: list[dict]) -> None:
    """Insert the rows whose (key) pair is new, once each; count the rest as existing."""
    unique = {(r[key[0]], r[key[1]]): r for r in rows}
    columns = tuple_(*(getattr(model, name) for name in key))
    there = set(db.session.execute(
        select(*(getattr(model, name) for name in key)).where(columns.in_(list(unique)))
    )) if unique else set()
    fresh = [row for pair, row in unique.items() if pair not in there]
    if fresh:
        db.session.execute(model.__table__.insert(), fresh)
    run.file.imported += len(fresh)
    run.file.existing += len(rows) - len(fresh)


def import_links(run: ImportRun, rows) -> None:
    """Duplicates close the duplicate question; 'linked' posts become related threads."""
    for batch in batches(rows):
        related = []
        for row in batch:
            ends = [run.posts.get(row.post_id), run.posts.get(row.related_post_id)]
            if None in ends:
                if {row.post_id, row.related_post_id} & run.not_imported:
                    run.file.skip("links to posts not imported")
                else:
                    run.file.break_("link to a missing post")
                continue
            thread_id, other_id = (end.thread_id for end in ends)
            if thread_id == other_id:
                run.file.skip("links within one thread")
            elif row.type == DUPLICATE:
                _close_as_duplicate(run, thread_id, other_id, row.created_at)
            elif row.type == LINKED:
                related.append({"thread_id": thread_id, "related_id": other_id,
                                "created_at": row.created_at})
            else:
                run.file.skip(f"links of type {row.type}")
        _add_related(run, related)


def _close_as_duplicate(run: ImportRun, thread_id: int, original_id: int, at) -> None:
    thread = db.session.get(Thread, thread_id)
    if thread.duplicate_of_id == original_id:
        run.file.existing += 1
        return
    thread.closed_at = thread.closed_at or at
    thread.close_reason, thread.duplicate_of_id = "duplicate", original_id
    run.file.imported += 1


def _add_related(run: ImportRun, rows: list[dict]) -> None:
    _add_pairs(run, ThreadLink, ("thread_id", "related_id"), rows)


def import_badges(run: ImportRun, rows) -> None:
    """Badges the site also has (same name), once per person; the rest are counted."""
    for batch in batches(rows):
        awards = []
        for row in batch:
            user_id = run.users.get(row.user_id)
            badge = BADGES_BY_NAME.get(row.name.lower())
            if user_id is None:
                run.file.break_("badge of a missing user")
            elif badge is None:
                run.file.skip("badges the site does not have")
            elif badge.repeatable:
                run.file.skip("per-post badges (the dump does not say which post)")
            else:
                awards.append((user_id, badge.slug, row.awarded_at))
        awarded = award_imported_badges(awards)
        run.file.imported += awarded
        run.file.existing += len(awards) - awarded


def finish(run: ImportRun) -> None:
    """Accept events still undated, reply counts of the source's threads, and the points."""
    record_history(_accept_event(answer, asker, at=at)
                   for answer, asker, at in run.accepts_unrecorded.values())
    _count_answers(run.source)
    _pay_points(run)


def _count_answers(source: str) -> None:
    """A question's reply count is its live answers; comments (replies to a post) are not."""
    answers = (
        select(func.count(Post.id))
        .where(Post.thread_id == Thread.id, Post.is_first.is_(False), Post.reply_to_id.is_(None),
               Post.deleted_at.is_(None))
        .scalar_subquery()
    )
    db.session.execute(
        update(Thread).where(Thread.source == source).values(reply_count=answers)
        .execution_options(synchronize_session=False)
    )


def _pay_points(run: ImportRun) -> None:
    """One ledger row per person and reason; gains before losses, so the floor trims
    only what the history really lost. The key names this run's newest post, so a later
    run that brings more posts pays for those, and a repeated run finds its keys used."""
    if not run.points:
        return
    newest = max(run.new_posts)
    owed = sorted(run.points.items(), key=lambda item: (item[0][0], item[1][0] < 0, item[0][1]))
    for (user_id, reason), (points, at) in owed:
        row = ledger.award(user_id, reason, points=points, uncapped=True, at=at,
                           key=f"{IMPORT_KEY}:{run.source}:{newest}:{user_id}:{reason}")
        run.report.points_rows += row is not None
