"""`flask billing ...`: plans in Stripe, and replaying a webhook event that failed."""

import click
from flask.cli import AppGroup

from app.billing import gateway, services, webhooks

billing_cli = AppGroup("billing", help="Membership plans and Stripe webhook events.")


@billing_cli.command("sync-plans")
def sync_plans_command() -> None:
    """Create or update the Plan rows and, with a Stripe key, the Product and Prices."""
    try:
        lines = services.sync_plans()
    except gateway.GatewayError as error:
        raise click.ClickException(str(error)) from None
    for line in lines:
        click.echo(line)


@billing_cli.command("replay")
@click.argument("event_id")
def replay_command(event_id: str) -> None:
    """Run a stored Stripe event's handler again (after fixing what made it fail)."""
    try:
        receipt = webhooks.replay_event(event_id)
    except LookupError as error:
        raise click.ClickException(str(error)) from None
    except webhooks.HandlerFailed as error:
        raise click.ClickException(f"failed again: {error}") from None
    click.echo(f"{event_id}: {receipt.status}")
