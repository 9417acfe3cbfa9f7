"""Leaderboards: who is where, as of when, for whom.

`get_standings` is the one door, as CTFd's is: every board, page and the finalizer
read standings through it (or `compute_totals` under it), so the tie-break is written
once. It runs a fixed number of queries whatever the number of entrants: the entrants
with their users, then the rows that score (challenges, solves and hint unlocks; or
submissions), summed in `boards` and ranked by `scoring.rank`.
"""

from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.competitions import boards, lifecycle
from app.competitions.metrics import get_metric
from app.competitions.models import (
    Challenge,
    Competition,
    Entrant,
    FinalStanding,
    HintUnlock,
    Solve,
    Submission,
)
from app.competitions.permissions import (
    can_view,
    can_view_details,
    can_view_private_board,
    is_staff,
)
from app.competitions.scoring import Entry, movement, rank
from app.extensions import db
from app.forum.errors import MembersOnly, NotFound, PermissionDenied
from app.timeutil import utcnow

PUBLIC, PRIVATE = "public", "private"
BOARDS = (PUBLIC, PRIVATE)


@dataclass(frozen=True)
class StandingRow:
    """One line of a board. `public_rank` and `movement` (places gained when the private
    board decided; negative is down) are filled on prediction contests' private board."""

    rank: int
    user: User
    score: float
    entries: int  # challenges solved, or files submitted
    last_improvement_at: datetime  # when the score was reached: the tie-break
    public_rank: int | None = None
    movement: int | None = None


@dataclass(frozen=True)
class Standings:
    competition: Competition
    board: str
    rows: list[StandingRow]
    as_of: datetime | None  # rows count what happened before this moment; None: live
    frozen: bool  # the viewer sees the board as it stood at the freeze
    greater_is_better: bool
    score_label: str  # "Points", or the metric's name


@dataclass(frozen=True)
class Series:
    """One entrant's line on the score-over-time chart: (time, score) after each change."""

    user: User
    points: list[tuple[datetime, float]]


def get_standings(competition: Competition, viewer, *, board: str = PUBLIC,
                  as_of: datetime | None = None, now: datetime | None = None) -> Standings:
    """The ranked board of `competition` as `viewer` may see it.

    Ranking: best score first (for error metrics such as RMSE, lowest first). Ties go
    to whoever reached the score earlier: for a challenge set, the time of the last
    solve or paid hint that made the score; for a prediction contest, the time of the
    first submission that scored it. Entrants equal on both are ordered by user id, so
    the order never changes between two renders, and every row gets its own rank.

    Only entrants with a solve (challenge sets) or a submission (prediction contests)
    appear; disqualified entrants never do, nor count toward challenge values or first
    blood. `board` is "public" or "private" for prediction contests; the private board
    is shown to staff, and to others once the competition has ended. Challenge sets have
    one board. From `freeze_at` until the results are final, non-staff see the board as
    it stood at the freeze; `as_of` asks for an earlier moment (both count rows strictly
    before the cutoff).
    """
    return _board(competition, viewer, board, as_of, now or utcnow())[0]


def score_history(competition: Competition, viewer=None, *, top: int = 10,
                  now: datetime | None = None) -> list[Series]:
    """The public board's leaders' scores over time, best first, for the chart.

    Challenge sets count each solve at the challenge's value now, as the board does,
    so a line ends at the score shown next to it; prediction lines step at each
    improvement of the best public score. Frozen boards stop at the freeze.
    """
    standings, totals = _board(competition, viewer, PUBLIC, None, now or utcnow())
    return [Series(row.user, list(totals[row.user.id].history)) for row in standings.rows[:top]]


def final_standings(competition: Competition) -> list[FinalStanding]:
    """The results written at finalization, best first, with their users (one query)."""
    return list(db.session.scalars(
        select(FinalStanding).where(FinalStanding.competition_id == competition.id)
        .options(joinedload(FinalStanding.user)).order_by(FinalStanding.rank)))


def _board(competition: Competition, viewer, board: str, as_of: datetime | None,
           now: datetime) -> tuple[Standings, dict[Hashable, boards.Total]]:
    _require_details(viewer, competition)
    if board not in BOARDS:  # a mistyped ?board= in a link is a missing page, not a crash
        raise NotFound("There is no such leaderboard.")
    board = board if competition.is_prediction else PUBLIC
    if board == PRIVATE and not can_view_private_board(viewer, competition, now):
        raise PermissionDenied("The private leaderboard is revealed when the competition ends.")
    freeze = lifecycle.board_cutoff(competition, now, staff=is_staff(viewer))
    cutoff = min((t for t in (as_of, freeze) if t is not None), default=None)
    users, totals, greater = compute_totals(competition, board=board, as_of=cutoff)
    rows = ranked_rows(users, totals, greater)
    if board == PRIVATE:
        _, public, _ = compute_totals(competition, board=PUBLIC, as_of=cutoff, users=users)
        rows = with_movement(rows, ranked_rows(users, public, greater))
    standings = Standings(competition=competition, board=board, rows=rows, as_of=cutoff,
                          frozen=freeze is not None and cutoff == freeze,
                          greater_is_better=greater, score_label=score_label(competition))
    return standings, totals


