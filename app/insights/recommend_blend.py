"""Blending the recommender's components, the variety rule, and the reason shown.

Pure. Every weight lives in `RECOMMENDER_WEIGHTS`; each component is scaled to 0-1 per
user before blending, so a weight means the same for a heavy user and a light one.
"""

import numpy as np
from scipy import sparse

RECOMMENDER_WEIGHTS = {
    "cf": 0.35,          # people who engaged with your items engaged with these
    "content": 0.20,     # close in words and tags to what you engaged with
    "interest": 0.15,    # carries a tag you picked as an interest
    "popularity": 0.20,  # many engaged with it lately: a strong baseline offline
    "recency": 0.10,     # new or recently active
}
COMPONENTS = tuple(RECOMMENDER_WEIGHTS)
TAG_CAP = 3       # no more than this many items from one tag...
TAG_WINDOW = 10   # ...among the first this many
BLOCK_SHORTLIST = 10  # a block's users are first picked from their best 10n items


def scale_rows(scores: np.ndarray) -> np.ndarray:
    """Divide each row by its maximum, in place (rows without a positive score become
    zero), and return `scores`: a block of users x items is large, and a copy per
    component costs more than the division."""
    if scores.size:
        peak = scores.max(axis=1, keepdims=True)
        np.divide(scores, peak, out=scores, where=peak > 0)
        scores[peak[:, 0] <= 0] = 0
    return scores


def blend(components: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """users x items blended scores (components may be one row, shared by all users)."""
    shape = np.broadcast_shapes(*(c.shape for c in components.values()))
    total = np.zeros(shape, dtype=np.float32)
    for name, part in components.items():
        if weights.get(name):
            total += np.float32(weights[name]) * part
    return total


def dominant(components: dict[str, np.ndarray], weights: dict[str, float], row: int,
             columns: list[int]) -> list[str]:
    """For user `row`'s `columns`, the component that contributed most to each."""
    names = [name for name in COMPONENTS if weights.get(name) and name in components]
    if not names or not columns:
        return ["popularity"] * len(columns)
    parts = np.array([weights[name] * components[name][row if len(components[name]) > 1
                                                       else 0, columns] for name in names])
    return [names[i] for i in parts.argmax(axis=0)]


def top_columns(scores: np.ndarray, k: int) -> list[np.ndarray]:
    """For each row, the columns of its `k` largest positive scores, best first (ties to
    the lower column)."""
    if not scores.size:
        return [np.array([], dtype=np.int64) for _ in range(len(scores))]
    k = min(k, scores.shape[1])
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    picked = []
    for row, columns in zip(scores, top, strict=True):
        columns = columns[row[columns] > 0]
        picked.append(columns[np.lexsort((columns, -row[columns]))])
    return picked


def pick_top(scores: np.ndarray, allowed: np.ndarray, item_tags: sparse.csr_matrix, n: int,
             *, cap: int = TAG_CAP, window: int = TAG_WINDOW) -> list[int]:
    """The `n` best allowed items with a positive score, best first, keeping variety.

    An item that would put one of its tags over `cap` within the first `window` places
    waits until after them; with too few other items to fill those places the list stays
    short rather than break the rule. `item_tags` is items x tags, rows aligned with
    `scores`; ties go to the lower index.
    """
    eligible = np.flatnonzero(allowed & (scores > 0))
    if not len(eligible):
        return []
    # The best 3n usually suffice; only a list kept short by the cap looks further down.
    for shortlist in (n * 3, n * 30, len(eligible)):
        size = min(shortlist, len(eligible))
        part = eligible[np.argpartition(-scores[eligible], size - 1)[:size]]
        picked = _varied(_best_first(scores, part), item_tags, n, cap, window)
        if len(picked) == n or size == len(eligible):
            return picked
    return picked


def pick_top_rows(scores: np.ndarray, allowed: np.ndarray, item_tags: sparse.csr_matrix,
                  n: int, *, cap: int = TAG_CAP, window: int = TAG_WINDOW) -> list[list[int]]:
    """`pick_top` for every row of a block of users x items. One partition of the whole
    block finds each row's best `BLOCK_SHORTLIST` x n, which the cap seldom exhausts; only
    a row whose list it keeps short goes back to `pick_top` to look further down."""
    if not scores.size or n <= 0:
        return [[] for _ in range(len(scores))]
    size = min(n * BLOCK_SHORTLIST, scores.shape[1])
    eligible = np.where(allowed, scores, 0)
    shortlists = np.argpartition(-eligible, size - 1, axis=1)[:, :size]
    picked = []
    for row, columns in enumerate(shortlists):
        columns = columns[eligible[row, columns] > 0]
        chosen = _varied(_best_first(eligible[row], columns), item_tags, n, cap, window)
        if len(chosen) < n and len(columns) == size < scores.shape[1]:
            chosen = pick_top(scores[row], allowed[row], item_tags, n, cap=cap, window=window)
        picked.append(chosen)
    return picked


def _best_first(scores: np.ndarray, columns: np.ndarray) -> list[int]:
    return columns[np.lexsort((columns, -scores[columns]))].tolist()


def _varied(ordered: list[int], item_tags, n, cap, window) -> list[int]:
    """The first `n` of `ordered` under the tag cap (see `pick_top`)."""
    chosen: list[int] = []
    waiting: list[int] = []
    per_tag: dict[int, int] = {}
    for position, item in enumerate(ordered):
        if len(chosen) == window:
            return (chosen + waiting + ordered[position:])[:n]
        tags = item_tags.indices[item_tags.indptr[item]:item_tags.indptr[item + 1]].tolist()
        if any(per_tag.get(tag, 0) >= cap for tag in tags):
            waiting.append(item)
            continue
        chosen.append(item)
        for tag in tags:
            per_tag[tag] = per_tag.get(tag, 0) + 1
    if len(chosen) == window:
        return (chosen + waiting)[:n]
    return chosen[:n]


ACTION_VERBS = {
    "ask": "asked", "answer": "answered", "reply": "replied to", "accept": "accepted an answer on",
    "vote": "voted on", "view": "read", "course_enrolled": "took", "lesson_viewed": "studied",
    "lesson_completed": "studied", "course_completed": "completed",
}
ACTION_NOUNS = {
    "ask": "questions", "answer": "answers", "reply": "discussions", "accept": "questions",
    "vote": "reading", "view": "reading", "course_enrolled": "courses",
    "lesson_viewed": "courses", "lesson_completed": "courses", "course_completed": "courses",
}


def because(action: str, title: str) -> str:
    return f"Because you {ACTION_VERBS.get(action, 'read')} “{title}”"


def matches(action: str, tag: str) -> str:
    return f"Matches your #{tag} {ACTION_NOUNS.get(action, 'reading')}"


def in_interests(tag: str) -> str:
    return f"In your interests: #{tag}"


def popular(label: str | None = None) -> str:
    return f"Popular in {label}" if label else "Popular this week"


NEW_AND_ACTIVE = "New and active"
