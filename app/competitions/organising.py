"""Staff running competitions: create, edit, publish, the prize table, disqualification.

Each function is one use case and one transaction, checks `can_organise` again (hiding
the admin links is never the only guard) and raises `ValidationError(field, message)`
with nothing saved, so the form re-renders with what was typed. Settings that scores
depend on (kind, metric, split) are fixed once entries exist, so no stored score ever
stops matching its competition.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select

from app.competitions import ground_truth, lifecycle
from app.competitions.joining import get_competition
from app.competitions.metrics import METRICS
from app.competitions.models import (
    KINDS,
    PREDICTION,
    Challenge,
    Competition,
    Entrant,
    GroundTruth,
    PrizeTier,
    Submission,
)
from app.competitions.permissions import require_organiser
from app.extensions import db
from app.forum.errors import Conflict, NotFound, ValidationError
from app.forum.slugs import slugify
from app.insights.services import record
from app.timeutil import utcnow
from app.web.markdown import render_markdown
from app.web.staff_input import all_or_nothing, clean_slug, clean_text, clean_title

MAX_SUMMARY, MAX_TEXT, MAX_REASON = 300, 50_000, 500
MAX_PRIZE_POINTS, MAX_RANK = 10_000, 10_000
MAX_DAILY_LIMIT, MAX_FINAL = 100, 10


@dataclass(frozen=True)
class CompetitionInput:
    """What the competition form holds; times are UTC (naive, or aware and converted)."""

    kind: str
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    slug: str = ""
    summary: str = ""
    description: str = ""
    rules: str = ""
    freeze_at: datetime | None = None
    member_only: bool = False
    requires_join: bool = True
    metric: str = ""
    public_fraction: float | None = 0.3
    daily_limit: int | None = 5
    max_final: int | None = 2


@dataclass(frozen=True)
class PrizeInput:
    rank_from: int | None
    rank_to: int | None
    points: int | None


def all_competitions(actor) -> list[Competition]:
    """Every competition, drafts too, newest start first, for the staff list."""
    require_organiser(actor)
    return list(db.session.scalars(
        select(Competition).order_by(Competition.starts_at.desc(), Competition.id.desc())))


def create_competition(actor, data: CompetitionInput) -> Competition:
    """A new draft with a fresh split secret; staff publish it once it is ready."""
    require_organiser(actor)
    competition = Competition(published=False, split_secret=secrets.token_hex(32),
                              created_by_id=actor.id, created_at=utcnow())
    with all_or_nothing():
        _apply(competition, data)
    competition.updated_at = competition.created_at
    db.session.add(competition)
    db.session.commit()
    return competition


def update_competition(actor, competition_id: int, data: CompetitionInput) -> Competition:
    """Save the settings; a refused edit leaves the stored competition as it was."""
    require_organiser(actor)
    competition = get_competition(competition_id)
    with all_or_nothing():
        _apply(competition, data)
    competition.updated_at = utcnow()
    db.session.commit()
    return competition


def set_published(actor, competition_id: int, published: bool) -> Competition:
    """Publish (it becomes scheduled or running by the clock) or take back to draft.

    Publishing needs something to compete on: a challenge, or a metric with its ground
    truth. A competition people have entered cannot go back to draft.
    """
    require_organiser(actor)
    competition = get_competition(competition_id)
    if published and not competition.published:
        _check_ready(competition)
    if not published and competition.published and _has_entrants(competition):
        raise Conflict("People have entered this competition; it cannot go back to draft.")
    competition.published = published
    competition.updated_at = utcnow()
    db.session.commit()
    return competition


def set_prizes(actor, competition_id: int, tiers: Sequence[PrizeInput]) -> list[PrizeTier]:
    """Replace the prize table. Ranges are inclusive, may leave gaps, never overlap, and
    pay 1..10,000 points; blank rows are ignored. Fixed once the results are final."""
    require_organiser(actor)
    competition = get_competition(competition_id)
    if competition.finalized_at is not None:
        raise Conflict("The results are final and the prizes paid; the table is fixed.")
    rows = _clean_prizes(tiers)
    competition.prizes.clear()
    db.session.flush()  # the old tiers go first: the new ones may reuse their ranks
    competition.prizes = [PrizeTier(rank_from=a, rank_to=b, points=p) for a, b, p in rows]
    competition.updated_at = utcnow()
    db.session.commit()
    return competition.prizes


def disqualify(actor, competition_id: int, user_id: int, reason: str,
               *, now: datetime | None = None) -> Entrant:
    """Take an entrant off every board, with the reason and who decided, recorded.

    Only before the results are final: prizes are paid at finalization, so a
    disqualified entrant never receives any, and finalized results stay as paid.
    """
    require_organiser(actor)
    now = now or utcnow()
    competition = get_competition(competition_id)
    if competition.finalized_at is not None:
        raise Conflict("The results are final and the prizes paid; nobody can be "
                       "disqualified any more.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("reason", "Say why: the entrant and other staff will read it.")
    if len(reason) > MAX_REASON:
        raise ValidationError("reason", f"Keep the reason under {MAX_REASON} characters.")
    entrant = _entrant(competition, user_id)
    if entrant.is_disqualified:
        return entrant
    entrant.disqualified_at, entrant.disqualified_reason = now, reason
    entrant.disqualified_by_id = actor.id
    record("entrant_disqualified", user=actor, subject=entrant, at=now,
           data={"competition_id": competition.id, "user_id": user_id, "reason": reason})
    db.session.commit()
    return entrant


def reinstate(actor, competition_id: int, user_id: int) -> Entrant:
    """Undo a disqualification made in error (before the results are final)."""
    require_organiser(actor)
    competition = get_competition(competition_id)
    if competition.finalized_at is not None:
        raise Conflict("The results are final; they are no longer changed.")
    entrant = _entrant(competition, user_id)
    entrant.disqualified_at, entrant.disqualified_by_id = None, None
    entrant.disqualified_reason = ""
    db.session.commit()
    return entrant


def _entrant(competition: Competition, user_id: int) -> Entrant:
    entrant = db.session.scalar(select(Entrant).where(
        Entrant.competition_id == competition.id, Entrant.user_id == user_id))
    if entrant is None:
        raise NotFound("That person has not entered this competition.")
    return entrant


def _apply(competition: Competition, data: CompetitionInput) -> None:
    competition.title = clean_title(data.title)
    competition.slug = clean_slug(data.slug or slugify(competition.title), "slug")
    clash = db.session.scalar(select(Competition.id).where(
        Competition.slug == competition.slug, Competition.id != (competition.id or -1)))
    if clash is not None:
        raise ValidationError("slug", "Another competition already uses this address.")
    competition.summary = clean_text(data.summary, "summary", MAX_SUMMARY, required=True)
    competition.description = clean_text(data.description, "description", MAX_TEXT)
    competition.description_html = render_markdown(competition.description)
    competition.rules = clean_text(data.rules, "rules", MAX_TEXT)
    competition.rules_html = render_markdown(competition.rules)
    _apply_kind(competition, data.kind)
    _apply_times(competition, data)
    competition.member_only = bool(data.member_only)
    competition.requires_join = bool(data.requires_join)
    if competition.kind == PREDICTION:
        _apply_prediction(competition, data)


def _apply_kind(competition: Competition, kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError("kind", "Choose a challenge set or a prediction contest.")
    if competition.id is not None and kind != competition.kind and _has_content(competition):
        raise ValidationError("kind", "This competition already has challenges or ground "
                                      "truth; its kind can no longer change.")
    competition.kind = kind


def _apply_times(competition: Competition, data: CompetitionInput) -> None:
    starts_at, ends_at = lifecycle.as_utc(data.starts_at), lifecycle.as_utc(data.ends_at)
    freeze_at = lifecycle.as_utc(data.freeze_at)
    if starts_at is None:
        raise ValidationError("starts_at", "Give the start time (UTC).")
    if ends_at is None:
        raise ValidationError("ends_at", "Give the end time (UTC).")
    if ends_at <= starts_at:
        raise ValidationError("ends_at", "The end must come after the start.")
    if freeze_at is not None and not starts_at < freeze_at < ends_at:
        raise ValidationError("freeze_at", "The freeze must fall between the start and the end.")
    if competition.finalized_at is not None and (starts_at, ends_at) != (
            competition.starts_at, competition.ends_at):
        raise ValidationError("ends_at", "The results are final; the dates can no longer change.")
    competition.starts_at, competition.ends_at = starts_at, ends_at
    competition.freeze_at = freeze_at


def _apply_prediction(competition: Competition, data: CompetitionInput) -> None:
    if data.metric not in METRICS:
        raise ValidationError("metric", "Choose the metric entries are scored with.")
    fraction = data.public_fraction
    if fraction is None or not 0.05 <= fraction <= 0.95:
        raise ValidationError("public_fraction",
                              "The public part must be from 5% to 95% of the rows.")
    changed = competition.id is not None and (data.metric, fraction) != (
        competition.metric, competition.public_fraction)
    if changed and _has_submissions(competition):
        raise ValidationError("metric", "Entries have been scored; the metric and the public "
                                        "part can no longer change.")
    if data.daily_limit is None or not 1 <= data.daily_limit <= MAX_DAILY_LIMIT:
        raise ValidationError("daily_limit", f"Allow 1 to {MAX_DAILY_LIMIT} submissions a day.")
    if data.max_final is None or not 1 <= data.max_final <= MAX_FINAL:
        raise ValidationError("max_final", f"Let entrants choose 1 to {MAX_FINAL} final "
                                           "submissions.")
    competition.metric, competition.public_fraction = data.metric, float(fraction)
    competition.daily_limit, competition.max_final = data.daily_limit, data.max_final
    if changed:
        ground_truth.recheck(competition)


def _clean_prizes(tiers: Sequence[PrizeInput]) -> list[tuple[int, int, int]]:
    rows = []
    for tier in tiers:
        if tier.rank_from is None and tier.rank_to is None and tier.points is None:
            continue
        first = tier.rank_from
        last = first if tier.rank_to is None else tier.rank_to
        if first is None or not 1 <= first <= MAX_RANK:
            raise ValidationError("prizes", f"Each prize needs a first rank from 1 to {MAX_RANK:,}.")
        if not first <= last <= MAX_RANK:
            raise ValidationError("prizes", f"Ranks {first}–{last}: the last rank must not come "
                                            "before the first.")
        if tier.points is None or not 1 <= tier.points <= MAX_PRIZE_POINTS:
            raise ValidationError("prizes", f"Ranks {first}–{last}: pay 1 to "
                                            f"{MAX_PRIZE_POINTS:,} points.")
        rows.append((first, last, tier.points))
    rows.sort()
    for (a1, b1, _), (a2, b2, _) in zip(rows, rows[1:], strict=False):
        if a2 <= b1:
            raise ValidationError("prizes", f"Ranks {a1}–{b1} and {a2}–{b2} overlap; "
                                            "each rank gets one prize.")
    return rows


def _check_ready(competition: Competition) -> None:
    if competition.kind == PREDICTION:
        if not competition.metric:
            raise ValidationError("published", "Choose a metric before publishing.")
        if not _has_truth(competition):
            raise ValidationError("published", "Upload the ground truth before publishing.")
    elif not competition.challenges:
        raise ValidationError("published", "Add at least one challenge before publishing.")


def _has_entrants(competition: Competition) -> bool:
    return db.session.scalar(select(exists().where(Entrant.competition_id == competition.id)))


def _has_submissions(competition: Competition) -> bool:
    return db.session.scalar(select(exists().where(Submission.competition_id == competition.id)))


def _has_truth(competition: Competition) -> bool:
    return db.session.scalar(select(exists().where(GroundTruth.competition_id == competition.id)))


def _has_content(competition: Competition) -> bool:
    return _has_truth(competition) or db.session.scalar(
        select(exists().where(Challenge.competition_id == competition.id)))
