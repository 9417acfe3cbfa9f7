"""Fair play: find serial voting, take back the points it paid, and tell moderators.

The votes themselves stay (a moderator may still talk to the voter); only their points
are reversed, with ledger rows. Each finding is stored under a unique
(voter, author, window_end) key that is claimed before anything is reversed, so a rerun,
or two sweeps at once, reverse nothing twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.forum.errors import PermissionDenied
from app.forum.models import Post, Vote
from app.forum.savepoint import insert_once
from app.gamification import ledger
from app.gamification.models import SerialVoteFinding
from app.gamification.points import VOTE_REASONS
from app.gamification.serial_votes import Finding, VoteRow, find_serial_votes
from app.insights.services import record
from app.timeutil import utcnow
from app.web.pagination import Page, paginate

LOOKBACK = timedelta(days=7)
FINDINGS_PER_PAGE = 25


@dataclass(frozen=True)
class SweepResult:
    findings: int  # new findings stored by this run
    votes: int  # votes whose points were reversed
    points: int  # points taken back from the authors (downvotes reversed count negative)


def sweep_serial_votes(now: datetime | None = None, lookback: timedelta = LOOKBACK) -> SweepResult:
    """Run the detector over the votes cast in `lookback` before `now`; reverse and record.

    One transaction; commits. Safe to rerun for the same period: findings already stored
    are skipped, and reversed rows are no longer standing, so nothing moves twice.
    """
    now = now or utcnow()
    findings = find_serial_votes(_recent_votes(now - lookback, now))
    stored = votes = points = 0
    for finding in findings:
        row = _claim(finding)
        if row is None:
            continue
        reversed_votes, taken = _reverse_points(finding, now)
        row.points_reversed = taken
        record(
            "serial_votes_reversed",
            user=finding.voter_id,
            subject=row,
            data={"author_id": finding.author_id, "rule": finding.rule,
                  "votes": reversed_votes, "points": taken},
            at=now,
        )
        stored, votes, points = stored + 1, votes + reversed_votes, points + taken
    db.session.commit()
    return SweepResult(findings=stored, votes=votes, points=points)


def can_review(user) -> bool:
    """Findings name people who may have done nothing wrong: moderators and admins only."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def findings_page(viewer, *, page: int) -> Page:
    """Stored findings, newest first, with both people loaded (three queries a page)."""
    if not can_review(viewer):
        raise PermissionDenied("Only moderators can review serial voting.")
    query = (
        select(SerialVoteFinding)
        .options(selectinload(SerialVoteFinding.voter), selectinload(SerialVoteFinding.author))
        .order_by(SerialVoteFinding.created_at.desc(), SerialVoteFinding.id.desc())
    )
    return paginate(query, page=page, per_page=FINDINGS_PER_PAGE)


# -- internals ---------------------------------------------------------------------


def _recent_votes(since: datetime, until: datetime) -> list[VoteRow]:
    rows = db.session.execute(
        select(Vote.id, Vote.user_id, Post.author_id, Vote.post_id, Vote.value, Vote.created_at)
        .join(Post, Post.id == Vote.post_id)
        .where(Vote.created_at >= since, Vote.created_at <= until)
    )
    return [VoteRow(*row) for row in rows]


def _claim(finding: Finding) -> SerialVoteFinding | None:
    """Store the finding, or None when this pair and window were already handled."""
    row = SerialVoteFinding(
        voter_id=finding.voter_id,
        author_id=finding.author_id,
        rule=finding.rule,
        votes=len(finding.votes),
        points_reversed=0,
        window_end=finding.window_end,
        details={
            "rules": list(finding.rules),
            "window_start": finding.window_start.isoformat(),
            "max_in_24h": finding.max_in_window,
            "share": list(finding.share),
            "vote_ids": [v.vote_id for v in finding.votes],
            "post_ids": sorted({v.post_id for v in finding.votes}),
        },
    )
    return row if insert_once(row) else None


def _reverse_points(finding: Finding, at: datetime) -> tuple[int, int]:
    """Reverse the standing points of the flagged votes: (votes touched, author's points taken)."""
    ledger.lock_users(finding.voter_id, finding.author_id)
    touched = taken = 0
    for post_id in sorted({v.post_id for v in finding.votes}):
        rows = ledger.standing_rows(
            subject_type="post", subject_id=post_id, reasons=VOTE_REASONS,
            actor_id=finding.voter_id,
        )
        for row in rows:
            reversal = ledger.reverse(row, at=at, reason="serial_vote_reversal")
            if reversal is not None and reversal.user_id == finding.author_id:
                taken -= reversal.delta
        touched += bool(rows)
    return touched, taken
