"""`flask users ...`: create an administrator, change a role."""

import click
from flask.cli import AppGroup

from app.accounts import services
from app.accounts.errors import ValidationError
from app.accounts.models import Role

users_cli = AppGroup("users", help="Manage users.")


@users_cli.command("create-admin")
@click.argument("username")
@click.argument("email")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for (hidden) when not given.",
)
def create_admin(username: str, email: str, password: str) -> None:
    """Create an administrator whose email counts as verified."""
    try:
        user = services.create_admin(
            services.Registration(username=username, email=email, password=password)
        )
    except ValidationError as error:
        raise click.ClickException(f"{error.field}: {error.message}") from error
    click.echo(f"Created administrator {user.username} <{user.email}>.")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice([role.value for role in Role]))
def set_role(username: str, role: str) -> None:
    """Make someone a member, moderator or admin."""
    try:
        user = services.set_role(username, role)
    except ValidationError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"{user.username} is now {user.role}.")
