"""The recommendations job's service: fit the hybrid recommender on the event log and
store, for every active user, threads, courses and questions they could answer, plus the
"Related" and "Learners also took" lists and a popular list for everyone else.

A run's rows go in under a run not yet finished, block by block; marking it finished is
the last commit, so readers (who read the latest finished run) never see a partial one,
and a crash leaves the previous results in place. Only the last two finished runs stay.
"""

from datetime import datetime, timedelta

import numpy as np
from scipy import sparse
from sqlalchemy import delete, func, select

from app.database import insert_in_batches
from app.extensions import db
from app.forum.models import Category, Post, Thread, ThreadKind, thread_tags
from app.insights.models import Event
from app.insights.models.recommendations import (
    Recommendation,
    RecommendationRun,
    RelatedCourse,
    RelatedThread,
)
from app.insights.recommend import COURSE, THREAD, Recommender, related
from app.insights.recommend_answerable import answer_reason, rank_answerable
from app.insights.recommend_blend import popular
from app.insights.recommend_cf import decay
from app.insights.recommendation_data import active_user_ids, load
from app.timeutil import utcnow

THREADS_STORED = 30     # pages show 20; the spare ones cover items hidden at read time
COURSES_STORED = 10
ANSWERABLE_STORED = 10
RELATED_STORED = 10
POPULAR_STORED = 200
USER_BLOCK = 500
# Unanswered questions stay worth answering for a while; fresher ones still rank first.
ANSWERABLE_DAYS = 90
RUNS_KEPT = 2
KIND_NAMES = {THREAD: "thread", COURSE: "course"}


def refresh_recommendations(as_of: datetime, progress=None, *, also_for=()) -> dict[str, int]:
    """Compute and store a new run for `as_of`; returns counts for the job record.

    `progress` is a `jobs.context.Progress` (or anything with its `track`), optional.
    `also_for` adds people who are not active lately but will be shown picks anyway
    (those who asked for the digest an absence brings).
    """
    track = progress.track if progress is not None else _untracked
    run = RecommendationRun(as_of=as_of, started_at=utcnow())
    db.session.add(run)
    db.session.commit()
    run_id = run.id

    active = sorted(set(active_user_ids(as_of)) | set(also_for))
    data = load(as_of, extra_users=active)
    model = Recommender(data.catalogue, data.interactions, len(data.user_ids),
                        interests=data.interests,
                        track=lambda items: track(items, label="neighbours"))
    rows = _users_with_signal(model, data.index_of_users(active))
    written = _store_user_picks(run_id, model, data, rows, track)
    written += _store_popular(run_id, model)
    written += _store_answerable(run_id, data, as_of, rows)
    written += _store_related(run_id, model, track)

    run = db.session.get(RecommendationRun, run_id)
    run.users, run.candidates, run.rows = len(rows), len(model.targets), written
    run.finished_at = utcnow()
    db.session.commit()
    pruned = _prune(run_id)
    return {"users": len(rows), "candidates": len(model.targets), "rows": written,
            "runs_pruned": pruned}


def _untracked(items, **_):
    return items


def _users_with_signal(model: Recommender, rows: np.ndarray) -> np.ndarray:
    """Active users with a history or interests; the others would get the popular list,
    which is stored once for all of them."""
    rows = np.unique(rows)
    history = np.diff(model.history.indptr)[rows] > 0
    interests = np.diff(model.interests.indptr)[rows] > 0
    return rows[history | interests]


def _store_user_picks(run_id: int, model: Recommender, data, rows: np.ndarray, track) -> int:
    written = 0
    blocks = range(0, len(rows), USER_BLOCK)
    for start in track(blocks, total=len(blocks), label="users"):
        block = rows[start:start + USER_BLOCK]
        picks = model.recommend(block, data.members[block],
                                {THREAD: THREADS_STORED, COURSE: COURSES_STORED})
        out = []
        for row, by_kind in zip(block, picks, strict=True):
            user_id = int(data.user_ids[row])
            for kind, items in by_kind.items():
                out += [dict(run_id=run_id, user_id=user_id, kind=KIND_NAMES[kind],
                             item_id=int(data.catalogue.ids[p.item]), rank=rank,
                             score=p.score, reason=p.reason)
                        for rank, p in enumerate(items, start=1)]
        written += insert_in_batches(Recommendation, out)
        db.session.commit()
    return written


def _store_popular(run_id: int, model: Recommender) -> int:
    """The popular list (user NULL): for anonymous, opted-out and brand-new people."""
    catalogue, out = model.catalogue, []
    for kind, limit in ((THREAD, POPULAR_STORED), (COURSE, POPULAR_STORED)):
        targets = model.targets[catalogue.kinds[model.targets] == kind]
        score = model.popularity[targets] + 0.1 * model.recency[targets]
        best = np.lexsort((targets, -score))[:limit]
        out += [dict(run_id=run_id, user_id=None, kind=KIND_NAMES[kind],
                     item_id=int(catalogue.ids[targets[b]]), rank=rank, score=float(score[b]),
                     reason=popular())
                for rank, b in enumerate(best, start=1)]
    written = insert_in_batches(Recommendation, out)
    db.session.commit()
    return written


