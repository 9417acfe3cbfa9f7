"""`flask import stackexchange DIR`: bring another community's public dump in.

The command calls one service and prints its progress and summary; imports happen
inside the command so `flask --help` stays fast.
"""

from pathlib import Path

import click
from flask.cli import AppGroup

import_cli = AppGroup("import", help="Import content from other communities.")


@import_cli.command("stackexchange")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Import at most N questions (with their answers, comments and votes).")
@click.option("--site-url", default="https://ai.stackexchange.com", show_default=True,
              help="The site the dump comes from; imported posts link back to it.")
def stackexchange_command(directory: Path, limit: int | None, site_url: str) -> None:
    """Import a Stack Exchange data dump (Users.xml, Posts.xml, Comments.xml, Votes.xml,
    Tags.xml, PostLinks.xml, Badges.xml) from DIRECTORY. Safe to re-run: what is already
    there is skipped."""
    from app.importers.stackexchange import NotADump, import_stackexchange

    if not directory.is_dir():
        raise click.ClickException(f"{directory} is not a folder; pass the dump's folder.")
    try:
        report = import_stackexchange(directory, site_url=site_url, limit=limit,
                                      progress=click.echo)
    except NotADump as error:
        raise click.ClickException(str(error)) from None
    for line in report.summary_lines():
        click.echo(line)