def score_label(competition: Competition) -> str:
    if competition.is_prediction and competition.metric:
        return get_metric(competition.metric).label
    return "Points"


def compute_totals(competition: Competition, *, board: str, as_of: datetime | None,
                   users: dict[int, User] | None = None
                   ) -> tuple[dict[int, User], dict[Hashable, boards.Total], bool]:
    """(eligible entrants' users by id, their totals, greater-is-better), unranked.

    Counts rows strictly before `as_of` when given. No permission checks: the finalizer
    and `get_standings` call it after deciding what may be seen.
    """
    if users is None:
        users = _eligible_users(competition)
    if not competition.is_prediction:
        return users, _challenge_totals(competition, users, as_of), True
    greater = get_metric(competition.metric).greater_is_better
    stmt = select(Submission.id, Submission.user_id, Submission.created_at,
                  Submission.public_score, Submission.private_score,
                  Submission.selected_final).where(Submission.competition_id == competition.id)
    if as_of is not None:
        stmt = stmt.where(Submission.created_at < as_of)
    rows = [boards.SubmissionRow(*row) for row in db.session.execute(stmt)
            if row.user_id in users]
    if board == PRIVATE:
        totals = boards.private_bests(rows, greater_is_better=greater,
                                      max_final=competition.max_final)
    else:
        totals = boards.public_bests(rows, greater_is_better=greater)
    return users, totals, greater


def _challenge_totals(competition: Competition, users: dict[int, User],
                      as_of: datetime | None) -> dict[Hashable, boards.Total]:
    rules = [boards.ChallengeRule(row.id, row.scoring, row.value, row.initial, row.minimum,
                                  row.decay, tuple(row.first_blood or ()))
             for row in db.session.execute(
                 select(Challenge.id, Challenge.scoring, Challenge.value, Challenge.initial,
                        Challenge.minimum, Challenge.decay, Challenge.first_blood)
                 .where(Challenge.competition_id == competition.id))]
    solves = select(Solve.user_id, Solve.challenge_id, Solve.solved_at, Solve.id).where(
        Solve.competition_id == competition.id)
    unlocks = select(HintUnlock.user_id, HintUnlock.cost, HintUnlock.unlocked_at).where(
        HintUnlock.competition_id == competition.id)
    if as_of is not None:
        solves = solves.where(Solve.solved_at < as_of)
        unlocks = unlocks.where(HintUnlock.unlocked_at < as_of)
    return boards.challenge_totals(
        rules,
        [boards.SolveRow(*row) for row in db.session.execute(solves) if row.user_id in users],
        [boards.UnlockRow(*row) for row in db.session.execute(unlocks) if row.user_id in users],
    )


def eligible_user_ids(competition: Competition) -> set[int]:
    """Entrants who are not disqualified: the people whose rows count anywhere."""
    return set(_eligible_users(competition))


def _eligible_users(competition: Competition) -> dict[int, User]:
    found = db.session.scalars(
        select(User).join(Entrant, Entrant.user_id == User.id)
        .where(Entrant.competition_id == competition.id, Entrant.disqualified_at.is_(None)))
    return {user.id: user for user in found}


def ranked_rows(users: dict[int, User], totals: dict[Hashable, boards.Total],
          greater: bool) -> list[StandingRow]:
    ranked = rank((Entry(t.user_id, t.score, t.reached_at) for t in totals.values()),
                  greater_is_better=greater)
    return [StandingRow(rank=s.rank, user=users[s.entrant_id], score=s.score,
                        entries=totals[s.entrant_id].entries, last_improvement_at=s.reached_at)
            for s in ranked]


def with_movement(private: list[StandingRow], public: list[StandingRow]) -> list[StandingRow]:
    """The private rows with each entrant's public rank and the places they moved."""
    public_rank = {row.user.id: row.rank for row in public}
    return [replace(row, public_rank=public_rank[row.user.id],
                    movement=movement(public_rank[row.user.id], row.rank))
            for row in private]


def _require_details(viewer, competition: Competition) -> None:
    if not can_view(viewer, competition):
        raise NotFound("We could not find that competition.")
    if not can_view_details(viewer, competition):
        raise MembersOnly("The leaderboard of this competition is for members.")
