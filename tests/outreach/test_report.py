"""The outreach report on a hand-made history with a known answer: the numbers, the
`flask outreach report` command and the staff page.

The history, campaign "winback" (the hold-out is the control for the whole campaign):
  variant A: 10 sent (4 came back, 2 clicked), 1 failed (came back anyway: not counted as
             a return of the sent), 1 pending, 4 held out (1 came back)
  variant B: 8 sent (1 came back), 1 skipped
  no variant: 6 held out (1 came back)
so the campaign's hold-out is 10 with 2 returns (20%). Campaign "quiet-only" held everyone
out and sent nothing, so it has no comparison.
"""

from datetime import datetime, timedelta

import pytest

from app.accounts.models import Role
from app.database import insert_in_batches
from app.outreach.models import EmailMessage, MessageStatus
from app.outreach.report import Counts, outreach_report
from app.outreach.uplift import compare_returns
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

MINUS = "\N{MINUS SIGN}"
DASH = "\N{EM DASH}"
SENT_AT = datetime(2026, 11, 2, 9)


@pytest.fixture
def history(app):
    """The rows above, spread over a few people and periods (the key is person, campaign,
    period, so one person gets the campaign once per period)."""
    people = [make_user().id for _ in range(4)]
    rows = []

    def add(campaign, variant, status, n, *, returned=0, clicked=0):
        for i in range(n):
            key = len(rows)
            rows.append({
                "user_id": people[key % len(people)], "kind": "reengagement",
                "campaign": campaign, "variant": variant, "period": f"batch-{key}",
                "status": status,
                "sent_at": SENT_AT if status == MessageStatus.SENT else None,
                "clicked_at": SENT_AT + timedelta(hours=1) if i < clicked else None,
                "returned_at": SENT_AT + timedelta(days=2) if i < returned else None,
            })

    add("winback", "A", MessageStatus.SENT, 10, returned=4, clicked=2)
    add("winback", "A", MessageStatus.FAILED, 1, returned=1)
    add("winback", "A", MessageStatus.PENDING, 1)
    add("winback", "A", MessageStatus.HELD_OUT, 4, returned=1)
    add("winback", "B", MessageStatus.SENT, 8, returned=1)
    add("winback", "B", MessageStatus.SKIPPED, 1)
    add("winback", "", MessageStatus.HELD_OUT, 6, returned=1)
    add("quiet-only", "", MessageStatus.HELD_OUT, 3, returned=1)
    insert_in_batches(EmailMessage, rows)


def _by_label(report):
    return {row.label: row for row in report.rows}


def test_counts_per_variant_and_the_campaign_total(history):
    with count_queries() as log:
        reports = outreach_report()
    assert log.count == 1
    assert [r.campaign for r in reports] == ["quiet-only", "winback"]
    rows = _by_label(reports[1])
    assert list(rows) == ["(none)", "A", "B", "all"]
    assert rows["A"].counts == Counts(selected=16, sent=10, held_out=4, failed=1, clicked=2,
                                      returned_sent=4, returned_held_out=1)
    assert rows["B"].counts == Counts(selected=9, sent=8, held_out=0, failed=0, clicked=0,
                                      returned_sent=1, returned_held_out=0)
    assert rows["(none)"].counts == Counts(selected=6, held_out=6, returned_held_out=1)
    assert rows["all"].counts == Counts(selected=31, sent=18, held_out=10, failed=1, clicked=2,
                                        returned_sent=5, returned_held_out=2)
    assert rows["all"].is_total and not rows["A"].is_total


