from app.extensions import db
from app.forum.models import SearchDocument, Thread
from tests.fixtures.forum import make_post, make_thread
from tests.fixtures.users import make_user


def test_thread_factory_builds_a_searchable_thread(app):
    asker, answerer = make_user(), make_user()
    thread = make_thread(author=asker, tags=("python", "files"))
    make_post(thread=thread, author=answerer)
    assert db.session.get(Thread, thread.id).reply_count == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(SearchDocument)) == 2
