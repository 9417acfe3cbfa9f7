"""Demo competitions, organised by the admin and played through the competition services.

A challenge set and a prediction contest are running, and a prediction contest that
ended last month has its final results. Every join, answer, hint, file and final choice
goes through the service an entrant's click calls, with `now` set back in time, so the
attempt and daily limits, first bloods, scores, events, badges and prize points are the
real ones. Actions of all entrants run in time order, as they would have happened.

Two things the services cannot be told are set here directly: when the competitions
were created (they were written before they opened, not today), and the split secret of
the prediction contests, derived from the seed so the same seed gives the same boards.
"""

import hashlib
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from flask import current_app
from sqlalchemy import select

from app.accounts.models import Role, User
from app.competitions import challenge_editing, challenges, ground_truth, joining, predictions
from app.competitions.finalizing import finalize
from app.competitions.metrics import get_metric
from app.competitions.models import CHALLENGE, DYNAMIC, PREDICTION, STATIC, Competition
from app.competitions.organising import (
    CompetitionInput,
    PrizeInput,
    create_competition,
    set_prizes,
    set_published,
)
from app.extensions import db
from app.seed import competition_content as content

CHALLENGE_SHARE = 0.3  # of the members, for the challenge set
PREDICTION_ENTRANTS, PAST_ENTRANTS = 20, 15
PREPARED = timedelta(days=5)  # the organiser set each competition up this long before it opened
ACTIVE_WITHIN = timedelta(days=60)  # entrants were seen on the site this close to the start
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
SUBMISSION_WEIGHTS = (4, 3, 3, 2, 2, 2, 1, 1, 1, 1)  # how many entrants send 1, 2, ... 10 files


@dataclass(frozen=True)
class _Task:
    """A prediction task: the truth file, the signal behind it, and how entrants miss it.

    An entrant's file is `link(signal + noise)`, the noise shrinking from their starting
    level (between `noise` low and high) as they improve, part of it their own blind
    spot that never goes away.
    """

    ids: list[str]
    truth: bytes
    signal: np.ndarray
    noise: tuple[float, float]
    link: Callable[[np.ndarray], np.ndarray]
    digits: int


@dataclass(frozen=True)
class _Contest:
    texts: dict
    metric: str
    task: Callable[[np.random.Generator], _Task]
    starts: datetime
    ends: datetime
    entrants: int
    prizes: tuple[tuple[int, int, int], ...]


@dataclass
class _Entry:
    """One entrant's plan (when they join and send files, how good they are) and the
    submissions they sent."""

    user: User
    joined: datetime
    times: list[datetime]
    level: float
    blind: np.ndarray
    sent: list = field(default_factory=list)


def add_demo_competitions(*, seed: int, now: datetime) -> int:
    """Write the three demo competitions and their entrants' play; returns how many.

    It runs in an app context of its own, so in a session of its own: the demo build
    still holds every forum row it wrote, and each of the hundreds of commits below
    would otherwise expire all of them again (a third of the whole build's time).
    """
    with current_app.app_context():
        organiser = db.session.scalar(
            select(User).where(User.role == Role.ADMIN).order_by(User.id))
        if organiser is None:
            return 0
        _add_all(organiser, seed=seed, now=now)
    return 3


def _add_all(organiser: User, *, seed: int, now: datetime) -> None:
    people = list(db.session.scalars(
        select(User).where(User.role == Role.MEMBER, User.deleted_at.is_(None))
        .order_by(User.id)))
    start = _hour(now)
    _add_challenge_set(organiser, people, random.Random(seed + 20), now=now,
                       starts=start - 10 * DAY, ends=start + 20 * DAY)
    _add_prediction_contest(organiser, people, _Contest(
        texts=content.PREDICTION, metric="roc_auc", task=_renewals,
        starts=start - 14 * DAY, ends=start + 14 * DAY, entrants=PREDICTION_ENTRANTS,
        prizes=((1, 1, 250), (2, 2, 150), (3, 3, 100), (4, 10, 25))), seed=seed, now=now)
    past = _add_prediction_contest(organiser, people, _Contest(
        texts=content.PAST_PREDICTION, metric="rmse", task=_deliveries,
        starts=start - 72 * DAY, ends=start - 30 * DAY, entrants=PAST_ENTRANTS,
        prizes=((1, 1, 300), (2, 2, 150), (3, 3, 75))), seed=seed + 1, now=now)
    finalize(past.id, now=past.ends_at + HOUR)


