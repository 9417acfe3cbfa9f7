"""The thread-list queries: home, /threads, a category, a tag, the sidebar counts.

Every list is built by `thread_list_query`, and every read of threads for a viewer goes
through `visible_to`, so the member-only rule and "deleted threads never listed" are
written once in SQL (search uses the same clause).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, func, not_, or_, select, true
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.forum.models import Category, Tag, Thread, ThreadKind, thread_tags
from app.forum.permissions import can_view, is_member
from app.timeutil import utcnow
from app.web.kept import kept_for
from app.web.pagination import Page, capped_count, paginate

SORTS = ("active", "newest", "top", "unanswered")
PERIODS = {"week": 7, "month": 30, "year": 365, "all": None}
KINDS = tuple(ThreadKind)


@dataclass(frozen=True)
class ThreadFilters:
    """What a thread list shows; unknown values fall back to defaults, never to errors."""

    sort: str = "active"
    period: str = "all"
    kind: str | None = None

    @classmethod
    def parse(cls, args, *, default_sort: str = "active") -> "ThreadFilters":
        sort = args.get("sort", default_sort)
        period = args.get("period", "all")
        kind = args.get("kind")
        return cls(
            sort=sort if sort in SORTS else default_sort,
            period=period if period in PERIODS else "all",
            kind=kind if kind in KINDS else None,
        )


def visible_to(viewer) -> ColumnElement[bool]:
    """Threads the viewer may see listed: live ones, outside member-only categories
    unless the viewer is a member (the SQL twin of `permissions.can_view`)."""
    live = Thread.deleted_at.is_(None)
    if is_member(viewer):
        return live
    public = select(Category.id).where(Category.member_only.is_(False))
    return and_(live, Thread.category_id.in_(public))


def member_only_teasers(viewer, *where: ColumnElement[bool], limit: int) -> list[Thread]:
    """The newest live member-only threads (matching `where`) for a viewer who may not
    read them: their titles and facts are the teaser; nobody shows their bodies. Members
    and staff get none, since they see these threads in the lists themselves."""
    if is_member(viewer):
        return []
    # The ids as values, not a subquery: the planner then reads only these categories'
    # threads instead of walking every thread newest first (150 ms -> 30 ms for a
    # title search at 200,000 threads, PostgreSQL).
    members = list(db.session.scalars(select(Category.id).where(Category.member_only.is_(True))))
    if not members:
        return []
    return list(db.session.scalars(
        select(Thread)
        .where(Thread.deleted_at.is_(None), Thread.category_id.in_(members), *where)
        .options(selectinload(Thread.category), selectinload(Thread.tags))
        .order_by(Thread.created_at.desc(), Thread.id.desc())
        .limit(limit)
    ))


def is_answered() -> ColumnElement[bool]:
    """The SQL twin of `Thread.is_answered`."""
    return or_(Thread.accepted_post_id.is_not(None), Thread.reply_count > 0)


def answered_clause(answered: bool | None) -> ColumnElement[bool]:
    if answered is None:
        return true()
    return is_answered() if answered else not_(is_answered())


def thread_list_query(
    viewer,
    filters: ThreadFilters,
    *,
    category: Category | None = None,
    tag: Tag | None = None,
    course_id: int | None = None,
    now: datetime | None = None,
) -> Select:
    """The select behind every thread list, with authors, categories and tags
    eager-loaded so a page costs the same number of queries whatever its length.

    In a category's list its pinned threads come first. Ties are broken by id so paging
    is stable.
    """
    stmt = (
        select(Thread)
        .where(visible_to(viewer))
        .options(
            selectinload(Thread.author),
            selectinload(Thread.category),
            selectinload(Thread.tags),
        )
    )
    if filters.kind:
        stmt = stmt.where(Thread.kind == filters.kind)
    if category is not None:
        stmt = stmt.where(Thread.category_id == category.id)
    if tag is not None:
        # The tag's own rows, not EXISTS(tag JOIN thread_tag): PostgreSQL would otherwise
        # walk the whole activity index looking for the tag's threads (41 ms -> 1-2 ms for
        # a tag on 5% of 200,000 threads).
        stmt = stmt.where(Thread.id.in_(
            select(thread_tags.c.thread_id).where(thread_tags.c.tag_id == tag.id)))
    if course_id is not None:
        stmt = stmt.where(Thread.course_id == course_id)
    days = PERIODS[filters.period]
    if days is not None:
        stmt = stmt.where(Thread.created_at >= (now or utcnow()) - timedelta(days=days))

    # A category's pinned threads come first whatever the sort (no extra query: a column).
    first = (Thread.pinned_at.is_(None),) if category is not None else ()
    if filters.sort == "newest":
        return stmt.order_by(*first, Thread.created_at.desc(), Thread.id.desc())
    if filters.sort == "top":
        return stmt.order_by(*first, Thread.score.desc(), Thread.created_at.desc(), Thread.id.desc())
    if filters.sort == "unanswered":
        return stmt.where(
            Thread.kind == ThreadKind.QUESTION, answered_clause(answered=False)
        ).order_by(*first, Thread.created_at.desc(), Thread.id.desc())
    return stmt.order_by(*first, Thread.last_activity_at.desc(), Thread.id.desc())


def list_threads(
    viewer,
    filters: ThreadFilters,
    *,
    page: int,
    per_page: int,
    category: Category | None = None,
    tag: Tag | None = None,
    course_id: int | None = None,
) -> Page:
    """One page of a thread list. Its count (up to `LIST_COUNT_CAP`) is kept for
    `LIST_COUNT_SECONDS` per audience and list in this process: counting 10,000 threads
    is a list's costliest query on a large site, and the rows themselves stay fresh."""
    stmt = thread_list_query(viewer, filters, category=category, tag=tag, course_id=course_id)
    config = current_app.config
    which = (is_member(viewer), filters, category and category.id, tag and tag.id, course_id)
    total = kept_for(config["LIST_COUNT_SECONDS"], "list_counts", which,
                     lambda: capped_count(stmt, config["LIST_COUNT_CAP"]))
    return paginate(stmt, page=page, per_page=per_page, total=total)


