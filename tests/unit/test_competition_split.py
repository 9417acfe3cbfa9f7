"""The public/private split: secret, stable, close to the fraction, never one-sided."""

import hmac
import subprocess
import sys

import pytest

from app.competitions import split
from app.competitions.split import is_public, public_mask, split_ids

IDS = [f"row-{n}" for n in range(10_000)]


def test_the_split_is_an_hmac_of_the_row_id_keyed_by_the_secret():
    for secret in ("s", "k" * 64, "long" * 40, "clé"):
        for row_id in ("1", "abc", "ünïcode" * 30):
            digest = hmac.digest(secret.encode(), row_id.encode(), "sha256")
            place = (int.from_bytes(digest[:8], "big") >> 11) / 2**53
            assert is_public(secret, row_id, 0.5) == (place < 0.5)
            assert split._placer(secret)(row_id) == place


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.8])
def test_the_fraction_is_respected_within_two_percent(fraction):
    public, private = split_ids("competition-secret", IDS, fraction)
    assert abs(len(public) / len(IDS) - fraction) < 0.02
    assert sorted(public + private) == sorted(IDS)


def test_the_mask_and_the_per_row_rule_agree():
    mask = public_mask("s3", IDS[:500], 0.3)
    assert mask.tolist() == [is_public("s3", row_id, 0.3) for row_id in IDS[:500]]


def test_the_split_is_the_same_in_another_process():
    code = ("from app.competitions.split import split_ids; "
            "print(','.join(split_ids('s3', [str(n) for n in range(200)], 0.3)[0]))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert other.split(",") == split_ids("s3", [str(n) for n in range(200)], 0.3)[0]


def test_another_secret_gives_another_split():
    first, _ = split_ids("secret-a", IDS, 0.3)
    second, _ = split_ids("secret-b", IDS, 0.3)
    overlap = len(set(first) & set(second)) / len(first)
    assert 0.2 < overlap < 0.4  # independent: about 30% of one public side is in the other


def test_ids_keep_their_order_on_each_side():
    public, private = split_ids("s", IDS[:1000], 0.5)
    assert public == [i for i in IDS[:1000] if i in set(public)]
    assert private == [i for i in IDS[:1000] if i in set(private)]


@pytest.mark.parametrize("fraction", [0.001, 0.999])
def test_two_or_more_rows_always_leave_both_sides_non_empty(fraction):
    for n in range(2, 6):
        ids = [f"r{k}" for k in range(n)]
        public, private = split_ids("tiny", ids, fraction)
        assert public and private


def test_the_moved_row_is_the_one_closest_to_the_other_side():
    ids = [f"r{k}" for k in range(5)]
    place = split._placer("tiny")
    public, private = split_ids("tiny", ids, 0.001)
    assert public == [min(ids, key=place)]
    public, private = split_ids("tiny", ids, 0.999)
    assert private == [max(ids, key=place)]


def test_a_single_row_follows_the_rule_alone():
    assert split_ids("s", ["only"], 0.5) in ((["only"], []), ([], ["only"]))


@pytest.mark.parametrize(("secret", "fraction"), [("", 0.5), ("s", 0.0), ("s", 1.0), ("s", 1.5)])
def test_a_missing_secret_or_impossible_fraction_is_refused(secret, fraction):
    with pytest.raises(ValueError):
        split_ids(secret, IDS[:10], fraction)
