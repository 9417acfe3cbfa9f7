"""The year-long activity calendar, drawn as inline SVG: dates and counts in, markup out.

Like a contribution graph: 53 week columns (Monday on top) ending with the week of
`today`, one square per day shaded by how many actions it had. Colour is never the only
cue: each square has a <title> with its count and date, the legend names the range of
each shade, and the whole picture carries an aria-label that sums it up. Pure: no Flask,
no database; every piece of text is escaped.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

WEEKS = 53
CELL = 11  # side of one day's square, in SVG units
GAP = 2
STEP = CELL + GAP
LEFT = 30  # room for the weekday labels
TOP = 16  # room for the month labels
LEGEND_HEIGHT = 22

# Lowest count of each shade above 0: 1-2 actions, 3-5, 6-9, 10 or more.
THRESHOLDS = (1, 3, 6, 10)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LABELLED_WEEKDAYS = (0, 2, 4)  # Mon, Wed, Fri, as contribution graphs do


def intensity(count: int) -> int:
    """The shade of a day: 0 for none, then 1-4 by THRESHOLDS."""
    return sum(1 for low in THRESHOLDS if count >= low)


def shade_labels() -> list[str]:
    """What each shade means, for the legend: "0", "1-2", "3-5", "6-9", "10+"."""
    labels = ["0"]
    for low, high in zip(THRESHOLDS, THRESHOLDS[1:], strict=False):
        labels.append(str(low) if high - 1 == low else f"{low}\u2013{high - 1}")
    labels.append(f"{THRESHOLDS[-1]}+")
    return labels


def first_day(today: date) -> date:
    """The Monday that opens the first of the 53 columns."""
    return today - timedelta(days=today.weekday(), weeks=WEEKS - 1)


def days_shown(today: date) -> list[date]:
    """Every day drawn, oldest first: from `first_day` through `today` (365 to 371 days)."""
    start = first_day(today)
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


def format_day(day: date) -> str:
    """"Mon 2 Mar 2026": the same in every locale."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def describe(count: int, day: date) -> str:
    """A square's title: "3 actions on Mon 2 Mar 2026"."""
    amount = f"{count} action{'' if count == 1 else 's'}" if count else "No actions"
    return f"{amount} on {format_day(day)}"


@dataclass(frozen=True)
class Summary:
    actions: int
    active_days: int

    def sentence(self, subject: str) -> str:
        if not self.actions:
            return f"{subject}: no activity in the past year"
        days = f"{self.active_days} day{'' if self.active_days == 1 else 's'}"
        actions = f"{self.actions} action{'' if self.actions == 1 else 's'}"
        return f"{subject}: {actions} on {days} in the past year"


def summarize(counts: Mapping[date, int], today: date) -> Summary:
    shown = [counts.get(day, 0) for day in days_shown(today)]
    return Summary(actions=sum(shown), active_days=sum(1 for c in shown if c > 0))


def render_calendar(counts: Mapping[date, int], today: date, *,
                    subject: str = "Activity calendar") -> str:
    """The calendar's SVG markup. `counts` maps dates to action counts (others are 0);
    `today` is the last day drawn, in the owner's own time zone."""
    days = days_shown(today)
    start = days[0]
    width = LEFT + WEEKS * STEP
    height = TOP + 7 * STEP + LEGEND_HEIGHT
    label = summarize(counts, today).sentence(subject)
    parts = [
        f'<svg class="activity-calendar" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        *_month_labels(start),
        *_weekday_labels(),
        '<g class="cal-days">',
    ]
    for day in days:
        count = counts.get(day, 0)
        column, row = (day - start).days // 7, day.weekday()
        parts.append(
            f'<rect class="cal-cell cal-{intensity(count)}" x="{LEFT + column * STEP}" '
            f'y="{TOP + row * STEP}" width="{CELL}" height="{CELL}" rx="2" '
            f'data-date="{day.isoformat()}" data-count="{count}">'
            f"<title>{escape(describe(count, day))}</title></rect>"
        )
    parts.append("</g>")
    parts.extend(_legend(width, TOP + 7 * STEP + 8))
    parts.append("</svg>")
    return "".join(parts)


def _month_labels(start: date) -> list[str]:
    """A month's name over the first column whose Monday falls in it. A label with less
    than three columns of room before the next one or the right edge is dropped (only
    ever the first or the last)."""
    starts = [(0, start.month)]
    for column in range(1, WEEKS):
        monday = start + timedelta(weeks=column)
        if monday.day <= 7:  # the month's first Monday
            starts.append((column, monday.month))
    kept = [
        (column, month)
        for (column, month), following in zip(starts, [*starts[1:], (WEEKS + 1, 0)], strict=True)
        if following[0] - column >= 3
    ]
    return [
        f'<text class="cal-label" x="{LEFT + column * STEP}" y="{TOP - 5}">'
        f"{escape(MONTHS[month - 1])}</text>"
        for column, month in kept
    ]


def _weekday_labels() -> list[str]:
    return [
        f'<text class="cal-label" x="0" y="{TOP + row * STEP + CELL - 2}">'
        f"{escape(WEEKDAYS[row])}</text>"
        for row in LABELLED_WEEKDAYS
    ]


def _legend(width: int, y: int) -> list[str]:
    """"Less [0] [1-2] [3-5] [6-9] [10+] More", each shade with its range beside it."""
    labels = shade_labels()
    slot = 44
    x = width - len(labels) * slot - 30
    parts = [f'<g class="cal-legend"><text class="cal-label" x="{x - 30}" y="{y + CELL - 2}">Less</text>']
    for shade, text in enumerate(labels):
        parts.append(
            f'<rect class="cal-cell cal-{shade}" x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
            f'rx="2"><title>{escape(text)} actions</title></rect>'
            f'<text class="cal-label" x="{x + CELL + 3}" y="{y + CELL - 2}">{escape(text)}</text>'
        )
        x += slot
    parts.append(f'<text class="cal-label" x="{x}" y="{y + CELL - 2}">More</text></g>')
    return parts
