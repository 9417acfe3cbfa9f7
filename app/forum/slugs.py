"""URL slugs from titles. Pure: no Flask, no database."""

import re
import unicodedata

MAX_SLUG_LENGTH = 80
FALLBACK_SLUG = "thread"

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """An ASCII slug: 'Café & C++ tips!' -> 'cafe-c-tips'.

    Accents fold to their base letter; a long slug is cut at the last word boundary
    that fits, so it does not end half-way through a word (unless that boundary would
    throw away more than half of the room, as with one very long word). A title with nothing
    ASCII-representable (for example, all CJK) gets a fixed fallback, because the
    thread id alone identifies the page anyway.
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALNUM.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        boundary = slug.rfind("-", 0, max_length + 1)
        slug = slug[:boundary] if boundary > max_length // 2 else slug[:max_length]
        slug = slug.strip("-")
    return slug or FALLBACK_SLUG
