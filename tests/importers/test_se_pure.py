"""The pure parts of the Stack Exchange import: HTML to Markdown, rows, names, credit."""

from datetime import datetime

import pytest

from app.importers import attribution, report, se_html, se_rows
from app.importers.se_html import html_to_markdown
from app.web.markdown import render_markdown
from tests.fixtures.purity import impure_imports


@pytest.mark.parametrize("module", [se_html, se_rows, attribution, report])
def test_the_parsing_modules_are_pure(module):
    assert impure_imports(module) == []


def test_code_blocks_survive_byte_for_byte():
    code = "def f(x):\n    if x < 2:  # <tag> & *stars* _under_\n        return x\n\n\n    return 1"
    html = f"<pre><code>{code.replace('&', '&amp;').replace('<', '&lt;')}\n</code></pre>"

    markdown = html_to_markdown(html)

    assert markdown == f"```\n{code}\n```"
    assert "if x &lt; 2:  # &lt;tag&gt; &amp; *stars* _under_" in render_markdown(markdown)


def test_a_fence_inside_code_gets_a_longer_fence_and_the_language_is_kept():
    markdown = html_to_markdown('<pre class="lang-py prettyprint-override"><code>```\nx = 1\n```\n</code></pre>')

    assert markdown == "````py\n```\nx = 1\n```\n````"


def test_inline_code_emphasis_links_lists_and_quotes():
    markdown = html_to_markdown(
        "<p>Call <code>a_b*c</code>, <em>really</em> <strong>now</strong>: "
        '<a href="https://example.org/x_y">docs</a>.</p>'
        "<ol><li>one</li><li>two<ul><li>inner</li></ul></li></ol>"
        "<blockquote><p>quoted</p></blockquote><hr><h2>Later</h2>"
    )

    assert markdown == (
        "Call `a_b*c`, *really* **now**: [docs](https://example.org/x_y).\n\n"
        "1. one\n2. two\n   - inner\n\n> quoted\n\n---\n\n## Later"
    )


def test_images_become_plain_links_and_prose_stays_prose():
    markdown = html_to_markdown(
        '<p><a href="http://i.stack.imgur.com/a.png"><img src="http://i.stack.imgur.com/a.png" '
        'alt="a plot"></a></p><p>1. not a list, # not a heading, 2*3*4</p>'
    )

    assert markdown.splitlines()[0] == "[a plot](http://i.stack.imgur.com/a.png)"
    html = render_markdown(markdown)
    assert "<img" not in html and "<ol" not in html and "<h1" not in html
    assert "1. not a list, # not a heading, 2*3*4" in html


def test_dates_numbers_and_required_attributes():
    row = se_rows.post_from({"Id": "3", "PostTypeId": "2", "ParentId": "1", "Score": "-2",
                             "CreationDate": "2016-08-02T15:40:24.820", "Body": "<p>x</p>"})
    assert (row.score, row.parent_id, row.owner_id) == (-2, 1, None)
    assert row.created_at == datetime(2016, 8, 2, 15, 40, 24, 820000)

    with pytest.raises(se_rows.BrokenRow, match="bad date in CreationDate"):
        se_rows.vote_from({"Id": "1", "PostId": "2", "VoteTypeId": "2", "CreationDate": "soon"})
    with pytest.raises(se_rows.BrokenRow, match="missing PostId"):
        se_rows.comment_from({"Id": "1", "Text": "x", "CreationDate": "2016-08-02T00:00:00"})
    with pytest.raises(se_rows.BrokenRow, match="bad number in Score"):
        se_rows.post_from({"Id": "1", "PostTypeId": "1", "Score": "many",
                           "CreationDate": "2016-08-02T00:00:00", "Body": "", "Title": "t"})


def test_tags_parse_in_order_without_repeats():
    assert se_rows.parse_tags("<Neural-Networks><python><python>") == ("neural-networks", "python")
    assert se_rows.parse_tags("") == ()


@pytest.mark.parametrize(("display_name", "expected"), [
    ("Ada Lovelace", "Ada_Lovelace"),
    ("Bjørn-Roger Kringsjå", "Bjorn-Roger_Kringsja"),
    ("alexander.polomodov", "alexander_polomodov"),
    ("李", "user"),
    ("x" * 40, "x" * 30),
])
def test_usernames_from_display_names(display_name, expected):
    assert se_rows.username_base(display_name) == expected


def test_username_candidates_end_in_one_unique_to_the_source():
    assert se_rows.username_candidates("Ada", 7) == ["Ada", "Ada-7", "user-7"]
    assert se_rows.username_candidates("x" * 40, 12345)[1] == "x" * 24 + "-12345"
    assert se_rows.username_candidates("Community", -1)[1] == "Community-n1"


def test_attribution_links_questions_answers_and_comments():
    assert attribution.source_for("https://ai.stackexchange.com/") == "ai.stackexchange"
    question = attribution.attribution("ai.stackexchange", 10, is_first=True)
    assert (question.verb, question.url) == ("asked", "https://ai.stackexchange.com/q/10")
    answer = attribution.attribution("ai.stackexchange", 12, is_first=False)
    assert answer.url == "https://ai.stackexchange.com/a/12"
    comment = attribution.attribution("ai.stackexchange/comment", 3, is_first=False)
    assert comment.url == "https://ai.stackexchange.com/posts/comments/3"
    assert attribution.site_of(attribution.source_for("https://mathoverflow.net")) == "mathoverflow.net"
    assert attribution.attribution(None, None, is_first=True) is None


def test_the_report_reads_as_a_summary():
    posts = report.FileReport("Posts", rows=10, imported=6, existing=1, seconds=2.0)
    posts.skip("questions beyond --limit")
    posts.break_("bad date in CreationDate")

    assert posts.progress_line() == "Posts: 10 rows in 2.0 s (5/s)"
    assert posts.summary_lines() == [
        "Posts: 6 imported, 1 already there, 1 skipped, 1 broken",
        "    skipped: 1 questions beyond --limit",
        "    broken: 1 bad date in CreationDate",
    ]
