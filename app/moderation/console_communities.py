"""The console's communities: the latest run as a graph and a table, and a page per
community with all its members, its bridges, the threads its members were busiest in
and its ties to the others.

Both read only what the communities job stored, plus the forum for threads and ties;
each runs a fixed number of queries, whatever the size of the community.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.extensions import db
from app.forum.errors import NotFound
from app.forum.models import Post, Thread
from app.insights import communities
from app.insights.community_ties import WINDOW_DAYS as TIE_WINDOW_DAYS
from app.insights.models.communities import Community, CommunityMember, CommunityRun
from app.moderation import charts
from app.moderation.tables import ConsolePage, Link, Table
from app.timeutil import utcnow
from app.web.pagination import Page, paginate

TOP_MEMBERS = 3
MEMBERS_PER_PAGE = 50
ACTIVE_DAYS = 30
ACTIVE_THREADS = 10


def communities_page(now: datetime | None = None) -> ConsolePage:
    """The latest communities as a picture and a table: size, growth since the run before,
    most central members and bridges; each links to its own page (5 queries)."""
    found = communities.latest_communities()
    if not found:
        return ConsolePage("Communities", "The communities job has not found any yet.")
    run = db.session.get(CommunityRun, found[0].run_id)
    before = _previous_sizes(run)
    people = _users({u for c in found for u in c.central[:TOP_MEMBERS] + c.bridges[:TOP_MEMBERS]})
    index = {c.community_key: i for i, c in enumerate(found)}
    links = [charts.Link(index[a], index[b], weight)
             for (a, b), weight in _ties_between(run).items() if a in index and b in index]
    pages = {c.community_key: url_for("console.community", community_key=c.community_key)
             for c in found}
    return ConsolePage(
        "Communities", f"The communities found on {run.as_of:%d %b %Y}; links are answers "
        f"and replies between their members in the {TIE_WINDOW_DAYS} days before.",
        figures=[("Communities", str(len(found))), ("Members", str(sum(c.size for c in found))),
                 ("Modularity", f"{run.modularity:.2f}")],
        pictures=[("The community graph", charts.graph_picture(
            [charts.Node(c.label, c.size, ", ".join(c.tags), href=pages[c.community_key])
             for c in found], links, title="Communities"))],
        tables={"communities": Table("Communities", (
            "community", "tags", "size", "growth", "top_members", "bridges"), [
            (Link(c.label, pages[c.community_key]), ", ".join(c.tags), c.size,
             c.size - before[c.community_key] if c.community_key in before else None,
             _names(people, c.central[:TOP_MEMBERS]), _names(people, c.bridges[:TOP_MEMBERS]))
            for c in found])})


@dataclass(frozen=True)
class Member:
    """A row of a community's member list: who, how central, how far their ties reach."""

    user: User
    centrality: float
    participation: float
    roles: str  # "central", "bridge", both or neither


@dataclass(frozen=True)
class ActiveThread:
    thread: Thread
    posts: int
    people: int


@dataclass(frozen=True)
class Tie:
    community: Community
    weight: int


@dataclass(frozen=True)
class CommunityDetail:
    community: Community
    run: CommunityRun
    growth: int | None  # members gained since the run before; None when it is new
    members: Page  # of `Member`, most central first
    bridges: list[Member]
    threads: list[ActiveThread]
    ties: list[Tie]  # heaviest first

    active_days = ACTIVE_DAYS


