"""The recommender's pure parts on tiny hand-made inputs with known answers."""

import math

import numpy as np
import pytest
from scipy import sparse

from app.insights import (
    recommend,
    recommend_answerable,
    recommend_blend,
    recommend_cf,
    recommend_content,
    recommend_metrics,
)
from app.insights.recommend import (
    ACTIONS,
    COURSE,
    THREAD,
    Catalogue,
    Interactions,
    Recommender,
)
from app.insights.recommend_blend import pick_top, pick_top_rows
from tests.fixtures.purity import impure_imports


@pytest.mark.parametrize(
    "module", [recommend, recommend_answerable, recommend_blend, recommend_cf, recommend_content,
               recommend_metrics])
def test_the_module_imports_nothing_from_flask_sqlalchemy_or_the_app(module):
    assert impure_imports(module, app_allowed=("app.insights.recommend",)) == []


def test_item_neighbours_are_cosine_of_item_columns_without_self():
    # users x items: items 0 and 1 always together, item 2 alone with user 2.
    x = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=np.float32))
    s = recommend_cf.item_neighbours(x, np.array([0, 1, 2]), k=5, block=2).toarray()
    assert s[0, 1] == pytest.approx(1.0) and s[1, 0] == pytest.approx(1.0)
    assert s[0, 0] == 0 and s[2, 2] == 0
    assert s[0, 2] == 0


def test_top_k_per_row_keeps_the_largest_and_breaks_ties_by_column():
    m = sparse.csr_matrix(np.array([[0.1, 0.5, 0.5, 0.3]], dtype=np.float32))
    assert recommend_cf.top_k_per_row(m, 2).toarray().tolist() == [[0, 0.5, 0.5, 0]]
    assert recommend_cf.top_k_per_row(m, 1).toarray()[0].tolist() == [0, 0.5, 0, 0]


def test_decay_halves_after_one_half_life():
    assert recommend_cf.decay(np.array([0.0, 30.0, 60.0]), 30.0).tolist() == [1, 0.5, 0.25]


def test_metrics_on_hand_computed_cases():
    recommended = [[1, 2, 3], [4, 5, 6]]
    relevant = [{3}, {9}]
    assert recommend_metrics.hit_rate_at_k(recommended, relevant, k=3) == 0.5
    assert recommend_metrics.hit_rate_at_k(recommended, relevant, k=2) == 0.0
    # user 1: hit at rank 3 -> 1/log2(4) = 0.5, ideal 1; user 2: 0.
    assert recommend_metrics.ndcg_at_k(recommended, relevant, k=3) == pytest.approx(0.25)
    # two relevant items at ranks 1 and 3: (1 + 0.5) / (1 + 1/log2(3))
    assert recommend_metrics.ndcg_at_k([[7, 0, 8]], [{7, 8}], k=3) == pytest.approx(
        1.5 / (1 + 1 / math.log2(3)))
    assert recommend_metrics.coverage(recommended, 12, k=2) == pytest.approx(4 / 12)
    assert recommend_metrics.hit_rate_at_k([], [], k=10) == 0.0


def test_pick_top_caps_one_tag_at_three_in_the_first_ten():
    # Items 0-5 carry tag 0 and score highest; items 6-17 carry tags 1, 2, 3 in turn.
    n = 18
    scores = np.linspace(1.0, 0.1, n).astype(np.float32)
    tag_of = [0] * 6 + [1, 2, 3] * 4
    tags = sparse.csr_matrix((np.ones(n), (np.arange(n), tag_of)), shape=(n, 4))
    picked = pick_top(scores, np.ones(n, bool), tags, n)
    first_ten = [tag_of[i] for i in picked[:10]]
    assert all(first_ten.count(t) <= 3 for t in range(4))
    assert picked[:4] == [0, 1, 2, 6]
    assert picked[10:13] == [3, 4, 5]  # the waiting ones come right after the first ten
    assert sorted(picked) == list(range(n))


def test_pick_top_stays_short_rather_than_break_the_cap_and_skips_disallowed():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5], dtype=np.float32)
    tags = sparse.csr_matrix(np.ones((5, 1)))
    allowed = np.array([True, False, True, True, True])
    assert pick_top(scores, allowed, tags, 10) == [0, 2, 3]
    assert pick_top(np.zeros(5, np.float32), allowed, tags, 10) == []


def test_pick_top_rows_picks_what_pick_top_picks_for_each_row():
    rng = np.random.default_rng(3)
    n_items = 200
    # Half the items share tag 0, so the cap often sends a row past its first shortlist.
    tag_of = np.where(rng.random(n_items) < 0.5, 0, rng.integers(1, 20, n_items))
    tags = sparse.csr_matrix((np.ones(n_items), (np.arange(n_items), tag_of)), shape=(n_items, 20))
    scores = rng.random((40, n_items)).astype(np.float32)
    scores[scores < 0.3] = 0
    scores[5] = 0  # a user with nothing to recommend
    scores[6, tag_of != 0] = 0  # only tag-0 items: the list stays short
    allowed = rng.random((40, n_items)) < 0.8
    rows = pick_top_rows(scores, allowed, tags, 20)
    assert rows == [pick_top(scores[r], allowed[r], tags, 20) for r in range(40)]
    assert rows[5] == [] and len(rows[6]) == 3


