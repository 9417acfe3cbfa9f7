"""Import a Stack Exchange data dump: people, questions, answers, comments and tags, then
votes, favourites, links and badges (`se_extras`), each row keeping its id on the
original site (`source`, `source_id`) for attribution and re-runs.

The whole dump is one transaction, as the demo seed is: a run that fails half-way leaves
nothing behind, and running it again starts clean. Files are streamed once each, in the
order their references need (users, tags, posts, comments, votes, links, badges), and
written in batches through Core inserts; what is kept between files is id maps (a few
integers per row), never the rows themselves. A re-run finds what is already there by
original id and imports nothing twice.

Mappings, where the sites differ: a comment becomes a post in the same thread that
replies to the commented post (`reply_to_id`), never an answer; anonymous up and down
votes are already in each post's score, and pay their authors through one summarising
ledger row per person and reason; favourites become bookmarks.
"""

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

from sqlalchemy import bindparam, insert, select, update

from app.accounts import rules as account_rules
from app.accounts.models import User
from app.extensions import db
from app.forum.models import Category, Post, PostRevision, SearchDocument, Tag, Thread, thread_tags
from app.forum.search_index import document_values
from app.forum.slugs import slugify
from app.gamification.rules import RULES
from app.importers import se_rows
from app.importers.attribution import comment_source, source_for
from app.importers.report import FileReport, ImportReport
from app.importers.se_html import html_to_markdown
from app.importers.se_rows import ANSWER, QUESTION, TAG_EXCERPT, BrokenRow, XmlError
from app.insights.services import record_history
from app.web.markdown import render_markdown

DEFAULT_SITE_URL = "https://ai.stackexchange.com"
BATCH = 500
NO_PASSWORD = "!"  # matches no password: imported people cannot log in (werkzeug says no)
FORMER_MEMBER = 0  # SE ids start at 1 (-1 is Community): 0 stands for deleted owners
TITLE_MAX, TAG_MAX = 150, 35


class NotADump(Exception):
    """The folder lacks the files every dump has (Users.xml and Posts.xml)."""


@dataclass(frozen=True)
class PostRef:
    """What later files need to know about an imported post."""

    id: int
    thread_id: int
    author_id: int
    is_question: bool


def import_stackexchange(directory: Path, *, site_url: str = DEFAULT_SITE_URL,
                         limit: int | None = None,
                         progress: Callable[[str], None] = lambda line: None) -> ImportReport:
    """Import the dump in `directory` and commit; returns the per-file report.

    `limit` caps the questions (their answers, comments and votes follow them).
    `progress` is told one line per file as it finishes.
    """
    from app.importers import se_extras

    directory = Path(directory)
    missing = [name for name in ("Users.xml", "Posts.xml") if not (directory / name).is_file()]
    if missing:
        raise NotADump(f"{directory} is not a Stack Exchange dump: {', '.join(missing)} missing.")
    run = ImportRun(directory, source_for(site_url), limit, progress)
    started = time.perf_counter()
    run.step("Users", se_rows.user_from, run.import_users)
    run.step("Tags", se_rows.tag_from, run.import_tags)
    run.step("Posts", se_rows.post_from, run.import_posts)
    run.step("Comments", se_rows.comment_from, run.import_comments)
    run.step("Votes", se_rows.vote_from, lambda rows: se_extras.import_votes(run, rows))
    run.step("PostLinks", se_rows.link_from, lambda rows: se_extras.import_links(run, rows))
    run.step("Badges", se_rows.badge_from, lambda rows: se_extras.import_badges(run, rows))
    se_extras.finish(run)
    db.session.commit()
    run.report.seconds = time.perf_counter() - started
    return run.report


