"""Personas: KMeans over engagement components, each cluster named from its centre. Pure."""

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score

from app.insights import engagement_rules as rules

# What a cluster is called when this component stands out most in its centre.
ACTION_NAMES = {
    "contribution": "contributors",
    "reception": "valued answerers",
    "learning": "course-focused learners",
    "competing": "competitors",
}
# Below this in every action component, a centre is a reader, not a doer.
ACTION_FLOOR = 0.15
# Readers who come often are lurkers; the rest drift by.
LURKER_FREQUENCY = 0.3
# Same-named clusters, from the highest mean score down.
QUALIFIERS = ("core", "regular", "occasional", "casual")


@dataclass(frozen=True)
class Personas:
    labels: np.ndarray  # cluster per user
    centres: np.ndarray  # k x components
    names: list[str]
    sizes: list[int]
    silhouette: float


def find_personas(components: np.ndarray, scores: np.ndarray) -> Personas | None:
    """The k in [PERSONA_K_MIN, PERSONA_K_MAX] with the best silhouette, fitted on a
    fixed-seed sample and applied to everyone; None with too few users to cluster."""
    n = len(components)
    if n < rules.PERSONA_MIN_USERS:
        return None
    rng = np.random.default_rng(rules.RANDOM_STATE)
    sample = components
    if n > rules.PERSONA_SAMPLE:
        sample = components[rng.choice(n, rules.PERSONA_SAMPLE, replace=False)]
    best = None
    for k in range(rules.PERSONA_K_MIN, min(rules.PERSONA_K_MAX, len(sample) - 1) + 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # fewer distinct points than k
            model = KMeans(n_clusters=k, n_init=rules.PERSONA_N_INIT,
                           random_state=rules.RANDOM_STATE).fit(sample)
        if len(np.unique(model.labels_)) < 2:
            continue
        quality = float(silhouette_score(
            sample, model.labels_, sample_size=min(len(sample), rules.SILHOUETTE_SAMPLE),
            random_state=rules.RANDOM_STATE))
        if best is None or quality > best[0]:
            best = (quality, model)
    if best is None:
        return None
    quality, model = best
    labels = model.predict(components)
    sizes = np.bincount(labels, minlength=model.n_clusters)
    mean_scores = [float(scores[labels == c].mean()) if sizes[c] else 0.0
                   for c in range(model.n_clusters)]
    names = name_clusters(model.cluster_centers_, components.mean(axis=0), mean_scores)
    return Personas(labels, model.cluster_centers_, names, [int(s) for s in sizes], quality)


def name_clusters(centres: np.ndarray, overall: np.ndarray, mean_scores: list[float]) -> list[str]:
    """A readable, distinct name per centre (components in `rules.COMPONENTS` order).

    The action component that stands out most against the overall mean names the
    cluster; a centre low in every action is "lurkers" or "drifting visitors" by how
    often it comes. Clusters that end up with the same name are told apart by their mean
    score, highest first: "core", "regular", "occasional", "casual" (numbers past four).
    """
    index = {name: i for i, name in enumerate(rules.COMPONENTS)}
    names = [_base_name(centre, overall, index) for centre in centres]
    for name in set(names):
        same = sorted((c for c, n in enumerate(names) if n == name), key=lambda c: -mean_scores[c])
        if len(same) < 2:
            continue
        for cluster, qualified in zip(same, _qualified(name, len(same)), strict=True):
            names[cluster] = qualified
    return names


def _qualified(name: str, count: int) -> list[str]:
    """`count` distinct names, highest score first; numbered past the four qualifiers."""
    if count > len(QUALIFIERS):
        return [f"{name} {rank}" for rank in range(1, count + 1)]
    return [f"{q} {name}" for q in (*QUALIFIERS[:count - 1], QUALIFIERS[-1])]


def _base_name(centre: np.ndarray, overall: np.ndarray, index: dict[str, int]) -> str:
    actions = list(ACTION_NAMES)
    values = np.array([centre[index[a]] for a in actions])
    if values.max() < ACTION_FLOOR:
        return "lurkers" if centre[index["frequency"]] >= LURKER_FREQUENCY else "drifting visitors"
    relative = values / np.maximum([overall[index[a]] for a in actions], 1e-6)
    relative[values < ACTION_FLOOR] = 0.0
    return ACTION_NAMES[actions[int(np.argmax(relative))]]
