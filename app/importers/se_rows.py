"""Rows of a Stack Exchange data dump, read as plain values.

The dump is one XML file per table, each a flat list of `<row .../>` elements whose
attributes are the columns. `read_rows` streams them (iterparse, each element cleared
once read), so memory stays flat whatever the file's size; the `*_from` functions turn
one row's attributes into a small dataclass, or raise `BrokenRow` with the reason (a
missing attribute, a bad date, a bad number), which the importer counts and reports.

Pure: no Flask, no SQLAlchemy, no `app` imports.
"""

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

QUESTION, ANSWER, TAG_EXCERPT = 1, 2, 4
ACCEPTED, UPVOTE, DOWNVOTE, FAVOURITE = 1, 2, 3, 5
LINKED, DUPLICATE = 1, 3

# Site usernames: 3 to 30 of these characters (app.accounts.rules.USERNAME_RE).
USERNAME_MAX = 30
_NOT_USERNAME = re.compile(r"[^A-Za-z0-9_-]+")
_TAGS = re.compile(r"<([^<>]+)>")
# Letters that Unicode does not decompose into a base letter and a mark.
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "đ": "d", "Đ": "D",
                       "ł": "l", "Ł": "L", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d"})


class BrokenRow(ValueError):
    """A row the importer cannot use; the message is the reason the report counts."""


class XmlError(ValueError):
    """The file is not well-formed XML; the message says where it stopped."""


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """Yield the attributes of each `<row>` in `path`, clearing elements as it goes."""
    try:
        for _, element in ET.iterparse(path, events=("end",)):
            if element.tag == "row":
                yield dict(element.attrib)
                element.clear()
    except ET.ParseError as error:
        raise XmlError(f"{path.name}: {error}") from None


@dataclass(frozen=True)
class UserRow:
    id: int
    display_name: str
    created_at: datetime
    last_access_at: datetime | None
    about_html: str
    reputation: int


@dataclass(frozen=True)
class PostRow:
    id: int
    type: int
    created_at: datetime
    body_html: str
    score: int
    owner_id: int | None
    parent_id: int | None = None
    accepted_answer_id: int | None = None
    title: str = ""
    tags: tuple[str, ...] = ()
    view_count: int = 0
    last_activity_at: datetime | None = None
    last_edit_at: datetime | None = None
    last_editor_id: int | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class CommentRow:
    id: int
    post_id: int
    user_id: int | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class VoteRow:
    id: int
    post_id: int
    type: int
    created_at: datetime
    user_id: int | None


@dataclass(frozen=True)
class TagRow:
    id: int
    name: str
    excerpt_post_id: int | None


@dataclass(frozen=True)
class LinkRow:
    id: int
    post_id: int
    related_post_id: int
    type: int
    created_at: datetime


@dataclass(frozen=True)
class BadgeRow:
    id: int
    user_id: int
    name: str
    awarded_at: datetime


def user_from(row: dict[str, str]) -> UserRow:
    return UserRow(
        id=_int(row, "Id"),
        display_name=_text(row, "DisplayName").strip() or f"user{_int(row, 'Id')}",
        created_at=_date(row, "CreationDate"),
        last_access_at=_date(row, "LastAccessDate", required=False),
        about_html=row.get("AboutMe", ""),
        reputation=_int(row, "Reputation", default=1),
    )


def post_from(row: dict[str, str]) -> PostRow:
    kind = _int(row, "PostTypeId")
    return PostRow(
        id=_int(row, "Id"),
        type=kind,
        created_at=_date(row, "CreationDate"),
        body_html=_text(row, "Body") if kind in (QUESTION, ANSWER) else row.get("Body", ""),
        score=_int(row, "Score", default=0),
        owner_id=_int(row, "OwnerUserId", default=None),
        parent_id=_int(row, "ParentId") if kind == ANSWER else None,
        accepted_answer_id=_int(row, "AcceptedAnswerId", default=None),
        title=_text(row, "Title").strip() if kind == QUESTION else "",
        tags=parse_tags(row.get("Tags", "")),
        view_count=_int(row, "ViewCount", default=0),
        last_activity_at=_date(row, "LastActivityDate", required=False),
        last_edit_at=_date(row, "LastEditDate", required=False),
        last_editor_id=_int(row, "LastEditorUserId", default=None),
        closed_at=_date(row, "ClosedDate", required=False),
    )


