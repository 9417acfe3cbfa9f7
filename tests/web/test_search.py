"""Full-text search: ranking, safe highlighting, safe query syntax, filters, visibility,
the event log, and the results page. Runs on SQLite (FTS5) and PostgreSQL (tsvector)."""

import re

import pytest
from flask import url_for

from app.accounts.models import Role
from app.extensions import db
from app.forum.models import ThreadKind
from app.forum.search import fts5_query, mark, search
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def found(results) -> list[str]:
    return [hit.thread.title for hit in results.hits]


def search_events() -> list[Event]:
    return list(db.session.scalars(db.select(Event).filter_by(type="search").order_by(Event.id)))


@pytest.fixture
def author(app):
    return make_user()


def test_finds_posts_by_title_and_body_with_stemming(author):
    make_thread(author=author, title="Reading CSV files", body="Use the csv module.")
    other = make_thread(author=author, title="Unrelated", body="Nothing here about it.")
    answer = make_post(thread=other, author=author, body="You could read it with pandas.")

    results = search("read", viewer=None)
    assert results.total == 2
    by_post = {hit.post_id: hit for hit in results.hits}
    assert by_post[answer.id].is_first is False
    assert by_post[answer.id].thread.title == "Unrelated"
    assert all(hit.rank > 0 for hit in results.hits)


def test_a_title_match_ranks_above_a_body_match(author):
    make_thread(author=author, title="Plain question", body="Something about generators here.")
    make_thread(author=author, title="Generators explained", body="A short text.")
    assert found(search("generators", viewer=None)) == ["Generators explained", "Plain question"]


def test_every_term_must_match(author):
    make_thread(author=author, title="Docker volumes", body="Mounting a volume.")
    make_thread(author=author, title="Docker networks", body="Bridges and hosts.")
    assert found(search("docker volume", viewer=None)) == ["Docker volumes"]


def test_hits_are_highlighted_and_escaped(author):
    make_thread(author=author, title="<script>alert(1)</script> python tricks",
                body='Try <img src=x onerror=alert(2)> in python & "quotes".')

    hit = search("python", viewer=None).hits[0]
    assert "<mark>python</mark>" in hit.title
    assert "&lt;script&gt;" in hit.title and "<script" not in hit.title
    assert "<mark>python</mark>" in hit.snippet
    assert "<img" not in hit.snippet
    assert "\x02" not in hit.snippet + hit.title and "\x03" not in hit.snippet + hit.title


def test_an_answer_hit_shows_the_plain_thread_title(author):
    thread = make_thread(author=author, title="<b>Bold</b> question", body="Nothing.")
    make_post(thread=thread, author=author, body="Answer about kubernetes.")
    hit = search("kubernetes", viewer=None).hits[0]
    assert hit.title == "&lt;b&gt;Bold&lt;/b&gt; question"
    assert "<mark>kubernetes</mark>" in hit.snippet


def test_mark_turns_only_sentinel_pairs_into_markup():
    assert mark("a \x02<b>\x03 c") == "a <mark>&lt;b&gt;</mark> c"
    assert mark("a\x03b\x02c") == "abc"
    assert mark("\x02a\x02b\x03") == "a<mark>b</mark>"
    assert mark('"&\'') == "&#34;&amp;&#39;"


@pytest.mark.parametrize(
    "query",
    ['"', "python OR", "OR AND NOT", "*", "-python", "(", "'", "\\", "col:1 NEAR/2",
     "a" * 500, "SELECT * FROM user; --", "\x00python", "python AND (files"],
)
def test_user_input_is_never_query_syntax(author, query):
    make_thread(author=author, title="Python files", body="Reading files in python.")
    results = search(query, viewer=None)
    assert results.total == len(results.hits)


@pytest.mark.parametrize(
    ("query", "matches"),
    [('python"', True), ("python*", True), ("(python", True), ("^python", True),
     ("'python'", True), ("{python}", True), ("NEAR(python files)", False),
     ("title:python", False)],
)
def test_operators_are_read_as_plain_words(author, query, matches):
    """Punctuation around a word is dropped; an operator word is one more word to find."""
    make_thread(author=author, title="Python files", body="Reading files in python.")
    assert found(search(query, viewer=None)) == (["Python files"] if matches else [])


def test_fts5_query_quotes_every_term():
    assert fts5_query(["NEAR", "python", "OR"]) == '"NEAR" "python" "OR"'


@pytest.mark.parametrize("query", ["", "   ", "?!", "--", "…", "_"])
def test_empty_or_punctuation_only_queries_get_a_friendly_message(author, query):
    make_thread(author=author, title="Something")
    results = search(query, viewer=None)
    assert results.hits == [] and results.total == 0
    assert results.message


