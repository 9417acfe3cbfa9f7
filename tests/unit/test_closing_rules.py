"""Closing rules: when votes take effect, with which reason, and links to originals."""

import ast
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.gamification import closing_rules
from app.gamification.closing_rules import (
    Ballot,
    close_verdict,
    is_live,
    notice_text,
    parse_thread_ref,
    takes_effect,
)

T0 = datetime(2026, 3, 1, 12, 0)


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_the_module_is_pure():
    tree = ast.parse(Path(closing_rules.__file__).read_text())
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"re", "collections", "dataclasses", "datetime"}


def test_three_votes_or_one_staff_vote_take_effect():
    assert [takes_effect(n, by_staff=False) for n in (1, 2, 3, 4)] == [False, False, True, True]
    assert takes_effect(1, by_staff=True)


def test_votes_expire_after_14_days():
    assert is_live(T0, T0 + timedelta(days=13, hours=23))
    assert not is_live(T0, T0 + timedelta(days=14))
    assert not is_live(T0, T0 + timedelta(days=30))


def test_the_most_given_reason_wins():
    ballots = [Ballot("unclear", None, _at(1)), Ballot("off_topic", None, _at(2)),
               Ballot("off_topic", None, _at(3))]
    assert close_verdict(ballots) == ("off_topic", None)


def test_a_tie_goes_to_the_reason_voted_first():
    ballots = [Ballot("needs_focus", None, _at(3)), Ballot("unclear", None, _at(1)),
               Ballot("off_topic", None, _at(2))]
    assert close_verdict(ballots) == ("unclear", None)


def test_duplicates_link_the_original_most_votes_named():
    ballots = [Ballot("duplicate", 7, _at(1)), Ballot("duplicate", 9, _at(2)),
               Ballot("duplicate", 9, _at(3))]
    assert close_verdict(ballots) == ("duplicate", 9)
    tied = [Ballot("duplicate", 7, _at(1)), Ballot("duplicate", 9, _at(2)), Ballot("unclear", None, _at(3))]
    assert close_verdict(tied) == ("duplicate", 7)


def test_a_staff_vote_decides_the_reason_alone():
    ballots = [Ballot("unclear", None, _at(1)), Ballot("unclear", None, _at(2))]
    staff = Ballot("duplicate", 4, _at(3))
    assert close_verdict([*ballots, staff], decided_by=staff) == ("duplicate", 4)


@pytest.mark.parametrize(
    ("text", "thread_id"),
    [
        ("123", 123),
        (" #45 ", 45),
        ("/t/12", 12),
        ("/t/12/some-slug", 12),
        ("https://guildhall.test/t/99/how-to-read-files?page=2#post-4", 99),
        ("http://localhost:5000/t/7", 7),
        ("", None),
        (None, None),
        ("abc", None),
        ("https://guildhall.test/u/12", None),
        ("/t/abc", None),
        ("12 34", None),
    ],
)
def test_parse_thread_ref(text, thread_id):
    assert parse_thread_ref(text) == thread_id


def test_notice_text():
    assert notice_text("duplicate") == "Closed as a duplicate"
    assert notice_text("off_topic") == "Closed as off-topic"
    assert notice_text("needs_focus") == "Closed as needing more focus"