@dataclass(frozen=True)
class Sidebar:
    categories: list[Category]
    popular_tags: list[tuple[str, int]]


def categories_in_order() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def visible_categories(viewer) -> list[Category]:
    return [c for c in categories_in_order() if can_view(viewer, c)]


def sidebar(viewer) -> Sidebar:
    """Every category (member-only ones show their lock) and the viewer's popular tags."""
    return Sidebar(categories=categories_in_order(), popular_tags=_recent_popular_tags(viewer))


def _recent_popular_tags(viewer) -> list[tuple[str, int]]:
    """`popular_tags` as names and counts, kept for `POPULAR_TAGS_SECONDS` per audience
    (members, everyone else) in this process. Counting every live thread's tags is the
    home page's costliest query on a large site (0.4 s at 200,000 threads), and a
    sidebar a minute behind is fine."""
    return kept_for(current_app.config["POPULAR_TAGS_SECONDS"], "popular_tags",
                    is_member(viewer),
                    lambda: [(tag.name, uses) for tag, uses in popular_tags(viewer)])


def category_thread_counts(viewer) -> dict[int, int]:
    """Live threads per category id, in one grouped query. Member-only categories count
    zero for non-members: the lock is shown, their activity is not."""
    rows = db.session.execute(
        select(Thread.category_id, func.count(Thread.id))
        .where(visible_to(viewer))
        .group_by(Thread.category_id)
    )
    return dict(rows.all())


def _tag_counts(viewer) -> Select:
    """Tags with the number of live threads the viewer can see, most used first."""
    uses = func.count(Thread.id).label("uses")
    return (
        select(Tag, uses)
        .outerjoin(thread_tags, thread_tags.c.tag_id == Tag.id)
        .outerjoin(Thread, and_(Thread.id == thread_tags.c.thread_id, visible_to(viewer)))
        .group_by(Tag.id)
        .order_by(uses.desc(), Tag.name)
    )


def popular_tags(viewer, *, limit: int = 12) -> list[tuple[Tag, int]]:
    stmt = _tag_counts(viewer).having(func.count(Thread.id) > 0).limit(limit)
    return [(tag, uses) for tag, uses in db.session.execute(stmt)]


def list_tags(viewer, *, name_filter: str = "", page: int, per_page: int) -> Page:
    """Tags by popularity; `name_filter` matches anywhere in the name, literally."""
    stmt = _tag_counts(viewer)
    needle = name_filter.strip()
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Tag.name.ilike(f"%{escaped}%", escape="\\"))
    return paginate(stmt, page=page, per_page=per_page, scalars=False)
