"""`flask insights ...`: commands for the insights package."""

import click
from flask.cli import AppGroup

from app.insights.evaluation import evaluate_recommendations
from app.timeutil import utcnow

insights_cli = AppGroup("insights", help="Insights: offline evaluation of the recommender.")


@insights_cli.command("evaluate")
@click.option("--as-of", type=click.DateTime(), default=None,
              help="The end of the held-out period (UTC); default now.")
@click.option("--holdout-days", default=14, show_default=True, type=click.IntRange(min=1),
              help="The last days of interactions held out as the test set.")
def evaluate(as_of, holdout_days: int) -> None:
    """Fit before the held-out days, then print HitRate@10, NDCG@10 and coverage for the
    hybrid recommender, CF only, content only and a popularity baseline."""
    results = evaluate_recommendations(as_of or utcnow(), holdout_days=holdout_days)
    click.echo(f"{'model':<14}{'HitRate@10':>12}{'NDCG@10':>10}{'coverage':>10}"
               f"{'users evaluated':>17}")
    for row in results:
        click.echo(f"{row.model:<14}{row.hit_rate:>12.3f}{row.ndcg:>10.3f}"
                   f"{row.coverage:>10.3f}{row.users:>17,}")
