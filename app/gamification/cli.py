"""`flask points ...`: ledger reconcile and the gamification sweeps.

Each command calls one service function, the same one a scheduled job calls, and
prints what it did. Services are imported inside the commands so `flask --help` stays
fast and free of import cycles.
"""

import click
from flask.cli import AppGroup

points_cli = AppGroup("points", help="Points ledger and gamification sweeps.")


@points_cli.command("reconcile")
@click.option("--fix", is_flag=True, help="Set each wrong cached total to its ledger sum.")
def reconcile_command(fix: bool) -> None:
    """Prove every cached total equals its ledger sum.

    Exits 1 when differences remain (found without --fix), so a job or CI can alert.
    """
    from app.gamification.ledger import reconcile

    found = reconcile(fix=fix)
    for d in found:
        click.echo(f"{d.username}: cached {d.cached}, ledger {d.ledger} ({d.difference:+d})")
    if not found:
        click.echo("0 differences: every cached total equals its ledger.")
    elif fix:
        click.echo(f"{len(found)} difference(s) fixed: cached totals set to their ledgers.")
    else:
        click.echo(f"{len(found)} difference(s); run with --fix to repair the cached totals.")
        click.get_current_context().exit(1)


@points_cli.command("sweep-serial-votes")
@click.option("--days", type=click.IntRange(1, 90), default=7, show_default=True,
              help="How far back to look at votes.")
def sweep_serial_votes_command(days: int) -> None:
    """Find serial voting, reverse those votes' points and record it for moderators."""
    from datetime import timedelta

    from app.gamification.fair_play import sweep_serial_votes

    result = sweep_serial_votes(lookback=timedelta(days=days))
    click.echo(
        f"{result.findings} new finding(s); reversed the points of {result.votes} vote(s), "
        f"{result.points} point(s) taken back from the authors."
    )


@points_cli.command("sweep-badges")
def sweep_badges_command() -> None:
    """Award the badges that need aggregates (scores, views, tags); safe to rerun."""
    from app.gamification.badge_awards import sweep_badges

    counts = sweep_badges()
    awarded = {slug: n for slug, n in counts.items() if n}
    for slug, n in sorted(awarded.items()):
        click.echo(f"{slug}: {n}")
    click.echo(f"{sum(awarded.values())} badge(s) awarded.")


@points_cli.command("expire-bounties")
def expire_bounties_command() -> None:
    """Settle the bounties whose week is over; safe to rerun."""
    from app.gamification.bounties import expire_bounties

    click.echo(f"{expire_bounties()} bounty(ies) settled.")
