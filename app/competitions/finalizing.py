"""Closing a competition: final standings, prizes, badges and the news, exactly once.

`finalize` is one transaction on a locked competition row: the final board (prediction
contests on the private split, with each entrant's public rank and movement), one
`FinalStanding` per ranked entrant, prize points through the ledger (key
`competition:{id}:prize:{user_id}`), a `competition_placed` event per rank (the Podium and
Champion badges listen), a notification to every entrant, and `finalized_at`. Running it
again finds `finalized_at` set and changes nothing; a second process waiting on the lock
finds the same. `finalize_due` is what the scheduler calls every minute.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.competitions import lifecycle
from app.competitions.joining import get_competition
from app.competitions.models import Competition, Entrant, FinalStanding
from app.competitions.standings import PRIVATE, PUBLIC, compute_totals, ranked_rows, with_movement
from app.extensions import db
from app.forum.errors import Conflict
from app.gamification import ledger
from app.insights.services import record
from app.notifications.services import notify
from app.timeutil import utcnow


@dataclass(frozen=True)
class Finalized:
    """What one call did: `done` is False when the competition was already final."""

    competition_id: int
    done: bool
    ranked: int = 0
    prizes_paid: int = 0
    error: str | None = None


def finalize(competition_id: int, *, now: datetime | None = None) -> Finalized:
    """Write the final results of an ended competition; a no-op when already final."""
    now = now or utcnow()
    competition = get_competition(competition_id, lock=True)
    if competition.finalized_at is not None:
        db.session.rollback()
        return Finalized(competition_id, done=False)
    if not competition.published:
        raise Conflict("A draft competition has no results to finalize.")
    if now < competition.ends_at:
        raise Conflict(f"The competition ends at {lifecycle.when(competition.ends_at)}; "
                       "it can be finalized after that.")
    rows = _final_rows(competition)
    prizes = _prize_table(competition)
    paid = 0
    for row in rows:
        points = prizes.get(row.rank, 0)
        db.session.add(FinalStanding(
            competition_id=competition.id, user_id=row.user.id, rank=row.rank,
            score=row.score, reached_at=row.last_improvement_at, entries=row.entries,
            public_rank=row.public_rank, movement=row.movement, prize_points=points,
            created_at=now))
        if points and ledger.award(row.user.id, "competition_prize", points=points,
                                   key=f"competition:{competition.id}:prize:{row.user.id}",
                                   subject=competition, at=now, uncapped=True):
            paid += 1
        record("competition_placed", user=row.user.id, subject=competition, at=now,
               data={"rank": row.rank, "score": row.score, "prize_points": points,
                     "of": len(rows)})
    _tell_entrants(competition, {row.user.id: row for row in rows}, prizes, len(rows), now)
    competition.finalized_at = now
    db.session.commit()
    return Finalized(competition_id, done=True, ranked=len(rows), prizes_paid=paid)


def finalize_due(now: datetime | None = None) -> list[Finalized]:
    """Finalize every published competition that has ended and is not final yet.

    Each in its own transaction: one that fails is rolled back, logged and reported,
    and the others still close; the next run tries the failed one again.
    """
    now = now or utcnow()
    due = list(db.session.scalars(
        select(Competition.id).where(Competition.published.is_(True),
                                     Competition.finalized_at.is_(None),
                                     Competition.ends_at <= now)
        .order_by(Competition.ends_at, Competition.id)))
    results = []
    for competition_id in due:
        try:
            results.append(finalize(competition_id, now=now))
        except Exception as error:  # one bad competition must not block the others
            db.session.rollback()
            current_app.logger.exception("finalizing competition %s failed", competition_id)
            results.append(Finalized(competition_id, done=False, error=str(error)))
    return results


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _final_rows(competition: Competition):
    """The full final board: no freeze, every row up to the end, nothing hidden."""
    if not competition.is_prediction:
        users, totals, greater = compute_totals(competition, board=PUBLIC, as_of=None)
        return ranked_rows(users, totals, greater)
    users, private, greater = compute_totals(competition, board=PRIVATE, as_of=None)
    _, public, _ = compute_totals(competition, board=PUBLIC, as_of=None, users=users)
    return with_movement(ranked_rows(users, private, greater),
                         ranked_rows(users, public, greater))


def _prize_table(competition: Competition) -> dict[int, int]:
    """Rank -> points, from the competition's (non-overlapping) prize tiers."""
    return {rank: tier.points for tier in competition.prizes
            for rank in range(tier.rank_from, tier.rank_to + 1)}


def _tell_entrants(competition: Competition, placed: dict, prizes: dict[int, int],
                   ranked: int, now: datetime) -> None:
    """Every entrant not disqualified hears of the results: the ranked ones their place."""
    entrants = db.session.scalars(select(Entrant.user_id).where(
        Entrant.competition_id == competition.id, Entrant.disqualified_at.is_(None)))
    for user_id in entrants:
        row = placed.get(user_id)
        data = {"competition_id": competition.id, "title": competition.title,
                "slug": competition.slug, "of": ranked}
        if row is not None:
            data |= {"rank": row.rank, "place": ordinal(row.rank),
                     "prize_points": prizes.get(row.rank, 0), "movement": row.movement}
        notify(user_id, "competition", subject=competition, data=data, at=now)
