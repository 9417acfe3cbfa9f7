"""The spam check's rules: pure, so each is tested on plain values without an app.

A post that trips one is saved but held for a moderator (see `spam_check`). The rules
aim at what spam looks like here: a wall of links, the same text pasted again and
again, and a new account spreading one link over several threads. They return the
first rule that fires, so the queue can say why a post waits.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from app.forum.validation import find_links

MAX_LINKS = 5                     # more links than this in one post is held
REPEATS_HELD = 2                  # earlier copies in the window that hold the next one
LINK_SPREAD_THREADS = 3           # threads one link may reach before a new account is held
WINDOW = timedelta(days=1)        # how far back repeats and spread are counted
NEW_ACCOUNT_AGE = timedelta(days=7)
NEW_ACCOUNT_LEVEL = 1

RULES: dict[str, str] = {
    "links": f"More than {MAX_LINKS} links in one post",
    "repeated": "The same text posted repeatedly",
    "link_spread": f"A new account posting the same link in {LINK_SPREAD_THREADS} or more threads",
    "first_posts": "A new member's first post (the site reviews those first)",
}

_NOT_WORD = re.compile(r"[\W_]+")
_SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?")


@dataclass(frozen=True)
class RecentPost:
    """One of the author's posts from the window, as the rules read it."""

    thread_id: int
    body: str


@dataclass(frozen=True)
class Draft:
    """The post being saved; `thread_id` None when it opens a new thread."""

    body: str
    thread_id: int | None


def is_new_account(*, level: int, age: timedelta) -> bool:
    """Level 1, or younger than a week: too new to have earned the benefit of the doubt."""
    return level <= NEW_ACCOUNT_LEVEL or age < NEW_ACCOUNT_AGE


def normalise_body(body: str) -> str:
    """Case, punctuation and spacing aside, is this the same text? 'Buy NOW!!' == 'buy now'."""
    return " ".join(_NOT_WORD.sub(" ", (body or "").casefold()).split())


def normalise_link(link: str) -> str:
    """One address however it is written: no scheme, no www., no trailing punctuation
    or slash, lower case."""
    return _SCHEME.sub("", link.casefold()).rstrip(".,;:!?'\"/")


def too_many_links(body: str) -> bool:
    return len(find_links(body)) > MAX_LINKS


def is_repeated(body: str, recent: Iterable[RecentPost]) -> bool:
    """The same normalised text already posted `REPEATS_HELD` times in the window: the
    third copy waits (a second one may be an honest cross-post)."""
    text = normalise_body(body)
    return bool(text) and sum(normalise_body(p.body) == text for p in recent) >= REPEATS_HELD


def spreads_a_link(draft: Draft, recent: Iterable[RecentPost]) -> bool:
    """Some link of the draft would now stand in `LINK_SPREAD_THREADS` or more distinct
    threads (the draft's own thread counts; a new thread is one more)."""
    links = {normalise_link(link) for link in find_links(draft.body)}
    if not links:
        return False
    threads: dict[str, set] = {link: set() for link in links}
    for post in recent:
        for link in {normalise_link(found) for found in find_links(post.body)} & links:
            threads[link].add(post.thread_id)
    here = draft.thread_id if draft.thread_id is not None else object()
    return any(len(found | {here}) >= LINK_SPREAD_THREADS for found in threads.values())


def rule_fired(draft: Draft, recent: list[RecentPost], *, new_account: bool,
               review_first_posts: bool = False, has_published: bool = True) -> str | None:
    """The slug of the first rule (of `RULES`) the draft trips, or None to publish it.

    `recent` holds the author's other posts from the window. `review_first_posts` (a
    site setting) holds a new account's posts until one of them is published.
    """
    if too_many_links(draft.body):
        return "links"
    if is_repeated(draft.body, recent):
        return "repeated"
    if new_account and spreads_a_link(draft, recent):
        return "link_spread"
    if review_first_posts and new_account and not has_published:
        return "first_posts"
    return None