# -- the challenge set -------------------------------------------------------------


def _add_challenge_set(organiser, people, rng: random.Random, *, now: datetime,
                       starts: datetime, ends: datetime) -> Competition:
    competition = create_competition(organiser, CompetitionInput(
        kind=CHALLENGE, starts_at=starts, ends_at=ends, **content.CHALLENGE_SET))
    made = {}
    for spec in content.CHALLENGES:
        initial, minimum, decay = spec.dynamic or (None, None, None)
        made[spec.key] = challenge_editing.create_challenge(
            organiser, competition.id, challenge_editing.ChallengeInput(
                title=spec.title, statement=spec.statement, category=spec.category,
                answer_mode=spec.answer_mode, answer=spec.answer,
                scoring=DYNAMIC if spec.dynamic else STATIC, value=spec.value,
                initial=initial, minimum=minimum, decay=decay, first_blood=spec.first_blood,
                prerequisite_ids=tuple(made[key].id for key in spec.requires)))
        for text, cost in spec.hints:
            challenge_editing.create_hint(organiser, made[spec.key].id,
                                          challenge_editing.HintInput(text=text, cost=cost))
    set_prizes(organiser, competition.id, [PrizeInput(1, 1, 200), PrizeInput(2, 2, 100),
                                           PrizeInput(3, 3, 50)])
    set_published(organiser, competition.id, True)
    _backdate(competition, starts - PREPARED)
    entrants = _pick(rng, people, k=round(len(people) * CHALLENGE_SHARE), opens=starts,
                     until=now)
    actions = []
    for user in entrants:
        actions += _challenge_play(rng, user, made, opens=starts, until=now - 10 * MINUTE)
    for at, _, kind, user, target, text in sorted(actions, key=lambda a: a[:2]):
        if kind == "join":
            joining.join(user, competition.id, now=at)
        elif kind == "hint":
            challenges.unlock_hint(user, target, now=at)
        elif challenges.submit_answer(user, target, text, now=at).correct != (kind == "solve"):
            raise RuntimeError(f"The demo answer {text!r} to challenge {target} was not "
                               f"judged as the content says; fix competition_content.")
    return competition


def _challenge_play(rng: random.Random, user: User, made: dict, *, opens: datetime,
                    until: datetime) -> list[tuple]:
    """One entrant's joins, hints, wrong and right answers, as (at, order, kind, user,
    challenge or hint id, text). Most solve one or two challenges, a few nearly all,
    some none; some get stuck on one after their last solve."""
    joined = _join_time(rng, user, opens=opens, until=until - DAY)
    order = iter(range(10_000))
    actions = [(joined, next(order), "join", user, None, "")]
    solves = 0 if rng.random() < 0.1 else min(8, 1 + int(8 * rng.random() ** 2.5))
    solved: list[str] = []
    last = joined
    for at in _moments(rng, joined + HOUR, until, solves, gap=2 * HOUR):
        spec = _next_challenge(rng, solved)
        if spec is None:
            break
        challenge = made[spec.key]
        for hint, (_, cost) in zip(challenge.hints, spec.hints, strict=True):
            if rng.random() < (0.3 if cost else 0.5):
                actions.append((at - rng.randint(20, 45) * MINUTE, next(order), "hint", user,
                                hint.id, ""))
        actions += _wrong_answers(rng, user, challenge.id, spec, before=at, order=order)
        actions.append((at, next(order), "solve", user, challenge.id, spec.right))
        solved.append(spec.key)
        last = at
    stuck = _next_challenge(rng, solved)
    at = last + rng.randint(1, 48) * HOUR
    if stuck is not None and at < until and (not solved or rng.random() < 0.5):
        actions += _wrong_answers(rng, user, made[stuck.key].id, stuck, before=at, order=order,
                                  always=True)
    return actions


