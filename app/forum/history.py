"""The revision history of a post: each saved version with its diff against the one before."""

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.forum import permissions
from app.forum.errors import NotFound
from app.forum.models import Post, PostRevision
from app.forum.revisions import diff_html
from app.forum.thread_page import get_visible_post


@dataclass(frozen=True)
class RevisionEntry:
    revision: PostRevision
    body_diff: Markup | None  # None for the original: it is shown as it is
    title_diff: Markup | None  # None when the title did not change (or the post has none)
    tags_diff: Markup | None


def load_history(viewer, post_id: int) -> tuple[Post, list[RevisionEntry]]:
    """Newest first. A deleted post's history is as hidden as its text."""
    post = get_visible_post(viewer, post_id)
    if post.is_deleted and not permissions.can_read_deleted(viewer, post):
        raise NotFound("This post was deleted.")
    revisions = db.session.scalars(
        select(PostRevision)
        .where(PostRevision.post_id == post.id)
        .options(joinedload(PostRevision.editor))
        .order_by(PostRevision.number)
    ).all()
    entries, previous = [], None
    for revision in revisions:
        entries.append(_entry(previous, revision))
        previous = revision
    return post, entries[::-1]


def _entry(previous: PostRevision | None, revision: PostRevision) -> RevisionEntry:
    if previous is None:
        return RevisionEntry(revision, None, None, None)
    return RevisionEntry(
        revision,
        body_diff=diff_html(previous.body, revision.body),
        title_diff=_changed(previous.title, revision.title),
        tags_diff=_changed(previous.tags, revision.tags),
    )


def _changed(old: str | None, new: str | None) -> Markup | None:
    return diff_html(old or "", new or "") if (old or "") != (new or "") else None
