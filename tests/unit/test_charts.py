"""The server-drawn score chart: valid SVG, one readable line per entrant, escaped text."""

import ast
import inspect
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from app.web import charts
from app.web.charts import Series, nice_range, score_chart

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2026, 11, 1, tzinfo=UTC)
END = START + timedelta(days=10)


def _draw(series, **kwargs):
    return ET.fromstring(score_chart(series, start=START, end=END, title="Top 10", **kwargs))


def test_the_score_axis_fits_the_scores_with_round_ticks():
    assert nice_range(0.62, 0.85) == pytest.approx((0.6, 0.85))  # an AUC board
    assert nice_range(3, 240) == (0.0, 250.0)  # close to zero: start at zero
    assert nice_range(12.4, 19.1) == pytest.approx((12.0, 22.0))  # an RMSE board
    assert nice_range(-40, 60) == (-40.0, 60.0)
    low, high = nice_range(7, 7)  # one score: a band around it
    assert low < 7 < high
    for lo, hi in [(0.31, 0.97), (1.5, 2.25), (100, 1000), (-3.2, -0.4)]:
        bottom, top = nice_range(lo, hi)
        assert bottom <= lo and top >= hi and (top - bottom) <= 3 * (hi - lo)


def test_each_series_is_a_step_line_with_its_own_dash_and_number():
    series = [Series(f"user{n}", [(START + timedelta(days=n), 10.0 * n),
                                  (START + timedelta(days=n + 1), 10.0 * n + 5)])
              for n in range(1, 11)]
    svg = _draw(series)
    groups = svg.findall(f"{SVG}g")
    assert len(groups) == 10
    dashes = [g.find(f"{SVG}path").get("stroke-dasharray") for g in groups]
    assert len(set(dashes)) == 10  # told apart without colour
    assert [g.find(f"{SVG}text").text for g in groups] == [str(n) for n in range(1, 11)]
    first_path = groups[0].find(f"{SVG}path").get("d")
    assert first_path.startswith("M") and "H" in first_path and "V" in first_path
    assert first_path.endswith(f"H{charts.WIDTH - charts.RIGHT:.1f}")  # held until the end
    assert "1. user1 15" in svg.get("aria-label") and "10. user10 105" in svg.get("aria-label")


def test_points_carry_titles_and_labels_are_escaped():
    svg_text = score_chart([Series("<script>alert(1)</script>", [(START, 3.5)])],
                           start=START, end=END, title="Scores & <b>ranks</b>")
    assert "<script>" not in svg_text and "&lt;script&gt;" in svg_text
    svg = ET.fromstring(svg_text)
    circle = svg.find(f"{SVG}g/{SVG}circle")
    assert circle.find(f"{SVG}title").text == "<script>alert(1)</script>: 3.5 on 1 Nov"


def test_an_empty_board_still_draws_axes_and_says_so():
    svg = _draw([])
    assert svg.get("aria-label") == "Top 10: no scores yet."
    assert svg.findall(f"{SVG}g") == [] and svg.findall(f"{SVG}line")


def test_points_outside_the_window_stay_inside_the_picture():
    svg = _draw([Series("late", [(END + timedelta(days=5), -4.0)]),
                 Series("early", [(START - timedelta(days=5), 10.0)])])
    late, early = svg.findall(f"{SVG}g/{SVG}circle")
    assert float(late.get("cx")) == charts.WIDTH - charts.RIGHT
    assert float(early.get("cx")) == charts.LEFT
    for circle in (late, early):
        assert charts.TOP <= float(circle.get("cy")) <= charts.HEIGHT - charts.BOTTOM


def test_the_chart_module_is_pure():
    tree = ast.parse(inspect.getsource(charts))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {m.split(".")[0] for m in modules} & {"flask", "sqlalchemy", "app"}


def test_end_labels_of_close_scores_do_not_overlap():
    assert charts.spread_labels({1: 50.0, 2: 51.0, 3: 52.0, 4: 90.0}) == {
        1: 50.0, 2: 61.0, 3: 72.0, 4: 90.0}
    assert charts.spread_labels({1: 99.0, 2: 100.0, 3: 100.0}, lowest=100.0) == {
        1: 78.0, 2: 89.0, 3: 100.0}  # kept above the bottom of the plot
    svg = _draw([Series(f"u{n}", [(START, 0.84 - n / 10_000)]) for n in range(3)])
    ys = sorted(float(t.get("y")) for t in svg.findall(f"{SVG}g/{SVG}text"))
    assert all(b - a >= charts.LABEL_GAP for a, b in zip(ys, ys[1:], strict=False))
