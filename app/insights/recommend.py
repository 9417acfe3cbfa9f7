"""The hybrid recommender: collaborative filtering, content, interests, popularity and
recency blended per user, for threads and courses in one item space.

Pure: the service hands it plain arrays (a `Catalogue` of items, `Interactions` from the
event log) and stores the `Pick`s it returns. Threads and courses share one space so a
thread someone read can lead to a course, and the other way round.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

import app.insights.recommend_blend as blending
from app.insights.recommend_cf import (
    cf_scores,
    decay,
    interaction_matrix,
    item_neighbours,
    top_k_per_row,
)
from app.insights.recommend_content import QUERY_TERMS, content_scores, item_vectors, profiles

THREAD, COURSE = 0, 1
# How much one kind of interaction says about interest in its item.
EVENT_WEIGHTS = {
    "view": 1.0, "vote": 3.0, "ask": 4.0, "answer": 5.0, "reply": 4.0, "accept": 3.0,
    "course_enrolled": 4.0, "lesson_viewed": 1.0, "lesson_completed": 2.0,
    "course_completed": 5.0,
}
ACTIONS = tuple(EVENT_WEIGHTS)
POPULARITY_HALF_LIFE_DAYS = 7.0
RECENCY_HALF_LIFE_DAYS = 14.0
NEIGHBOURS = 50


@dataclass(frozen=True)
class Catalogue:
    """Every item the history mentions; row `i` of each array describes item `i`."""

    kinds: np.ndarray        # THREAD or COURSE
    ids: np.ndarray          # database id within its kind
    titles: list[str]
    texts: list[str]         # see recommend_content.item_text
    tags: sparse.csr_matrix  # items x tags, 1 where the item carries the tag
    tag_names: list[str]
    candidate: np.ndarray    # may be recommended at all (live, open, published...)
    member_only: np.ndarray  # a non-member cannot open it
    age_days: np.ndarray     # since its last activity


@dataclass(frozen=True)
class Interactions:
    """One row per (user, item, action): how often, and how long ago the last one was."""

    users: np.ndarray        # user index
    items: np.ndarray        # item index into the catalogue
    actions: np.ndarray      # index into ACTIONS
    counts: np.ndarray
    age_days: np.ndarray


@dataclass(frozen=True)
class Pick:
    item: int
    score: float
    reason: str


def engagement(interactions: Interactions, half_life_days: float) -> np.ndarray:
    """Weight of each interaction row: its kind, diminishing returns on repeats, decay."""
    kind = np.array([EVENT_WEIGHTS[a] for a in ACTIONS], dtype=np.float32)[interactions.actions]
    return kind * (1 + np.log(np.maximum(interactions.counts, 1))) * decay(
        interactions.age_days, half_life_days)


class Recommender:
    """Fitted once per run (neighbours, item vectors, popularity), then asked for blocks of
    users, so memory stays bounded by the block and not by the number of users."""

    def __init__(self, catalogue: Catalogue, interactions: Interactions, n_users: int, *,
                 interests: sparse.csr_matrix | None = None, neighbours: int = NEIGHBOURS,
                 track: Callable[[Iterable], Iterable] = iter) -> None:
        self.catalogue = catalogue
        n_items = len(catalogue.ids)
        shape = (n_users, n_items)
        self.history = interaction_matrix(
            interactions.users, interactions.items, engagement(interactions, 30.0), shape)
        self.strongest_action = _strongest_actions(interactions, shape)
        candidates = np.flatnonzero(catalogue.candidate)
        # Grouped by kind, so each kind's columns in a block of scores are one slice.
        self.targets = candidates[np.argsort(catalogue.kinds[candidates], kind="stable")]
        target_kinds = catalogue.kinds[self.targets]
        self.kind_columns = {
            kind: slice(int(np.searchsorted(target_kinds, kind, side="left")),
                        int(np.searchsorted(target_kinds, kind, side="right")))
            for kind in (THREAD, COURSE)}
        self.neighbours = item_neighbours(self.history, self.targets, k=neighbours, track=track)
        self.vectors = item_vectors(catalogue.texts)
        # Every block of users is scored against the targets: their columns, cut once.
        self.target_neighbours = self.neighbours[:, self.targets].tocsr()
        self.target_terms = self.vectors[self.targets].T.tocsr()
        self._target_tags = catalogue.tags[self.targets].T.tocsr()
        self._tags_by_kind = {kind: catalogue.tags[self.targets[columns]].tocsr()
                              for kind, columns in self.kind_columns.items()}
        self._seen = self.strongest_action[:, self.targets].tocsr()
        popularity = np.bincount(interactions.items, minlength=n_items,
                                 weights=engagement(interactions, POPULARITY_HALF_LIFE_DAYS))
        self.popularity = popularity.astype(np.float32)
        for kind in (THREAD, COURSE):
            of_kind = catalogue.kinds == kind
            if of_kind.any():
                self.popularity[of_kind] = blending.scale_rows(self.popularity[None, of_kind])[0]
        self.recency = decay(catalogue.age_days, RECENCY_HALF_LIFE_DAYS)
        self.interests = (interests if interests is not None
                          else sparse.csr_matrix((n_users, catalogue.tags.shape[1])))

    def components(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Each component for users `rows` x target items, scaled 0-1 per user and kind."""
        targets = self.targets
        history = self.history[rows]
        cf = cf_scores(history, self.target_neighbours).toarray()
        content = content_scores(profiles(history, self.vectors), self.target_terms)
        interest = (self.interests[rows] @ self._target_tags).toarray()
        return {
            "cf": self._scale_by_kind(cf),
            "content": self._scale_by_kind(content),
            "interest": self._scale_by_kind(interest.astype(np.float32, copy=False)),
            "popularity": self.popularity[targets][None, :],
            "recency": self.recency[targets][None, :],
        }

    def _scale_by_kind(self, scores: np.ndarray) -> np.ndarray:
        """Scale each user's row within threads and within courses, which are ranked
        separately; in place."""
        for columns in self.kind_columns.values():
            blending.scale_rows(scores[:, columns])
        return scores

    def recommend(self, rows: np.ndarray, members: np.ndarray, limits: dict[int, int], *,
                  weights: dict[str, float] | None = None,
                  reasons: bool = True) -> list[dict[int, list[Pick]]]:
        """For each user row: kind -> best picks, never an item the user already engaged
        with, nor one they cannot open (`members[n]` says whether user `rows[n]` may open
        member-only items). Offline evaluation skips the `reasons`."""
        weights = blending.RECOMMENDER_WEIGHTS if weights is None else weights
        targets = self.targets
        components = self.components(rows)
        total = blending.blend(components, weights)
        allowed = ~(self._seen[rows] > 0).toarray()
        allowed &= members[:, None] | ~self.catalogue.member_only[targets][None, :]
        chosen = {kind: [[c + columns.start for c in picked] for picked in blending.pick_top_rows(
                      total[:, columns], allowed[:, columns], self._tags_by_kind[kind], limit)]
                  for kind, limit in limits.items()
                  for columns in (self.kind_columns[kind],)}
        results = []
        for n, row in enumerate(rows):
            mine = {kind: picked[n] for kind, picked in chosen.items()}
            everything = [c for picked in mine.values() for c in picked]
            texts = dict(zip(everything, self.reasons(
                int(row), targets[everything],
                blending.dominant(components, weights, n, everything)), strict=True)
            ) if reasons else {}
            results.append({kind: [Pick(int(targets[c]), float(total[n, c]), texts.get(c, ""))
                                   for c in picked]
                            for kind, picked in mine.items()})
        return results

    def reasons(self, row: int, items: np.ndarray, components: list[str]) -> list[str]:
        """The human reason for each of `items`, from the component that contributed most
        to it: the user's item behind a CF score, the tag a content match shares with what
        they engaged with most, a picked interest, or popularity and recency."""
        catalogue = self.catalogue
        start, end = self.history.indptr[row], self.history.indptr[row + 1]
        history, weight = self.history.indices[start:end], self.history.data[start:end]
        action_start, action_end = (self.strongest_action.indptr[row],
                                    self.strongest_action.indptr[row + 1])
        action_items = self.strongest_action.indices[action_start:action_end]
        action_codes = self.strongest_action.data[action_start:action_end]

        def action(item: int) -> str:
            return ACTIONS[int(action_codes[np.searchsorted(action_items, item)]) - 1]

        found: dict[int, str] = {}
        personal = [n for n, c in enumerate(components) if c in ("cf", "content")]
        if len(history) and personal:
            cf = [n for n in personal if components[n] == "cf"]
            if cf:
                for n, source in _strongest_sources(self.neighbours, history, weight,
                                                    items[cf]).items():
                    found[cf[n]] = blending.because(action(source), catalogue.titles[source])
            tag_weight, tag_source = _tag_sources(catalogue.tags, history, weight)
            for n in personal:
                tags = _tags_of(catalogue.tags, int(items[n]))
                if n in found or not len(tags) or tag_weight[tags].max() <= 0:
                    continue
                tag = int(tags[np.argmax(tag_weight[tags])])
                source = int(history[tag_source[tag]])
                found[n] = blending.matches(action(source), catalogue.tag_names[tag])
            rest = [n for n in personal if n not in found]
            if rest:
                similarity = (self.vectors[history] @ self.vectors[items[rest]].T).toarray()
                for n, column in zip(rest, similarity.T, strict=True):
                    source = int(history[int(np.argmax(column))])
                    found[n] = blending.because(action(source), catalogue.titles[source])
        picked = set(self.interests.indices[
            self.interests.indptr[row]:self.interests.indptr[row + 1]].tolist())
        for n, component in enumerate(components):
            if n in found:
                continue
            interesting = [t for t in _tags_of(catalogue.tags, int(items[n])) if t in picked]
            if component == "interest" and interesting:
                found[n] = blending.in_interests(catalogue.tag_names[interesting[0]])
            elif component == "recency":
                found[n] = blending.NEW_AND_ACTIVE
            else:
                found[n] = blending.popular()
        return [found[n] for n in range(len(components))]


