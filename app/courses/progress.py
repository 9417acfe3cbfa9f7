"""How far a learner is in a course or a path: pure arithmetic on ids and counts.

No Flask, no database: the services load ordered lesson ids and the set of done ones,
and these functions decide percent, completion and where "Resume" goes.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

LEVELS = ("beginner", "intermediate", "advanced")
MIN_RATING, MAX_RATING = 1, 5
MAX_MINUTES = 600
_HTTP_URL = re.compile(r"https?://[^\s/$.?#][^\s<>\"']*", re.IGNORECASE)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    percent: int
    complete: bool
    next_lesson_id: int | None  # where "Resume" leads; None for a course without lessons


def percent_done(done: int, total: int) -> int:
    """Whole percent, rounded down, so 99.9% never shows as 100% before the last lesson."""
    if total <= 0:
        return 0
    return min(100, (100 * max(0, done)) // total)


def is_complete(lesson_ids: Sequence[int], done_ids: set[int]) -> bool:
    """Every lesson done; a course with no lessons is never complete (nothing to finish)."""
    return bool(lesson_ids) and all(lesson_id in done_ids for lesson_id in lesson_ids)


def resume_lesson(lesson_ids: Sequence[int], done_ids: set[int],
                  last_lesson_id: int | None) -> int | None:
    """The first lesson not done at or after the last one visited.

    The last visited lesson itself counts when it is not done yet (the learner left it
    half-read). When nothing after it is left, the search wraps round to an earlier
    lesson that was skipped; when everything is done, the first lesson (to revisit).
    """
    if not lesson_ids:
        return None
    start = lesson_ids.index(last_lesson_id) if last_lesson_id in lesson_ids else 0
    ordered = [*lesson_ids[start:], *lesson_ids[:start]]
    return next((lesson_id for lesson_id in ordered if lesson_id not in done_ids), lesson_ids[0])


def course_progress(lesson_ids: Sequence[int], done_ids: set[int],
                    last_lesson_id: int | None = None) -> Progress:
    """Progress of one learner; done ids of lessons no longer in the course are ignored."""
    done = sum(1 for lesson_id in lesson_ids if lesson_id in done_ids)
    return Progress(
        done=done, total=len(lesson_ids), percent=percent_done(done, len(lesson_ids)),
        complete=is_complete(lesson_ids, done_ids),
        next_lesson_id=resume_lesson(lesson_ids, done_ids, last_lesson_id),
    )


def path_progress(courses: Sequence[Sequence[int]], done_ids: set[int]) -> Progress:
    """Progress across a track, weighted by lessons (a long course counts for more).

    `next_lesson_id` is the resume point of the first course not finished yet.
    """
    all_ids = [lesson_id for lesson_ids in courses for lesson_id in lesson_ids]
    done = sum(1 for lesson_id in all_ids if lesson_id in done_ids)
    unfinished = next((ids for ids in courses if ids and not is_complete(ids, done_ids)), None)
    return Progress(
        done=done, total=len(all_ids), percent=percent_done(done, len(all_ids)),
        complete=bool(all_ids) and unfinished is None and all(courses),
        next_lesson_id=resume_lesson(unfinished, done_ids, None) if unfinished else None,
    )


def neighbours(lesson_ids: Sequence[int], lesson_id: int) -> tuple[int | None, int | None]:
    """The previous and next lesson ids around `lesson_id` (None at either end)."""
    if lesson_id not in lesson_ids:
        return None, None
    i = lesson_ids.index(lesson_id)
    return (lesson_ids[i - 1] if i > 0 else None,
            lesson_ids[i + 1] if i + 1 < len(lesson_ids) else None)


def average_rating(ratings: Sequence[int]) -> float | None:
    """Mean rating to one decimal; None when nobody has rated (not 0, which reads as bad)."""
    if not ratings:
        return None
    return round(sum(ratings) / len(ratings), 1)


def is_http_url(value: str) -> bool:
    """Only http(s) links may be a lesson's video: no javascript:, data: or bare paths."""
    return bool(_HTTP_URL.fullmatch(value.strip())) if value else False


def reorder(current: Sequence[int], requested: dict[int, int]) -> list[int]:
    """Ids in their new order, sorted by the requested (1-based, as the form shows them)
    position; an id without one keeps its current place, ties keep their current order.
    The caller renumbers 0..n-1 after, so gaps and ties never reach the table."""
    rank = {lesson_id: i for i, lesson_id in enumerate(current)}
    return sorted(current, key=lambda i: (requested.get(i, rank[i] + 1), rank[i]))
