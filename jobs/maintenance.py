"""The sweeps the gamification and competitions issues made ready, on their schedules.

Each calls the same service its `flask points ...` or `flask competitions ...` command
calls; every one of them is safe to run again for the same moment.
"""

import logging

from app.competitions.finalizing import finalize_due
from app.gamification.badge_awards import sweep_badges
from app.gamification.bounties import expire_bounties
from app.gamification.fair_play import sweep_serial_votes
from app.gamification.ledger import reconcile
from jobs.context import JobContext
from jobs.registry import Schedule, job

log = logging.getLogger("jobs")


@job("badge-sweep", Schedule(minutes=10),
     "Award the badges that need aggregates (scores, views, tags).")
def badge_sweep(ctx: JobContext) -> dict[str, int]:
    awarded = sweep_badges(now=ctx.as_of)
    return {"awarded": sum(awarded.values())}


@job("serial-vote-sweep", Schedule(minutes=60),
     "Find serial voting in the last week and reverse those votes' points.")
def serial_vote_sweep(ctx: JobContext) -> dict[str, int]:
    result = sweep_serial_votes(now=ctx.as_of)
    return {"findings": result.findings, "votes": result.votes, "points": result.points}


@job("points-reconcile", Schedule(hour=1, minute=30),
     "Prove every cached points total equals its ledger sum; repair the cache if not.")
def points_reconcile(ctx: JobContext) -> dict[str, int]:
    found = reconcile(fix=True)
    if found:
        log.warning(
            "points-reconcile repaired %d cached total(s): %s", len(found),
            ", ".join(f"{d.username} {d.difference:+d}" for d in found[:20]))
    return {"differences": len(found)}


@job("bounty-expiry", Schedule(minutes=60), "Settle the bounties whose week is over.")
def bounty_expiry(ctx: JobContext) -> dict[str, int]:
    return {"settled": expire_bounties(now=ctx.as_of)}


@job("competition-finalize", Schedule(minutes=1),
     "Finalize ended competitions: final standings, prizes, notices.")
def competition_finalize(ctx: JobContext) -> dict[str, int]:
    results = finalize_due(now=ctx.as_of)
    failed = [r for r in results if r.error]
    if failed:
        raise RuntimeError("; ".join(f"competition {r.competition_id}: {r.error}" for r in failed))
    return {"finalized": sum(r.done for r in results)}