def _tags_of(tags: sparse.csr_matrix, item: int) -> np.ndarray:
    return tags.indices[tags.indptr[item]:tags.indptr[item + 1]]


def _gather_rows(matrix: sparse.csr_matrix, rows: np.ndarray):
    """(position in `rows`, column, value) of every stored entry of `rows`, read straight
    from the CSR arrays: per user, a sparse slice would cost more than the work."""
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    position = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    entries = np.repeat(starts, lengths) + offsets
    return position, matrix.indices[entries], matrix.data[entries]


def _first_best(keys: np.ndarray, sources: np.ndarray, values: np.ndarray):
    """Per distinct key, the source with the largest value (ties to the first source)."""
    order = np.lexsort((sources, -values, keys))
    keys = keys[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]][:len(keys)])
    return keys[first], sources[order][first], values[order][first]


def _strongest_sources(neighbours: sparse.csr_matrix, history: np.ndarray,
                       weight: np.ndarray, items: np.ndarray) -> dict[int, int]:
    """For each of `items` (by position) that neighbours the history: the history item
    contributing most to its CF score."""
    source, column, value = _gather_rows(neighbours, history)
    order = np.argsort(items, kind="stable")
    at = np.minimum(np.searchsorted(items[order], column), len(items) - 1)
    hit = (items[order][at] == column)
    contribution = value[hit] * weight[source[hit]]
    positive = contribution > 0
    keys, best, _ = _first_best(order[at[hit]][positive], source[hit][positive],
                                contribution[positive])
    return {int(k): int(history[b]) for k, b in zip(keys, best, strict=True)}


