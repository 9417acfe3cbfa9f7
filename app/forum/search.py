"""Full-text search over posts: the one `search()` behind the search page.

SQLite ranks with FTS5's bm25 (title weighted above body) and cuts snippets with
snippet(); PostgreSQL uses websearch_to_tsquery, ts_rank_cd over the weighted vector and
ts_headline. Both databases mark matches with control-character sentinels, never HTML:
the text is escaped first and only then are the sentinels turned into <mark>, so nothing
a poster wrote can become markup.
"""

import re
from dataclasses import dataclass, field

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Integer, column, func, literal_column, select, table
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.forum.listing import KINDS, answered_clause, member_only_teasers, visible_to
from app.forum.models import Category, Post, SearchDocument, Tag, Thread
from app.insights.services import record
from app.web.pagination import Page, capped_count

START, STOP = "\x02", "\x03"
MAX_QUERY = 200
MAX_TERMS = 12
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
TEASERS_SHOWN = 5

_TERM = re.compile(r"[^\W_]+")
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
_SENTINELS = re.compile(f"[{START}{STOP}]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_fts = table("search_fts", column("rowid", Integer))
_FTS = literal_column("search_fts")
_VECTOR = literal_column("search_document.search_vector")
_ENGLISH = literal_column("'english'::regconfig")
_PG_TITLE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
_PG_SNIPPET = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class SearchHit:
    thread: Thread
    post_id: int
    is_first: bool
    title: Markup
    snippet: Markup
    rank: float


@dataclass(frozen=True)
class SearchResults:
    query: str
    page: Page
    message: str | None = None
    # Member-only threads whose title matches, for a non-member: titles, never bodies.
    teasers: list[Thread] = field(default_factory=list)

    @property
    def hits(self) -> list[SearchHit]:
        return self.page.items

    @property
    def total(self) -> int:
        return self.page.total


@dataclass(frozen=True)
class _Dialect:
    """The dialect-specific parts of one search: where to look, how to match and rank."""

    source: object
    match: ColumnElement[bool]
    rank: ColumnElement[float]
    title: ColumnElement[str]
    snippet: ColumnElement[str]
    # SQLite's bm25 works only inside its own full-text query; PostgreSQL ranks any row's
    # vector, so the matches already found are ranked as they are, not matched again.
    ranks_in_match: bool


def search(
    query: str,
    *,
    viewer,
    tag: str | None = None,
    category: str | None = None,
    kind: str | None = None,
    answered: bool | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchResults:
    """Posts matching `query` that the viewer may see, best first, one page of them.

    Every non-empty query is logged as a `search` event with its result count (also for
    anonymous visitors), which is how zero-result searches get noticed. Filters narrow by
    the thread: tag name, category slug, kind, answered or not.

    A non-member also gets the member-only threads whose *title* matches, as teasers:
    their bodies are never searched for them, so a search cannot reveal what they say.
    """
    query = _CONTROL.sub(" ", query or "").strip()[:MAX_QUERY]
    terms = _TERM.findall(query)[:MAX_TERMS]
    if not terms:
        _log(query, viewer, 0)
        return SearchResults(query, Page([], page, per_page, 0), _empty_message(query))
    conditions = _conditions(tag=tag, category=category, kind=kind, answered=answered)
    matching, parts = _matching(query, terms, viewer, conditions)
    cap = current_app.config["SEARCH_COUNT_CAP"]
    ranked, total, capped = _rank(matching, parts, cap, page=page, per_page=per_page)
    # Logged (and committed) before the rows load: a commit expires what it leaves in
    # the session, and the page would then reload every thread and its tags one by one.
    _log(query, viewer, total)
    found = Page(items=_hits(matching, parts, ranked), page=page, per_page=per_page,
                 total=total, capped=capped)
    teasers = _teasers(query, terms, viewer, conditions) if page == 1 else []
    return SearchResults(query, found, teasers=teasers)


def _log(query: str, viewer, total: int) -> None:
    if query:
        record("search", user=viewer, data={"q": query, "results": total})
        db.session.commit()


def _empty_message(query: str) -> str:
    if not query:
        return "Type a few words to search questions and discussions."
    return "Search for words: punctuation on its own does not match anything."


def _conditions(*, tag, category, kind, answered) -> list[ColumnElement[bool]]:
    conditions = [answered_clause(answered)]
    if tag:
        conditions.append(Thread.tags.any(Tag.name == tag))
    if category:
        conditions.append(Thread.category.has(Category.slug == category))
    if kind in KINDS:
        conditions.append(Thread.kind == kind)
    return conditions


def _matching(query, terms, viewer, conditions):
    """(a function narrowing a select to the matching visible posts, the dialect's parts)."""
    parts = _sqlite(terms) if _dialect_name() == "sqlite" else _postgres(query)
    where = [parts.match, visible_to(viewer), Post.deleted_at.is_(None), *conditions]

    def matching(stmt):
        return (
            stmt.select_from(parts.source)
            .join(Post, Post.id == SearchDocument.post_id)
            .join(Thread, Thread.id == SearchDocument.thread_id)
            .where(*where)
        )

    return matching, parts


def _rank(matching, parts, cap: int, *, page: int, per_page: int):
    """(the page's post ids with their relevance, matches counted up to `cap`, capped).

    One statement counts and ranks. Ranking reads each match's vector, and a common word
    on a large site has tens of thousands of matches, so only the newest `cap` are
    ranked; one more is read to tell "1,000" from "1,000+". Both steps are materialised.
    SQLite may call bm25 only inside its own full-text query, so there the ranking step
    runs the match again; PostgreSQL ranks the newest matches' vectors by their ids. A
    page past the last has no rows to carry the count, so it is counted on its own.
    """
    newest = (matching(select(SearchDocument.post_id))
              .order_by(SearchDocument.post_id.desc()).limit(cap + 1)
              .cte("newest").prefix_with("MATERIALIZED"))
    ranked_ids = select(newest.c.post_id).order_by(newest.c.post_id.desc()).limit(cap)
    scored = select(SearchDocument.post_id, parts.rank.label("relevance"))
    if parts.ranks_in_match:
        scored = matching(scored)
    scored = (scored.where(SearchDocument.post_id.in_(ranked_ids.scalar_subquery()))
              .cte("scored").prefix_with("MATERIALIZED"))
    counted = select(func.count()).select_from(newest).scalar_subquery()
    rows = db.session.execute(
        select(scored.c.post_id, scored.c.relevance, counted.label("matches"))
        .order_by(scored.c.relevance.desc(), scored.c.post_id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if not rows:
        total, capped = (0, False) if page == 1 else capped_count(
            matching(select(SearchDocument.post_id)), cap)
        return [], total, capped
    matches = rows[0].matches
    return [(row.post_id, float(row.relevance)) for row in rows], min(matches, cap), matches > cap


def _hits(matching, parts, ranked: list[tuple[int, float]]) -> list[SearchHit]:
    """The ranked posts with their threads and marked-up title and snippet, in rank order."""
    if not ranked:
        return []
    rows = db.session.execute(
        matching(select(Thread, SearchDocument.post_id, Post.is_first,
                        parts.title.label("title_marked"), parts.snippet.label("snippet_marked")))
        .where(SearchDocument.post_id.in_([post_id for post_id, _ in ranked]))
        .options(selectinload(Thread.tags), selectinload(Thread.category))
    )
    found = {row.post_id: row for row in rows}
    return [
        SearchHit(
            thread=row.Thread,
            post_id=post_id,
            is_first=row.is_first,
            title=mark(row.title_marked) if row.title_marked else escape(row.Thread.title),
            snippet=mark(row.snippet_marked or ""),
            rank=rank,
        )
        for post_id, rank in ranked
        if (row := found.get(post_id)) is not None
    ]


def _teasers(query, terms, viewer, conditions) -> list[Thread]:
    """Member-only threads the viewer may not read whose title matches every term."""
    if _dialect_name() == "sqlite":
        title_match = Thread.id.in_(
            select(SearchDocument.thread_id)
            .join(Post, Post.id == SearchDocument.post_id)
            .where(Post.is_first, SearchDocument.post_id.in_(select(_fts.c.rowid).where(
                _FTS.op("MATCH")(f"title : ({fts5_query(terms)})")))))
    else:
        # The thread's own title (its opening post's document has the same): matched on
        # the few member-only threads rather than looked up among every title.
        title_match = func.to_tsvector(_ENGLISH, Thread.title).op("@@")(
            func.websearch_to_tsquery(_ENGLISH, query))
    return member_only_teasers(viewer, title_match, *conditions, limit=TEASERS_SHOWN)


def _dialect_name() -> str:
    return db.session.get_bind().dialect.name


def fts5_query(terms: list[str]) -> str:
    """Every term as a quoted FTS5 string, ANDed: user input is never FTS5 syntax.

    Terms hold only letters and digits, so there is no quote inside to escape.
    """
    return " ".join(f'"{term}"' for term in terms)


def _sqlite(terms: list[str]) -> _Dialect:
    return _Dialect(
        source=_fts.join(SearchDocument, SearchDocument.post_id == _fts.c.rowid),
        match=_FTS.op("MATCH")(fts5_query(terms)),
        # bm25 is lower-is-better; negate so both databases rank higher-is-better.
        rank=-func.bm25(_FTS, TITLE_WEIGHT, BODY_WEIGHT),
        title=func.highlight(_FTS, 0, START, STOP),
        snippet=func.snippet(_FTS, 1, START, STOP, " … ", 32),
        ranks_in_match=True,
    )


def _postgres(query: str) -> _Dialect:
    tsquery = func.websearch_to_tsquery(_ENGLISH, query)
    return _Dialect(
        source=SearchDocument.__table__,
        match=_VECTOR.op("@@")(tsquery),
        rank=func.ts_rank_cd(_VECTOR, tsquery),
        title=func.ts_headline(_ENGLISH, SearchDocument.title, tsquery, _PG_TITLE),
        snippet=func.ts_headline(_ENGLISH, SearchDocument.body_text, tsquery, _PG_SNIPPET),
        ranks_in_match=False,
    )


def mark(text: str) -> Markup:
    """Escape database text, then turn sentinel pairs into <mark>; stray sentinels go."""
    escaped = str(escape(text))
    return Markup(_SENTINELS.sub("", _MARKED.sub(r"<mark>\1</mark>", escaped)))
