"""Content similarity: TF-IDF over titles, bodies and tags; a user is the weighted mean of
the items they engaged with. Pure: texts and sparse matrices in, scores out."""

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from app.insights.recommend_cf import top_k_per_row

MAX_FEATURES = 50_000
# A query keeps only its heaviest terms: the light ones are common words, which cost
# most in the sparse products and move the cosine least.
QUERY_TERMS = 20
PROFILE_TERMS = 50


def item_text(title: str, body: str, tags: list[str]) -> str:
    """Title and tags count twice: they say what an item is about better than its body."""
    tag_words = " ".join(tags)
    return f"{title} {title} {tag_words} {tag_words} {body}"


def item_vectors(texts: list[str], *, max_features: int = MAX_FEATURES) -> sparse.csr_matrix:
    """items x terms, each row of unit length (rows of empty texts stay zero)."""
    if not any(text.strip() for text in texts):
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    vectorizer = TfidfVectorizer(max_features=max_features, sublinear_tf=True,
                                 stop_words="english", dtype=np.float32)
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # only stop words: nothing to compare on
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def profiles(history: sparse.csr_matrix, vectors: sparse.csr_matrix) -> sparse.csr_matrix:
    """users x terms: the engagement-weighted mean of the user's item vectors, cut to its
    PROFILE_TERMS heaviest terms, unit length."""
    weights = normalize(history, norm="l1", axis=1)
    return normalize(top_k_per_row(weights @ vectors, PROFILE_TERMS), norm="l2", axis=1).tocsr()


def content_scores(user_profiles: sparse.csr_matrix, target_terms: sparse.csr_matrix
                   ) -> np.ndarray:
    """users x targets cosine similarity, dense (a block of users at a time);
    `target_terms` is terms x targets, the targets' vectors transposed once per run."""
    return np.asarray((user_profiles @ target_terms).toarray(), dtype=np.float32)
