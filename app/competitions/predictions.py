"""Taking part in a prediction contest: upload a file, see your entries, pick finals.

A file is checked in full before anything is stored (`prediction_file` names the
problem and its first row): a rejected file leaves no row, so it never counts toward
the daily limit. An accepted one is stored with its hash, both scores, the metric
version and the hash of the truth that scored it; the file itself is not kept.

The daily limit counts accepted files per UTC day, from 00:00 UTC. The entrant's row is
locked first, so two uploads at once cannot both take the last place of the day.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.competitions import lifecycle
from app.competitions.errors import FileRejected, LimitReached
from app.competitions.ground_truth import clean_filename, load_truth
from app.competitions.joining import enter_in_transaction, entrant_of, get_competition
from app.competitions.metrics import MetricError, get_metric
from app.competitions.models import PREDICTION, Competition, Submission
from app.competitions.permissions import is_staff, submit_problem
from app.competitions.prediction_file import SubmissionFileError, parse_predictions
from app.competitions.scoring import score_prediction
from app.extensions import db
from app.forum.errors import Conflict, NotFound, ValidationError
from app.insights.services import record
from app.timeutil import utcnow


@dataclass(frozen=True)
class Quota:
    """Today's submissions (UTC day) against the limit, and when the count resets."""

    used: int
    limit: int
    resets_at: datetime

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(frozen=True)
class SubmissionLine:
    """An entrant's submission as their page may show it: the private score only once
    the competition is over (or to staff)."""

    submission: Submission
    public_score: float
    private_score: float | None
    selected_final: bool


def submit_predictions(user, competition_id: int, filename: str, data: bytes,
                       *, now: datetime | None = None) -> Submission:
    """Score an uploaded CSV of predictions and keep the result.

    Raises FileRejected (a ValidationError on "file", with `.row`) for a bad file, and
    LimitReached once the day's submissions are used up; neither counts.
    """
    now = now or utcnow()
    competition = get_competition(competition_id)
    if competition.kind != PREDICTION:
        raise NotFound("This competition takes answers to challenges, not files.")
    entrant = entrant_of(user, competition, lock=True)
    problem = submit_problem(user, competition, entrant, now)
    if problem is not None:
        raise problem
    quota = quota_of(user, competition, now=now)
    if quota.left == 0:
        raise LimitReached(
            f"You have used all {quota.limit} submissions for today. The count resets at "
            f"00:00 UTC ({lifecycle.when(quota.resets_at)}), in {_wait(quota.resets_at, now)}.",
            retry_at=quota.resets_at)
    truth = load_truth(competition)
    if truth is None:
        raise Conflict("The organisers have not uploaded the answers yet; try again later.")
    kind = get_metric(competition.metric).kind
    try:
        parsed = parse_predictions(data, truth.parsed, kind)
        public, private = score_prediction(competition.metric, truth.parsed.values,
                                           parsed.values, truth.mask)
    except SubmissionFileError as error:
        raise FileRejected(error.message, row=error.row) from None
    except MetricError as error:
        raise FileRejected(f"The file could not be scored: {error}") from None
    if entrant is None:
        enter_in_transaction(user, competition, now)
    submission = Submission(
        competition_id=competition.id, user_id=user.id, created_at=now,
        filename=clean_filename(filename), sha256=parsed.sha256, row_count=len(parsed.ids),
        public_score=public, private_score=private, metric=competition.metric,
        metric_version=get_metric(competition.metric).version,
        truth_sha256=truth.parsed.sha256, selected_final=False)
    db.session.add(submission)
    db.session.flush()
    record("prediction_submitted", user=user, subject=submission, at=now,
           data={"competition_id": competition.id, "public_score": public})
    db.session.commit()
    return submission


def select_final(user, submission_id: int, selected: bool, *,
                 now: datetime | None = None) -> Submission:
    """Choose (or un-choose) a submission for the private board, up to `max_final`.

    Without a choice, the best public ones count. Choices close with the competition.
    """
    now = now or utcnow()
    submission = db.session.get(Submission, submission_id)
    if submission is None or user is None or submission.user_id != getattr(user, "id", None):
        raise NotFound("We could not find that submission.")
    competition = get_competition(submission.competition_id)
    entrant = entrant_of(user, competition, lock=True)
    problem = submit_problem(user, competition, entrant, now)
    if problem is not None:
        raise problem
    if selected and not submission.selected_final:
        chosen = db.session.scalar(select(func.count(Submission.id)).where(
            Submission.competition_id == competition.id, Submission.user_id == user.id,
            Submission.selected_final.is_(True)))
        if chosen >= competition.max_final:
            raise ValidationError("selected_final",
                                  f"You can choose at most {competition.max_final} final "
                                  "submissions; un-choose one first.")
    submission.selected_final = selected
    db.session.commit()
    return submission


def quota_of(user, competition: Competition, *, now: datetime | None = None) -> Quota:
    """How many files `user` sent today (UTC) and the limit, for the upload form."""
    now = now or utcnow()
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    used = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.competition_id == competition.id, Submission.user_id == user.id,
        Submission.created_at >= day, Submission.created_at < day + timedelta(days=1)))
    return Quota(used=used or 0, limit=competition.daily_limit, resets_at=day + timedelta(days=1))


def my_submissions(user, competition: Competition, *,
                   now: datetime | None = None) -> list[SubmissionLine]:
    """`user`'s submissions to `competition`, newest first (one query)."""
    if not (user is not None and user.is_authenticated):
        return []
    now = now or utcnow()
    reveal = lifecycle.is_over(competition, now) or is_staff(user)
    found = db.session.scalars(
        select(Submission).where(Submission.competition_id == competition.id,
                                 Submission.user_id == user.id)
        .order_by(Submission.created_at.desc(), Submission.id.desc()))
    return [SubmissionLine(s, s.public_score, s.private_score if reveal else None,
                           s.selected_final) for s in found]


def _wait(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
