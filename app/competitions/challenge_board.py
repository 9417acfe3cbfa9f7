"""Reading a challenge set: the challenges as one viewer may see them, with their values.

Six queries whatever the number of challenges, hints or solves: the challenges with
their prerequisites and hints, the solve counts that set the values, and the viewer's
own solves and unlocks. Statements stay hidden until the start (except from staff);
a challenge behind unsolved prerequisites shows its title and what opens it. Values
and solve counts follow the board: frozen for non-staff from the freeze.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.competitions import boards, lifecycle
from app.competitions.models import Challenge, Competition, Entrant, HintUnlock, Solve
from app.competitions.permissions import can_view, can_view_details, is_staff
from app.extensions import db
from app.forum.errors import MembersOnly, NotFound
from app.timeutil import utcnow


@dataclass(frozen=True)
class HintCard:
    hint_id: int
    cost: int
    unlocked: bool
    text_html: str | None  # None until unlocked (staff, and everyone after the end, see it)


@dataclass(frozen=True)
class ChallengeCard:
    challenge: Challenge
    value: int  # what solving it is worth now, to everyone who has
    solves: int
    solved_at: datetime | None  # when the viewer solved it
    locked_by: list[str]  # titles of prerequisites the viewer has not solved yet
    statement_html: str | None  # None while locked
    hints: list[HintCard]
    first_blood: list[int]  # bonuses of the first solvers, first solver first

    @property
    def solved(self) -> bool:
        return self.solved_at is not None

    @property
    def locked(self) -> bool:
        return bool(self.locked_by)


@dataclass(frozen=True)
class ChallengeList:
    cards: list[ChallengeCard]
    hidden_until: datetime | None  # set when the challenges are not shown before the start

    @property
    def categories(self) -> list[str]:
        """The categories in the order their first challenge comes, for grouping."""
        return list(dict.fromkeys(card.challenge.category for card in self.cards))


def challenge_list(viewer, competition: Competition, *,
                   now: datetime | None = None) -> ChallengeList:
    """The challenges tab of a challenge set for `viewer`."""
    now = now or utcnow()
    if not can_view(viewer, competition):
        raise NotFound("We could not find that competition.")
    if not can_view_details(viewer, competition):
        raise MembersOnly("The challenges of this competition are for members.")
    staff = is_staff(viewer)
    state = lifecycle.status(competition, now)
    if not staff and state in (lifecycle.DRAFT, lifecycle.SCHEDULED):
        return ChallengeList([], hidden_until=competition.starts_at)
    challenges = list(db.session.scalars(
        select(Challenge).where(Challenge.competition_id == competition.id)
        .options(selectinload(Challenge.prerequisites), selectinload(Challenge.hints))
        .order_by(Challenge.position, Challenge.id)))
    counts = _solve_counts(competition, lifecycle.board_cutoff(competition, now, staff=staff))
    mine = _my_solves(viewer, competition)
    unlocked = _my_unlocks(viewer, competition)
    open_all = staff or lifecycle.is_over(competition, now)
    cards = []
    for challenge in challenges:
        locked_by = [] if open_all else [p.title for p in challenge.prerequisites
                                         if p.id not in mine]
        rule = boards.ChallengeRule(challenge.id, challenge.scoring, challenge.value,
                                    challenge.initial, challenge.minimum, challenge.decay)
        cards.append(ChallengeCard(
            challenge=challenge, value=boards.challenge_value(rule, counts.get(challenge.id, 0)),
            solves=counts.get(challenge.id, 0), solved_at=mine.get(challenge.id),
            locked_by=locked_by,
            statement_html=None if locked_by else challenge.statement_html,
            hints=[HintCard(h.id, h.cost, h.id in unlocked,
                            h.text_html if (h.id in unlocked or open_all) else None)
                   for h in challenge.hints] if not locked_by else [],
            first_blood=list(challenge.first_blood or ()),
        ))
    return ChallengeList(cards, hidden_until=None)


def _solve_counts(competition: Competition, cutoff: datetime | None) -> dict[int, int]:
    """Solves per challenge by entrants who are not disqualified (what sets the values)."""
    stmt = (select(Solve.challenge_id, func.count(Solve.id))
            .join(Entrant, (Entrant.user_id == Solve.user_id)
                  & (Entrant.competition_id == Solve.competition_id))
            .where(Solve.competition_id == competition.id, Entrant.disqualified_at.is_(None))
            .group_by(Solve.challenge_id))
    if cutoff is not None:
        stmt = stmt.where(Solve.solved_at < cutoff)
    return dict(db.session.execute(stmt).all())


def _my_solves(viewer, competition: Competition) -> dict[int, datetime]:
    if not (viewer is not None and viewer.is_authenticated):
        return {}
    return dict(db.session.execute(select(Solve.challenge_id, Solve.solved_at).where(
        Solve.competition_id == competition.id, Solve.user_id == viewer.id)).all())


def _my_unlocks(viewer, competition: Competition) -> set[int]:
    if not (viewer is not None and viewer.is_authenticated):
        return set()
    return set(db.session.scalars(select(HintUnlock.hint_id).where(
        HintUnlock.competition_id == competition.id, HintUnlock.user_id == viewer.id)))
