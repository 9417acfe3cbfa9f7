"""@mention parsing: pure, so it runs without an app."""

import ast
from pathlib import Path

import pytest

from app.notifications import mentions
from app.notifications.mentions import MAX_MENTIONS, mentioned_keys, new_mentions


def test_the_module_imports_nothing_from_flask_sqlalchemy_or_the_app():
    tree = ast.parse(Path(mentions.__file__).read_text())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import)
            else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        )
    }
    assert not imported & {"flask", "sqlalchemy", "flask_sqlalchemy", "app"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks @ada!", ["ada"]),
        ("@ada at the start", ["ada"]),
        ("cc @ada, @bob_smith and @c-3po.", ["ada", "bob_smith", "c-3po"]),
        ("(see @ada) or [@bob]", ["ada", "bob"]),
        ("@ada: what do you think?", ["ada"]),
        ("line one\n@ada on line two", ["ada"]),
        ("**@ada** and _@bob_", ["ada", "bob"]),
        ("a link to [@ada](https://example.com/ada)", ["ada"]),
    ],
)
def test_plain_mentions_with_punctuation_around_them(text, expected):
    assert mentioned_keys(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "mail ada@example.com or ada.b@example.org",
        "see https://social.example/@ada",
        "an @ alone, @@ada, and @ab (too short)",
        "`@ada` in a code span",
        "``code with ` and @ada``",
        "```\n@ada in a fence\n```",
        "~~~python\nprint('@ada')\n~~~",
        "Text first.\n\n    @ada in an indented block",
        "> @ada in a quote",
        "",
    ],
)
def test_emails_urls_code_and_quotes_are_not_mentions(text):
    assert mentioned_keys(text) == []


def test_mentions_are_case_insensitive_and_each_name_counts_once():
    assert mentioned_keys("@Ada and @ADA and @ada, then @Bob") == ["ada", "bob"]


def test_a_name_longer_than_a_username_is_not_a_mention():
    assert mentioned_keys("@" + "a" * 31) == []
    assert mentioned_keys("@" + "a" * 30) == ["a" * 30]


def test_mentions_outside_code_still_count_next_to_code():
    text = "Ask @ada about `@bob`:\n\n```\n@carol\n```\n\nthen @dave."
    assert mentioned_keys(text) == ["ada", "dave"]


def test_one_post_pings_at_most_the_cap():
    text = " ".join(f"@user{n:03d}" for n in range(MAX_MENTIONS + 5))
    assert len(mentioned_keys(text)) == MAX_MENTIONS


def test_an_edit_pings_only_names_no_earlier_version_had():
    earlier = ["Thanks @ada", "Thanks @ada and @bob"]
    assert new_mentions("Thanks @ADA, @bob and @carol", earlier) == ["carol"]
    assert new_mentions("Thanks @bob", earlier) == []
    assert new_mentions("Hi @dave", []) == ["dave"]
