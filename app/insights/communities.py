"""Communities: find them in the event log each day, store them, and read the latest.

The job's service reads ties (see `community_ties`), runs Louvain with a fixed seed, keeps
each community's key from the previous run when most of its people are the same, and
writes the run in one transaction. Views only read stored runs.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from app.accounts.models import User
from app.database import insert_in_batches
from app.extensions import db
from app.forum.models import Tag, Thread, thread_tags
from app.insights import graph
from app.insights.community_ties import Participation, read_ties, thread_tag_ids
from app.insights.models.communities import Community, CommunityMember, CommunityRun
from app.timeutil import utcnow

SEED = 42
# Smaller groups are pairs and trios of chance, not communities; their people get none.
MIN_SIZE = 3
CENTRAL = 5
BRIDGES = 5
LABEL_TAGS = 3
# Member rows of older runs are deleted; runs and communities stay, for their history.
KEEP_MEMBER_RUNS = 7


@dataclass(frozen=True)
class CommunityBadge:
    """What a profile shows of someone's community."""

    key: int
    label: str
    tags: list[str]
    size: int


def detect_and_store_communities(*, as_of: datetime, progress) -> dict[str, int]:
    """Find the communities of the 180 days before `as_of` and store them as a new run.

    The run row is committed first, unfinished; its communities, its members and its
    `finished_at` are written in one later transaction, so a crash leaves the previous
    run the latest finished one. Running again for the same `as_of` replaces that run,
    and mints the same keys, so re-runs are idempotent.
    """
    run = CommunityRun(as_of=as_of, started_at=utcnow())
    db.session.add(run)
    db.session.commit()

    found = Participation()
    network = graph.build_graph(read_ties(as_of, progress, found))
    communities, modularity = graph.detect_communities(network, seed=SEED)
    scores = graph.member_scores(network, communities)
    kept = [c for c in communities if len(c) >= MIN_SIZE]
    previous = _previous_members(as_of)
    keyed = graph.match_communities(previous, kept, _next_key(as_of))
    labels = _label(keyed, found)

    db.session.execute(delete(CommunityRun).where(CommunityRun.as_of == as_of,
                                                  CommunityRun.id != run.id))
    run.modularity = modularity
    run.users, run.edges = network.number_of_nodes(), network.number_of_edges()
    run.communities = len(keyed)
    run.sizes = [len(members) for members in keyed.values()]
    insert_in_batches(Community, [
        {"run_id": run.id, "community_key": key, "label": _label_text(key, labels[key]),
         "tags": labels[key], "size": len(members),
         "central": graph.central_members(scores, members, CENTRAL),
         "bridges": graph.bridge_members(scores, members, BRIDGES)}
        for key, members in keyed.items()
    ])
    insert_in_batches(CommunityMember, (
        {"run_id": run.id, "user_id": user_id, "community_key": key,
         "centrality": scores[user_id][0], "participation": scores[user_id][1],
         "is_bridge": scores[user_id][1] >= graph.BRIDGE_MIN_PARTICIPATION}
        for key, members in keyed.items() for user_id in members
    ))
    run.finished_at = utcnow()
    _prune_members()
    db.session.commit()
    return {
        "events": found.events,
        "users": run.users,
        "edges": run.edges,
        "communities": run.communities,
        "members": sum(run.sizes),
        "new_communities": len(keyed.keys() - previous.keys()),
    }


def latest_run() -> CommunityRun | None:
    """The finished run of the latest day (a replayed older day does not displace it)."""
    return db.session.scalar(_latest_run_query())


def latest_communities() -> list[Community]:
    """The latest finished run's communities, largest first."""
    return list(db.session.scalars(
        select(Community)
        .where(Community.run_id == _latest_run_query().with_only_columns(CommunityRun.id)
               .scalar_subquery())
        .order_by(Community.size.desc(), Community.community_key)
    ))


def community_of(user_id: int) -> CommunityBadge | None:
    """`user_id`'s community in the latest finished run, in one query; None when they have
    none, or have turned personalisation off since."""
    row = db.session.execute(
        select(Community.community_key, Community.label, Community.tags, Community.size)
        .join(CommunityMember, (CommunityMember.run_id == Community.run_id)
              & (CommunityMember.community_key == Community.community_key))
        .join(User, User.id == CommunityMember.user_id)
        .where(
            CommunityMember.user_id == user_id,
            CommunityMember.run_id == _latest_run_query().with_only_columns(CommunityRun.id)
            .scalar_subquery(),
            User.personalise.is_(True),
        )
    ).first()
    return CommunityBadge(*row) if row else None


def _latest_run_query():
    return (
        select(CommunityRun)
        .where(CommunityRun.finished_at.is_not(None))
        .order_by(CommunityRun.as_of.desc(), CommunityRun.id.desc())
        .limit(1)
    )


def _previous_members(as_of: datetime) -> dict[int, set[int]]:
    """Members by key of the latest finished run before `as_of`: what keys are matched to."""
    run_id = (
        _latest_run_query().where(CommunityRun.as_of < as_of)
        .with_only_columns(CommunityRun.id).scalar_subquery()
    )
    members: dict[int, set[int]] = {}
    rows = db.session.execute(
        select(CommunityMember.community_key, CommunityMember.user_id)
        .where(CommunityMember.run_id == run_id)
        .execution_options(yield_per=10_000)
    )
    for key, user_id in rows:
        members.setdefault(key, set()).add(user_id)
    return members


def _next_key(as_of: datetime) -> int:
    """One past every key ever given, leaving out the run this one replaces, whose new
    keys it gives again."""
    highest = db.session.scalar(
        select(func.max(Community.community_key))
        .join(CommunityRun, CommunityRun.id == Community.run_id)
        .where(CommunityRun.as_of != as_of)
    )
    return (highest or 0) + 1


def _label(keyed: dict[int, set[int]], found: Participation) -> dict[int, list[str]]:
    """Each community's distinguishing tags: those of the threads its members took part
    in (each thread counted once per community), against all live threads of the site."""
    community_of_user = {u: key for key, members in keyed.items() for u in members}
    tags = thread_tag_ids(found.threads)
    counts: dict[int, Counter] = {key: Counter() for key in keyed}
    for thread_id, people in found.threads.items():
        for key in {community_of_user[u] for u in people if u in community_of_user}:
            counts[key].update(tags.get(thread_id, ()))
    site = Counter(dict(db.session.execute(
        select(thread_tags.c.tag_id, func.count())
        .join(Thread, Thread.id == thread_tags.c.thread_id)
        .where(Thread.deleted_at.is_(None))
        .group_by(thread_tags.c.tag_id)
    ).all()))
    total = db.session.scalar(select(func.count(Thread.id)).where(Thread.deleted_at.is_(None)))
    chosen = graph.label_tags([counts[key] for key in keyed], site, total or 0, k=LABEL_TAGS)
    names = dict(db.session.execute(
        select(Tag.id, Tag.name).where(Tag.id.in_(sorted({t for ids in chosen for t in ids})))
    ).all())
    return {key: [names[t] for t in ids] for key, ids in zip(keyed, chosen, strict=True)}


def _label_text(key: int, tags: list[str]) -> str:
    return " · ".join(tags[:2]) if tags else f"Community {key}"


def _prune_members() -> None:
    keep = (
        select(CommunityRun.id)
        .where(CommunityRun.finished_at.is_not(None))
        .order_by(CommunityRun.as_of.desc(), CommunityRun.id.desc())
        .limit(KEEP_MEMBER_RUNS)
    )
    db.session.execute(delete(CommunityMember).where(CommunityMember.run_id.not_in(keep)))
