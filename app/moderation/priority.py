"""How urgent a flagged post is: pure, so the queue's order is tested without an app.

Each open flag adds its flagger's weight: a higher level counts more (people who earned
points know the place), and a flagger's past accuracy scales it. Accuracy is smoothed
towards one half (one agreed flag of one is not yet a perfect record), so a newcomer's
first flag counts as a middling one rather than as nothing or everything.
"""

from collections.abc import Iterable
from dataclasses import dataclass

LEVEL_STEP = 0.25  # each level above the first adds a quarter of a flag's base weight
PRIOR_AGREED, PRIOR_DECIDED = 1, 2  # the smoothing: as if one of two earlier flags held


@dataclass(frozen=True)
class FlagSignal:
    level: int    # the flagger's level (1..9)
    agreed: int   # the flagger's earlier flags that moderators agreed with
    decided: int  # the flagger's earlier flags that moderators decided either way


def accuracy(agreed: int, decided: int) -> float:
    """Smoothed share of agreed flags: 0.5 with no history, towards the record with more."""
    return (agreed + PRIOR_AGREED) / (decided + PRIOR_DECIDED)


def flag_weight(signal: FlagSignal) -> float:
    """One flag's share of the priority: level weight times twice the smoothed accuracy
    (so a flagger without history counts exactly their level weight)."""
    level_weight = 1 + LEVEL_STEP * (max(1, signal.level) - 1)
    return level_weight * 2 * accuracy(signal.agreed, signal.decided)


def priority(signals: Iterable[FlagSignal]) -> float:
    """The queue's sort key for one post: the sum of its open flags' weights."""
    return round(sum(flag_weight(s) for s in signals), 6)
