"""The console's pictures, drawn as inline SVG on the server: plain values in, markup out.

A line chart (a value per day, one line per series), a stacked bar chart (a bar per day,
a block per reason), a heat map (a shaded table of shares) and a graph of circles and
links (communities), each circle a link where it is given one. As on the leaderboards
(`app.web.charts`, whose axis rounding and dash patterns these reuse), colour is never the
only cue: lines have their own dashes, every shape carries a <title>, and the picture an
aria-label that sums it up. Pure: no Flask, no database; every piece of text is escaped
here.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from app.web.charts import DASHES, nice_range

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56  # room for the axes and the legend below
Y_TICKS, X_LABELS = 5, 6
CELL_W, CELL_H, ROW_LABEL_W, HEAD_H = 44, 24, 96, 24
GRAPH_SIZE, MAX_RADIUS, MIN_RADIUS = 480, 48.0, 6.0
KEY_ROW = 20  # each further row of the legend, when the keys do not fit on one


@dataclass(frozen=True)
class Series:
    """One line or one block of every bar: a name and a value per x label (None: no value)."""

    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Node:
    label: str
    size: int
    title: str = ""  # what the circle's tooltip says beyond label and size
    href: str = ""  # where a click on the circle leads, if anywhere


@dataclass(frozen=True)
class Link:
    source: int  # indexes into the nodes
    target: int
    weight: float


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.2g}"


def percent(value: float) -> str:
    return f"{value:.0%}"


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str,
               format_value: Callable[[float], str] = number) -> str:
    """Each series as a line over the x `labels`; a None value breaks the line."""
    values = [v for s in series for v in s.values if v is not None]
    bottom, top = nice_range(min(values, default=0.0), max(values, default=1.0))
    x, y = _scales(len(labels), bottom, top, bar=False)
    keys = _key_places(series)
    parts = _frame(title, _summary(title, series, format_value), labels, x, bottom, top, y,
                   format_value, key_rows=keys[-1][1] + 1 if keys else 1)
    for n, line in enumerate(series):
        runs: list[list[str]] = [[]]
        for i, value in enumerate(line.values):
            if value is not None:
                runs[-1].append(f"{x(i):.1f},{y(value):.1f}")
            elif runs[-1]:
                runs.append([])
        parts.append(f'<g class="chart-series series-{n % 10}"><title>{escape(line.label)}</title>')
        parts += [f'<polyline points="{" ".join(run)}" fill="none"{_dash(n)}/>' for run in runs
                  if run]
        parts.append("</g>")
    parts += _legend(series, keys, line=True)
    return "".join(parts + ["</svg>"])


def bar_chart(labels: Sequence[str], series: Sequence[Series], *, title: str,
              format_value: Callable[[float], str] = number) -> str:
    """A bar per x label, its blocks stacked in series order (negative values count 0)."""
    totals = [sum(max(s.values[i] or 0.0, 0.0) for s in series) for i in range(len(labels))]
    bottom, top = nice_range(0.0, max(totals, default=0.0) or 1.0)
    x, y = _scales(len(labels), bottom, top, bar=True)
    width = max((WIDTH - LEFT - RIGHT) / max(len(labels), 1) * 0.8, 1.0)
    keys = _key_places(series)
    parts = _frame(title, _summary(title, series, format_value), labels, x, bottom, top, y,
                   format_value, key_rows=keys[-1][1] + 1 if keys else 1)
    for i, label in enumerate(labels):
        base = 0.0
        for n, block in enumerate(series):
            value = max(block.values[i] or 0.0, 0.0)
            if not value:
                continue
            parts.append(
                f'<rect class="chart-bar series-{n % 10}" x="{x(i) - width / 2:.1f}" '
                f'y="{y(base + value):.1f}" width="{width:.1f}" '
                f'height="{y(base) - y(base + value):.1f}"><title>{escape(label)}: '
                f"{escape(block.label)} {escape(format_value(value))}</title></rect>")
            base += value
    parts += _legend(series, keys, line=False)
    return "".join(parts + ["</svg>"])


def heat_map(rows: Sequence[str], columns: Sequence[str], cells: Sequence[Sequence[float | None]],
             *, title: str, format_cell: Callable[[float], str] = percent) -> str:
    """A table of shares in 0..1, each cell shaded by its value and written in it; None
    cells (not yet happened) stay blank."""
    width = ROW_LABEL_W + CELL_W * len(columns) + 8
    height = HEAD_H + CELL_H * len(rows) + 8
    parts = [_open("heat-map", width, height, f"{title}: {len(rows)} rows."),
             f"<title>{escape(title)}</title>"]
    for j, column in enumerate(columns):
        parts.append(f'<text class="chart-tick" x="{ROW_LABEL_W + CELL_W * j + CELL_W / 2:.1f}" '
                     f'y="{HEAD_H - 8}" text-anchor="middle">{escape(column)}</text>')
    for i, (row, values) in enumerate(zip(rows, cells, strict=True)):
        top = HEAD_H + CELL_H * i
        parts.append(f'<text class="chart-tick" x="{ROW_LABEL_W - 6}" y="{top + CELL_H / 2 + 4:.1f}" '
                     f'text-anchor="end">{escape(row)}</text>')
        for j, value in enumerate(values):
            if value is None:
                continue
            shade = min(max(value, 0.0), 1.0)
            left = ROW_LABEL_W + CELL_W * j
            parts.append(
                f'<rect class="heat-cell" x="{left}" y="{top}" width="{CELL_W - 2}" '
                f'height="{CELL_H - 2}" fill-opacity="{0.08 + 0.92 * shade:.2f}">'
                f"<title>{escape(row)}, {escape(columns[j])}: {escape(format_cell(value))}</title>"
                f'</rect><text class="heat-label{" heat-dark" if shade > 0.5 else ""}" '
                f'x="{left + CELL_W / 2 - 1:.1f}" y="{top + CELL_H / 2 + 3:.1f}" '
                f'text-anchor="middle">{escape(format_cell(value))}</text>')
    return "".join(parts + ["</svg>"])


def graph_picture(nodes: Sequence[Node], links: Sequence[Link], *, title: str) -> str:
    """Circles on a ring, largest first from the top, their area proportional to their
    size, joined by lines as thick as their weight (relative to the heaviest)."""
    centre = GRAPH_SIZE / 2
    ring = centre - MAX_RADIUS - 16 if len(nodes) > 1 else 0.0
    biggest = max((n.size for n in nodes), default=1) or 1
    heaviest = max((link.weight for link in links), default=1.0) or 1.0
    points = [(centre + ring * math.sin(2 * math.pi * i / len(nodes)),
               centre - ring * math.cos(2 * math.pi * i / len(nodes))) for i in range(len(nodes))]
    summary = f"{title}: " + ("; ".join(f"{n.label} ({n.size})" for n in nodes) or "none") + "."
    parts = [_open("graph-picture", GRAPH_SIZE, GRAPH_SIZE, summary),
             f"<title>{escape(title)}</title>"]
    for link in links:
        (x1, y1), (x2, y2) = points[link.source], points[link.target]
        parts.append(
            f'<line class="graph-link" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke-width="{1 + 9 * link.weight / heaviest:.1f}"><title>'
            f"{escape(nodes[link.source].label)} – {escape(nodes[link.target].label)}: "
            f"{escape(number(link.weight))}</title></line>")
    for i, (node, (cx, cy)) in enumerate(zip(nodes, points, strict=True)):
        radius = max(MAX_RADIUS * math.sqrt(node.size / biggest), MIN_RADIUS)
        detail = f" — {node.title}" if node.title else ""
        shape = (
            f'<g class="graph-node series-{i % 10}"><circle cx="{cx:.1f}" cy="{cy:.1f}" '
            f'r="{radius:.1f}"><title>{escape(node.label)}: {node.size}{escape(detail)}</title>'
            f'</circle><text class="graph-label" x="{cx:.1f}" y="{cy + radius + 12:.1f}" '
            f'text-anchor="middle">{escape(node.label)}</text></g>')
        parts.append(f'<a href="{escape(node.href)}">{shape}</a>' if node.href else shape)
    return "".join(parts + ["</svg>"])


def _dash(n: int) -> str:
    dash = DASHES[n % len(DASHES)]
    return f' stroke-dasharray="{dash}"' if dash else ""


def _open(kind: str, width: float, height: float, summary: str) -> str:
    return (f'<svg class="console-chart {kind}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'role="img" aria-label="{escape(summary)}" xmlns="http://www.w3.org/2000/svg">')


def _scales(count: int, bottom: float, top: float, *, bar: bool):
    """x(index) and y(value) in SVG units; bars sit in the middle of their slot."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        if bar:
            return LEFT + plot_w * (i + 0.5) / max(count, 1)
        return LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (min(max(value, bottom), top) - bottom) / (top - bottom))

    return x, y


