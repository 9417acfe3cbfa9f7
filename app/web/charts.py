"""Line charts of scores over time, drawn as inline SVG on the server: series in, markup out.

Made for leaderboards ("the top 10 over the contest"): each entrant's score is a step
line, since a score holds until the next improvement. Colour is never the only cue:
every line has its own dash pattern, ends in its rank number written beside it, and is
named in the legend with the same number; each point carries a <title>, and the whole
picture an aria-label that sums it up. Pure: no Flask, no database; all text is escaped.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 56, 16, 36  # room for the axes and the end labels
X_TICKS, Y_TICKS = 5, 5
# Ten patterns, one per line of a top 10: solid first, then dashes and dots.
LABEL_GAP = 11  # the height of an end label, in SVG units
DASHES = ("", "6 3", "2 3", "10 4", "6 3 2 3", "1 2", "12 3 2 3", "4 4", "8 2 2 2 2 2", "3 6")


@dataclass(frozen=True)
class Series:
    """One line: a label (the entrant) and its (time, score) points in time order."""

    label: str
    points: Sequence[tuple[datetime, float]]


def nice_step(span: float) -> float:
    """A tick step of 1, 2, 2.5 or 5 times a power of ten, at least `span`."""
    if span <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(span))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= span * (1 - 1e-9):
            return step * power
    return 10 * power


def nice_range(low: float, high: float) -> tuple[float, float]:
    """The score axis: from a round number at or below `low` to one at or above `high`,
    in Y_TICKS equal steps. It fits the scores (an AUC board between 0.62 and 0.85 is not
    squeezed into the top of 0-1) and starts at zero when the scores come close to it."""
    if high - low < 1e-12:
        low, high = low - (abs(low) or 1.0) / 2, high + (abs(high) or 1.0) / 2
    if 0 <= low < (high - low) / 2:
        low = 0.0
    step = nice_step((high - low) / Y_TICKS)
    while True:
        floor = math.floor(low / step + 1e-9) * step
        if floor + step * Y_TICKS >= high - 1e-9:
            return floor, floor + step * Y_TICKS
        step = nice_step(step * 1.01)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.3g}"


def score_chart(
    series: Sequence[Series],
    *,
    start: datetime,
    end: datetime,
    title: str,
    format_time: Callable[[datetime], str] = lambda t: f"{t.day} {t:%b}",
    format_score: Callable[[float], str] = _number,
) -> str:
    """An SVG of every series as a step line from `start` to `end`.

    A line starts at its first point (an entrant has no score before their first entry)
    and holds its last score until `end`. The score axis fits the scores (`nice_range`).
    """
    span = max((end - start).total_seconds(), 1.0)
    scores = [score for s in series for _, score in s.points]
    bottom, top = nice_range(min(scores, default=0.0), max(scores, default=1.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(when: datetime) -> float:
        seconds = min(max((when - start).total_seconds(), 0.0), span)
        return LEFT + plot_w * seconds / span

    def y(score: float) -> float:
        return TOP + plot_h * (1 - (min(max(score, bottom), top) - bottom) / (top - bottom))

    parts = [
        f'<svg class="score-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(_summary(series, title, format_score))}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(Y_TICKS + 1):
        value = bottom + (top - bottom) * i / Y_TICKS
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{LEFT + plot_w}" '
                     f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>')
        parts.append(f'<text class="chart-tick" x="{LEFT - 6}" y="{y(value) + 4:.1f}" '
                     f'text-anchor="end">{escape(format_score(value))}</text>')
    for i in range(X_TICKS + 1):
        when = datetime.fromtimestamp(start.timestamp() + span * i / X_TICKS, tz=start.tzinfo)
        parts.append(f'<text class="chart-tick" x="{x(when):.1f}" y="{HEIGHT - 12}" '
                     f'text-anchor="middle">{escape(format_time(when))}</text>')
    parts.append(f'<line class="chart-axis" x1="{LEFT}" x2="{LEFT + plot_w}" '
                 f'y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>')

    label_ys = spread_labels({number: y(line.points[-1][1])
                              for number, line in enumerate(series, start=1) if line.points},
                             lowest=TOP + plot_h)
    for number, line in enumerate(series, start=1):
        if not line.points:
            continue
        parts.append(_line(number, line, x, y, end, format_time, format_score,
                           label_y=label_ys[number]))
    parts.append("</svg>")
    return "".join(parts)


def spread_labels(wanted: dict[int, float], gap: float = LABEL_GAP,
                  lowest: float = math.inf) -> dict[int, float]:
    """End labels at their lines' heights, pushed apart so that two entrants ending on
    nearly the same score do not print one number over another: first downwards in
    order, then back up from `lowest` (the bottom of the plot) if they ran past it."""
    order = sorted(wanted, key=lambda key: (wanted[key], key))
    placed: dict[int, float] = {}
    previous = -math.inf
    for key in order:
        placed[key] = previous = max(wanted[key], previous + gap)
    following = lowest + gap
    for key in reversed(order):
        placed[key] = following = min(placed[key], following - gap)
    return placed


def _line(number, line: Series, x, y, end, format_time, format_score, *, label_y) -> str:
    """One entrant: the step path, a dot per improvement, and its number at the end."""
    (first_time, first_score), *rest = line.points
    d = [f"M{x(first_time):.1f},{y(first_score):.1f}"]
    for when, score in rest:
        d.append(f"H{x(when):.1f}V{y(score):.1f}")
    d.append(f"H{x(end):.1f}")
    dash = DASHES[(number - 1) % len(DASHES)]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    label = escape(line.label)
    parts = [f'<g class="chart-series series-{(number - 1) % 10}">',
             f'<path d="{"".join(d)}" fill="none"{dash_attr}><title>{number}. {label}</title></path>']
    for when, score in line.points:
        parts.append(f'<circle cx="{x(when):.1f}" cy="{y(score):.1f}" r="3">'
                     f"<title>{label}: {escape(format_score(score))} on "
                     f"{escape(format_time(when))}</title></circle>")
    parts.append(f'<text class="chart-end" x="{x(end) + 6:.1f}" y="{label_y + 4:.1f}">'
                 f"{number}</text></g>")
    return "".join(parts)


def _summary(series: Sequence[Series], title: str, format_score) -> str:
    """The picture in words, for screen readers: who ends where."""
    finals = [f"{n}. {s.label} {format_score(s.points[-1][1])}"
              for n, s in enumerate(series, start=1) if s.points]
    if not finals:
        return f"{title}: no scores yet."
    return f"{title}: " + "; ".join(finals) + "."
