"""The "Linked" list on a thread page: related links, both ways, only what the viewer may open."""

import re

from app.extensions import db
from app.forum.models import ThreadLink
from app.timeutil import utcnow
from tests.fixtures.forum import make_category, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import make_user


def _link(thread, related) -> None:
    db.session.add(ThreadLink(thread_id=thread.id, related_id=related.id))
    db.session.commit()


def _linked_section(client, thread) -> str:
    page = client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)
    match = re.search(r'<section class="related-threads" aria-labelledby="linked-heading">(.*?)</section>',
                      page, re.S)
    return match.group(1) if match else ""


def test_a_thread_lists_what_it_links_to_and_what_links_to_it(client):
    author = make_user()
    here = make_thread(author=author, title="How do I read a CSV file lazily?")
    target = make_thread(author=author, title="What does a generator do?")
    source = make_thread(author=author, title="Streaming rows from a database cursor")
    _link(here, target)
    _link(source, here)
    target.score = 5
    db.session.commit()

    section = _linked_section(client, here)
    assert "Linked" in section
    assert section.index("What does a generator do?") < section.index("Streaming rows from a database cursor")
    assert "How do I read a CSV file lazily?" not in section


def test_no_links_no_section(client):
    thread = make_thread(author=make_user())
    page = client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)
    assert "linked-heading" not in page


def test_deleted_and_member_only_threads_are_left_out_for_a_visitor(client):
    author = make_user()
    here = make_thread(author=author)
    gone = make_thread(author=author, title="A thread that was deleted")
    private = make_thread(author=author, title="A thread for members only",
                          category=make_category(member_only=True))
    shown = make_thread(author=author, title="A thread everyone may read")
    for other in (gone, private, shown):
        _link(here, other)
    gone.deleted_at = utcnow()
    db.session.commit()

    section = _linked_section(client, here)
    assert "A thread everyone may read" in section
    assert "A thread that was deleted" not in section
    assert "A thread for members only" not in section


def test_the_list_costs_one_query_however_many_links(client):
    author = make_user()
    here = make_thread(author=author)
    url = f"/t/{here.id}/{here.slug}"
    _link(here, make_thread(author=author))
    client.get(url)  # the first view is counted
    db.session.expire_all()  # both requests start from the same, empty identity map
    with count_queries() as few:
        client.get(url)
    for _ in range(6):
        _link(here, make_thread(author=author))
    db.session.expire_all()
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count("Question number") >= 8
    assert many.count == few.count