def _frame(title, summary, labels, x, bottom, top, y, format_value, *, key_rows: int = 1
           ) -> list[str]:
    """The opening tag (taller when the legend needs more rows), the grid with its value
    ticks, and a few of the x labels."""
    height = HEIGHT + KEY_ROW * (key_rows - 1)
    parts = [_open("line-chart", WIDTH, height, summary), f"<title>{escape(title)}</title>"]
    for i in range(Y_TICKS + 1):
        value = bottom + (top - bottom) * i / Y_TICKS
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                     f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
                     f'<text class="chart-tick" x="{LEFT - 6}" y="{y(value) + 4:.1f}" '
                     f'text-anchor="end">{escape(format_value(value))}</text>')
    step = max(math.ceil(len(labels) / X_LABELS), 1)
    for i in range(0, len(labels), step):
        parts.append(f'<text class="chart-tick" x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                     f'text-anchor="middle">{escape(labels[i])}</text>')
    return parts


def _key_places(series: Sequence[Series]) -> list[tuple[int, int]]:
    """(left, row) of each legend key: side by side, wrapping before the right edge."""
    places, left, row = [], LEFT, 0
    for item in series:
        width = 30 + 7 * len(item.label)
        if left > LEFT and left + width - 12 > WIDTH - RIGHT:
            left, row = LEFT, row + 1
        places.append((left, row))
        left += width
    return places


def _legend(series: Sequence[Series], places: Sequence[tuple[int, int]], *,
            line: bool) -> list[str]:
    parts = []
    for n, (item, (left, row)) in enumerate(zip(series, places, strict=True)):
        base = HEIGHT + KEY_ROW * row
        if line:
            mark = (f'<line x1="{left}" x2="{left + 18}" y1="{base - 14}" '
                    f'y2="{base - 14}"{_dash(n)}/>')
        else:
            mark = f'<rect x="{left}" y="{base - 20}" width="12" height="12"/>'
        parts.append(f'<g class="chart-key series-{n % 10}">{mark}<text class="chart-tick" '
                     f'x="{left + 22}" y="{base - 10}">{escape(item.label)}</text></g>')
    return parts


def _summary(title: str, series: Sequence[Series], format_value) -> str:
    """The picture in words: each series' latest value."""
    latest = [(s.label, next((v for v in reversed(s.values) if v is not None), None))
              for s in series]
    words = [f"{label} {format_value(value)}" for label, value in latest if value is not None]
    return f"{title}: " + ("; ".join(words) if words else "no data yet") + "."
