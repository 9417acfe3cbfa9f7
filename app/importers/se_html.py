"""Stack Exchange post bodies (HTML) to Markdown, so imported posts can be edited here.

markdownify does the walking; this module only says how the site wants a few things:
fenced code blocks (never indented ones, which an edit could break), `*` emphasis, `-`
bullets, images as plain links (no pictures hot-linked from another host on our pages),
and Markdown's special characters escaped in text so a line like "1. not a list" stays
prose. The result still goes through the site's sanitising renderer like any post.

Pure: no Flask, no SQLAlchemy, no `app` imports.
"""

import re

from markdownify import MarkdownConverter

_BLANK_RUNS = re.compile(r"\n{3,}")
_FENCED = re.compile(r"(^(`{3,})[^\n]*\n.*?^\2$)", re.M | re.S)
_LINE_START_TICKS = re.compile(r"^\s*(`{3,})", re.M)


class _SiteConverter(MarkdownConverter):
    def convert_pre(self, el, text, parent_tags):
        """A fenced block whose fence is longer than any run of backticks opening one of
        its lines, so code that shows a fence cannot close ours early."""
        if not text:
            return ""
        runs = [len(ticks) for ticks in _LINE_START_TICKS.findall(text)]
        fence = "`" * max(3, max(runs, default=0) + 1)
        return f"\n\n{fence}{_language(el)}\n{text.strip(chr(10))}\n{fence}\n\n"

    def convert_img(self, el, text, parent_tags):
        src = el.get("src") or ""
        if not src:
            return ""
        label = (el.get("alt") or "").strip() or "image"
        return f"[{self.escape(label, parent_tags)}]({src})"

    def convert_a(self, el, text, parent_tags):
        # SE wraps each image in a link to itself: keep one link, not a link in a link.
        images = el.find_all("img")
        if images and not el.get_text(strip=True):
            return self.convert_img(images[0], "", parent_tags)
        return super().convert_a(el, text, parent_tags)


def _language(pre) -> str:
    """SE marks highlighted blocks `<pre class="lang-py ...">`; the fence keeps the name."""
    for name in pre.get("class") or []:
        if name.startswith("lang-") and name[5:].isalnum():
            return name[5:]
    return ""


_CONVERTER = _SiteConverter(
    heading_style="ATX",
    bullets="-",
    strong_em_symbol="*",
    escape_misc=True,
    escape_underscores=True,
    escape_asterisks=True,
)


def html_to_markdown(html: str) -> str:
    """The Markdown source of an HTML body: code intact, at most one blank line in a row
    outside code, no leading or trailing blank lines."""
    markdown = _CONVERTER.convert(html or "")
    return _collapse_blank_lines(markdown).strip("\n")


def _collapse_blank_lines(markdown: str) -> str:
    """Squeeze runs of blank lines, except inside fenced code, where they are content."""
    pieces, last = [], 0
    for block in _FENCED.finditer(markdown):
        pieces += [_BLANK_RUNS.sub("\n\n", markdown[last:block.start()]), block.group(0)]
        last = block.end()
    pieces.append(_BLANK_RUNS.sub("\n\n", markdown[last:]))
    return "".join(pieces)
