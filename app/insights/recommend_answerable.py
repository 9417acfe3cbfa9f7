""""Questions you can answer": open questions in the tags where someone's answers scored.

Pure: sparse matrices and arrays in, ranked question indices out.
"""

import numpy as np
from scipy import sparse


def rank_answerable(answer_tags: sparse.csr_matrix, question_tags: sparse.csr_matrix,
                    recency: np.ndarray, authors: np.ndarray, member_only: np.ndarray,
                    members: np.ndarray, n: int, *, block: int = 1000
                    ) -> list[list[tuple[int, float, int]]]:
    """For each user row: (question, score, the tag that matched most), best `n` first.

    `answer_tags` is users x tags (the score their answers earned in each tag) and
    `question_tags` questions x tags; `recency` weighs newer questions up, `authors` gives
    each question's asker as a user row (-1 if none), who is never sent their own
    question, and member-only questions go only to `members`.
    """
    results = []
    for start in range(0, answer_tags.shape[0], block):
        scores = (answer_tags[start:start + block] @ question_tags.T).toarray() * recency
        for offset, row_scores in enumerate(scores):
            row = start + offset
            row_scores[authors == row] = 0
            if not members[row]:
                row_scores[member_only] = 0
            found = np.flatnonzero(row_scores > 0)
            found = found[np.lexsort((found, -row_scores[found]))][:n]
            user_tags = np.zeros(answer_tags.shape[1])
            span = slice(answer_tags.indptr[row], answer_tags.indptr[row + 1])
            user_tags[answer_tags.indices[span]] = answer_tags.data[span]
            picks = []
            for question in found:
                tags = question_tags.indices[
                    question_tags.indptr[question]:question_tags.indptr[question + 1]]
                picks.append((int(question), float(row_scores[question]),
                              int(tags[np.argmax(user_tags[tags])])))
            results.append(picks)
    return results


def answer_reason(tag: str) -> str:
    return f"Your answers in #{tag} scored"
