"""The hold-out group and subject variants: stable hashes, fair shares, no app needed."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from app.outreach import eligibility, holdout
from tests.fixtures.purity import impure_imports

USERS = range(1, 20_001)


def test_buckets_lie_in_0_to_100_and_do_not_move():
    buckets = [holdout.bucket(user_id, "reengagement") for user_id in USERS]
    assert all(0 <= b < 100 for b in buckets)
    assert buckets == [holdout.bucket(user_id, "reengagement") for user_id in USERS]


def test_the_same_person_lands_in_the_same_bucket_in_another_process():
    """Python's hash() of a str changes with PYTHONHASHSEED; the buckets must not."""
    code = ("from app.outreach.holdout import bucket, variant; "
            "print(bucket(42, 'reengagement'), variant(42, 'reengagement', ('a', 'b')))")
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       cwd=Path(__file__).resolve().parents[2], env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    here = f"{holdout.bucket(42, 'reengagement')} {holdout.variant(42, 'reengagement', ('a', 'b'))}\n"
    assert outputs == {here}


def test_about_ten_percent_are_held_out():
    held = sum(holdout.is_held_out(user_id, "reengagement", 10) for user_id in USERS)
    assert 0.09 < held / len(USERS) < 0.11
    assert not any(holdout.is_held_out(user_id, "reengagement", 0) for user_id in USERS)


def test_each_campaign_holds_out_its_own_people():
    first = {u for u in USERS if holdout.is_held_out(u, "reengagement", 10)}
    other = {u for u in USERS if holdout.is_held_out(u, "spring-courses", 10)}
    assert 0.05 < len(first & other) / len(first) < 0.15  # about 10%: independent


def test_variants_share_evenly_and_independently_of_the_hold_out():
    variants = {u: holdout.variant(u, "reengagement", ("a", "b")) for u in USERS}
    shares = Counter(variants.values())
    assert set(shares) == {"a", "b"} and abs(shares["a"] - shares["b"]) < 0.04 * len(USERS)
    held = Counter(variants[u] for u in USERS if holdout.is_held_out(u, "reengagement", 10))
    assert abs(held["a"] - held["b"]) < 0.2 * sum(held.values())  # each variant has controls
    assert Counter(holdout.variant(u, "reengagement", ("a", "b", "c")) for u in USERS).keys() \
        == {"a", "b", "c"}


def test_a_campaign_without_variants_is_refused():
    with pytest.raises(ValueError):
        holdout.variant(1, "reengagement", ())


def test_the_hold_out_and_the_rules_are_pure():
    assert impure_imports(holdout) == []
    assert impure_imports(eligibility) == []
