"""What the badge pages show: the catalogue, one badge's holders, a user's badges.

Read-only, and each a fixed number of queries whatever the number of awards: counts
are grouped in the database, and the things awards are about (threads, posts, tags)
are loaded for a whole page at once.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.forum import permissions
from app.forum.models import Post, Tag, Thread
from app.gamification.badges import BADGES, BADGES_BY_SLUG, KINDS, TIERS, Badge, tier_counts
from app.gamification.models import BadgeAward
from app.web.pagination import Page, paginate

HOLDERS_PER_PAGE = 30
PROFILE_BADGES_SHOWN = 30


@dataclass(frozen=True)
class CatalogueEntry:
    badge: Badge
    holders: int  # people holding it at least once
    mine: bool  # the viewer holds it


@dataclass(frozen=True)
class Catalogue:
    sections: list[tuple[str, list[CatalogueEntry]]]  # (section title, entries)
    total: int


def catalogue(viewer) -> Catalogue:
    """Every badge by section, in catalogue order (bronze to gold), with how many people
    hold it: one grouped query, and one more for the viewer's own badges."""
    holders = dict(
        db.session.execute(
            select(BadgeAward.badge, func.count(func.distinct(BadgeAward.user_id))).group_by(
                BadgeAward.badge
            )
        ).all()
    )
    mine = set()
    if viewer is not None and viewer.is_authenticated:
        mine = set(db.session.scalars(
            select(BadgeAward.badge).where(BadgeAward.user_id == viewer.id).distinct()
        ))
    sections = []
    for kind, title in KINDS.items():
        entries = [
            CatalogueEntry(b, holders.get(b.slug, 0), b.slug in mine) for b in BADGES if b.kind == kind
        ]
        sections.append((title, entries))
    return Catalogue(sections=sections, total=len(BADGES))


@dataclass(frozen=True)
class Holders:
    badge: Badge
    page: Page  # of BadgeAward, newest first, with `user` loaded
    people: int  # distinct holders
    subjects: dict = field(default_factory=dict)  # (type, id) -> Thread | Post | Tag shown


def badge_holders(slug: str, viewer, *, page: int) -> Holders | None:
    """One badge with its awards, most recent first; None for an unknown slug.

    Threads and posts an award is about are only named when the viewer may read them
    (member-only categories stay unnamed).
    """
    badge = BADGES_BY_SLUG.get(slug)
    if badge is None:
        return None
    stmt = (
        select(BadgeAward)
        .options(joinedload(BadgeAward.user))
        .where(BadgeAward.badge == slug)
        .order_by(BadgeAward.awarded_at.desc(), BadgeAward.id.desc())
    )
    awards = paginate(stmt, page=page, per_page=HOLDERS_PER_PAGE)
    people = db.session.scalar(
        select(func.count(func.distinct(BadgeAward.user_id))).where(BadgeAward.badge == slug)
    )
    return Holders(badge, awards, people or 0, _visible_subjects(awards.items, viewer))


def _visible_subjects(awards: list[BadgeAward], viewer) -> dict:
    ids: dict[str, set[int]] = {}
    for award in awards:
        if award.subject_id is not None:
            ids.setdefault(award.subject_type, set()).add(award.subject_id)
    found: dict = {}
    if ids.get("thread"):
        threads = db.session.scalars(
            select(Thread).options(joinedload(Thread.category)).where(Thread.id.in_(ids["thread"]))
        )
        found.update({("thread", t.id): t for t in threads if _readable(viewer, t)})
    if ids.get("post"):
        posts = db.session.scalars(
            select(Post)
            .options(joinedload(Post.thread).joinedload(Thread.category))
            .where(Post.id.in_(ids["post"]))
        )
        found.update(
            {("post", p.id): p for p in posts if not p.is_deleted and _readable(viewer, p.thread)}
        )
    if ids.get("tag"):
        tags = db.session.scalars(select(Tag).where(Tag.id.in_(ids["tag"])))
        found.update({("tag", t.id): t for t in tags})
    return found


def _readable(viewer, thread: Thread) -> bool:
    return not thread.is_deleted and permissions.can_view_thread(viewer, thread)


@dataclass(frozen=True)
class HeldBadge:
    badge: Badge
    name: str  # the tag's name for a tag badge
    times: int
    last_awarded_at: datetime


@dataclass(frozen=True)
class UserBadges:
    counts: dict[str, int]  # awards per tier, gold first
    by_tier: list[tuple[str, list[HeldBadge]]]  # tiers that have badges, gold first
    more: int  # distinct badges not shown

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def user_badges(user) -> UserBadges:
    """A profile's badges in one query: each badge (each tag for tag badges) with how
    often it was earned, gold first, then the most recent."""
    rows = db.session.execute(
        select(BadgeAward.badge, Tag.name, func.count(), func.max(BadgeAward.awarded_at))
        .outerjoin(Tag, and_(BadgeAward.subject_type == "tag", Tag.id == BadgeAward.subject_id))
        .where(BadgeAward.user_id == user.id)
        .group_by(BadgeAward.badge, Tag.name)
    ).all()
    held = [
        HeldBadge(BADGES_BY_SLUG[slug], BADGES_BY_SLUG[slug].display_name(tag), times, last)
        for slug, tag, times, last in rows
        if slug in BADGES_BY_SLUG
    ]
    counts = tier_counts((h.badge.tier, h.times) for h in held)
    held.sort(key=lambda h: h.last_awarded_at, reverse=True)
    held.sort(key=lambda h: TIERS.index(h.badge.tier))
    shown = held[:PROFILE_BADGES_SHOWN]
    by_tier = [(tier, [h for h in shown if h.badge.tier == tier]) for tier in TIERS]
    return UserBadges(
        counts=counts,
        by_tier=[(tier, items) for tier, items in by_tier if items],
        more=len(held) - len(shown),
    )