def comment_from(row: dict[str, str]) -> CommentRow:
    return CommentRow(
        id=_int(row, "Id"),
        post_id=_int(row, "PostId"),
        user_id=_int(row, "UserId", default=None),
        text=_text(row, "Text"),
        created_at=_date(row, "CreationDate"),
    )


def vote_from(row: dict[str, str]) -> VoteRow:
    return VoteRow(
        id=_int(row, "Id"),
        post_id=_int(row, "PostId"),
        type=_int(row, "VoteTypeId"),
        created_at=_date(row, "CreationDate"),
        user_id=_int(row, "UserId", default=None),
    )


def tag_from(row: dict[str, str]) -> TagRow:
    return TagRow(
        id=_int(row, "Id"),
        name=_text(row, "TagName").strip().lower(),
        excerpt_post_id=_int(row, "ExcerptPostId", default=None),
    )


def link_from(row: dict[str, str]) -> LinkRow:
    return LinkRow(
        id=_int(row, "Id"),
        post_id=_int(row, "PostId"),
        related_post_id=_int(row, "RelatedPostId"),
        type=_int(row, "LinkTypeId"),
        created_at=_date(row, "CreationDate"),
    )


def badge_from(row: dict[str, str]) -> BadgeRow:
    return BadgeRow(
        id=_int(row, "Id"),
        user_id=_int(row, "UserId"),
        name=_text(row, "Name").strip(),
        awarded_at=_date(row, "Date"),
    )


def parse_tags(text: str) -> tuple[str, ...]:
    """`<neural-networks><definitions>` -> ('neural-networks', 'definitions'), lower-cased."""
    seen: dict[str, None] = {}
    for name in _TAGS.findall(text or ""):
        seen.setdefault(name.strip().lower(), None)
    return tuple(name for name in seen if name)


def username_base(display_name: str) -> str:
    """A site username from a display name: 'Bjørn-Roger Kringsjå' -> 'Bjorn-Roger_Kringsja'.

    Accents fold to their base letter, spaces become underscores and anything else the
    site does not allow goes; an empty or too short result becomes 'user'.
    """
    folded = unicodedata.normalize("NFKD", display_name.translate(_FOLD))
    ascii_name = folded.encode("ascii", "ignore").decode()
    name = _NOT_USERNAME.sub("_", ascii_name.strip().replace(" ", "_")).strip("_-")
    name = name[:USERNAME_MAX].rstrip("_-")
    return name if len(name) >= 3 else "user"


def username_candidates(display_name: str, source_id: int) -> list[str]:
    """Names to try in order: the display name's, the same with the source id after it
    (unique within one source), and a plain numbered one for when a name is reserved."""
    base = username_base(display_name)
    number = str(source_id) if source_id >= 0 else f"n{-source_id}"
    return [base, f"{base[: USERNAME_MAX - len(number) - 1]}-{number}", f"user-{number}"]


# -- internals ---------------------------------------------------------------------


def _text(row: dict[str, str], name: str) -> str:
    value = row.get(name)
    if value is None:
        raise BrokenRow(f"missing {name}")
    return value


_NO_DEFAULT = object()


def _int(row: dict[str, str], name: str, default=_NO_DEFAULT) -> int | None:
    value = row.get(name)
    if value is None or value == "":
        if default is _NO_DEFAULT:
            raise BrokenRow(f"missing {name}")
        return default
    try:
        return int(value)
    except ValueError:
        raise BrokenRow(f"bad number in {name}") from None


def _date(row: dict[str, str], name: str, *, required: bool = True) -> datetime | None:
    """SE dates are UTC without a zone: '2016-08-02T15:39:14.947'; stored naive UTC."""
    value = row.get(name)
    if not value:
        if required:
            raise BrokenRow(f"missing {name}")
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise BrokenRow(f"bad date in {name}") from None