class ImportRun:
    """The state one import carries from file to file: id maps and what is still owed."""

    def __init__(self, directory: Path, source: str, limit: int | None,
                 progress: Callable[[str], None]) -> None:
        self.directory, self.source, self.limit, self.progress = directory, source, limit, progress
        self.report = ImportReport(source)
        self.file: FileReport = self.report.file("Users")
        self.users: dict[int, int] = dict(_existing(User, source))
        self.threads: dict[int, int] = dict(_existing(Thread, source))
        self.posts: dict[int, PostRef] = self._existing_posts()
        self.new_posts: set[int] = set()  # SE ids imported by this run (their votes count)
        self.not_imported: set[int] = set()  # SE posts left out on purpose (limit, wikis)
        self.accepted: dict[int, int] = {}  # SE answer id -> SE question id, new questions
        self.accepts_unrecorded: dict[int, tuple[PostRef, int, datetime]] = {}  # -> asker
        self.points: dict[tuple[int, str], list] = defaultdict(lambda: [0, datetime.min])
        self.tag_excerpts: dict[int, str] = {}
        self.questions_seen = 0
        self._category_id: int | None = None
        self._former_member: int | None = self.users.get(FORMER_MEMBER)

    def step(self, name: str, parse: Callable[[dict], object],
             handle: Callable[[Iterator], None]) -> None:
        """Stream `name`.xml through `parse` into `handle`, counting rows and timing it."""
        self.file = self.report.file(name)
        path = self.directory / f"{name}.xml"
        if not path.is_file():
            self.file.missing = True
            self.progress(self.file.progress_line())
            return
        started = time.perf_counter()
        try:
            handle(self._parsed(se_rows.read_rows(path), parse))
        except XmlError as error:
            self.file.break_(f"unreadable XML, the rest of the file was left ({error})")
        db.session.flush()
        self.file.seconds = time.perf_counter() - started
        self.progress(self.file.progress_line())

    def _parsed(self, rows: Iterable[dict], parse) -> Iterator:
        for attributes in rows:
            self.file.rows += 1
            try:
                yield parse(attributes)
            except BrokenRow as error:
                self.file.break_(str(error))

    def owe(self, user_id: int, reason: str, points: int, at: datetime) -> None:
        """Add to the summary ledger row `finish` writes for this person and reason."""
        owed = self.points[(user_id, reason)]
        owed[0] += points
        owed[1] = max(owed[1], at)

    # -- Users -------------------------------------------------------------------

    def import_users(self, rows: Iterator[se_rows.UserRow]) -> None:
        for batch in batches(rows):
            self.file.imported += self._insert_users(self._split_existing(batch, self.users))

    def _insert_users(self, fresh: list[se_rows.UserRow]) -> int:
        if not fresh:
            return 0
        names = self._usernames(fresh)
        values = []
        for row in fresh:
            bio = html_to_markdown(row.about_html)
            values.append({
                "username": names[row.id], "username_key": names[row.id].lower(),
                "email": _placeholder_email(self.source, row.id), "password_hash": NO_PASSWORD,
                "display_name": row.display_name[:60], "bio": bio,
                "bio_html": render_markdown(bio) if bio else "",
                "created_at": row.created_at, "last_seen_at": row.last_access_at,
                "source": self.source, "source_id": row.id,
            })
        self.users.update(_insert_returning(User, values))
        record_history({"type": "register", "user_id": self.users[row.id],
                        "created_at": row.created_at} for row in fresh)
        return len(values)

    def _usernames(self, rows: list[se_rows.UserRow]) -> dict[int, str]:
        """A valid username per row: the display name's when free, else a numbered one."""
        options = {row.id: se_rows.username_candidates(row.display_name, row.id) for row in rows}
        keys = {name.lower() for names in options.values() for name in names}
        taken = set(db.session.scalars(select(User.username_key).where(User.username_key.in_(keys))))
        chosen = {}
        for source_id, names in options.items():
            name = next(n for n in names if n.lower() not in taken
                        and account_rules.username_error(n) is None)
            taken.add(name.lower())
            chosen[source_id] = name
        return chosen

    def author(self, se_user_id: int | None) -> int:
        """Our user for an SE owner; deleted owners share one 'Former member' account."""
        user_id = self.users.get(se_user_id) if se_user_id is not None else None
        if user_id is not None:
            return user_id
        if self._former_member is None:
            start = datetime(2008, 1, 1)
            self._insert_users([se_rows.UserRow(FORMER_MEMBER, "Former member", start, None, "", 1)])
            self._former_member = self.users[FORMER_MEMBER]
        return self._former_member

    # -- Tags --------------------------------------------------------------------

    def import_tags(self, rows: Iterator[se_rows.TagRow]) -> None:
        for batch in batches(rows):
            named = []
            for row in batch:
                if len(row.name) > TAG_MAX:
                    self.file.break_(f"tag name longer than {TAG_MAX} characters")
                    continue
                named.append(row)
                if row.excerpt_post_id is not None:
                    self.tag_excerpts[row.excerpt_post_id] = row.name
            created = self._create_tags({row.name for row in named})
            self.file.imported += len(created)
            self.file.existing += len(named) - len(created)

    def _create_tags(self, names: set[str]) -> set[str]:
        """Create the tags of `names` that do not exist yet; returns those created."""
        there = set(db.session.scalars(select(Tag.name).where(Tag.name.in_(names))))
        missing = sorted(names - there)
        if missing:
            db.session.execute(insert(Tag), [{"name": name, "description": ""} for name in missing])
        return set(missing)

    # -- Posts -------------------------------------------------------------------

    def import_posts(self, rows: Iterator[se_rows.PostRow]) -> None:
        for batch in batches(rows):
            # Questions first: an answer's question may be in the same batch.
            questions = [row for row in batch if row.type != ANSWER and self._is_wanted(row)]
            self._insert_questions(self._split_existing(questions, self.posts))
            answers = [row for row in batch if row.type == ANSWER and self._is_wanted(row)]
            self._insert_answers(self._split_existing(answers, self.posts))

    def _is_wanted(self, row: se_rows.PostRow) -> bool:
        """Questions up to the limit and answers to imported questions; tag excerpts give
        their tag a description; anything else is counted and left."""
        if row.type == TAG_EXCERPT and row.id in self.tag_excerpts:
            self._describe_tag(self.tag_excerpts[row.id], row.body_html)
        if row.type not in (QUESTION, ANSWER):
            self.not_imported.add(row.id)
            self.file.skip("tag wikis and other posts that are not questions or answers")
            return False
        if row.type == QUESTION:
            self.questions_seen += 1
            if self.limit is not None and self.questions_seen > self.limit:
                self.not_imported.add(row.id)
                self.file.skip("questions beyond --limit")
                return False
            if not row.title:
                self.file.break_("question without a title")
                return False
            return True
        if row.parent_id in self.threads:
            return True
        if row.parent_id in self.not_imported:
            self.not_imported.add(row.id)
            self.file.skip("answers to questions not imported (--limit)")
        else:
            self.file.break_("answer to a missing question")
        return False

    def _describe_tag(self, name: str, body_html: str) -> None:
        tag = db.session.scalars(select(Tag).where(Tag.name == name)).first()
        if tag is not None and not tag.description:
            tag.description = " ".join(html_to_markdown(body_html).split())

    def _insert_questions(self, rows: list[se_rows.PostRow]) -> None:
        if not rows:
            return
        self._create_tags({tag for row in rows for tag in row.tags if len(tag) <= TAG_MAX})
        authors = {row.id: self.author(row.owner_id) for row in rows}
        thread_ids = _insert_returning(Thread, [{
            "kind": "question", "title": row.title[:TITLE_MAX], "slug": slugify(row.title),
            "category_id": self.category_id(), "author_id": authors[row.id],
            "score": row.score, "view_count": row.view_count, "created_at": row.created_at,
            "last_activity_at": row.last_activity_at or row.created_at,
            "last_activity_by_id": authors[row.id], "closed_at": row.closed_at,
            "source": self.source, "source_id": row.id,
        } for row in rows])
        self.threads.update(thread_ids)
        self._tag_threads(rows)
        for row in rows:
            if row.accepted_answer_id is not None:
                self.accepted[row.accepted_answer_id] = row.id
        self._insert_posts(rows, {row.id: thread_ids[row.id] for row in rows}, authors)
        record_history({
            "type": "ask", "user_id": authors[row.id], "subject_type": "thread",
            "subject_id": thread_ids[row.id], "data": {"kind": "question"},
            "created_at": row.created_at,
        } for row in rows)

    def _tag_threads(self, rows: list[se_rows.PostRow]) -> None:
        names = {tag for row in rows for tag in row.tags}
        tag_ids = dict(db.session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(names))).all())
        links = [{"thread_id": self.threads[row.id], "tag_id": tag_ids[name]}
                 for row in rows for name in row.tags if name in tag_ids]
        if links:
            db.session.execute(insert(thread_tags), links)

    def _insert_answers(self, rows: list[se_rows.PostRow]) -> None:
        if not rows:
            return
        authors = {row.id: self.author(row.owner_id) for row in rows}
        self._insert_posts(rows, {row.id: self.threads[row.parent_id] for row in rows}, authors)
        marks = []
        for row in rows:
            if self.accepted.get(row.id) == row.parent_id:
                answer, asker = self.posts[row.id], self.posts[row.parent_id].author_id
                marks.append({"thread": answer.thread_id, "post": answer.id})
                self._owe_accept(answer, asker, row.created_at)
                self.accepts_unrecorded[row.id] = (answer, asker, row.created_at)
        if marks:
            table = Thread.__table__
            db.session.execute(
                update(table).where(table.c.id == bindparam("thread"))
                .values(accepted_post_id=bindparam("post")), marks,
            )
        record_history({
            "type": "answer", "user_id": authors[row.id], "subject_type": "post",
            "subject_id": self.posts[row.id].id,
            "data": {"thread_id": self.posts[row.id].thread_id, "reply_to": None},
            "created_at": row.created_at,
        } for row in rows)

    def _owe_accept(self, answer: PostRef, asker_id: int, at: datetime) -> None:
        if answer.author_id == asker_id:
            return  # nothing for accepting your own answer, as on the site
        self.owe(answer.author_id, "answer_accepted", RULES["answer_accepted"].points, at)
        self.owe(asker_id, "accepted_answer", RULES["accepted_answer"].points, at)

    def _insert_posts(self, rows: list[se_rows.PostRow], thread_of: dict[int, int],
                      authors: dict[int, int]) -> None:
        """Opening posts and answers, with revision 1 and their search documents."""
        values = []
        for row in rows:
            body = html_to_markdown(row.body_html)
            values.append({
                "thread_id": thread_of[row.id], "author_id": authors[row.id],
                "is_first": row.type == QUESTION, "body": body, "body_html": render_markdown(body),
                "score": row.score, "created_at": row.created_at, "edited_at": row.last_edit_at,
                "edited_by_id": (self.author(row.last_editor_id) if row.last_edit_at else None),
                "source": self.source, "source_id": row.id,
            })
        post_ids = _insert_returning(Post, values)
        for row in rows:
            self.posts[row.id] = PostRef(post_ids[row.id], thread_of[row.id], authors[row.id],
                                         row.type == QUESTION)
            self.new_posts.add(row.id)
        titles = {row.id: row.title[:TITLE_MAX] for row in rows if row.type == QUESTION}
        tags = {row.id: " ".join(sorted(row.tags)) for row in rows if row.type == QUESTION}
        self._add_revisions_and_documents([
            (post_ids[row.id], v, titles.get(row.id), tags.get(row.id))
            for row, v in zip(rows, values, strict=True)
        ])
        self.file.imported += len(values)

    def _add_revisions_and_documents(self, posts: list[tuple[int, dict, str | None, str | None]]
                                     ) -> None:
        db.session.execute(insert(PostRevision), [{
            "post_id": post_id, "number": 1, "editor_id": v["author_id"], "title": title,
            "tags": tags, "body": v["body"], "created_at": v["created_at"],
        } for post_id, v, title, tags in posts])
        db.session.execute(insert(SearchDocument), [{
            "post_id": post_id, "thread_id": v["thread_id"], **document_values(title or "", v["body"]),
        } for post_id, v, title, _ in posts])

    def category_id(self) -> int:
        """The category imported questions go in: one per source, made on first use."""
        if self._category_id is None:
            slug = slugify(self.source, max_length=60)
            category = db.session.scalars(select(Category).where(Category.slug == slug)).first()
            if category is None:
                category = Category(
                    name=f"{self.source.split('.')[0].upper()} Stack Exchange"[:60], slug=slug,
                    description=f"Questions and answers imported from {self.source}, "
                                "with their authors credited (CC BY-SA).",
                )
                db.session.add(category)
                db.session.flush()
            self._category_id = category.id
        return self._category_id

    # -- Comments ----------------------------------------------------------------

    def import_comments(self, rows: Iterator[se_rows.CommentRow]) -> None:
        source = comment_source(self.source)
        known = dict(_existing(Post, source))
        for batch in batches(rows):
            fresh = []
            for row in batch:
                if row.id in known:
                    self.file.existing += 1
                elif row.post_id in self.posts:
                    fresh.append(row)
                elif row.post_id in self.not_imported:
                    self.file.skip("comments on posts not imported")
                else:
                    self.file.break_("comment on a missing post")
            self._insert_comments(fresh, source)

    def _insert_comments(self, rows: list[se_rows.CommentRow], source: str) -> None:
        if not rows:
            return
        values = [{
            "thread_id": self.posts[row.post_id].thread_id, "author_id": self.author(row.user_id),
            "reply_to_id": self.posts[row.post_id].id, "is_first": False, "body": row.text,
            "body_html": render_markdown(row.text), "score": 0, "created_at": row.created_at,
            "source": source, "source_id": row.id,
        } for row in rows]
        ids = _insert_returning(Post, values)
        self._add_revisions_and_documents([(ids[row.id], v, None, None)
                                           for row, v in zip(rows, values, strict=True)])
        record_history({
            "type": "reply", "user_id": v["author_id"], "subject_type": "post",
            "subject_id": ids[row.id], "created_at": row.created_at,
            "data": {"thread_id": v["thread_id"], "reply_to": v["reply_to_id"]},
        } for row, v in zip(rows, values, strict=True))
        self.file.imported += len(values)

    # -- internals ---------------------------------------------------------------

    def _split_existing(self, rows: list, known: dict) -> list:
        """The rows not imported before; counts the others as already there."""
        fresh = [row for row in rows if row.id not in known]
        self.file.existing += len(rows) - len(fresh)
        return fresh

    def _existing_posts(self) -> dict[int, PostRef]:
        rows = db.session.execute(
            select(Post.source_id, Post.id, Post.thread_id, Post.author_id, Post.is_first)
            .where(Post.source == self.source)
        )
        return {source_id: PostRef(*rest) for source_id, *rest in rows}


def _existing(model, source: str) -> list[tuple[int, int]]:
    """(source_id, id) of the rows of `model` already imported from `source`."""
    return db.session.execute(
        select(model.source_id, model.id).where(model.source == source)
    ).all()


def _insert_returning(model, values: list[dict]) -> dict[int, int]:
    """Insert `values` (one executemany) and map each row's source_id to its new id."""
    if not values:
        return {}
    table = model.__table__
    rows = db.session.execute(insert(table).returning(table.c.source_id, table.c.id), values)
    return dict(rows.all())


def batches(rows: Iterator, size: int = BATCH) -> Iterator[list]:
    return iter(lambda: list(islice(rows, size)), [])


def _placeholder_email(source: str, source_id: int) -> str:
    """A unique address that can never receive mail (.invalid is reserved by RFC 2606)."""
    number = str(source_id) if source_id >= 0 else f"n{-source_id}"
    return f"{number}@{source}.imported.invalid"
