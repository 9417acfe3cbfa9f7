"""render_markdown against XSS vectors, and the Markdown that must keep working.

The checks read the output the way a browser would (an HTML parser), so text that only
looks dangerous (an escaped `&lt;script&gt;`, the words `javascript:` in a paragraph) is
fine, while any tag, attribute or URL that could run code fails the test.
"""

import re
from html.parser import HTMLParser

import pytest

from app.web.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data",
                  "background", "poster", "codebase", "cite", "longdesc", "dynsrc", "lowsrc"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u200b-\u200f\ufeff]")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def elements(html: str):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: entities decoded (by the parser), invisible
    characters dropped, case folded."""
    match = _SCHEME.match(_INVISIBLE.sub("", value).lower())
    return f"{match.group(1)}:" if match else None


def assert_safe(html: str) -> None:
    """No script, handler, style or off-list tag or attribute, and no URL a browser would
    run. Quoted attribute values are skipped in the text checks: `alt="a&quot; onerror=.."`
    is inert text, and the parser checks below see it as the one attribute it is. A URL
    fails on its scheme, so `%20javascript:` (a relative path) passes and `java\tscript:`
    does not."""
    assert "<script" not in html.lower()
    for tag_text in re.findall(r"<[^>]*>", html):
        unquoted = re.sub(r'"[^"]*"', '""', tag_text)
        assert not re.search(r"[\s/]on\w+\s*=", unquoted, re.I), tag_text
        assert not re.search(r"[\s/]style\s*=", unquoted, re.I), tag_text
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            assert not name.startswith("on") and name != "style"
            if name in URL_ATTRIBUTES and value:
                scheme = url_scheme(value)
                assert scheme is None or scheme in SAFE_SCHEMES, (tag, name, value)


XSS_VECTORS = {
    "script tag": "<script>alert(1)</script>",
    "script with src, upper case": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "nested script": "<<script>script>alert(1)<</script>/script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror inline": "look: <img src=x onerror=alert(1)> here",
    "markdown javascript link": "[click](javascript:alert(1))",
    "markdown JAVASCRIPT link": "[click](JAVASCRIPT:alert(1))",
    "entity-encoded j": "[click](&#106;avascript:alert(1))",
    "hex-entity j": "[click](&#x6A;avascript:alert(1))",
    "entity colon": "[click](javascript&#58;alert(1))",
    "entity inside scheme": "[click](javas&#99;ript:alert(1))",
    "tab inside scheme": "[click](<java\tscript:alert(1)>)",
    "newline inside scheme": "[click](java\nscript:alert(1))",
    "leading space and control char": "[click](<\x01 javascript:alert(1)>)",
    "vbscript link": "[click](vbscript:msgbox(1))",
    "data html link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "javascript image": "![img](javascript:alert(1))",
    "svg data image": "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "png data image": "![img](data:image/png;base64,iVBORw0KGgo=)",
    "reference link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "reference link with title": '[x][evil]\n\n[evil]: javascript:alert(1) "title"',
    "autolink": "<javascript:alert(1)>",
    "autolink mixed case": "<JaVaScRiPt:alert(1)>",
    "raw anchor": '<a href="javascript:alert(1)">x</a>',
    "raw anchor with onclick": '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "svg onload": "<svg onload=alert(1)>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="evil.swf"></object>',
    "embed": '<embed src="evil.swf">',
    "style tag": "<style>body{display:none}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "raw html block": '<div onmouseover="alert(1)">\n\n**bold**\n\n</div>',
    "math mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "form": '<form action="https://evil.example"><input name=x><button>go</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "base href": '<base href="https://evil.example/">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "quote breaking link": '[x](https://ok.example/"onmouseover="alert(1))',
    "quote breaking alt": '![a" onerror="alert(1)](https://ok.example/x.png)',
    "quote breaking title": '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "fence info handler": '```x"onmouseover="alert(1)\ncode\n```',
    "fence info with spaces": '```python onload=alert(1)\nprint(1)\n```',
    "fence info javascript url": "```javascript:alert(1)\ncode\n```",
    "details ontoggle": "<details open ontoggle=alert(1)>",
    "video source onerror": "<video><source onerror=alert(1)></video>",
    "noscript breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "img srcset": '<img src="https://ok.example/x.png" srcset="javascript:alert(1)">',
    "inline html in emphasis": "*<img src=x onerror=alert(1)>*",
    "table cell html": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
}


@pytest.mark.parametrize("source", XSS_VECTORS.values(), ids=XSS_VECTORS.keys())
def test_xss_vector_is_neutralised(source):
    assert_safe(render_markdown(source))


def test_there_are_at_least_thirty_vectors():
    assert len(XSS_VECTORS) >= 30


@pytest.mark.parametrize(
    "html",
    ['<a href="javascript:alert(1)">x</a>', '<img src=x onerror="alert(1)">',
     '<p style="color:red">x</p>', "<iframe></iframe>", "<script>x</script>"],
)
def test_the_checker_itself_catches_dangerous_html(html):
    with pytest.raises(AssertionError):
        assert_safe(html)


def test_raw_html_is_shown_as_text():
    html = render_markdown("Use <b>bold</b> & <script>alert(1)</script>")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html


def test_fenced_code_is_highlighted():
    html = render_markdown("```python\ndef f():\n    return 1\n```")
    assert '<pre><code class="language-python">' in html
    assert re.search(r'<span class="hl-k">def</span>', html)
    assert 'class="hl-' in html


def test_unknown_fence_language_keeps_the_code_escaped():
    html = render_markdown("```nosuchlang\n<b>x</b>\n```")
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "hl-" not in html


def test_tables_render():
    html = render_markdown("| name | n |\n|:-----|--:|\n| a | 1 |")
    assert "<table>" in html and "<th>name</th>" in html and "<td>a</td>" in html
    assert 'align="right"' in html or "<td>1</td>" in html


def test_links_get_rel_nofollow_ugc_noopener_noreferrer():
    html = render_markdown("[docs](https://docs.python.org/3/) and <https://example.com>")
    assert html.count('rel="nofollow ugc noopener noreferrer"') == 2
    assert 'href="https://docs.python.org/3/"' in html


def test_mailto_and_relative_links_are_kept():
    html = render_markdown("[mail](mailto:a@example.com) [page](/c/python)")
    assert 'href="mailto:a@example.com"' in html
    assert 'href="/c/python"' in html


def test_https_images_are_kept():
    html = render_markdown('![a cat](https://example.com/cat.png "Cat")')
    assert '<img src="https://example.com/cat.png" alt="a cat" title="Cat">' in html


def test_inline_code_strikethrough_lists_and_quotes_survive():
    html = render_markdown("`x < y` ~~old~~\n\n- one\n- two\n\n> quoted")
    assert "<code>x &lt; y</code>" in html
    assert "<s>old</s>" in html
    assert "<li>one</li>" in html
    assert "<blockquote>" in html
