"""The meaning checks of posting: title, body and tags. Pure: no Flask, no database.

Limits come in as arguments (the services read them from config), and every failure is
a `ValidationError` naming the form field, so the page can show it next to the text.
"""

import re

from app.forum.errors import ValidationError

MIN_TITLE_LENGTH = 15
MIN_BODY_LENGTH = 20
MAX_TAGS = 5
MAX_TAG_LENGTH = 35
MAX_REASON_LENGTH = 200

_TAG = re.compile(rf"[a-z0-9+#.-]{{1,{MAX_TAG_LENGTH}}}")
_TAG_SEPARATORS = re.compile(r"[\s,]+")
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)


def clean_title(title: str | None, *, max_length: int) -> str:
    """Trim and collapse inner whitespace, then check 15..max_length characters."""
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("title", "Add a title that sums up your post.")
    if len(title) < MIN_TITLE_LENGTH:
        raise ValidationError(
            "title",
            f"Make the title at least {MIN_TITLE_LENGTH} characters "
            f"(it has {len(title)}); say what you are asking about.",
        )
    if len(title) > max_length:
        raise ValidationError(
            "title", f"Keep the title to {max_length} characters (it has {len(title)})."
        )
    return title


def clean_body(body: str | None, *, max_length: int) -> str:
    """Normalise line endings and trailing blank space, then check the length.

    Leading spaces are kept: a post may open with an indented code block.
    """
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()
    length = len(body.strip())
    if not length:
        raise ValidationError("body", "Write something in the body.")
    if length < MIN_BODY_LENGTH:
        raise ValidationError(
            "body", f"Write at least {MIN_BODY_LENGTH} characters (you have {length})."
        )
    if len(body) > max_length:
        raise ValidationError(
            "body", f"Keep it to {max_length:,} characters (you have {len(body):,})."
        )
    return body


def parse_tags(text: str | None, *, required: bool) -> list[str]:
    """'Python, Flask  sql' -> ['python', 'flask', 'sql']: lower-cased, deduplicated, in order.

    Questions need at least one tag (`required`) so they can be found by topic;
    discussions may have none. Nobody gets more than five.
    """
    names: list[str] = []
    for raw in _TAG_SEPARATORS.split((text or "").strip().lower()):
        if raw and raw not in names:
            names.append(raw)
    for name in names:
        if not _TAG.fullmatch(name):
            raise ValidationError(
                "tags",
                f"“{name}” is not a valid tag: use 1-{MAX_TAG_LENGTH} letters, digits "
                "or the characters + # . -",
            )
    if required and not names:
        raise ValidationError("tags", "Add at least one tag, for example: python.")
    if len(names) > MAX_TAGS:
        raise ValidationError("tags", f"Use at most {MAX_TAGS} tags (you gave {len(names)}).")
    return names


def clean_reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            "reason", f"Keep the edit reason to {MAX_REASON_LENGTH} characters."
        )
    return reason


def find_links(body: str) -> list[str]:
    """The web addresses a post holds (Markdown links, autolinks and bare URLs), in order."""
    return _LINK.findall(body or "")


def count_links(body: str) -> int:
    return len(find_links(body))


def first_day_error(*, starting_thread: bool, threads: int, posts: int,
                    max_threads: int, max_posts: int) -> str | None:
    """Why a brand-new account may not post this, or None. `threads` and `posts` are what
    it has written so far (deleted ones too, so deleting does not buy more); opening
    posts count as posts."""
    if posts >= max_posts:
        return (f"New accounts can write {max_posts} posts in their first day, and you have; "
                "you can post again tomorrow. Your text is kept below.")
    if starting_thread and threads >= max_threads:
        return (f"New accounts can start {max_threads} threads in their first day, and you "
                "have; you can start another tomorrow, or answer in an existing one. Your "
                "text is kept below.")
    return None
