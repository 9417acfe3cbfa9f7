"""The answers of a prediction contest: uploaded by staff, read by scoring, shown to nobody.

The organiser's CSV is checked by `prediction_file.parse_ground_truth` (the same
messages entrants get), then against the split: each side must be scoreable by the
metric on its own (ROC AUC needs both classes among the public rows and among the
private ones), so no entrant's file can fail later for a reason that is not theirs.
It can be replaced until the first submission is scored, never after; a new metric or
public part is checked against the stored file the same way (`recheck`) before it is saved.

Parsing 100,000 rows takes a while, so the parsed truth and its public mask are kept in
memory per process, keyed by the file's hash and the split settings: a new upload or a
new secret is a new key, never a stale answer.
"""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import exists, select

from app.competitions.errors import FileRejected
from app.competitions.joining import get_competition
from app.competitions.metrics import MetricError, get_metric, score
from app.competitions.models import PREDICTION, Competition, GroundTruth, Submission
from app.competitions.permissions import require_organiser
from app.competitions.prediction_file import ParsedFile, SubmissionFileError, parse_ground_truth
from app.competitions.split import public_mask
from app.extensions import db
from app.forum.errors import Conflict, ValidationError
from app.timeutil import utcnow

MAX_FILENAME = 255
_CACHE_SIZE = 4


@dataclass(frozen=True, eq=False)
class Truth:
    """The parsed answers and which rows are public: everything scoring needs."""

    parsed: ParsedFile
    mask: np.ndarray


@dataclass(frozen=True)
class TruthInfo:
    """What the organiser's page may show about the uploaded file (nothing secret)."""

    filename: str
    row_count: int
    sha256: str
    uploaded_at: datetime


_cache: dict[tuple, Truth] = {}


def upload_ground_truth(actor, competition_id: int, filename: str, data: bytes,
                        *, now: datetime | None = None) -> GroundTruth:
    """Store the organiser's CSV after every check; a refused file changes nothing."""
    require_organiser(actor)
    competition = get_competition(competition_id)
    if competition.kind != PREDICTION:
        raise ValidationError("file", "Only prediction contests have ground truth.")
    if not competition.metric:
        raise ValidationError("metric", "Choose the metric before uploading the ground truth.")
    if db.session.scalar(select(exists().where(Submission.competition_id == competition.id))):
        raise Conflict("Entries have been scored against the current ground truth; it can "
                       "no longer be replaced.")
    parsed = _parse(competition, data)
    if len(parsed.ids) < 2:
        raise FileRejected("The ground truth needs at least 2 rows: one public, one private.")
    _check_scoreable(competition, parsed)
    row = db.session.scalar(select(GroundTruth).where(
        GroundTruth.competition_id == competition.id)) or GroundTruth(
        competition_id=competition.id)
    row.filename = clean_filename(filename)
    row.data, row.sha256, row.row_count = data, parsed.sha256, len(parsed.ids)
    row.uploaded_by_id, row.uploaded_at = actor.id, now or utcnow()
    db.session.add(row)
    competition.updated_at = row.uploaded_at
    db.session.commit()
    return row


def recheck(competition: Competition) -> None:
    """Check the stored truth against new settings (metric, public part) before they are
    saved: ValidationError on "metric" when it no longer fits, so nothing is saved."""
    data = db.session.scalar(select(GroundTruth.data).where(
        GroundTruth.competition_id == competition.id))
    if data is None:
        return
    try:
        parsed = _parse(competition, bytes(data))
        _check_scoreable(competition, parsed)
    except FileRejected as error:
        raise ValidationError("metric", f"The uploaded ground truth does not fit these "
                                        f"settings ({error.message}); upload it again after "
                                        f"the change, or keep the settings.") from None


def truth_info(competition: Competition) -> TruthInfo | None:
    """The uploaded file's name, size and hash, without loading its bytes (one query)."""
    found = db.session.execute(
        select(GroundTruth.filename, GroundTruth.row_count, GroundTruth.sha256,
               GroundTruth.uploaded_at).where(GroundTruth.competition_id == competition.id)
    ).first()
    return TruthInfo(*found) if found else None


def load_truth(competition: Competition) -> Truth | None:
    """The parsed truth and public mask of `competition` (None before an upload)."""
    sha = db.session.scalar(select(GroundTruth.sha256).where(
        GroundTruth.competition_id == competition.id))
    if sha is None:
        return None
    key = (sha, get_metric(competition.metric).kind, competition.split_secret,
           competition.public_fraction)
    if key not in _cache:
        data = db.session.scalar(select(GroundTruth.data).where(
            GroundTruth.competition_id == competition.id))
        parsed = parse_ground_truth(bytes(data), get_metric(competition.metric).kind)
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = Truth(parsed, public_mask(competition.split_secret, parsed.ids,
                                                competition.public_fraction))
    return _cache[key]


def _parse(competition: Competition, data: bytes) -> ParsedFile:
    try:
        return parse_ground_truth(data, get_metric(competition.metric).kind)
    except SubmissionFileError as error:
        raise FileRejected(error.message, row=error.row) from None


def _check_scoreable(competition: Competition, parsed: ParsedFile) -> None:
    mask = public_mask(competition.split_secret, parsed.ids, competition.public_fraction)
    for side, rows in (("public", mask), ("private", ~mask)):
        try:
            score(competition.metric, parsed.values[rows], parsed.values[rows])
        except MetricError as error:
            raise FileRejected(f"The {side} part of the split cannot be scored: "
                               f"{error}") from None


def clean_filename(filename: str) -> str:
    """The name an upload is listed under: no folders, never empty, at most 255 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload.csv"
    return name[-MAX_FILENAME:]
