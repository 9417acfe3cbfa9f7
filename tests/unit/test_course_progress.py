"""The pure progress rules: percent, completion, resume, paths, reordering, URLs."""

import ast
from pathlib import Path

import pytest

from app.courses import progress


def test_the_module_imports_nothing_from_the_framework():
    tree = ast.parse(Path(progress.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert not imported & {"flask", "sqlalchemy", "app", "flask_sqlalchemy"}


@pytest.mark.parametrize(("done", "total", "percent"), [
    (0, 0, 0), (0, 4, 0), (1, 4, 25), (2, 3, 66), (999, 1000, 99), (3, 3, 100), (5, 3, 100),
])
def test_percent_rounds_down_and_never_shows_100_early(done, total, percent):
    assert progress.percent_done(done, total) == percent


def test_complete_needs_every_lesson_and_at_least_one():
    assert progress.is_complete([1, 2, 3], {1, 2, 3})
    assert progress.is_complete([1, 2], {1, 2, 99})
    assert not progress.is_complete([1, 2, 3], {1, 3})
    assert not progress.is_complete([], set())


@pytest.mark.parametrize(("done", "last", "expected"), [
    (set(), None, 1),          # nothing yet: the first lesson
    ({1}, 1, 2),               # finished the last visited: the next
    (set(), 3, 3),             # left lesson 3 half read: back to it
    ({1, 2, 3}, 2, 4),         # skips done lessons after the last visited one
    ({3, 4}, 3, 1),            # nothing left after it: wraps to a skipped earlier lesson
    ({1, 2, 3, 4}, 4, 1),      # all done: the first lesson, to revisit
    ({1}, 42, 2),              # a last lesson no longer in the course: from the start
])
def test_resume_goes_to_the_first_lesson_not_done_from_the_last_visited(done, last, expected):
    assert progress.resume_lesson([1, 2, 3, 4], done, last) == expected


def test_resume_of_an_empty_course_is_nowhere():
    assert progress.resume_lesson([], set(), None) is None


def test_course_progress_ignores_lessons_no_longer_in_the_course():
    result = progress.course_progress([1, 2, 3, 4], {2, 7}, 2)
    assert (result.done, result.total, result.percent, result.complete) == (1, 4, 25, False)
    assert result.next_lesson_id == 3


def test_path_progress_weighs_by_lessons_and_points_at_the_first_unfinished_course():
    result = progress.path_progress([[1, 2], [3, 4, 5, 6]], {1, 2, 3})
    assert (result.done, result.total, result.percent, result.complete) == (3, 6, 50, False)
    assert result.next_lesson_id == 4
    finished = progress.path_progress([[1], [2]], {1, 2})
    assert finished.complete and finished.next_lesson_id is None
    assert not progress.path_progress([[1], []], {1}).complete


def test_neighbours():
    assert progress.neighbours([1, 2, 3], 1) == (None, 2)
    assert progress.neighbours([1, 2, 3], 2) == (1, 3)
    assert progress.neighbours([1, 2, 3], 3) == (2, None)
    assert progress.neighbours([1, 2, 3], 9) == (None, None)


def test_average_rating():
    assert progress.average_rating([]) is None
    assert progress.average_rating([5, 4, 4]) == 4.3


@pytest.mark.parametrize(("url", "ok"), [
    ("https://www.youtube.com/watch?v=abc", True), ("http://example.com/v.mp4", True),
    ("javascript:alert(1)", False), ("data:text/html,hi", False), ("/videos/1", False),
    ("ftp://example.com/v", False), ("https://", False), ("https://a b.com", False), ("", False),
])
def test_only_http_urls_are_videos(url, ok):
    assert progress.is_http_url(url) is ok


def test_reorder_by_requested_positions_keeping_ties_stable():
    assert progress.reorder([10, 20, 30], {10: 3, 20: 1, 30: 2}) == [20, 30, 10]
    assert progress.reorder([10, 20, 30], {30: 0}) == [30, 10, 20]
    assert progress.reorder([10, 20, 30], {10: 2, 20: 2}) == [10, 20, 30]
