"""Find plain `@username` mentions in a post's Markdown: pure, no Flask and no database.

The text is parsed with the same CommonMark rules the site renders with, and only prose
counts: code spans, fenced and indented code blocks and block quotes (quoting someone
must not ping the people they mentioned) are skipped. A mention is an `@` that does not
follow a word character, a dot or another `@`, so `ada@example.com` and `x.com/@ada` are
not mentions; trailing punctuation (`@ada,` `@ada.` `(@ada)`) is not part of the name.
"""

import re

from markdown_it import MarkdownIt

# The characters a username may hold (see app.accounts.rules.USERNAME_RE).
MENTION_RE = re.compile(r"(?<![\w.@/+-])@([A-Za-z0-9_-]{3,30})(?![A-Za-z0-9_-])")

# One post pings at most this many people, so a pasted member list cannot spam everyone.
MAX_MENTIONS = 20

_md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def mentioned_keys(body: str) -> list[str]:
    """The lower-cased usernames mentioned in `body`, first mention first, each once."""
    found: list[str] = []
    for match in MENTION_RE.finditer(prose(body)):
        key = match.group(1).lower()
        if key not in found:
            found.append(key)
            if len(found) == MAX_MENTIONS:
                break
    return found


def new_mentions(body: str, earlier_bodies: list[str]) -> list[str]:
    """Mentions in `body` that none of the earlier versions of the post made.

    An edit pings only the people it adds, and a name removed and put back does not
    ping twice.
    """
    before = {key for text in earlier_bodies for key in mentioned_keys(text)}
    return [key for key in mentioned_keys(body) if key not in before]


def prose(body: str) -> str:
    """The text of `body` outside code and quotes, one line per inline block.

    Inline markup (emphasis, links) becomes a space, so `**@ada**` still reads as a
    mention and two words never glue together.
    """
    lines: list[str] = []
    quote_depth = 0
    for token in _md.parse(body or ""):
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "inline" and not quote_depth:
            lines.append("".join(_inline_text(child) for child in token.children or []))
    return "\n".join(lines)


def _inline_text(token) -> str:
    if token.type == "text":
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return " "  # code spans, images and markup
