"""The uplift of an email campaign: return rates, their difference and Newcombe's interval,
checked against closed forms and the worked examples of Newcombe (1998)."""

import pytest

from app.outreach import uplift
from app.outreach.uplift import (
    compare_returns,
    critical_value,
    format_difference,
    format_rate,
    verdict,
    wilson_interval,
)
from tests.fixtures.purity import impure_imports

Z = 1.959963984540054  # the 97.5% point of the standard normal


def _compare(returned: int, sent: int, held_out_returned: int, held_out: int, **kwargs):
    return compare_returns(sent=sent, sent_returned=returned, held_out=held_out,
                           held_out_returned=held_out_returned, **kwargs)


def test_the_module_is_pure():
    assert impure_imports(uplift) == []


def test_the_critical_value_is_the_two_sided_normal_quantile():
    assert critical_value() == pytest.approx(Z)
    assert critical_value(0.90) == pytest.approx(1.644854, abs=1e-6)
    for bad in (0, 1, 1.5, -0.2):
        with pytest.raises(ValueError):
            critical_value(bad)


def test_wilson_limits_at_none_and_all_have_closed_forms():
    # With no successes the lower limit is 0 and the upper z²/(n + z²); all successes mirror it.
    upper = Z**2 / (10 + Z**2)
    assert round(upper, 4) == 0.2775
    assert wilson_interval(0, 10, Z) == (0.0, pytest.approx(upper))
    assert wilson_interval(10, 10, Z) == (pytest.approx(1 - upper), 1.0)


def test_wilson_matches_newcombe_s_single_proportion_example():
    # Newcombe (1998), two-sided intervals for a single proportion: 81/263 -> 0.2553 to 0.3662.
    low, high = wilson_interval(81, 263, Z)
    assert (low, high) == (pytest.approx(0.2553, abs=5e-5), pytest.approx(0.3662, abs=5e-5))


@pytest.mark.parametrize("case, difference, low, high", [
    ((56, 70, 48, 80), 0.2000, 0.0524, 0.3339),
    ((9, 10, 3, 10), 0.6000, 0.1705, 0.8090),
    ((6, 7, 2, 7), 0.5714, 0.0582, 0.8062),
    ((5, 56, 0, 29), 0.0893, -0.0381, 0.1926),
    ((0, 10, 0, 20), 0.0000, -0.1611, 0.2775),
    ((0, 10, 0, 10), 0.0000, -0.2775, 0.2775),
    ((10, 10, 0, 20), 1.0000, 0.6791, 1.0000),
    ((10, 10, 0, 10), 1.0000, 0.6075, 1.0000),
])
def test_the_interval_matches_newcombe_1998_method_10(case, difference, low, high):
    # Newcombe (1998), Table II, method 10 (score interval, no continuity correction);
    # the cases read a/m - b/n.
    got = _compare(*case)
    assert got.difference == pytest.approx(difference, abs=5e-5)
    assert got.low == pytest.approx(low, abs=5e-5)
    assert got.high == pytest.approx(high, abs=5e-5)


def test_the_interval_at_the_extremes_by_hand():
    # 10/10 against 0/10: both Wilson half-widths on the open side are u = z²/(10 + z²),
    # so the lower limit is 1 - sqrt(2)·u and the upper one is capped at 1.
    u = Z**2 / (10 + Z**2)
    got = _compare(10, 10, 0, 10)
    assert got.low == pytest.approx(1 - 2**0.5 * u)
    assert got.high == 1.0
    # No one came back in either group: the interval is ±u, centred on no difference.
    nobody = _compare(0, 10, 0, 10)
    assert (nobody.difference, nobody.low, nobody.high) == (0, pytest.approx(-u), pytest.approx(u))


def test_rates_and_difference_are_sent_minus_hold_out():
    got = _compare(3, 12, 1, 8)
    assert (got.sent, got.sent_returned, got.held_out, got.held_out_returned) == (12, 3, 8, 1)
    assert got.sent_rate == 0.25 and got.held_out_rate == 0.125
    assert got.difference == pytest.approx(0.125)
    assert got.low < got.difference < got.high


def test_a_lower_confidence_gives_a_narrower_interval_around_the_same_difference():
    wide, narrow = _compare(56, 70, 48, 80), _compare(56, 70, 48, 80, confidence=0.90)
    assert narrow.difference == wide.difference
    assert wide.low < narrow.low < narrow.high < wide.high


@pytest.mark.parametrize("case, sent_rate, held_out_rate, reading", [
    ((0, 0, 2, 10), None, 0.2, "nothing sent"),
    ((3, 12, 0, 0), 0.25, None, "no hold-out to compare with"),
    ((0, 0, 0, 0), None, None, "nothing sent"),
])
def test_an_empty_group_has_no_rate_and_there_is_no_comparison(case, sent_rate, held_out_rate,
                                                                reading):
    got = _compare(*case)
    assert (got.sent_rate, got.held_out_rate) == (sent_rate, held_out_rate)
    assert got.difference is None and got.low is None and got.high is None
    assert verdict(got) == reading
    assert format_difference(got) == "\N{EM DASH}"


@pytest.mark.parametrize("case", [(-1, 10, 0, 10), (11, 10, 0, 10), (0, 10, 3, 2), (0, -1, 0, 1)])
def test_impossible_counts_are_refused(case):
    with pytest.raises(ValueError):
        _compare(*case)


def test_the_verdict_reads_the_interval_not_the_difference():
    assert verdict(_compare(56, 70, 48, 80)) == "more came back"
    assert verdict(_compare(48, 80, 56, 70)) == "fewer came back"
    assert verdict(_compare(5, 56, 0, 29)) == "no clear difference"  # +8.9 pts, yet spans 0


def test_rates_and_differences_read_as_percentages_and_points():
    assert format_rate(0.125) == "12.5%"
    assert format_rate(0) == "0.0%"
    assert format_rate(None) == "\N{EM DASH}"
    assert format_difference(_compare(56, 70, 48, 80)) == "+20.0 pts (+5.2 to +33.4)"
    assert format_difference(_compare(5, 56, 0, 29)) == "+8.9 pts (\N{MINUS SIGN}3.8 to +19.3)"
    assert format_difference(_compare(48, 80, 56, 70)) == (
        "\N{MINUS SIGN}20.0 pts (\N{MINUS SIGN}33.4 to \N{MINUS SIGN}5.2)")


def test_a_difference_that_rounds_to_zero_shows_no_minus_sign():
    # 9999/10000 - 100/100 is -0.01 pts: one decimal rounds it to -0.0, shown as +0.0.
    assert format_difference(_compare(9999, 10000, 100, 100)).startswith("+0.0 pts (")