def _next_challenge(rng: random.Random, solved: list[str]):
    """An open challenge not solved yet, the easier ones more often; None when none is left."""
    open_ = [spec for spec in content.CHALLENGES
             if spec.key not in solved and all(key in solved for key in spec.requires)]
    return rng.choices(open_, weights=[spec.ease for spec in open_])[0] if open_ else None


def _wrong_answers(rng: random.Random, user: User, challenge_id: int, spec, *,
                   before: datetime, order, always: bool = False) -> list[tuple]:
    if not always and rng.random() < 0.55:
        return []
    tries = rng.sample(spec.wrong, k=rng.randint(1, len(spec.wrong)))
    minutes = sorted(rng.sample(range(1, 10), k=len(tries)), reverse=True)
    return [(before - m * MINUTE, next(order), "wrong", user, challenge_id, text)
            for m, text in zip(minutes, tries, strict=True)]


# -- prediction contests -----------------------------------------------------------


def _add_prediction_contest(organiser, people, plan: _Contest, *, seed: int,
                            now: datetime) -> Competition:
    task = plan.task(np.random.default_rng(seed))
    competition = create_competition(organiser, CompetitionInput(
        kind=PREDICTION, starts_at=plan.starts, ends_at=plan.ends, metric=plan.metric,
        public_fraction=0.3, daily_limit=5, max_final=2, **plan.texts))
    competition.split_secret = hashlib.sha256(
        f"guildhall-demo:{seed}:{competition.slug}".encode()).hexdigest()
    db.session.commit()
    ground_truth.upload_ground_truth(organiser, competition.id, "truth.csv", task.truth,
                                     now=plan.starts - PREPARED)
    set_prizes(organiser, competition.id, [PrizeInput(*tier) for tier in plan.prizes])
    set_published(organiser, competition.id, True)
    _backdate(competition, plan.starts - PREPARED)
    closes = min(plan.ends, now - 10 * MINUTE)
    rng, noise = random.Random(seed + 30), np.random.default_rng(seed + 40)
    entries = []
    for user in _pick(rng, people, k=min(plan.entrants, len(people) // 3), opens=plan.starts,
                      until=closes):
        joined = _join_time(rng, user, opens=plan.starts, until=closes - 2 * DAY)
        count = rng.choices(range(1, len(SUBMISSION_WEIGHTS) + 1), weights=SUBMISSION_WEIGHTS)[0]
        times = _within_daily_limit(_moments(rng, joined + HOUR, closes, count, gap=2 * HOUR),
                                    competition.daily_limit)
        low, high = task.noise
        entries.append(_Entry(user, joined, times, low + (high - low) * rng.random(),
                              noise.normal(size=len(task.ids))))
    actions = sorted((at, entry.user.id, n, entry) for entry in entries
                     for n, at in enumerate([entry.joined, *entry.times], start=-1))
    for at, _, n, entry in actions:
        if n < 0:
            joining.join(entry.user, competition.id, now=at)
            continue
        progress = n / (len(entry.times) - 1) if len(entry.times) > 1 else 0.0
        spread = entry.level * (1 - 0.55 * progress)
        guess = task.link(task.signal + spread * (0.6 * entry.blind + 0.8 * noise.normal(
            size=len(task.ids))))
        entry.sent.append(predictions.submit_predictions(
            entry.user, competition.id, f"submission-{n + 1}.csv",
            _csv(task.ids, guess, task.digits), now=at))
    _choose_finals(rng, entries, get_metric(plan.metric).greater_is_better, closes)
    return competition


def _choose_finals(rng: random.Random, entries: list[_Entry], greater: bool,
                   closes: datetime) -> None:
    """Some entrants pick their final files: the latest, often the best public one too."""
    for entry in entries:
        if len(entry.sent) < 2 or rng.random() < 0.6:
            continue
        best = max(entry.sent, key=lambda s: s.public_score if greater else -s.public_score)
        chosen = dict.fromkeys([entry.sent[-1]] + ([best] if rng.random() < 0.5 else []))
        at = min(entry.times[-1] + rng.randint(5, 120) * MINUTE, closes - MINUTE)
        for submission in chosen:
            predictions.select_final(entry.user, submission.id, True, now=at)


def _renewals(rng: np.random.Generator) -> _Task:
    """2,000 customers; engagement (hidden) drives renewal, so ROC AUC tops out near 0.84."""
    ids = [f"cust-{n:05d}" for n in range(1, 2001)]
    engagement = rng.normal(size=len(ids))
    renewed = rng.random(len(ids)) < _sigmoid(-0.4 + 1.7 * engagement)
    return _Task(ids, _csv(ids, renewed.astype(int), 0), engagement, (0.6, 2.6), _sigmoid, 4)


def _deliveries(rng: np.random.Generator) -> _Task:
    """1,500 orders; minutes grow with distance and rush hour, plus what nobody can know."""
    ids = [f"ord-{n:05d}" for n in range(1, 1501)]
    expected = 14 + 4.0 * rng.gamma(2.0, 2.5, size=len(ids)) + 9 * (rng.random(len(ids)) < 0.3)
    minutes = np.maximum(8.0, expected + rng.normal(0, 5, size=len(ids)))
    return _Task(ids, _csv(ids, minutes, 1), expected, (3.0, 14.0),
                 lambda values: np.maximum(values, 1.0), 1)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-values))