def _catalogue(n_threads: int, *, candidate=None, member_only=(), course_titles=()):
    titles = [f"Thread {i}" for i in range(n_threads)] + list(course_titles)
    n = len(titles)
    kinds = np.array([THREAD] * n_threads + [COURSE] * len(course_titles))
    texts = ["pandas dataframe groupby" if i % 2 else "docker container image" for i in range(n)]
    tag_of = [i % 2 for i in range(n)]
    mask = np.zeros(n, bool)
    mask[list(member_only)] = True
    return Catalogue(
        kinds=kinds, ids=np.arange(100, 100 + n), titles=titles, texts=texts,
        tags=sparse.csr_matrix((np.ones(n), (np.arange(n), tag_of)), shape=(n, 2)),
        tag_names=["docker", "pandas"],
        candidate=np.ones(n, bool) if candidate is None else np.asarray(candidate),
        member_only=mask, age_days=np.zeros(n),
    )


def _interactions(rows):
    """rows: (user, item, action name)"""
    users, items, actions = zip(*rows, strict=True)
    return Interactions(np.array(users), np.array(items),
                        np.array([ACTIONS.index(a) for a in actions]),
                        np.ones(len(rows)), np.zeros(len(rows)))


def test_cf_recommends_the_item_co_consumed_with_yours_and_says_why():
    # Users 0-2 answered thread 0 and read thread 1; user 3 answered thread 0 only.
    rows = [(u, 0, "answer") for u in range(4)] + [(u, 1, "view") for u in range(3)]
    rows += [(4, 2, "view"), (5, 3, "view")]
    model = Recommender(_catalogue(4), _interactions(rows), 6)
    picks = model.recommend(np.array([3]), np.array([False]), {THREAD: 2},
                            weights={"cf": 1.0})[0][THREAD]
    assert [p.item for p in picks] == [1]
    assert picks[0].reason == "Because you answered “Thread 0”"


def test_never_recommends_seen_non_candidate_or_member_only_items():
    rows = [(u, i, "view") for u in range(3) for i in range(5)] + [(3, 0, "ask")]
    catalogue = _catalogue(5, candidate=[True, True, False, True, True], member_only=[3])
    model = Recommender(catalogue, _interactions(rows), 4)
    items = {p.item for p in model.recommend(np.array([3]), np.array([False]),
                                             {THREAD: 10})[0][THREAD]}
    assert items == {1, 4}
    member = {p.item for p in model.recommend(np.array([3]), np.array([True]),
                                              {THREAD: 10})[0][THREAD]}
    assert member == {1, 3, 4}


def test_content_and_interest_reasons_name_the_tag():
    rows = [(0, 1, "ask"), (1, 2, "view"), (1, 4, "view")]
    model = Recommender(_catalogue(6), _interactions(rows), 3,
                        interests=sparse.csr_matrix(np.array([[0, 0], [0, 0], [1, 0]])))
    picks = model.recommend(np.array([0]), np.array([False]), {THREAD: 1},
                            weights={"content": 1.0})[0][THREAD]
    assert picks[0].item in (3, 5) and picks[0].reason == "Matches your #pandas questions"
    cold = model.recommend(np.array([2]), np.array([False]), {THREAD: 3},
                           weights={"interest": 1.0})[0][THREAD]
    assert {p.item for p in cold} == {0, 2, 4}
    assert cold[0].reason == "In your interests: #docker"


def test_courses_are_ranked_apart_from_threads():
    rows = [(u, 0, "view") for u in range(3)] + [(u, 3, "course_enrolled") for u in range(3)]
    rows += [(3, 0, "view")]
    model = Recommender(_catalogue(3, course_titles=["Course A", "Course B"]),
                        _interactions(rows), 4)
    picks = model.recommend(np.array([3]), np.array([False]), {THREAD: 5, COURSE: 5})[0]
    assert picks[COURSE][0].item == 3
    assert picks[COURSE][0].reason == "Because you read “Thread 0”"
    assert all(p.item < 3 for p in picks[THREAD])


def test_answerable_ranks_questions_in_scored_tags_and_skips_own_and_member_only():
    # Two users; tags: 0 pandas, 1 docker. User 0 scored 5 in pandas, user 1 2 in docker.
    answer_tags = sparse.csr_matrix(np.array([[5.0, 0.0], [0.0, 2.0]]))
    # Questions: 0 pandas (by user 0), 1 pandas, 2 docker, 3 pandas+docker member-only.
    question_tags = sparse.csr_matrix(np.array([[1, 0], [1, 0], [0, 1], [1, 1]], float))
    ranked = recommend_answerable.rank_answerable(
        answer_tags, question_tags, recency=np.array([1.0, 0.5, 1.0, 1.0]),
        authors=np.array([0, -1, -1, -1]), member_only=np.array([False, False, False, True]),
        members=np.array([False, True]), n=5, block=1)
    assert [(q, tag) for q, _, tag in ranked[0]] == [(1, 0)]
    assert [(q, tag) for q, _, tag in ranked[1]] == [(2, 1), (3, 1)]


def test_related_threads_blend_co_engagement_and_content_never_themselves():
    rows = [(u, 0, "view") for u in range(3)] + [(u, 2, "view") for u in range(3)]
    model = Recommender(_catalogue(4), _interactions(rows), 3)
    pairs = recommend.related(model, THREAD, 2)
    by_item = {}
    for item, other, score in pairs:
        by_item.setdefault(item, []).append((other, score))
    assert all(item != other for item, other, _ in pairs)
    assert by_item[0][0][0] == 2  # read together and alike in words (both "docker")
    assert by_item[0][0][1] == pytest.approx(1.0)

