"""The server-drawn score chart: valid SVG, one readable line per entrant, escaped text."""

import ast
import inspect
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from app.web import charts
from app.web.charts import Series, nice_ceiling, score_chart

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2026, 11, 1, tzinfo=UTC)
END = START + timedelta(days=10)


def _draw(series, **kwargs):
    return ET.fromstring(score_chart(series, start=START, end=END, title="Top 10", **kwargs))


def test_nice_ceiling_rounds_up_to_a_readable_top():
    assert [nice_ceiling(v) for v in (0, 0.7, 1, 3, 240, 251, 900, 0.031)] == [
        1.0, 1.0, 1.0, 5.0, 250.0, 500.0, 1000.0, 0.05]


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
    svg = _draw([Series("late", [(END + timedelta(days=5), -4.0)])])
    circle = svg.find(f"{SVG}g/{SVG}circle")
    assert float(circle.get("cx")) == charts.WIDTH - charts.RIGHT
    assert float(circle.get("cy")) == charts.HEIGHT - charts.BOTTOM


def test_the_chart_module_is_pure():
    tree = ast.parse(inspect.getsource(charts))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {m.split(".")[0] for m in modules} & {"flask", "sqlalchemy", "app"}