def _csv(ids: list[str], values: np.ndarray, digits: int) -> bytes:
    rows = "\n".join(f"{row_id},{value:.{digits}f}" for row_id, value in zip(ids, values,
                                                                            strict=True))
    return f"id,target\n{rows}\n".encode()


def _within_daily_limit(times: list[datetime], limit: int) -> list[datetime]:
    per_day: Counter = Counter()
    kept = []
    for at in times:
        per_day[at.date()] += 1
        if per_day[at.date()] <= limit:
            kept.append(at)
    return kept


# -- shared ------------------------------------------------------------------------


def _pick(rng: random.Random, people: list[User], *, k: int, opens: datetime,
          until: datetime) -> list[User]:
    """`k` members who had joined the site by then and were active around the start."""
    candidates = [user for user in people if user.created_at < until - 3 * DAY
                  and user.last_seen_at is not None and user.last_seen_at >= opens - ACTIVE_WITHIN]
    return rng.sample(candidates, k=min(k, len(candidates)))


def _join_time(rng: random.Random, user: User, *, opens: datetime, until: datetime) -> datetime:
    """Most join in the first days; nobody before their own account existed."""
    earliest = max(opens, user.created_at + HOUR)
    span = max((until - earliest).total_seconds(), 0)
    return earliest + timedelta(seconds=int(span * rng.random() ** 2))


def _moments(rng: random.Random, start: datetime, end: datetime, n: int, *,
             gap: timedelta) -> list[datetime]:
    """Up to `n` sorted moments in [start, end), whole seconds, at least `gap` apart."""
    span = (end - start).total_seconds()
    moments: list[datetime] = []
    for share in sorted(rng.random() for _ in range(n)):
        at = start + timedelta(seconds=int(span * share))
        if moments and at < moments[-1] + gap:
            at = moments[-1] + gap
        if at >= end:
            break
        moments.append(at)
    return moments


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _backdate(competition: Competition, at: datetime) -> None:
    """The organiser wrote the competition before it opened, not on the day of the seed."""
    competition.created_at = competition.updated_at = at
    for challenge in competition.challenges:
        challenge.created_at = challenge.updated_at = at
    db.session.commit()