def _store_answerable(run_id: int, data, as_of: datetime, rows: np.ndarray) -> int:
    """Open, unanswered questions in the tags where each user's answers scored."""
    user_ids = data.user_ids[rows]
    if not len(user_ids):
        return 0
    scored = db.session.execute(
        select(Event.user_id, thread_tags.c.tag_id, func.sum(Post.score))
        .join(Post, Post.id == Event.subject_id)
        .join(thread_tags, thread_tags.c.thread_id == Post.thread_id)
        .where(Event.type == "answer", Event.created_at < as_of, Post.score > 0,
               Post.deleted_at.is_(None))
        .group_by(Event.user_id, thread_tags.c.tag_id)).all()
    position = {int(u): n for n, u in enumerate(user_ids)}
    scored = [(position[u], t, s) for u, t, s in scored if u in position]
    if not scored:
        return 0
    questions = db.session.execute(
        select(Thread.id, Thread.author_id, Thread.created_at, Category.member_only)
        .join(Category, Category.id == Thread.category_id)
        .where(Thread.kind == ThreadKind.QUESTION, Thread.deleted_at.is_(None),
               Thread.closed_at.is_(None), Thread.reply_count == 0,
               Thread.accepted_post_id.is_(None), Thread.created_at < as_of,
               Thread.created_at >= as_of - timedelta(days=ANSWERABLE_DAYS))
        .order_by(Thread.created_at.desc()).limit(5_000)).all()
    if not questions:
        return 0
    question_index = {q[0]: n for n, q in enumerate(questions)}
    tag_rows = db.session.execute(
        select(thread_tags.c.thread_id, thread_tags.c.tag_id)
        .where(thread_tags.c.thread_id.in_(list(question_index)))).all()
    n_tags = len(data.tag_ids)
    tag_col = {int(t): n for n, t in enumerate(data.tag_ids)}
    answer_tags = sparse.csr_matrix(
        ([float(s) for _, _, s in scored], ([u for u, _, _ in scored],
                                            [tag_col[t] for _, t, _ in scored])),
        shape=(len(user_ids), n_tags))
    question_tags = sparse.csr_matrix(
        (np.ones(len(tag_rows)), ([question_index[q] for q, _ in tag_rows],
                                  [tag_col[t] for _, t in tag_rows])),
        shape=(len(questions), n_tags))
    ages = np.array([(as_of - q[2]).total_seconds() / 86400 for q in questions])
    ranked = rank_answerable(
        answer_tags, question_tags, decay(ages, 7.0),
        authors=np.array([position.get(q[1], -1) for q in questions]),
        member_only=np.array([bool(q[3]) for q in questions]),
        members=data.members[rows], n=ANSWERABLE_STORED)
    tag_names = data.catalogue.tag_names
    out = [dict(run_id=run_id, user_id=int(user_ids[u]), kind="answerable",
                item_id=int(questions[q][0]), rank=rank, score=score,
                reason=answer_reason(tag_names[tag]))
           for u, picks in enumerate(ranked) for rank, (q, score, tag) in enumerate(picks, 1)]
    written = insert_in_batches(Recommendation, out)
    db.session.commit()
    return written


def _store_related(run_id: int, model: Recommender, track) -> int:
    ids = model.catalogue.ids
    written = 0
    for kind, table, key in ((THREAD, RelatedThread, "thread_id"),
                             (COURSE, RelatedCourse, "course_id")):
        out, previous, rank = [], None, 0
        found = related(model, kind, RELATED_STORED,
                        track=lambda items: track(items, label="related"))
        for item, other, score in found:
            rank = rank + 1 if item == previous else 1
            previous = item
            out.append({"run_id": run_id, key: int(ids[item]), "related_id": int(ids[other]),
                        "rank": rank, "score": score})
        written += insert_in_batches(table, out)
        db.session.commit()
    return written


def _prune(current_id: int) -> int:
    """Keep the last RUNS_KEPT finished runs; drop older ones and abandoned (crashed) ones."""
    kept = db.session.scalars(
        select(RecommendationRun.id).where(RecommendationRun.finished_at.is_not(None))
        .order_by(RecommendationRun.id.desc()).limit(RUNS_KEPT)).all()
    stale = db.session.scalars(
        select(RecommendationRun.id).where(RecommendationRun.id.not_in(kept),
                                           RecommendationRun.id < current_id)).all()
    if stale:
        for table in (Recommendation, RelatedThread, RelatedCourse):
            db.session.execute(delete(table).where(table.run_id.in_(stale)))
        db.session.execute(delete(RecommendationRun).where(RecommendationRun.id.in_(stale)))
    db.session.commit()
    return len(stale)
