from sqlalchemy import func, select

from app.database import insert_in_batches
from app.extensions import db
from app.forum.models import Tag


def _tags(n: int):
    return ({"name": f"tag-{i}", "description": ""} for i in range(n))


def test_insert_in_batches_writes_every_row_of_a_stream_in_batches(app):
    seen = []

    def track(chunks):
        for chunk in chunks:
            seen.append(len(chunk))
            yield chunk

    written = insert_in_batches(Tag, _tags(25), batch=10, track=track)
    db.session.commit()

    assert written == 25
    assert seen == [10, 10, 5]
    names = db.session.scalars(select(Tag.name).order_by(Tag.id)).all()
    assert names == [f"tag-{i}" for i in range(25)]


def test_insert_in_batches_accepts_a_table_and_nothing_to_write(app):
    assert insert_in_batches(Tag.__table__, []) == 0
    assert insert_in_batches(Tag.__table__, _tags(3)) == 3
    assert db.session.scalar(select(func.count()).select_from(Tag)) == 3