def test_filters_narrow_by_tag_category_kind_and_answered(author):
    web, data = make_category(name="Web"), make_category(name="Data")
    answered = make_thread(author=author, category=web, title="Flask caching question",
                           tags=("flask", "cache"))
    make_post(thread=answered, author=make_user(), body="Try a memo.")
    make_thread(author=author, category=data, title="Caching pandas frames", tags=("pandas",))
    make_thread(author=author, category=web, title="Caching talk", tags=("cache",),
                kind=ThreadKind.DISCUSSION)

    def titles(**filters) -> set[str]:
        return set(found(search("caching", viewer=None, **filters)))

    assert titles() == {"Flask caching question", "Caching pandas frames", "Caching talk"}
    assert titles(tag="cache") == {"Flask caching question", "Caching talk"}
    assert titles(category="data") == {"Caching pandas frames"}
    assert titles(kind="discussion") == {"Caching talk"}
    assert titles(kind="poll") == titles()
    assert titles(answered=True) == {"Flask caching question"}
    assert titles(answered=False) == {"Caching pandas frames", "Caching talk"}
    assert titles(tag="cache", category="web", kind="question") == {"Flask caching question"}
    assert titles(tag="nope") == set()


@pytest.mark.parametrize(("role", "sees_inner"), [(None, False), (Role.MEMBER, False),
                                                  (Role.MODERATOR, True), (Role.ADMIN, True)])
def test_member_only_threads_are_found_only_by_members(author, role, sees_inner):
    make_thread(author=author, title="Open deployment notes")
    make_thread(author=author, category=make_category(name="Inner", member_only=True),
                title="Inner deployment notes")
    viewer = make_user(role=role) if role else None
    expected = {"Open deployment notes"} | ({"Inner deployment notes"} if sees_inner else set())
    assert set(found(search("deployment", viewer=viewer))) == expected
    inner_only = search("deployment", viewer=viewer, category="inner")
    assert inner_only.total == (1 if sees_inner else 0)


@pytest.mark.parametrize(("role", "teased"), [(None, True), (Role.MEMBER, True),
                                              (Role.MODERATOR, False)])
def test_non_members_see_matching_member_only_titles_as_teasers(author, role, teased):
    inner = make_category(name="Inner", member_only=True)
    make_thread(author=author, category=inner, title="Kubernetes interview questions",
                body="The secret rubric: never mention helm.")
    make_thread(author=author, category=inner, title="Salary talk",
                body="kubernetes pays well")  # matches only in the body
    viewer = make_user(role=role) if role else None

    results = search("kubernetes", viewer=viewer)
    assert [t.title for t in results.teasers] == (["Kubernetes interview questions"]
                                                  if teased else [])
    assert search("rubric helm", viewer=viewer).teasers == []  # bodies are never searched


def test_the_results_page_lists_teasers_without_their_text(client, author):
    inner = make_category(name="Inner", member_only=True)
    thread = make_thread(author=author, category=inner, title="Kubernetes interview questions",
                         body="The secret rubric: never mention helm.")
    make_thread(author=author, category=inner, title="Kubernetes gone",
                body="x").deleted_at = utcnow()
    db.session.commit()
    html = client.get("/search?q=kubernetes").get_data(as_text=True)
    assert "In members-only categories" in html and "become a member" in html.lower()
    assert f"/t/{thread.id}/" in html and "Kubernetes interview questions" in html
    assert "secret rubric" not in html and "Kubernetes gone" not in html


def test_deleted_threads_and_posts_are_never_returned(author):
    """Even while their search documents still exist: the filter does not trust the index."""
    gone = make_thread(author=author, title="Removed websocket thread")
    kept = make_thread(author=author, title="Kept thread", body="No match.")
    removed_answer = make_post(thread=kept, author=author, body="websocket answer, removed")
    make_post(thread=kept, author=author, body="websocket answer, kept")
    gone.deleted_at = utcnow()
    removed_answer.deleted_at = utcnow()
    db.session.commit()

    results = search("websocket", viewer=None)
    assert results.total == 1
    assert "kept" in results.hits[0].snippet


def test_results_are_paged(author):
    for n in range(25):
        make_thread(author=author, title=f"Regex question {n}")
    first = search("regex", viewer=None, page=1, per_page=20)
    second = search("regex", viewer=None, page=2, per_page=20)
    assert (first.total, len(first.hits), second.total, len(second.hits)) == (25, 20, 25, 5)
    assert not {h.post_id for h in first.hits} & {h.post_id for h in second.hits}
    assert first.page.pages == 2


