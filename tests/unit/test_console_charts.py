"""The console's pictures: valid SVG, the right shapes in the right places, escaped text.
(The leaderboards' score chart has its own tests in test_charts.py.)"""

import xml.etree.ElementTree as ET

from app.moderation import charts
from app.moderation.charts import Link, Node, Series
from tests.fixtures.purity import impure_imports

SVG = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script>"


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_a_line_chart_draws_a_dashed_line_per_series_and_breaks_at_gaps():
    svg = _parse(charts.line_chart(["1 Mar", "2 Mar", "3 Mar", "4 Mar"], [
        Series("daily", [1, 2, None, 4]), Series("monthly", [5, 6, 7, 8])], title="Active"))
    daily, monthly = svg.findall(f"{SVG}g[@class='chart-series series-0']"), \
        svg.findall(f"{SVG}g[@class='chart-series series-1']")
    assert len(daily[0].findall(f"{SVG}polyline")) == 2  # the gap splits the line
    [line] = monthly[0].findall(f"{SVG}polyline")
    assert len(line.get("points").split()) == 4 and line.get("stroke-dasharray")
    assert svg.get("aria-label") == "Active: daily 4; monthly 8."
    xs = [float(p.split(",")[0]) for p in line.get("points").split()]
    assert xs[0] == charts.LEFT and xs[-1] == charts.WIDTH - charts.RIGHT


def test_higher_values_are_drawn_higher():
    svg = _parse(charts.line_chart(["a", "b"], [Series("s", [0, 10])], title="t"))
    (_, y0), (_, y1) = (map(float, p.split(",")) for p in
                        svg.find(f"{SVG}g/{SVG}polyline").get("points").split())
    assert y1 < y0


def test_bars_stack_their_blocks_and_skip_zeroes():
    svg = _parse(charts.bar_chart(["d1", "d2"], [Series("vote", [3, 0]),
                                                 Series("accept", [1, 2])], title="Points"))
    bars = svg.findall(f"{SVG}rect[@class]")
    blocks = [b for b in bars if "chart-bar" in b.get("class")]
    assert [b.find(f"{SVG}title").text for b in blocks] == [
        "d1: vote 3", "d1: accept 1", "d2: accept 2"]
    vote, accept = blocks[0], blocks[1]
    assert float(accept.get("y")) + float(accept.get("height")) == float(vote.get("y"))  # on top
    assert abs(float(vote.get("height")) - 3 * float(accept.get("height"))) < 0.2


def test_a_heat_map_shades_by_value_and_leaves_the_future_blank():
    svg = _parse(charts.heat_map(["w1", "w2"], ["+0", "+1"], [[1.0, 0.25], [0.5, None]],
                                 title="Retention"))
    cells = svg.findall(f"{SVG}rect")
    assert len(cells) == 3
    opacities = [float(c.get("fill-opacity")) for c in cells]
    assert opacities[0] > opacities[2] > opacities[1]
    assert [c.find(f"{SVG}title").text for c in cells] == ["w1, +0: 100%", "w1, +1: 25%",
                                                           "w2, +0: 50%"]


def test_the_graph_sizes_circles_by_members_and_links_by_weight():
    svg = _parse(charts.graph_picture(
        [Node("python", 100, "python, pandas"), Node("rust", 25), Node("go", 4)],
        [Link(0, 1, 10), Link(1, 2, 1)], title="Communities"))
    radii = [float(c.get("r")) for c in svg.findall(f"{SVG}g/{SVG}circle")]
    assert radii[0] == charts.MAX_RADIUS and abs(radii[1] - radii[0] / 2) < 0.1
    heavy, light = (float(link.get("stroke-width")) for link in svg.findall(f"{SVG}line"))
    assert heavy > light
    assert [t.text for t in svg.findall(f"{SVG}g/{SVG}text")] == ["python", "rust", "go"]
    assert svg.get("aria-label") == "Communities: python (100); rust (25); go (4)."


def test_a_node_given_a_link_is_wrapped_in_it_and_the_others_are_not():
    svg = _parse(charts.graph_picture(
        [Node("python", 10, href="/staff/console/communities/1?a=1&b=2"), Node("rust", 5)], [],
        title="Communities"))
    [link] = svg.findall(f"{SVG}a")
    assert link.get("href") == "/staff/console/communities/1?a=1&b=2"
    assert link.find(f"{SVG}g/{SVG}text").text == "python"
    assert [t.text for t in svg.findall(f"{SVG}g/{SVG}text")] == ["rust"]


def test_every_piece_of_text_is_escaped():
    pictures = [
        charts.line_chart([EVIL], [Series(EVIL, [1])], title=EVIL),
        charts.bar_chart([EVIL], [Series(EVIL, [1])], title=EVIL),
        charts.heat_map([EVIL], [EVIL], [[0.5]], title=EVIL),
        charts.graph_picture([Node(EVIL, 3, EVIL, href=EVIL)], [], title=EVIL),
    ]
    for text in pictures:
        assert "<script>" not in text and "&lt;script&gt;" in text
        _parse(text)  # still well-formed


def test_empty_inputs_still_draw_a_picture_that_says_so():
    assert _parse(charts.line_chart([], [], title="Active")).get("aria-label") == \
        "Active: no data yet."
    assert _parse(charts.bar_chart([], [], title="Badges")).get("aria-label") == \
        "Badges: no data yet."
    _parse(charts.heat_map([], [], [], title="Retention"))
    assert _parse(charts.graph_picture([], [], title="C")).get("aria-label") == "C: none."


def test_the_charts_module_is_pure():
    assert impure_imports(charts, app_allowed=("app.web.charts",)) == []


def test_a_legend_too_long_for_one_row_wraps_and_the_picture_grows_to_hold_it():
    names = [f"Category number {n}" for n in range(8)]
    short = _parse(charts.bar_chart(["1 Mar"], [Series("one", [1])], title="Flags"))
    long = _parse(charts.bar_chart(["1 Mar"], [Series(name, [1]) for name in names],
                                   title="Flags"))
    assert short.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    height = int(long.get("viewBox").split()[3])
    keys = long.findall(f"{SVG}g")
    keys = [g for g in keys if "chart-key" in g.get("class", "")]
    assert len(keys) == len(names) and height > charts.HEIGHT
    for key in keys:
        text = key.find(f"{SVG}text")
        x, y = float(text.get("x")), float(text.get("y"))
        assert x + 7 * len(text.text) <= charts.WIDTH and y <= height  # inside the picture
    assert len({key.find(f"{SVG}text").get("y") for key in keys}) > 1  # more than one row
