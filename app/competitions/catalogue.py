"""Reading competitions: the list (running, upcoming, past) and a competition's page.

Every function runs a fixed number of queries whatever the number of competitions or
entrants: counts come from one grouped query, prizes from `selectinload`.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.competitions import lifecycle
from app.competitions.ground_truth import TruthInfo, truth_info
from app.competitions.joining import entrant_of
from app.competitions.metrics import METRICS, Metric
from app.competitions.models import Competition, Entrant, FinalStanding, PrizeTier
from app.competitions.permissions import (
    can_organise,
    can_view,
    can_view_details,
    can_view_private_board,
    entry_problem,
    is_staff,
    needs_membership,
    submit_problem,
)
from app.competitions.predictions import Quota, quota_of
from app.extensions import db
from app.forum.errors import NotFound
from app.timeutil import utcnow

PAST_SHOWN = 50


@dataclass(frozen=True)
class CompetitionCard:
    """A competition with what the list shows next to it."""

    competition: Competition
    status: str
    entrants: int
    locked: bool  # member-only and the viewer is not a member: a teaser


@dataclass(frozen=True)
class Overview:
    running: list[CompetitionCard]  # running and frozen, ending soonest first
    upcoming: list[CompetitionCard]  # starting soonest first
    past: list[CompetitionCard]  # ended or final, latest first (the last PAST_SHOWN)
    drafts: list[CompetitionCard]  # staff only; empty for everyone else


@dataclass(frozen=True)
class CompetitionPage:
    """Everything the competition page needs besides its tabs' own lists.

    `locked` pages show the teaser (title, summary, dates) and "Become a member"; their
    description, rules, data and boards stay out. `join_problem` and `submit_problem`
    are the messages to show instead of the buttons (None: the button works).
    """

    competition: Competition
    status: str
    status_label: str
    countdown_to: datetime | None
    locked: bool
    entrant: Entrant | None
    entrants: int
    join_problem: str | None
    submit_problem: str | None
    prizes: list[PrizeTier]
    metric: Metric | None
    truth: TruthInfo | None  # prediction contests, for organisers only
    quota: Quota | None  # prediction contests, for entrants
    may_organise: bool
    private_board_visible: bool


def competitions_overview(viewer, *, now: datetime | None = None) -> Overview:
    """Published competitions sorted into running, upcoming and past (two queries)."""
    now = now or utcnow()
    staff = is_staff(viewer)
    stmt = select(Competition).order_by(Competition.starts_at, Competition.id)
    if not staff:
        stmt = stmt.where(Competition.published.is_(True))
    competitions = list(db.session.scalars(stmt))
    counts = entrant_counts([c.id for c in competitions])
    groups: dict[str, list[CompetitionCard]] = {"running": [], "upcoming": [], "past": [],
                                                "drafts": []}
    for competition in competitions:
        state = lifecycle.status(competition, now)
        card = CompetitionCard(competition, state, counts.get(competition.id, 0),
                               needs_membership(viewer, competition))
        groups[_group(state)].append(card)
    groups["running"].sort(key=lambda card: card.competition.ends_at)
    groups["past"].sort(key=lambda card: card.competition.ends_at, reverse=True)
    return Overview(running=groups["running"], upcoming=groups["upcoming"],
                    past=groups["past"][:PAST_SHOWN], drafts=groups["drafts"])


def visible_competition(viewer, slug: str) -> Competition:
    """The competition at `slug` with its prizes, if `viewer` may see its page at all."""
    competition = db.session.scalar(
        select(Competition).where(Competition.slug == slug)
        .options(selectinload(Competition.prizes)))
    if competition is None or not can_view(viewer, competition):
        raise NotFound("We could not find that competition.")
    return competition


def competition_page(viewer, slug: str, *, now: datetime | None = None) -> CompetitionPage:
    """The overview tab and the facts every tab's header shows."""
    now = now or utcnow()
    competition = visible_competition(viewer, slug)
    entrant = entrant_of(viewer, competition)
    join = entry_problem(viewer, competition, entrant, now)
    submit = submit_problem(viewer, competition, entrant, now)
    details = can_view_details(viewer, competition)
    organiser = can_organise(viewer)
    quota = None
    if competition.is_prediction and entrant is not None and details:
        quota = quota_of(viewer, competition, now=now)
    state = lifecycle.status(competition, now)
    return CompetitionPage(
        competition=competition, status=state, status_label=lifecycle.LABELS[state],
        countdown_to=lifecycle.countdown_target(competition, now),
        locked=not details, entrant=entrant,
        entrants=entrant_counts([competition.id]).get(competition.id, 0),
        join_problem=None if join is None or entrant is not None else join.message,
        submit_problem=None if submit is None else submit.message,
        prizes=list(competition.prizes),
        metric=METRICS.get(competition.metric) if competition.is_prediction else None,
        truth=truth_info(competition) if organiser and competition.is_prediction else None,
        quota=quota, may_organise=organiser,
        private_board_visible=(competition.is_prediction
                               and can_view_private_board(viewer, competition, now)),
    )


def entrant_counts(competition_ids: list[int]) -> dict[int, int]:
    """Entrants (not disqualified) per competition, in one grouped query."""
    if not competition_ids:
        return {}
    rows = db.session.execute(
        select(Entrant.competition_id, func.count(Entrant.id))
        .where(Entrant.competition_id.in_(competition_ids), Entrant.disqualified_at.is_(None))
        .group_by(Entrant.competition_id))
    return dict(rows.all())


def _group(state: str) -> str:
    if state == lifecycle.DRAFT:
        return "drafts"
    if state == lifecycle.SCHEDULED:
        return "upcoming"
    if state in (lifecycle.RUNNING, lifecycle.FROZEN):
        return "running"
    return "past"


def winners(competitions: list[Competition]) -> dict[int, User]:
    """The first place of each finalized competition in the list, in one query."""
    ids = [c.id for c in competitions if c.finalized_at is not None]
    if not ids:
        return {}
    found = db.session.scalars(
        select(FinalStanding).where(FinalStanding.competition_id.in_(ids),
                                    FinalStanding.rank == 1)
        .options(joinedload(FinalStanding.user)))
    return {row.competition_id: row.user for row in found}
