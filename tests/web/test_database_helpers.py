from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.database import days_before, insert_in_batches
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


def test_days_before_counts_fractional_days_in_the_database(app):
    moment = datetime(2026, 3, 10, 12, 0)
    for created in (datetime(2026, 3, 9, 0, 0), datetime(2026, 3, 10, 12, 0),
                    datetime(2026, 2, 28, 6, 0)):
        db.session.add(Tag(name=f"t{created:%d%H}", created_at=created))
    db.session.commit()
    ages = db.session.scalars(
        select(days_before(moment, Tag.created_at)).order_by(Tag.created_at)).all()
    assert ages == pytest.approx([10.25, 1.5, 0.0], abs=1e-6)
    latest = db.session.scalar(select(days_before(moment, func.max(Tag.created_at))))
    assert latest == pytest.approx(0.0, abs=1e-6)
