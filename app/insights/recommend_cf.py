"""Item-item collaborative filtering on implicit feedback, as sparse matrix products.

Pure: arrays in, arrays out. An item's neighbours are the items whose columns of the
user x item matrix point the same way (cosine), so "people who engaged with this also
engaged with that" falls out of one product, done in blocks of items to bound memory.
"""

from collections.abc import Callable, Iterable

import numpy as np
from scipy import sparse

HALF_LIFE_DAYS = 30.0


def decay(age_days: np.ndarray, half_life_days: float = HALF_LIFE_DAYS) -> np.ndarray:
    """Weight of an interaction `age_days` old: 1 today, 1/2 after one half-life."""
    return np.power(0.5, np.maximum(age_days, 0.0) / half_life_days).astype(np.float32)


def interaction_matrix(users: np.ndarray, items: np.ndarray, values: np.ndarray,
                       shape: tuple[int, int]) -> sparse.csr_matrix:
    """users x items, duplicates summed."""
    matrix = sparse.csr_matrix(
        (np.asarray(values, dtype=np.float32), (np.asarray(users), np.asarray(items))),
        shape=shape,
    )
    matrix.sum_duplicates()
    return matrix


def top_k_per_row(matrix: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keep the `k` largest entries of each row (ties broken by column index)."""
    matrix = matrix.tocsr()
    lengths = np.diff(matrix.indptr)
    if lengths.max(initial=0) <= k:
        return matrix
    data, indices, indptr = [], [], [0]
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        values, cols = matrix.data[start:end], matrix.indices[start:end]
        if end - start > k:
            keep = np.lexsort((cols, -values))[:k]
            values, cols = values[keep], cols[keep]
        data.append(values)
        indices.append(cols)
        indptr.append(indptr[-1] + len(values))
    return sparse.csr_matrix(
        (np.concatenate(data), np.concatenate(indices), np.array(indptr)), shape=matrix.shape
    )


def item_neighbours(interactions: sparse.csr_matrix, targets: np.ndarray, *, k: int = 50,
                    block: int = 1000,
                    track: Callable[[Iterable], Iterable] = iter) -> sparse.csr_matrix:
    """items x items: for every item, cosine similarity to its `k` nearest `targets`.

    Only target columns are filled (the items one may recommend), which keeps the product
    small; an item is never its own neighbour.
    """
    n_items = interactions.shape[1]
    norms = np.sqrt(np.asarray(interactions.multiply(interactions).sum(axis=0)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    normalised = (interactions @ sparse.diags(inverse.astype(np.float32))).tocsc()
    by_item = normalised.T.tocsr()
    to_targets = normalised[:, targets].tocsr()
    blocks = []
    for start in track(range(0, n_items, block)):
        sims = (by_item[start:start + block] @ to_targets).tocoo()
        cols = targets[sims.col]
        keep = cols != sims.row + start
        blocks.append(top_k_per_row(sparse.csr_matrix(
            (sims.data[keep], (sims.row[keep], cols[keep])),
            shape=(min(block, n_items - start), n_items),
        ), k))
    if not blocks:
        return sparse.csr_matrix((n_items, n_items), dtype=np.float32)
    return sparse.vstack(blocks, format="csr")


def cf_scores(history: sparse.csr_matrix, neighbours: sparse.csr_matrix) -> sparse.csr_matrix:
    """users x items: each item's similarity to the user's items, weighted by engagement."""
    return (history @ neighbours).tocsr()
