"""The console's page per community: label, tags, size and growth, every member (50 a
page) linked to their staff page, bridges, the threads its members were busiest in
lately and its ties to the others, on a hand-made run; 404 for an unknown key; staff only."""

from datetime import timedelta

from app.accounts.models import User
from app.extensions import db
from app.moderation.console_communities import MEMBERS_PER_PAGE, community_detail
from app.timeutil import utcnow
from tests.fixtures.communities import make_community_run
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def _people(*names):
    return [make_user(username=name) for name in names]


def _site():
    """c1 is ada, bob and cy (most central first; cy its bridge), one more than a week ago;
    c2 is dee, eve and fay, new. In the last 30 days c1's members wrote three posts in the
    busy thread and two in the quiet one; eve (c2) answered ada once: the one tie."""
    now = utcnow()
    ada, bob, cy, dee, eve, fay, zed = _people("ada", "bob", "cy", "dee", "eve", "fay", "zed")
    busy = make_thread(author=zed, title="Busy thread", created_at=now - timedelta(days=5))
    for author in (ada, bob, ada, dee):
        make_post(thread=busy, author=author, created_at=now - timedelta(days=4))
    quiet = make_thread(author=ada, title="Quiet thread", created_at=now - timedelta(days=2))
    make_post(thread=quiet, author=cy, created_at=now - timedelta(days=2))
    make_post(thread=quiet, author=eve, created_at=now - timedelta(days=1))
    old = make_thread(author=zed, title="Old thread", created_at=now - timedelta(days=40))
    make_post(thread=old, author=bob, created_at=now - timedelta(days=40))
    gone = make_thread(author=zed, title="Deleted thread", created_at=now - timedelta(days=3))
    make_post(thread=gone, author=ada, created_at=now - timedelta(days=3))
    gone.deleted_at = now
    db.session.commit()
    make_community_run(as_of=now - timedelta(days=8), groups={1: [ada, bob]})
    make_community_run(as_of=now - timedelta(minutes=1), groups={1: [ada, bob, cy],
                                                                  2: [dee, eve, fay]})
    return ada, bob, cy


def test_the_page_shows_the_community_its_members_threads_and_ties(app):
    ada, bob, cy = _site()
    detail = community_detail(1, page=1)
    assert (detail.community.label, detail.community.tags, detail.community.size,
            detail.growth) == ("c1", ["tag1"], 3, 1)
    assert [(m.user, m.centrality, m.roles) for m in detail.members.items] == [
        (ada, 3.0, "central"), (bob, 2.0, "central"), (cy, 1.0, "central, bridge")]
    assert [m.user for m in detail.bridges] == [cy]
    assert [(t.thread.title, t.posts, t.people) for t in detail.threads] == [
        ("Busy thread", 3, 2), ("Quiet thread", 2, 2)]
    assert [(t.community.label, t.weight) for t in detail.ties] == [("c2", 1)]
    assert community_detail(2, page=1).growth is None  # new since the run before


def test_the_page_links_members_to_their_staff_page_and_ties_to_their_community(
        client, moderator):
    _site()
    login_as(client, moderator)
    page = client.get("/staff/console/communities/1").get_data(as_text=True)
    assert "<h1>c1</h1>" in page and 'href="/tags/tag1"' in page and "+1" in page
    for name in ("ada", "bob", "cy"):
        assert f'href="/staff/users/{name}"' in page
    assert 'href="/staff/users/dee"' not in page
    assert "Busy thread" in page and "Old thread" not in page and "Deleted thread" not in page
    assert 'href="/staff/console/communities/2">c2</a>' in page


def test_members_come_fifty_a_page_most_central_first(client, moderator):
    people = [User(username=f"p{n:02d}", username_key=f"p{n:02d}", email=f"p{n}@example.com",
                   password_hash="x") for n in range(MEMBERS_PER_PAGE + 5)]
    db.session.add_all(people)
    db.session.commit()
    make_community_run(as_of=utcnow(), groups={7: people})
    login_as(client, moderator)
    first = client.get("/staff/console/communities/7").get_data(as_text=True)
    second = client.get("/staff/console/communities/7?page=2").get_data(as_text=True)
    assert first.count('href="/staff/users/p') == MEMBERS_PER_PAGE + 1  # and p54, the bridge
    assert 'href="/staff/users/p49"' in first and 'href="/staff/users/p50"' not in first
    assert 'href="/staff/console/communities/7?page=2"' in first
    assert second.count('href="/staff/users/p') == 5 + 1  # p54 again, among the bridges
    assert 'href="/staff/users/p50"' in second and 'href="/staff/users/p00"' not in second


def test_an_unknown_community_is_not_found(client, moderator):
    _site()
    login_as(client, moderator)
    assert client.get("/staff/console/communities/99").status_code == 404
    assert client.get("/staff/console/communities/abc").status_code == 404


def test_the_query_count_does_not_grow_with_the_community(client, moderator):
    login_as(client, moderator)
    ada, bob, cy = _site()
    with count_queries() as small:
        assert client.get("/staff/console/communities/1").status_code == 200
    for n in range(5):
        thread = make_thread(author=bob, title=f"More {n}")
        make_post(thread=thread, author=cy)
    with count_queries() as large:
        assert client.get("/staff/console/communities/1").status_code == 200
    assert large.count == small.count <= 14


def test_members_are_refused_and_visitors_sent_to_log_in(client):
    _site()
    assert client.get("/staff/console/communities/1").status_code == 302
    login_as(client, make_user(username="member"))
    assert client.get("/staff/console/communities/1").status_code == 403
