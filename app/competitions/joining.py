"""Entering a competition: joining accepts its rules, and happens once per person.

`competition_entered` is recorded with the `Entrant` row that it announces, so the
unique key on (competition, user) makes the event (and the Competitor badge that
listens for it) happen once, even when two joins race. Competitions that do not require
joining enter people at their first answer, hint or file (`enter_in_transaction`).
"""

from datetime import datetime

from sqlalchemy import select

from app.competitions import lifecycle
from app.competitions.models import Competition, Entrant
from app.competitions.permissions import entry_problem
from app.extensions import db
from app.forum.errors import NotFound
from app.forum.savepoint import insert_once
from app.insights.services import record
from app.timeutil import utcnow


def get_competition(competition_id: int, *, lock: bool = False) -> Competition:
    """The competition, or NotFound; `lock` holds its row until the transaction ends."""
    stmt = select(Competition).where(Competition.id == competition_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    competition = db.session.scalar(stmt)
    if competition is None:
        raise NotFound("We could not find that competition.")
    return competition


def entrant_of(user, competition: Competition, *, lock: bool = False) -> Entrant | None:
    """`user`'s entry in `competition`, disqualified or not (None for anonymous viewers).

    `lock` holds the row (FOR UPDATE), which serialises one person's attempts and uploads
    so two requests at once cannot both slip under a limit.
    """
    if not (user is not None and user.is_authenticated):
        return None
    stmt = select(Entrant).where(Entrant.competition_id == competition.id,
                                 Entrant.user_id == user.id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(stmt)


def join(user, competition_id: int, *, now: datetime | None = None) -> Entrant:
    """Join (accepting the rules); joining again returns the first entry unchanged."""
    now = now or utcnow()
    competition = get_competition(competition_id)
    existing = entrant_of(user, competition)
    problem = entry_problem(user, competition, existing, now)
    if problem is not None:
        raise problem
    if existing is not None:
        return existing
    entrant = enter_in_transaction(user, competition, now)
    db.session.commit()
    return entrant


def enter_in_transaction(user, competition: Competition, now: datetime) -> Entrant:
    """The caller's entry, made now if it does not exist yet; never commits."""
    entrant = Entrant(competition_id=competition.id, user_id=user.id, joined_at=now)
    if not insert_once(entrant):
        return entrant_of(user, competition)
    record("competition_entered", user=user, subject=competition, at=now,
           data={"kind": competition.kind, "status": lifecycle.status(competition, now)})
    return entrant