def _tag_sources(tags: sparse.csr_matrix, history: np.ndarray, weight: np.ndarray):
    """Per tag: the heaviest history weight among items carrying it (0 if none), and the
    history position of that item."""
    source, tag, _ = _gather_rows(tags, history)
    tag_weight = np.zeros(tags.shape[1], dtype=np.float64)
    tag_source = np.zeros(tags.shape[1], dtype=np.int64)
    keys, best, value = _first_best(tag, source, weight[source].astype(np.float64))
    tag_weight[keys], tag_source[keys] = value, best
    return tag_weight, tag_source


def _strongest_actions(interactions: Interactions, shape: tuple[int, int]) -> sparse.csr_matrix:
    """users x items: 1 + the ACTIONS index of the weightiest thing the user did with it."""
    if not len(interactions.users):
        return sparse.csr_matrix(shape, dtype=np.int16)
    kind = np.array([EVENT_WEIGHTS[a] for a in ACTIONS])[interactions.actions]
    keys = interactions.users.astype(np.int64) * shape[1] + interactions.items
    order = np.lexsort((kind, keys))[::-1]
    _, first = np.unique(keys[order], return_index=True)
    best = order[first]
    matrix = sparse.csr_matrix(
        (interactions.actions[best].astype(np.int16) + 1,
         (interactions.users[best], interactions.items[best])), shape=shape)
    matrix.sort_indices()
    return matrix


RELATED_CONTENT_WEIGHT = 0.5  # "Related" threads: half co-engagement, half content


def related(model: Recommender, kind: int, k: int, *, block: int = 1000,
            track: Callable[[Iterable], Iterable] = iter) -> list[tuple[int, int, float]]:
    """(item, related item, score) for every target item of `kind`, best `k` each.

    Threads blend co-engagement and content; courses rank co-enrolment first (people who
    took this took that) and fill with content similarity.
    """
    of_kind = model.catalogue.kinds[model.targets] == kind
    targets = model.targets[of_kind]
    neighbours = model.target_neighbours[:, of_kind].tocsr()
    terms = model.target_terms[:, of_kind].tocsr()
    found = []
    for start in track(range(0, len(targets), block)):
        rows = targets[start:start + block]
        cf = neighbours[rows].toarray()
        content = (top_k_per_row(model.vectors[rows], QUERY_TERMS) @ terms).toarray()
        if kind == THREAD:
            scores = (1 - RELATED_CONTENT_WEIGHT) * cf + RELATED_CONTENT_WEIGHT * content
        else:
            scores = np.where(cf > 0, 1 + cf, content)
        scores[np.arange(len(rows)), np.arange(start, start + len(rows))] = 0
        for n, best in enumerate(blending.top_columns(scores, k)):
            found.extend((int(rows[n]), int(targets[b]), float(scores[n, b])) for b in best)
    return found
