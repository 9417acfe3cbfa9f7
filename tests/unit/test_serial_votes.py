"""The serial-voting detector: pure rows in, findings out."""

from datetime import datetime, timedelta
from itertools import count

from app.gamification.serial_votes import (
    BURST_WINDOW,
    VoteRow,
    burst_votes,
    find_serial_votes,
)

T0 = datetime(2026, 3, 4, 8, 0)
_ids = count(1)


def _votes(voter: int, author: int, n: int, *, every=timedelta(minutes=30), start=T0, value=1):
    return [
        VoteRow(vote_id=(i := next(_ids)), voter_id=voter, author_id=author, post_id=1000 + i,
                value=value, at=start + k * every)
        for k in range(n)
    ]


def test_ten_votes_in_a_day_are_fine():
    assert find_serial_votes(_votes(1, 2, 10) + _votes(1, 3, 10)) == []


def test_eleven_votes_in_a_day_are_a_burst():
    burst = _votes(1, 2, 11)
    (finding,) = find_serial_votes(burst + _votes(1, 3, 10) + _votes(1, 4, 10))
    assert (finding.voter_id, finding.author_id, finding.rule) == (1, 2, "burst")
    assert finding.votes == tuple(burst)
    assert finding.max_in_window == 11
    assert (finding.window_start, finding.window_end) == (burst[0].at, burst[-1].at)


def test_the_window_slides_and_is_twenty_four_hours_wide():
    spread = _votes(1, 2, 11, every=timedelta(hours=23) / 10)  # 11 votes in 23 hours
    assert burst_votes(spread)[1] == 11
    apart = _votes(1, 2, 11, every=BURST_WINDOW / 10)  # the 11th lands 24h after the 1st
    assert burst_votes(apart) == ([], 10)


def test_only_the_votes_inside_a_crowded_window_are_flagged():
    early = _votes(1, 2, 3, start=T0 - timedelta(days=3))
    burst = _votes(1, 2, 11)
    flagged, most = burst_votes(early + burst)
    assert flagged == burst and most == 11


def test_downvotes_count_too():
    (finding,) = find_serial_votes(_votes(1, 2, 11, value=-1) + _votes(1, 3, 11, every=timedelta(days=1)))
    assert finding.author_id == 2 and {v.value for v in finding.votes} == {-1}


def test_most_of_ten_recent_votes_on_one_author_is_concentration():
    to_friend = _votes(1, 2, 6, every=timedelta(days=1))
    others = _votes(1, 3, 2) + _votes(1, 4, 2)
    (finding,) = find_serial_votes(to_friend + others)
    assert (finding.author_id, finding.rule, finding.rules) == (2, "concentrated", ("concentrated",))
    assert finding.votes == tuple(to_friend) and finding.share == (6, 10)


def test_half_is_not_most():
    assert find_serial_votes(_votes(1, 2, 5) + _votes(1, 3, 5)) == []


def test_fewer_than_ten_votes_are_never_concentration():
    assert find_serial_votes(_votes(1, 2, 9, every=timedelta(days=1))) == []


def test_a_pair_caught_by_both_rules_is_one_finding_with_all_its_votes():
    old = _votes(1, 2, 4, start=T0 - timedelta(days=4), every=timedelta(hours=1))
    burst = _votes(1, 2, 11)
    (finding,) = find_serial_votes(old + burst)
    assert finding.rules == ("burst", "concentrated") and finding.rule == "burst"
    assert finding.votes == tuple(old + burst)


def test_voters_are_judged_apart():
    rows = _votes(1, 2, 11) + _votes(5, 2, 10) + _votes(5, 6, 10)
    assert [(f.voter_id, f.author_id) for f in find_serial_votes(rows)] == [(1, 2)]


def test_self_votes_are_ignored():
    assert find_serial_votes(_votes(1, 1, 20)) == []


def test_input_order_does_not_matter_and_the_result_is_stable():
    rows = _votes(1, 2, 12) + _votes(3, 4, 12)
    assert find_serial_votes(rows) == find_serial_votes(list(reversed(rows)))
