"""Taking part in a challenge set: answering a challenge and unlocking hints.

Each function is one use case and one transaction. The entrant's row is locked first,
so one person's requests are taken one at a time: two answers sent at once cannot both
slip under the attempt limit. A solve and a hint unlock each happen once (unique keys),
whatever the race.

Attempts are limited per person and challenge (10 per 10 minutes, a sliding window):
guessing is slowed down, and the message says when the next try is possible.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.competitions import answers
from app.competitions.errors import LimitReached
from app.competitions.joining import enter_in_transaction, entrant_of
from app.competitions.models import CHALLENGE, Attempt, Challenge, Entrant, Hint, HintUnlock, Solve
from app.competitions.permissions import submit_problem
from app.extensions import db
from app.forum.errors import NotFound, PermissionDenied
from app.forum.savepoint import insert_once
from app.insights.services import record
from app.timeutil import utcnow

ATTEMPT_LIMIT = 10
ATTEMPT_WINDOW = timedelta(minutes=10)
MAX_ATTEMPT_TEXT = 200


@dataclass(frozen=True)
class AnswerResult:
    """What happened to an answer, for the flash message and the challenge card."""

    correct: bool
    message: str
    already_solved: bool = False
    first_blood: int | None = None  # 1, 2 or 3 when this solve earned a first-blood bonus
    attempts_left: int | None = None  # in the current window, after a wrong answer


def submit_answer(user, challenge_id: int, text: str, *, now: datetime | None = None
                  ) -> AnswerResult:
    """Check an answer (flag) to a challenge; a right one solves it, once.

    Refused (raised) when the person may not take part now, the challenge is locked
    behind prerequisites, or the attempt limit is reached. An already solved challenge
    is said so without counting an attempt.
    """
    now = now or utcnow()
    challenge = _visible_challenge(user, challenge_id)
    competition = challenge.competition
    entrant = entrant_of(user, competition, lock=True)
    problem = submit_problem(user, competition, entrant, now)
    if problem is not None:
        raise problem
    solved = _solved_ids(user.id, competition.id)
    if challenge.id in solved:
        return AnswerResult(True, f"You already solved “{challenge.title}”.", already_solved=True)
    _require_prerequisites(challenge, solved)
    if entrant is None:
        enter_in_transaction(user, competition, now)
    recent = _recent_attempts(user.id, challenge.id, now)
    if len(recent) >= ATTEMPT_LIMIT:
        retry_at = recent[len(recent) - ATTEMPT_LIMIT] + ATTEMPT_WINDOW
        raise LimitReached(_limit_message(retry_at, now), retry_at=retry_at)
    correct = answers.check_answer(challenge.answer_mode, challenge.answer_stored,
                                   challenge.answer_salt, text or "")
    # A right answer is the flag itself: keeping its text would undo the hashing.
    kept = "" if correct else (text or "").strip()[:MAX_ATTEMPT_TEXT]
    db.session.add(Attempt(user_id=user.id, challenge_id=challenge.id, submitted_at=now,
                           correct=correct, text=kept))
    if not correct:
        left = ATTEMPT_LIMIT - len(recent) - 1
        db.session.commit()
        return AnswerResult(False, f"That is not the answer. {_tries(left)} left in this "
                                   f"{_minutes(ATTEMPT_WINDOW)}-minute window.",
                            attempts_left=left)
    solve = Solve(competition_id=competition.id, challenge_id=challenge.id, user_id=user.id,
                  solved_at=now)
    if not insert_once(solve):
        db.session.commit()
        return AnswerResult(True, f"You already solved “{challenge.title}”.", already_solved=True)
    place = _solve_place(solve)
    bonus = place if place <= len(challenge.first_blood) else None
    record("challenge_solved", user=user, subject=challenge, at=now,
           data={"competition_id": competition.id, "place": place, "first_blood": bonus})
    db.session.commit()
    message = f"Correct! You solved “{challenge.title}”."
    if bonus:
        message += f" First blood: you were solver number {place}."
    return AnswerResult(True, message, first_blood=bonus)


def unlock_hint(user, hint_id: int, *, now: datetime | None = None) -> HintUnlock:
    """Open a hint; its cost comes off the competition score (not the site's points).

    Unlocking again returns the first unlock, so nobody pays twice for one hint.
    """
    now = now or utcnow()
    hint = db.session.get(Hint, hint_id)
    if hint is None:
        raise NotFound("We could not find that hint.")
    challenge = _visible_challenge(user, hint.challenge_id)
    competition = challenge.competition
    entrant = entrant_of(user, competition, lock=True)
    existing = _unlock_of(user.id, hint.id) if entrant is not None else None
    if existing is not None:
        return existing
    problem = submit_problem(user, competition, entrant, now)
    if problem is not None:
        raise problem
    _require_prerequisites(challenge, _solved_ids(user.id, competition.id))
    if entrant is None:
        enter_in_transaction(user, competition, now)
    unlock = HintUnlock(competition_id=competition.id, user_id=user.id, hint_id=hint.id,
                        cost=hint.cost, unlocked_at=now)
    if not insert_once(unlock):
        db.session.rollback()
        return _unlock_of(user.id, hint.id)
    record("hint_unlocked", user=user, subject=hint, at=now,
           data={"competition_id": competition.id, "challenge_id": challenge.id,
                 "cost": hint.cost})
    db.session.commit()
    return unlock


def _visible_challenge(user, challenge_id: int) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.competition.kind != CHALLENGE:
        raise NotFound("We could not find that challenge.")
    return challenge


def _require_prerequisites(challenge: Challenge, solved: set[int]) -> None:
    missing = [p.title for p in challenge.prerequisites if p.id not in solved]
    if missing:
        names = ", ".join(f"“{title}”" for title in missing)
        raise PermissionDenied(f"This challenge opens once you solve {names}.")


def _solved_ids(user_id: int, competition_id: int) -> set[int]:
    return set(db.session.scalars(select(Solve.challenge_id).where(
        Solve.user_id == user_id, Solve.competition_id == competition_id)))


def _recent_attempts(user_id: int, challenge_id: int, now: datetime) -> list[datetime]:
    return list(db.session.scalars(
        select(Attempt.submitted_at).where(
            Attempt.user_id == user_id, Attempt.challenge_id == challenge_id,
            Attempt.submitted_at > now - ATTEMPT_WINDOW, Attempt.submitted_at <= now)
        .order_by(Attempt.submitted_at)))


def _solve_place(solve: Solve) -> int:
    """The solve's place among those that count (not disqualified entrants'), in the
    order the boards use: by time, then by id."""
    earlier = (Solve.solved_at < solve.solved_at) | (
        (Solve.solved_at == solve.solved_at) & (Solve.id <= solve.id))
    return db.session.scalar(
        select(func.count(Solve.id))
        .join(Entrant, (Entrant.user_id == Solve.user_id)
              & (Entrant.competition_id == Solve.competition_id))
        .where(Solve.challenge_id == solve.challenge_id, earlier,
               Entrant.disqualified_at.is_(None)))


def _unlock_of(user_id: int, hint_id: int) -> HintUnlock | None:
    return db.session.scalar(select(HintUnlock).where(
        HintUnlock.user_id == user_id, HintUnlock.hint_id == hint_id))


def _limit_message(retry_at: datetime, now: datetime) -> str:
    wait = max(1, int((retry_at - now).total_seconds() + 59) // 60)
    return (f"You have made {ATTEMPT_LIMIT} attempts at this challenge in the last "
            f"{_minutes(ATTEMPT_WINDOW)} minutes. Try again at "
            f"{retry_at.strftime('%H:%M:%S')} UTC (in {wait} minute{'s' if wait > 1 else ''}).")


def _tries(n: int) -> str:
    return f"{n} attempt{'' if n == 1 else 's'}"


def _minutes(window: timedelta) -> int:
    return int(window.total_seconds() // 60)
