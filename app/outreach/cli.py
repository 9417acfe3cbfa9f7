"""`flask outreach ...`: commands for the outreach package."""

import click
from flask.cli import AppGroup

from app.outreach.report import ReportRow, outreach_report
from app.outreach.uplift import format_difference, format_rate

outreach_cli = AppGroup("outreach", help="Outreach emails: did they bring people back?")

# (heading, value of a row, right-aligned?)
COLUMNS = (
    ("campaign", lambda r: r.campaign, False),
    ("variant", lambda r: r.label, False),
    ("selected", lambda r: f"{r.counts.selected:,}", True),
    ("sent", lambda r: f"{r.counts.sent:,}", True),
    ("held out", lambda r: f"{r.counts.held_out:,}", True),
    ("failed", lambda r: f"{r.counts.failed:,}", True),
    ("clicked", lambda r: f"{r.counts.clicked:,}", True),
    ("returned (sent)", lambda r: f"{r.counts.returned_sent:,}", True),
    ("returned (held out)", lambda r: f"{r.counts.returned_held_out:,}", True),
    ("sent rate", lambda r: format_rate(r.uplift.sent_rate), True),
    ("hold-out rate", lambda r: format_rate(r.uplift.held_out_rate), True),
    ("uplift (95% CI)", lambda r: format_difference(r.uplift), True),
)


@outreach_cli.command("report")
@click.option("--campaign", default=None, metavar="NAME", help="Only this campaign.")
def report_command(campaign: str | None) -> None:
    """Per campaign and subject variant: messages selected, sent, held out, failed and
    clicked, return visits, and the return rate's uplift over the campaign's hold-out."""
    reports = outreach_report(campaign)
    if not reports:
        click.echo(f"No emails recorded for campaign {campaign!r} yet." if campaign
                   else "No outreach emails recorded yet: nothing to report.")
        return
    for line in _aligned([row for report in reports for row in report.rows]):
        click.echo(line)
    click.echo("Rates are returns within 7 days. Each variant is compared with its "
               "campaign's whole hold-out group; 'all' is the campaign's total.")


def _aligned(rows: list[ReportRow]) -> list[str]:
    cells = [[heading for heading, _, _ in COLUMNS]]
    cells += [[value(row) for _, value, _ in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    return ["  ".join(cell.rjust(width) if right else cell.ljust(width)
                      for cell, width, (_, _, right) in zip(line, widths, COLUMNS, strict=True))
            for line in cells]
