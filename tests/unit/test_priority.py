"""The review queue's priority and the auto-hide rule: pure functions, no app."""

import pytest

from app.moderation import flag_rules, priority
from app.moderation.flag_rules import hides_at_once
from app.moderation.priority import FlagSignal, accuracy, flag_weight
from tests.fixtures.purity import impure_imports

NEWCOMER = FlagSignal(level=1, agreed=0, decided=0)


def test_a_flagger_without_history_counts_their_level_weight():
    assert accuracy(0, 0) == 0.5
    assert flag_weight(NEWCOMER) == 1.0
    assert flag_weight(FlagSignal(level=5, agreed=0, decided=0)) == 2.0


def test_more_flags_rank_higher():
    assert priority.priority([NEWCOMER, NEWCOMER]) > priority.priority([NEWCOMER])
    assert priority.priority([]) == 0


def test_higher_levels_rank_higher():
    assert priority.priority([FlagSignal(4, 0, 0)]) > priority.priority([FlagSignal(2, 0, 0)])


def test_past_accuracy_moves_a_flag_both_ways():
    reliable = FlagSignal(level=2, agreed=9, decided=10)
    unreliable = FlagSignal(level=2, agreed=0, decided=10)
    fresh = FlagSignal(level=2, agreed=0, decided=0)
    assert flag_weight(reliable) > flag_weight(fresh) > flag_weight(unreliable) > 0


def test_one_reliable_flag_can_outrank_two_unreliable_ones():
    reliable = FlagSignal(level=5, agreed=20, decided=20)
    unreliable = FlagSignal(level=2, agreed=0, decided=20)
    assert priority.priority([reliable]) > priority.priority([unreliable, unreliable])


def test_accuracy_is_smoothed_towards_the_record():
    assert accuracy(1, 1) == pytest.approx(2 / 3)
    assert accuracy(100, 100) == pytest.approx(101 / 102)


def test_three_trusted_spam_or_rude_flags_hide_a_post():
    assert hides_at_once([("spam", 3), ("rude", 4), ("spam", 9)])
    assert not hides_at_once([("spam", 3), ("spam", 3)])
    assert not hides_at_once([("spam", 2), ("spam", 2), ("spam", 2), ("spam", 1)])
    assert not hides_at_once([("off_topic", 5), ("duplicate", 5), ("other", 5)])
    assert hides_at_once([("spam", 2), ("spam", 3), ("spam", 3), ("rude", 3)])


def test_the_rules_are_pure():
    assert impure_imports(priority) == []
    assert impure_imports(flag_rules) == []