def test_every_variant_is_compared_with_the_campaign_s_whole_hold_out(history):
    rows = _by_label(outreach_report("winback")[0])
    a, b, total = rows["A"].uplift, rows["B"].uplift, rows["all"].uplift
    assert (a.sent_rate, a.held_out_rate) == (0.4, 0.2)  # 4/10 against 2/10, not 1/4
    assert (b.sent_rate, b.held_out_rate) == (0.125, 0.2)
    assert total.sent_rate == pytest.approx(5 / 18) and total.held_out_rate == 0.2
    assert a == compare_returns(sent=10, sent_returned=4, held_out=10, held_out_returned=2)
    # By hand: Wilson 4/10 is 0.1682 to 0.6873 and 2/10 is 0.0567 to 0.5098, so the limits
    # are 0.2 - sqrt(0.2318² + 0.3098²) and 0.2 + sqrt(0.2873² + 0.1433²).
    assert (a.difference, a.low, a.high) == (pytest.approx(0.2), pytest.approx(-0.1870, abs=1e-4),
                                             pytest.approx(0.5211, abs=1e-4))
    nothing_sent = rows["(none)"].uplift
    assert nothing_sent.sent_rate is None and nothing_sent.difference is None


def test_a_campaign_that_sent_nothing_has_no_comparison(history):
    [report] = outreach_report("quiet-only")
    assert report.total.counts == Counts(selected=3, held_out=3, returned_held_out=1)
    assert report.total.uplift.held_out_rate == pytest.approx(1 / 3)
    assert report.total.uplift.difference is None


def test_an_unknown_campaign_or_no_history_gives_an_empty_report(app):
    assert outreach_report() == []
    assert outreach_report("winback") == []


# -- the command ----------------------------------------------------------------------


def _report_lines(app, *args):
    result = app.test_cli_runner().invoke(args=["outreach", "report", *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_the_command_prints_an_aligned_table(app, history):
    lines = _report_lines(app)
    table, note = lines[:-1], lines[-1]
    assert table[0].split("  ")[0] == "campaign"
    assert "uplift (95% CI)" in table[0] and "returned (held out)" in table[0]
    assert len(table) == 1 + 2 + 4  # the heading, quiet-only and its total, winback's four
    assert len({len(line) for line in table}) == 1  # every column padded to one width
    cells = {(line.split()[0], line.split()[1]): line.split() for line in table[1:]}
    assert cells["winback", "A"][2:11] == ["16", "10", "4", "1", "2", "4", "1", "40.0%", "20.0%"]
    assert table[[line.split()[:2] for line in table].index(["winback", "A"])].endswith(
        f"+20.0 pts ({MINUS}18.7 to +52.1)")
    assert cells["winback", "all"][2:11] == ["31", "18", "10", "1", "2", "5", "2", "27.8%",
                                             "20.0%"]
    assert cells["winback", "B"][-5:] == [f"{MINUS}7.5", "pts", f"({MINUS}40.1", "to", "+29.9)"]
    assert cells["quiet-only", "all"][-3:] == [DASH, "33.3%", DASH]
    assert "hold-out" in note


def test_the_command_reports_one_campaign_when_asked(app, history):
    table = _report_lines(app, "--campaign", "quiet-only")[:-1]
    assert [line.split()[:2] for line in table[1:]] == [["quiet-only", "(none)"],
                                                        ["quiet-only", "all"]]


def test_the_command_says_when_there_is_nothing_yet(app):
    assert _report_lines(app) == ["No outreach emails recorded yet: nothing to report."]
    assert _report_lines(app, "--campaign", "winback") == [
        "No emails recorded for campaign 'winback' yet."]


# -- the page ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_staff_see_the_numbers(client, history, role):
    login_as(client, make_user(role=role))
    response = client.get("/staff/outreach")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "winback" in page and "quiet-only" in page
    assert f"+20.0 pts ({MINUS}18.7 to +52.1)" in page
    assert f"{MINUS}7.5 pts ({MINUS}40.1 to +29.9)" in page
    assert "+7.8 pts (" in page
    for rate in ("40.0%", "12.5%", "27.8%", "20.0%", "33.3%"):
        assert rate in page
    assert "no clear difference" in page and "nothing sent" in page
    assert 'class="table-total"' in page


def test_staff_see_an_empty_state_before_any_email(client):
    login_as(client, make_user(role=Role.MODERATOR))
    page = client.get("/staff/outreach").get_data(as_text=True)
    assert "Nothing to report yet" in page and "<table" not in page


def test_members_are_refused(client, history):
    login_as(client, make_user())
    response = client.get("/staff/outreach")
    assert response.status_code == 403
    assert "winback" not in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(client, history):
    response = client.get("/staff/outreach")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
