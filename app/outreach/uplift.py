"""Did the emails bring people back? The return rate of those sent an email against that
of the hold-out, and a confidence interval for the difference. Pure: counts in, numbers out.

The interval is Newcombe's hybrid score interval (method 10 of Newcombe 1998, "Interval
estimation for the difference between independent proportions"): a Wilson score interval
for each rate, combined into limits for the difference. Unlike the textbook Wald interval
(difference ± z·standard error) it stays inside [-1, 1], does not collapse to a point when
no one (or everyone) in a group came back, and keeps close to its stated coverage with the
small groups a new campaign starts with.
"""

from dataclasses import dataclass
from math import sqrt
from statistics import NormalDist

CONFIDENCE = 0.95
MINUS = "\N{MINUS SIGN}"
NOTHING = "\N{EM DASH}"


@dataclass(frozen=True)
class Uplift:
    """Returns among those sent an email and among the hold-out. A rate is None when its
    group is empty; the difference (sent minus hold-out) and its limits are None unless
    both groups have someone in them."""

    sent: int
    sent_returned: int
    held_out: int
    held_out_returned: int
    sent_rate: float | None
    held_out_rate: float | None
    difference: float | None
    low: float | None
    high: float | None


def critical_value(confidence: float = CONFIDENCE) -> float:
    """The two-sided standard normal quantile: 1.95996... for 95%."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, not {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes: int, trials: int, z: float) -> tuple[float, float]:
    """Wilson's score interval for one proportion: the rates the score test at `z` does
    not reject. It is never empty and never leaves [0, 1], even at 0 or all successes."""
    _check_counts(successes, trials)
    if trials == 0:
        raise ValueError("a proportion needs at least one trial")
    rate = successes / trials
    z2 = z * z
    scale = 1 + z2 / trials
    centre = (rate + z2 / (2 * trials)) / scale
    half_width = z * sqrt(rate * (1 - rate) / trials + z2 / (4 * trials * trials)) / scale
    # The limits at 0 and at all successes are exactly 0 and 1; say so rather than
    # trust the rounding of centre ± half_width.
    low = 0.0 if successes == 0 else centre - half_width
    high = 1.0 if successes == trials else centre + half_width
    return low, high


def compare_returns(*, sent: int, sent_returned: int, held_out: int, held_out_returned: int,
                    confidence: float = CONFIDENCE) -> Uplift:
    """The two return rates, their difference and Newcombe's hybrid score interval for it.

    With (l1, u1) and (l2, u2) the Wilson intervals of the sent rate p1 and the hold-out
    rate p2, the limits are d - sqrt((p1 - l1)² + (u2 - p2)²) and
    d + sqrt((u1 - p1)² + (p2 - l2)²) for d = p1 - p2.
    """
    _check_counts(sent_returned, sent)
    _check_counts(held_out_returned, held_out)
    z = critical_value(confidence)
    sent_rate = sent_returned / sent if sent else None
    held_out_rate = held_out_returned / held_out if held_out else None
    difference = low = high = None
    if sent_rate is not None and held_out_rate is not None:
        low1, high1 = wilson_interval(sent_returned, sent, z)
        low2, high2 = wilson_interval(held_out_returned, held_out, z)
        difference = sent_rate - held_out_rate
        low = max(-1.0, difference - sqrt((sent_rate - low1) ** 2 + (high2 - held_out_rate) ** 2))
        high = min(1.0, difference + sqrt((high1 - sent_rate) ** 2 + (held_out_rate - low2) ** 2))
    return Uplift(sent, sent_returned, held_out, held_out_returned,
                  sent_rate, held_out_rate, difference, low, high)


def verdict(uplift: Uplift) -> str:
    """A reading of the interval in words: only an interval clear of zero says more or
    fewer people came back; one that spans zero cannot tell the two groups apart."""
    if not uplift.sent:
        return "nothing sent"
    if not uplift.held_out:
        return "no hold-out to compare with"
    if uplift.low > 0:
        return "more came back"
    if uplift.high < 0:
        return "fewer came back"
    return "no clear difference"


def format_rate(rate: float | None) -> str:
    """A rate as a percentage with one decimal: 0.125 -> "12.5%"."""
    return NOTHING if rate is None else f"{rate * 100:.1f}%"


def format_difference(uplift: Uplift) -> str:
    """The difference in percentage points with its interval: "+3.1 pts (−0.5 to +6.8)"."""
    if uplift.difference is None:
        return NOTHING
    return (f"{_points(uplift.difference)} pts "
            f"({_points(uplift.low)} to {_points(uplift.high)})")


def _points(value: float) -> str:
    """Signed percentage points with one decimal and a true minus sign; never "-0.0"."""
    points = round(value * 100, 1) or 0.0
    return f"{points:+.1f}".replace("-", MINUS)


def _check_counts(part: int, whole: int) -> None:
    if whole < 0 or part < 0 or part > whole:
        raise ValueError(f"counts must satisfy 0 <= {part} <= {whole}")
