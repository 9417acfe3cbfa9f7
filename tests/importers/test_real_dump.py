"""The real ai.stackexchange.com dump from the shared data folder, imported whole: its
counts, and how long it takes (printed; run with -s to see it)."""

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.forum.models import Post, Thread
from app.gamification import ledger
from app.importers.stackexchange import import_stackexchange

REAL_DUMP = Path(__file__).parents[2] / ".." / "shared" / "data" / "stackexchange-ai"

pytestmark = pytest.mark.skipif(
    not (REAL_DUMP / "Posts.xml").is_file(),
    reason="the shared Stack Exchange dump (../shared/data/stackexchange-ai) is not here",
)


def test_the_real_dump_imports_with_its_counts(app):
    started = time.perf_counter()
    report = import_stackexchange(REAL_DUMP)
    seconds = time.perf_counter() - started
    print(f"\nai.stackexchange dump imported in {seconds:.1f} s "
          f"on {db.engine.dialect.name}:\n" + "\n".join(report.summary_lines()))

    questions = db.session.scalar(select(func.count()).select_from(Thread))
    answers = db.session.scalar(select(func.count()).where(
        Post.is_first.is_(False), Post.reply_to_id.is_(None)))
    assert (questions, answers) == (421, 749)
    assert report.files["Users"].imported > 3000
    assert report.files["Comments"].imported > 1000
    assert sum(report.files["Posts"].broken.values()) == 0
    assert ledger.find_discrepancies() == []
    assert db.session.scalar(select(func.sum(Thread.reply_count))) == 749