def community_detail(key: int, *, page: int, now: datetime | None = None) -> CommunityDetail:
    """One community of the latest run, by its key (8 queries). Its members are paged,
    `MEMBERS_PER_PAGE` at a time; its threads are those its members posted in most in the
    last `ACTIVE_DAYS` days; its ties are counted as on the communities page."""
    found = communities.latest_communities()
    community = next((c for c in found if c.community_key == key), None)
    if community is None:
        raise NotFound("There is no such community in the latest run.")
    run = db.session.get(CommunityRun, community.run_id)
    before = _previous_sizes(run).get(key)
    members = paginate(_members(community).order_by(
        CommunityMember.centrality.desc(), User.id), page=page, per_page=MEMBERS_PER_PAGE,
        scalars=False)
    bridges = {row[0].id: row for row in db.session.execute(
        _members(community).where(CommunityMember.user_id.in_(community.bridges)))}
    others = {c.community_key: c for c in found}
    ties = [Tie(others[b if a == key else a], weight)
            for (a, b), weight in _ties_between(run).items()
            if key in (a, b) and (b if a == key else a) in others]
    return CommunityDetail(
        community, run, None if before is None else community.size - before,
        Page([_member(community, *row) for row in members.items], members.page,
             members.per_page, members.total),
        [_member(community, *bridges[i]) for i in community.bridges if i in bridges],
        _active_threads(community, (now or utcnow()) - timedelta(days=ACTIVE_DAYS)),
        sorted(ties, key=lambda tie: (-tie.weight, tie.community.community_key)))


def _members(community: Community):
    return (select(User, CommunityMember.centrality, CommunityMember.participation)
            .join(CommunityMember, CommunityMember.user_id == User.id)
            .where(CommunityMember.run_id == community.run_id,
                   CommunityMember.community_key == community.community_key))


def _member(community: Community, user: User, centrality: float,
            participation: float) -> Member:
    roles = [role for role, ids in (("central", community.central),
                                    ("bridge", community.bridges)) if user.id in ids]
    return Member(user, centrality, participation, ", ".join(roles))


def _active_threads(community: Community, since: datetime) -> list[ActiveThread]:
    """The live threads with the most posts by the community's members since `since`."""
    posts = func.count(Post.id).label("posts")
    rows = db.session.execute(
        select(Thread, posts, func.count(func.distinct(Post.author_id)))
        .join(Post, Post.thread_id == Thread.id)
        .join(CommunityMember, and_(CommunityMember.user_id == Post.author_id,
                                    CommunityMember.run_id == community.run_id,
                                    CommunityMember.community_key == community.community_key))
        .where(Post.created_at >= since, Post.deleted_at.is_(None), Thread.deleted_at.is_(None))
        .group_by(Thread.id).order_by(posts.desc(), Thread.id.desc()).limit(ACTIVE_THREADS))
    return [ActiveThread(thread, n, people) for thread, n, people in rows]


def _previous_sizes(run: CommunityRun) -> dict[int, int]:
    """Sizes by key in the finished run before `run`: what growth is measured from."""
    previous = (select(CommunityRun.id)
                .where(CommunityRun.finished_at.is_not(None), CommunityRun.as_of < run.as_of)
                .order_by(CommunityRun.as_of.desc()).limit(1).scalar_subquery())
    return dict(db.session.execute(select(Community.community_key, Community.size)
                                   .where(Community.run_id == previous)).all())


def _ties_between(run: CommunityRun) -> dict[tuple[int, int], int]:
    """Answers and replies from members of one community to members of another in the
    window the run read, by unordered pair of community keys."""
    replier, asker = aliased(CommunityMember), aliased(CommunityMember)
    rows = db.session.execute(
        select(replier.community_key, asker.community_key, func.count())
        .select_from(Post).join(Thread, Thread.id == Post.thread_id)
        .join(replier, and_(replier.user_id == Post.author_id, replier.run_id == run.id))
        .join(asker, and_(asker.user_id == Thread.author_id, asker.run_id == run.id))
        .where(Post.is_first.is_(False), Post.deleted_at.is_(None), Thread.deleted_at.is_(None),
               replier.community_key != asker.community_key,
               Post.created_at >= run.as_of - timedelta(days=TIE_WINDOW_DAYS),
               Post.created_at < run.as_of)
        .group_by(replier.community_key, asker.community_key))
    ties: dict[tuple[int, int], int] = defaultdict(int)
    for a, b, n in rows:
        ties[(min(a, b), max(a, b))] += n
    return dict(ties)


def _users(ids: set[int]) -> dict[int, User]:
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} \
        if ids else {}


def _names(people: dict[int, User], ids: list[int]) -> str:
    return ", ".join(people[i].username for i in ids if i in people)
