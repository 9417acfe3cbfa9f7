"""The load test's pure parts: the traffic mix and the report (the real run is manual)."""

import ast
import random
from pathlib import Path

import pytest

from bench.load.mix import MIX, READS, action, member_mix, page_weights, pick, site_weights
from bench.load.report import failure_lines, markdown_table, page_rows, verdict
from bench.load.run import SINGLE_PAGES

LOCUSTFILE = Path(__file__).resolve().parents[2] / "bench" / "load" / "locustfile.py"


def _stat(name, requests, failures, rps, p50, p95, p99):
    return {"Name": name, "Request Count": str(requests), "Failure Count": str(failures),
            "Requests/s": str(rps), "50%": str(p50), "95%": str(p95), "99%": str(p99)}


def test_members_carry_the_writes_so_the_site_sees_80_15_5():
    assert member_mix(MIX, 0.6) == pytest.approx({"read": 66.67, "vote": 25.0, "post": 8.33},
                                                 abs=0.01)
    site = site_weights(MIX, 0.6)
    assert sum(site.values()) == pytest.approx(100)
    assert sum(site[name] for name in READS) == pytest.approx(80)
    assert site["vote"] == pytest.approx(15)
    assert site["answer"] + site["ask"] == pytest.approx(5)


def test_visitors_only_read():
    weights = page_weights(signed_in=False)
    assert set(weights) == set(READS)
    assert sum(weights.values()) == pytest.approx(100)


@pytest.mark.parametrize("share", [0, 1.5, 0.1])
def test_a_mix_members_cannot_carry_is_refused(share):
    with pytest.raises(ValueError):
        member_mix(MIX, share)


def _actions(class_name: str) -> set[str]:
    """The `do_` methods a class of the locustfile defines (read from its source: importing
    it needs Locust's runtime and a targets file)."""
    tree = ast.parse(LOCUSTFILE.read_text())
    found = next(node for node in tree.body
                 if isinstance(node, ast.ClassDef) and node.name == class_name)
    return {item.name for item in found.body
            if isinstance(item, ast.FunctionDef) and item.name.startswith("do_")}


def test_every_page_a_user_may_pick_has_an_action():
    readers = _actions("_Reader")
    members = readers | _actions("Member")
    assert {action(page) for page in page_weights(signed_in=False)} <= readers
    assert {action(page) for page in page_weights(signed_in=True)} <= members
    # `run --page` drives visitors only, so its pages must be readers' actions.
    assert "login form" in SINGLE_PAGES and set(READS) <= set(SINGLE_PAGES)
    assert {action(page) for page in SINGLE_PAGES} <= readers


def test_pick_follows_the_weights():
    rng = random.Random(1)
    picks = [pick(rng, {"a": 90, "b": 10}) for _ in range(2000)]
    assert 0.86 < picks.count("a") / len(picks) < 0.94


def test_report_joins_locust_stats_with_the_headers_and_puts_the_total_last():
    stats = [_stat("Aggregated", 1000, 2, 320.5, 40, 120, 280),
             _stat("thread", 400, 0, 128.0, 35, 90, 150),
             _stat("thread, 50 answers", 50, 0, 16.0, 30, 60, 80),
             _stat("vote", 150, 2, 48.0, 20, 70, 400)]
    seen = {"thread": {"queries": [14, 12, 20], "server_ms": [10.0, 12.0, 30.0],
                       "built_ms": [12.0, 30.0], "kept": [1, 0, 0, 1]},
            "thread, 50 answers": {"queries": [12], "server_ms": [18.0, 19.0, 40.0],
                                   "built_ms": [18.0, 19.0, 40.0]}}
    rows = page_rows(stats, seen)
    assert [row.page for row in rows] == ["thread", "vote", "thread, 50 answers", "all pages"]
    assert rows[0].queries == "12-20" and rows[0].server_ms == 12.0 and rows[0].built_ms == 21.0
    assert rows[0].kept_percent == 50 and rows[1].kept_percent is None
    assert rows[1].queries == "-" and rows[1].server_ms is None and rows[1].built_ms is None

    table = markdown_table(rows).splitlines()
    assert table[0].startswith("| page | requests | req/s | p50 ms")
    assert table[0].endswith("| server ms (median) | visitor cache | built ms (median) |")
    assert table[2] == "| thread | 400 | 128.0 | 35 | 90 | 150 | 0 | 12-20 | 12.0 | 50% | 21.0 |"
    assert table[-1] == "| **all pages** | 1,000 | 320.5 | 40 | 120 | 280 | 2 | - | - | - | - |"
    assert verdict(rows) == [
        "- 320 requests/s overall (target >= 300): met",
        "- p99 280 ms (target < 300 ms): met",
        "- 2 errors (target zero): missed",
        "- thread page with 50 answers: 19.0 ms median server time, built pages only "
        "(target < 20 ms): met",
    ]


def test_the_busy_thread_is_judged_on_the_pages_built_not_the_cached_ones():
    stats = [_stat("thread, 50 answers", 6, 0, 2.0, 30, 60, 80)]
    # Four of six came from the visitors' cache in well under a millisecond: the median
    # of all six is 0.3 ms, but the page itself took 25-27 ms to build.
    seen = {"thread, 50 answers": {"server_ms": [0.2, 0.3, 0.3, 0.2, 25.0, 27.0],
                                   "built_ms": [25.0, 27.0], "kept": [1, 1, 1, 1, 0, 0]}}
    [row] = page_rows(stats, seen)
    assert row.server_ms < 20 and row.built_ms == 26.0
    assert verdict([row]) == [
        "- thread page with 50 answers: 26.0 ms median server time, built pages only "
        "(target < 20 ms): missed",
    ]


def test_failures_are_listed_with_their_reasons_most_frequent_first():
    failures = [
        {"Method": "GET", "Name": "search", "Error": "HTTPError('429 Client Error')", "Occurrences": "1"},
        {"Method": "POST", "Name": "vote", "Error": "HTTPError('500 Server Error')", "Occurrences": "4"},
    ]
    assert failure_lines(failures) == [
        "- 4 x vote (POST): HTTPError('500 Server Error')",
        "- 1 x search (GET): HTTPError('429 Client Error')",
    ]
    assert failure_lines([]) == []
