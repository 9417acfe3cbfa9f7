"""`flask competitions ...`: close competitions by hand, as the scheduled job does.

The command calls the same service function the job calls and prints what it did.
Services are imported inside the command so `flask --help` stays fast.
"""

import click
from flask.cli import AppGroup

competitions_cli = AppGroup("competitions", help="Competitions: finalize results.")


@competitions_cli.command("finalize")
@click.option("--id", "competition_id", type=int, default=None,
              help="Finalize this competition only (it must have ended).")
def finalize_command(competition_id: int | None) -> None:
    """Write final standings, pay prizes and tell entrants; safe to run again.

    Without --id, every ended competition that is not final yet. Exits 1 when one failed.
    """
    from app.competitions.finalizing import finalize, finalize_due
    from app.forum.errors import ForumError

    if competition_id is None:
        results = finalize_due()
    else:
        try:
            results = [finalize(competition_id)]
        except ForumError as error:
            raise click.ClickException(error.message) from None
    for result in results:
        if result.error:
            click.echo(f"competition {result.competition_id}: failed: {result.error}")
        elif result.done:
            click.echo(f"competition {result.competition_id}: finalized, {result.ranked} "
                       f"ranked, {result.prizes_paid} prize(s) paid")
        else:
            click.echo(f"competition {result.competition_id}: already final, nothing changed")
    if not results:
        click.echo("No competition is waiting to be finalized.")
    if any(result.error for result in results):
        click.get_current_context().exit(1)
