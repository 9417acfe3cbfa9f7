"""The activity calendar: pure SVG from dates and counts."""

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.gamification import calendar
from app.gamification.calendar import (
    days_shown,
    describe,
    first_day,
    format_day,
    intensity,
    render_calendar,
    shade_labels,
)

TODAY = date(2026, 3, 4)  # a Wednesday


def _cells(svg: str) -> list[tuple[int, int, str, int, int]]:
    """(x, y, date, count, shade) of each day's square (the legend's have no date)."""
    found = re.findall(
        r'<rect class="cal-cell cal-(\d)" x="(\d+)" y="(\d+)"[^>]*data-date="([\d-]+)" data-count="(\d+)"',
        svg,
    )
    return [(int(x), int(y), day, int(count), int(shade)) for shade, x, y, day, count in found]


def test_the_module_is_pure():
    tree = ast.parse(Path(calendar.__file__).read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"collections", "dataclasses", "datetime", "html"}


def test_53_week_columns_of_7_days_ending_today():
    cells = _cells(render_calendar({}, TODAY))
    columns = sorted({x for x, *_ in cells})
    rows = sorted({y for _, y, *_ in cells})
    assert len(columns) == 53 and len(rows) == 7
    assert cells[0][2] == first_day(TODAY).isoformat() == "2025-03-03"
    assert cells[-1][2] == TODAY.isoformat()
    # the last column holds Monday to today (Wednesday) and nothing after it
    assert [day for x, _, day, *_ in cells if x == columns[-1]] == ["2026-03-02", "2026-03-03", "2026-03-04"]


@pytest.mark.parametrize("today", [date(2026, 3, 2), date(2026, 3, 8), date(2024, 2, 29)])
def test_a_column_starts_on_monday_and_between_365_and_371_days_show(today):
    days = days_shown(today)
    assert days[0].weekday() == 0 and days[-1] == today
    assert 365 <= len(days) <= 371
    assert len({x for x, *_ in _cells(render_calendar({}, today))}) == 53


@pytest.mark.parametrize(
    ("count", "shade"),
    [(0, 0), (1, 1), (2, 1), (3, 2), (5, 2), (6, 3), (9, 3), (10, 4), (250, 4)],
)
def test_intensity_buckets(count, shade):
    assert intensity(count) == shade


def test_squares_are_shaded_by_their_count_and_days_without_rows_are_empty():
    counts = {TODAY: 12, TODAY - timedelta(days=1): 4, date(2025, 6, 1): 1}
    by_day = {day: (count, shade) for _, _, day, count, shade in _cells(render_calendar(counts, TODAY))}
    assert by_day["2026-03-04"] == (12, 4)
    assert by_day["2026-03-03"] == (4, 2)
    assert by_day["2025-06-01"] == (1, 1)
    assert by_day["2025-06-02"] == (0, 0)


def test_counts_outside_the_window_are_ignored():
    counts = {TODAY + timedelta(days=1): 5, first_day(TODAY) - timedelta(days=1): 5}
    svg = render_calendar(counts, TODAY)
    assert all(count == 0 for *_, count, _ in _cells(svg))
    assert 'aria-label="Activity calendar: no activity in the past year"' in svg


def test_each_square_has_a_title_in_words():
    svg = render_calendar({date(2026, 3, 2): 3, date(2026, 3, 3): 1}, TODAY)
    assert "<title>3 actions on Mon 2 Mar 2026</title>" in svg
    assert "<title>1 action on Tue 3 Mar 2026</title>" in svg
    assert "<title>No actions on Wed 4 Mar 2026</title>" in svg
    assert describe(0, date(2025, 12, 25)) == "No actions on Thu 25 Dec 2025"
    assert format_day(date(2024, 2, 29)) == "Thu 29 Feb 2024"


def test_the_picture_is_an_image_with_a_summary():
    svg = render_calendar({TODAY: 2, date(2025, 9, 9): 5}, TODAY, subject="Ada's activity")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-label="Ada&#x27;s activity: 7 actions on 2 days in the past year"' in svg


def test_month_and_weekday_labels():
    labels = re.findall(r'<text class="cal-label" x="(\d+)" y="(\d+)">(\w+)</text>', render_calendar({}, TODAY))
    months = [text for x, y, text in labels if y == str(calendar.TOP - 5)]
    # March 2026 starts in the last column: no room for its label
    assert months == ["Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
                      "Jan", "Feb"]
    assert [text for x, y, text in labels if x == "0"] == ["Mon", "Wed", "Fri"]
    # a label sits over the column of its month's first Monday: 6 Apr 2025 is a Sunday,
    # so April starts in the column of Monday 7 April (column 5)
    april = next(int(x) for x, y, text in labels if text == "Apr")
    assert april == calendar.LEFT + 5 * calendar.STEP


def test_a_crowded_first_month_label_is_dropped():
    # 27 Oct 2025 opens the calendar ending 26 Oct 2026; November starts one column later
    labels = re.findall(r'y="11">(\w+)</text>', render_calendar({}, date(2026, 10, 26)))
    assert labels[0] == "Nov" and labels.count("Oct") == 1


def test_the_legend_names_every_shade():
    svg = render_calendar({}, TODAY)
    assert shade_labels() == ["0", "1\u20132", "3\u20135", "6\u20139", "10+"]
    legend = svg[svg.index('<g class="cal-legend">'):]
    for shade, label in enumerate(shade_labels()):
        assert f'class="cal-cell cal-{shade}"' in legend and f">{label}</text>" in legend
    assert ">Less</text>" in legend and ">More</text>" in legend


def test_text_is_escaped():
    svg = render_calendar({}, TODAY, subject='<script>alert("x")</script> & co')
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
