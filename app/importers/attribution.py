"""Where an imported post came from, in the words and link its licence asks for.

Stack Exchange content is CC BY-SA 3.0: each imported post names its author and links
the original (https://<site>/q/<id> for a question, /a/<id> for an answer). A row stores
only `source` ("ai.stackexchange") and `source_id`; this module rebuilds the rest, so
the page needs no extra query.

Pure: no Flask, no SQLAlchemy, no `app` imports.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

LICENCE = "CC BY-SA 3.0"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/3.0/"
COMMENT_SUFFIX = "/comment"  # comments share the post table but not the id sequence
# `source` drops a host's ".com" ("ai.stackexchange"); hosts ending otherwise keep it whole.
_OTHER_ENDINGS = frozenset({"net", "org", "io", "dev", "co", "uk", "de", "fr", "ru", "br", "ja"})


@dataclass(frozen=True)
class Attribution:
    verb: str  # "asked", "answered", "commented"
    site: str  # "ai.stackexchange.com"
    url: str
    licence: str = LICENCE
    licence_url: str = LICENCE_URL


def source_for(site_url: str) -> str:
    """'https://ai.stackexchange.com' -> 'ai.stackexchange' (the host, without '.com')."""
    host = (urlsplit(site_url).hostname or site_url).lower().removeprefix("www.")
    return host.removesuffix(".com")


def comment_source(source: str) -> str:
    return source + COMMENT_SUFFIX


def site_of(source: str) -> str:
    """The host a `source` names: 'ai.stackexchange' -> 'ai.stackexchange.com'."""
    site = source.removesuffix(COMMENT_SUFFIX)
    return site if site.rsplit(".", 1)[-1] in _OTHER_ENDINGS else f"{site}.com"


def attribution(source: str | None, source_id: int | None, *, is_first: bool) -> Attribution | None:
    """The credit line's parts for an imported post (None for one written here)."""
    if not source or source_id is None:
        return None
    site = site_of(source)
    if source.endswith(COMMENT_SUFFIX):
        return Attribution("commented", site, f"https://{site}/posts/comments/{source_id}")
    if is_first:
        return Attribution("asked", site, f"https://{site}/q/{source_id}")
    return Attribution("answered", site, f"https://{site}/a/{source_id}")


def post_attribution(post) -> Attribution | None:
    """The credit line of a post (any object with `source`, `source_id`, `is_first`)."""
    return attribution(post.source, post.source_id, is_first=post.is_first)
