"""Who is held out of a campaign and which subject line each person gets: pure.

Both come from a stable hash of (campaign, user id) with hashlib, never Python's `hash()`,
which changes from process to process: a person stays in the same group and keeps the
same variant on every run and every machine, so the uplift can be measured. The variant
hashes with its own salt, so it is independent of the hold-out and every variant has its
share of the control group.
"""

import hashlib
from collections.abc import Sequence

_SCALE = 2 ** 64


def _fraction(*parts: object) -> float:
    digest = hashlib.sha256(":".join(str(part) for part in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / _SCALE


def bucket(user_id: int, campaign: str) -> float:
    """Where `user_id` falls in [0, 100) for `campaign`."""
    return 100 * _fraction(campaign, user_id)


def is_held_out(user_id: int, campaign: str, percent: float) -> bool:
    """Selected but not sent: the lowest `percent` of buckets."""
    return bucket(user_id, campaign) < percent


def variant(user_id: int, campaign: str, variants: Sequence[str]) -> str:
    """One of `variants`, in equal shares."""
    if not variants:
        raise ValueError("a campaign needs at least one variant")
    return variants[int(len(variants) * _fraction(campaign, "variant", user_id))]
