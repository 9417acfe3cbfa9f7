import pytest

from app.accounts.models import Role, User
from app.extensions import db
from tests.fixtures.users import make_user


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def _user(key: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(username_key=key))


def test_create_admin_with_a_password_option(cli):
    result = cli.invoke(args=["users", "create-admin", "Boss", "Boss@Example.com",
                              "--password", "a long admin passphrase"])

    assert result.exit_code == 0, result.output
    assert "Created administrator Boss <boss@example.com>." in result.output
    user = _user("boss")
    assert user.role == Role.ADMIN
    assert user.email_verified_at is not None
    assert user.check_password("a long admin passphrase")


def test_create_admin_asks_for_the_password_hidden_and_twice(cli):
    result = cli.invoke(args=["users", "create-admin", "boss", "boss@example.com"],
                        input="a long admin passphrase\na long admin passphrase\n")
    assert result.exit_code == 0, result.output
    assert "a long admin passphrase" not in result.output
    assert _user("boss").check_password("a long admin passphrase")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["boss", "boss@example.com", "--password", "password123"], "password: That password is too common."),
        (["b o s s", "boss@example.com", "--password", "a long admin passphrase"], "username: Use 3 to 30"),
        (["taken", "boss@example.com", "--password", "a long admin passphrase"], "username: That username is taken."),
    ],
)
def test_create_admin_applies_the_registration_rules(cli, args, message):
    make_user(username="taken")
    result = cli.invoke(args=["users", "create-admin", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert _user("boss") is None


def test_set_role_changes_the_role(cli):
    user = make_user(username="ada")
    result = cli.invoke(args=["users", "set-role", "ADA", "moderator"])
    assert result.exit_code == 0, result.output
    assert "ada is now moderator." in result.output
    assert db.session.get(User, user.id).role == Role.MODERATOR


def test_set_role_refuses_unknown_roles_and_people(cli):
    make_user(username="ada")
    assert cli.invoke(args=["users", "set-role", "ada", "emperor"]).exit_code == 2
    result = cli.invoke(args=["users", "set-role", "nobody", "admin"])
    assert result.exit_code == 1 and "No user named 'nobody'." in result.output