def test_past_the_cap_the_newest_matches_are_ranked(app, client, author):
    app.config["SEARCH_COUNT_CAP"] = 3
    for n in range(7):
        make_thread(author=author, title=f"Regex question {n}")
    first = search("regex", viewer=None, page=1, per_page=2)
    assert (first.total, first.page.capped, first.page.total_label) == (3, True, "3+")
    assert first.page.has_next
    second = search("regex", viewer=None, page=2, per_page=2)
    assert len(second.hits) == 1 and not second.page.has_next
    # Only the newest three matches are ranked, and nothing is shown twice.
    shown = {hit.thread.title for hit in first.hits + second.hits}
    assert shown == {f"Regex question {n}" for n in (4, 5, 6)}
    assert search("regex", viewer=None, page=3, per_page=2).hits == []
    assert "3+ results for “regex”" in client.get("/search?q=regex").get_data(as_text=True)

    app.config["SEARCH_COUNT_CAP"] = 1_000
    exact = search("regex", viewer=None)
    assert (exact.total, exact.page.capped, exact.page.total_label) == (7, False, "7")


def test_searches_are_logged_for_anonymous_and_signed_in_people(author):
    make_thread(author=author, title="Async io basics")
    search("async", viewer=None)
    search("nothing-matches-this", viewer=author)
    search("   ", viewer=author)

    events = search_events()
    assert [(e.user_id, e.data) for e in events] == [
        (None, {"q": "async", "results": 1}),
        (author.id, {"q": "nothing-matches-this", "results": 0}),
    ]


def test_search_page_shows_hits_with_count_kind_tags_and_state(client, author):
    thread = make_thread(author=author, title="Pytest fixtures", tags=("pytest",),
                         body="How do fixtures work?")
    answer = make_post(thread=thread, author=make_user(), body="Fixtures are functions.")
    thread.accepted_post_id = answer.id
    db.session.commit()

    html = client.get("/search?q=fixtures").get_data(as_text=True)
    assert "2 results for “fixtures”" in html
    assert "<mark>fixtures</mark>" in html.lower()
    assert url_for("forum.thread", thread_id=thread.id, slug=thread.slug, _external=False) in html
    assert url_for("forum.post", post_id=answer.id, _external=False) in html
    assert '<span class="kind-pill">Answer</span>' in html
    assert "✓ Accepted answer" in html
    assert 'href="/tags/pytest"' in html
    assert 'value="fixtures"' in html


def test_the_search_page_runs_as_many_queries_for_twenty_hits_as_for_two(client, author):
    """The search is logged (and committed) before the hits load; logged after, the commit
    expired them and the page reloaded each thread and its tags: 47 statements for 20 hits."""
    def statements(word: str) -> int:
        with count_queries() as log:
            assert client.get(f"/search?q={word}").status_code == 200
        return log.count

    for n in range(2):
        make_thread(author=author, title=f"Decorator question {n}", tags=("python",))
    for n in range(20):
        make_thread(author=author, title=f"Generator question {n}", tags=("python", f"t{n}"))
    db.session.commit()
    assert statements("decorator") == statements("generator")


def test_search_page_keeps_filters_in_the_form_and_pagination(client, author):
    category = make_category(name="Testing")
    for n in range(25):
        make_thread(author=author, category=category, title=f"Mocking question {n}",
                    tags=("mock",))
    html = client.get("/search?q=mocking&tag=mock&category=testing&kind=question&answered=no"
                      ).get_data(as_text=True)
    assert "25 results" in html
    assert 'value="mock"' in html
    assert '<option value="testing" selected>' in html
    assert '<option value="question" selected>' in html
    assert '<option value="no" selected>' in html
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    for arg in ("q=mocking", "tag=mock", "category=testing", "kind=question", "answered=no",
                "page=2"):
        assert arg in next_link


def test_search_page_empty_states(client, author):
    html = client.get("/search").get_data(as_text=True)
    assert "Type a few words to search" in html
    html = client.get("/search?q=%3F%21").get_data(as_text=True)
    assert "punctuation on its own" in html
    html = client.get("/search?q=zebra").get_data(as_text=True)
    assert "No results for “zebra”" in html and "Check the spelling" in html


def test_search_page_logs_the_event_for_a_signed_in_person(client, author):
    login_as(client, author)
    client.get("/search?q=anything")
    assert [(e.user_id, e.data["q"]) for e in search_events()] == [(author.id, "anything")]


def test_category_filter_lists_only_categories_the_viewer_may_see(client, author):
    make_category(name="Public")
    make_category(name="Inner", member_only=True)
    html = client.get("/search?q=x").get_data(as_text=True)
    assert '<option value="public"' in html and '<option value="inner"' not in html
