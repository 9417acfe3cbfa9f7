import ast
from pathlib import Path

import pytest

from app.accounts import rules


@pytest.mark.parametrize("name", ["ada", "Ada_Lovelace", "grace-hopper", "a" * 30, "x_1-y"])
def test_usernames_of_letters_digits_underscores_and_hyphens_pass(name):
    assert rules.username_error(name) is None


@pytest.mark.parametrize("name", ["ab", "a" * 31, "has space", "dot.name", "émile", "", "semi;colon"])
def test_malformed_usernames_are_refused(name):
    assert rules.username_error(name) == "Use 3 to 30 letters, digits, underscores or hyphens."


@pytest.mark.parametrize("name", ["admin", "Admin", "deleted-12", "Deleted-x"])
def test_reserved_usernames_and_the_deleted_pattern_are_refused(name):
    assert "reserved" in rules.username_error(name)


def test_username_key_ignores_case_and_padding():
    assert rules.username_key("  AdaL ") == "adal"


def test_email_is_normalised_to_lower_case():
    assert rules.normalize_email("  Ada@Example.COM ") == "ada@example.com"


def test_a_long_uncommon_password_passes():
    assert rules.password_error("violet kettle drums") is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Use at least 10 characters."),
        ("x" * 201, "Use at most 200 characters."),
        ("password123", "That password is too common. Please choose something harder to guess."),
        ("QWERTYUIOP", "That password is too common. Please choose something harder to guess."),
        ("aaaaaaaaaaaaaa", "That password is too common. Please choose something harder to guess."),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, message):
    assert rules.password_error(password) == message


def test_the_password_cannot_be_the_username_or_the_email():
    assert "username" in rules.password_error("ada_lovelace", username="Ada_Lovelace")
    assert "email" in rules.password_error("ada.lovelace@example.com", email="ada.lovelace@example.com")
    assert "email" in rules.password_error("adalovelace", email="adalovelace@example.com")


def test_the_common_list_only_holds_passwords_long_enough_to_matter():
    assert len(rules.COMMON_PASSWORDS) >= 90
    assert all(len(p) >= rules.MIN_PASSWORD_LENGTH for p in rules.COMMON_PASSWORDS)
    assert all(p == p.lower() for p in rules.COMMON_PASSWORDS)


@pytest.mark.parametrize("module", ["rules.py", "tokens.py"])
def test_pure_account_modules_import_no_framework(module):
    source = Path(rules.__file__).with_name(module).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    forbidden = {name for name in imported if name.split(".")[0] in {"flask", "sqlalchemy"}}
    forbidden |= {name for name in imported if name.startswith("app.") and name != "app.accounts.errors"}
    assert not forbidden
