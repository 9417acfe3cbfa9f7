"""Scores per entrant from plain rows: the arithmetic behind every leaderboard.

Pure: no Flask, no SQLAlchemy, no `app` imports beyond this package, so the rules are
tested alone and the services only load rows and rank what comes back.

Challenge sets (CTFd): an entrant's score is the current value of each challenge they
solved (dynamic values fall for everyone as solves grow), plus the first-blood bonus of
the place they solved it in, minus what their hints cost. They reached that score at
their last solve or paid hint, the time ties are broken on.

Prediction contests (Kaggle): the public board shows each entrant's best public score,
reached at the first submission that scored it. The private board scores the entrant's
chosen submissions (or, if they chose none, their best `max_final` public ones) on the
private rows and keeps the best of those.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from app.competitions.scoring import dynamic_value

STATIC, DYNAMIC = "static", "dynamic"


class ChallengeRule(NamedTuple):
    """What a challenge is worth: `value` if static, else CTFd's decay; first-blood bonuses."""

    id: Hashable
    scoring: str
    value: int
    initial: int | None = None
    minimum: int | None = None
    decay: int | None = None
    first_blood: tuple[int, ...] = ()


class SolveRow(NamedTuple):
    user_id: Hashable
    challenge_id: Hashable
    solved_at: datetime
    id: int = 0  # breaks ties between solves in the same instant: the lower id was first


class UnlockRow(NamedTuple):
    user_id: Hashable
    cost: int
    unlocked_at: datetime


class SubmissionRow(NamedTuple):
    id: int
    user_id: Hashable
    created_at: datetime
    public_score: float
    private_score: float
    selected: bool = False


@dataclass
class Total:
    """One entrant's line before ranking; `history` is (time, score) after each change."""

    user_id: Hashable
    score: float
    reached_at: datetime
    entries: int
    history: list[tuple[datetime, float]] = field(default_factory=list)


def challenge_value(rule: ChallengeRule, solve_count: int) -> int:
    """The challenge's current worth to each of its `solve_count` solvers."""
    if rule.scoring != DYNAMIC:
        return rule.value
    return dynamic_value(rule.initial, rule.minimum, rule.decay, solve_count)


def challenge_values(rules: Iterable[ChallengeRule],
                     solves: Iterable[SolveRow]) -> dict[Hashable, int]:
    """Each challenge's current value given the solves that count."""
    counts: dict[Hashable, int] = {}
    for solve in solves:
        counts[solve.challenge_id] = counts.get(solve.challenge_id, 0) + 1
    return {rule.id: challenge_value(rule, counts.get(rule.id, 0)) for rule in rules}


def first_blood_places(solves: Iterable[SolveRow]) -> dict[tuple[Hashable, Hashable], int]:
    """(user, challenge) -> the place (1, 2, 3, ...) the user solved the challenge in."""
    places: dict[tuple[Hashable, Hashable], int] = {}
    seen: dict[Hashable, int] = {}
    for solve in sorted(solves, key=lambda s: (s.solved_at, s.id)):
        seen[solve.challenge_id] = seen.get(solve.challenge_id, 0) + 1
        places[(solve.user_id, solve.challenge_id)] = seen[solve.challenge_id]
    return places


def challenge_totals(rules: Iterable[ChallengeRule], solves: Iterable[SolveRow],
                     unlocks: Iterable[UnlockRow]) -> dict[Hashable, Total]:
    """Totals of everyone with at least one solve; their hint costs are taken off.

    Every solver counts each challenge at its value now, not at the value it had when
    they solved it, as in CTFd. Free hints change nothing, so they never move the time
    a score was reached; an entrant whose only activity is hints has no line.
    """
    rules = {rule.id: rule for rule in rules}
    solves = sorted((s for s in solves if s.challenge_id in rules),
                    key=lambda s: (s.solved_at, s.id))
    values = challenge_values(rules.values(), solves)
    places = first_blood_places(solves)
    changes: dict[Hashable, list[tuple[datetime, int, int]]] = {}  # (time, order, delta)
    solve_counts: dict[Hashable, int] = {}
    for n, solve in enumerate(solves):
        solve_counts[solve.user_id] = solve_counts.get(solve.user_id, 0) + 1
        bonus = _bonus(rules[solve.challenge_id], places[(solve.user_id, solve.challenge_id)])
        changes.setdefault(solve.user_id, []).append(
            (solve.solved_at, n, values[solve.challenge_id] + bonus))
    solved_by = set(changes)
    for n, unlock in enumerate(sorted(unlocks, key=lambda u: u.unlocked_at)):
        if unlock.cost and unlock.user_id in solved_by:
            changes[unlock.user_id].append((unlock.unlocked_at, len(solves) + n, -unlock.cost))
    totals = {}
    for user_id, steps in changes.items():
        steps.sort()
        score, history = 0, []
        for at, _, delta in steps:
            score += delta
            history.append((at, score))
        totals[user_id] = Total(user_id, score, steps[-1][0], solve_counts[user_id], history)
    return totals


def _bonus(rule: ChallengeRule, place: int) -> int:
    return rule.first_blood[place - 1] if place <= len(rule.first_blood) else 0


def public_bests(rows: Iterable[SubmissionRow], *, greater_is_better: bool) -> dict[Hashable, Total]:
    """Each entrant's best public score, reached at the first submission that scored it;
    `history` holds one point per improvement, for the score-over-time chart."""
    totals: dict[Hashable, Total] = {}
    for row in sorted(rows, key=lambda r: (r.created_at, r.id)):
        total = totals.get(row.user_id)
        if total is None:
            totals[row.user_id] = Total(row.user_id, row.public_score, row.created_at, 1,
                                        [(row.created_at, row.public_score)])
            continue
        total.entries += 1
        if _better(row.public_score, total.score, greater_is_better):
            total.score, total.reached_at = row.public_score, row.created_at
            total.history.append((row.created_at, row.public_score))
    return totals


def final_choice(rows: list[SubmissionRow], *, greater_is_better: bool,
                 max_final: int) -> list[SubmissionRow]:
    """The submissions that count on the private board: those the entrant selected, or
    else their best `max_final` by public score (the earlier first on equal scores)."""
    selected = [row for row in rows if row.selected]
    if selected:
        return selected
    sign = -1.0 if greater_is_better else 1.0
    return sorted(rows, key=lambda r: (sign * r.public_score, r.created_at, r.id))[:max_final]


def private_bests(rows: Iterable[SubmissionRow], *, greater_is_better: bool,
                  max_final: int) -> dict[Hashable, Total]:
    """Each entrant's best private score among their final choice (see `final_choice`)."""
    by_user: dict[Hashable, list[SubmissionRow]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    totals = {}
    for user_id, own in by_user.items():
        chosen = sorted(final_choice(own, greater_is_better=greater_is_better,
                                     max_final=max_final), key=lambda r: (r.created_at, r.id))
        best = chosen[0]
        for row in chosen[1:]:
            if _better(row.private_score, best.private_score, greater_is_better):
                best = row
        totals[user_id] = Total(user_id, best.private_score, best.created_at, len(own),
                                [(best.created_at, best.private_score)])
    return totals


def _better(score: float, than: float, greater_is_better: bool) -> bool:
    return score > than if greater_is_better else score < than
