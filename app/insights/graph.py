"""Communities in the graph of who works with whom: plain values in, plain values out.

The communities job feeds this module (user, user, weight) ties it read from the event
log; nothing here knows about Flask, the database or `app`, so it is tested and
benchmarked on hand-made graphs.
"""

import math
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from operator import methodcaller

import networkx as nx
import numpy as np
from scipy import sparse

# How much one interaction ties two people, before it fades with age.
KIND_WEIGHTS = {"answer": 3.0, "reply": 2.0, "vote": 1.0, "thread": 0.5}
HALF_LIFE_DAYS = 30.0
# A busy thread would otherwise tie everyone in it to everyone else (a clique of n^2 ties).
THREAD_TIES_CAP = 10
# Members whose ties spread at least this much across communities are its bridges
# (0.5 is a person split evenly between two communities).
BRIDGE_MIN_PARTICIPATION = 0.4
# Two communities of successive runs are the same one when this many of their members
# (Jaccard: shared / either) are the same.
SAME_COMMUNITY_JACCARD = 0.3
# Louvain's first level stops when a pass moves fewer than this share of the people: later
# passes move a handful each and barely change modularity.
LOUVAIN_SETTLED = 0.01

Node = Hashable
_weight = methodcaller("get", "weight", 1.0)


def interaction_weight(kind: str, age_days: float, *, half_life: float = HALF_LIFE_DAYS) -> float:
    """The weight of one interaction of `kind`, halved every `half_life` days of age."""
    return KIND_WEIGHTS[kind] * 0.5 ** (max(age_days, 0.0) / half_life)


def thread_ties(participants: Sequence[tuple[Node, float]], *,
                cap: int = THREAD_TIES_CAP) -> list[tuple[Node, Node, float]]:
    """Ties between people who took part in one thread: `participants` are (person, age in
    days of their part), in order of arrival, the thread's author first.

    Each newcomer is tied to the author and to at most `cap` of the people just before
    them, so a thread of n people gives O(n * cap) ties rather than a clique; a tie fades
    with the newcomer's age.
    """
    ties = []
    for i in range(1, len(participants)):
        person, age = participants[i]
        weight = interaction_weight("thread", age)
        ties.extend((other, person, weight)
                    for other, _ in [participants[0], *participants[max(1, i - cap):i]])
    return ties


def build_graph(ties: Iterable[tuple[Node, Node, float]]) -> nx.Graph:
    """An undirected graph whose edge weights sum the ties between each pair; self-ties
    and ties of no weight are dropped. The people of a tie are of one type, ordered."""
    weights: dict[tuple[Node, Node], float] = defaultdict(float)
    for a, b, weight in ties:
        if a != b and weight > 0:
            weights[(a, b) if a <= b else (b, a)] += weight
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in weights.items())
    return graph


def detect_communities(graph: nx.Graph, *, seed: int = 42,
                       resolution: float = 1.0) -> tuple[list[set], float]:
    """Louvain communities, largest first (ties by smallest member), and their modularity.

    The first level, on every person, is ours: passes over the nodes stop once one moves
    fewer than `LOUVAIN_SETTLED` of them (networkx goes on until none moves, a dozen more
    passes that gain next to nothing on a big graph). The groups found are merged into
    one node each and networkx runs Louvain on that small graph. A fixed seed makes the
    same graph give the same communities on every run.
    """
    if graph.number_of_edges() == 0:
        return [], 0.0
    nodes, adjacency = _adjacency(graph)
    first = _move_nodes(adjacency, resolution, random.Random(seed))
    groups = _aggregate(adjacency, first)
    merged = nx.community.louvain_communities(groups, weight="weight", resolution=resolution,
                                              seed=seed)
    label = np.empty(groups.number_of_nodes(), dtype=np.int64)
    for index, members in enumerate(merged):
        label[list(members)] = index
    label = label[first]
    found = [set() for _ in merged]
    for node, index in zip(nodes, label.tolist(), strict=True):
        found[index].add(node)
    order = sorted(range(len(found)), key=lambda i: (-len(found[i]), min(map(_key, found[i]))))
    return [found[i] for i in order], _modularity(adjacency, label, resolution)


def member_scores(graph: nx.Graph, communities: Sequence[set]) -> dict[Node, tuple[float, float]]:
    """Each member's (strength inside their community, participation coefficient).

    Strength is the summed weight of their ties inside the community: the most central
    members have the most of it. Participation is 1 - sum over communities c of
    (weight of ties into c / weight of all ties)^2: 0 when every tie stays at home, near 1
    when ties spread evenly over many communities. One sparse product: people x communities.
    """
    nodes, adjacency = _adjacency(graph)
    membership = {node: index for index, members in enumerate(communities) for node in members}
    home = np.array([membership.get(node, -1) for node in nodes], dtype=np.int64)
    placed = np.flatnonzero(home >= 0)
    one_hot = sparse.csr_array((np.ones(len(placed)), (placed, home[placed])),
                               shape=(len(nodes), max(len(communities), 1)))
    into = (adjacency @ one_hot).tocsr()
    total = np.asarray(adjacency.sum(axis=1)).ravel()
    inside = np.asarray(into[np.arange(len(nodes)), np.maximum(home, 0)]).ravel()
    squares = np.asarray(into.multiply(into).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where(total > 0, 1.0 - squares / total**2, 0.0)
    spread = np.maximum(spread, 0.0)
    return {nodes[i]: (float(inside[i]), float(spread[i])) for i in placed.tolist()}


def central_members(scores: dict[Node, tuple[float, float]], members: Iterable[Node],
                    k: int) -> list[Node]:
    """The `k` members with the most strength inside the community (ties by node)."""
    return sorted(members, key=lambda n: (-scores[n][0], _key(n)))[:k]


def bridge_members(scores: dict[Node, tuple[float, float]], members: Iterable[Node], k: int, *,
                   minimum: float = BRIDGE_MIN_PARTICIPATION) -> list[Node]:
    """Up to `k` members whose participation is at least `minimum`, the most spread first."""
    bridges = [n for n in members if scores[n][1] >= minimum]
    return sorted(bridges, key=lambda n: (-scores[n][1], _key(n)))[:k]


def match_communities(previous: dict[int, set], current: Sequence[set], next_key: int, *,
                      threshold: float = SAME_COMMUNITY_JACCARD) -> dict[int, set]:
    """Give each current community the key of the previous one it continues, or a new key.

    Pairs are taken greedily, the most similar (Jaccard) first, each previous key used
    once; a pair below `threshold` is not the same community. Unmatched communities get
    keys from `next_key` up, in their order in `current`. Only communities sharing a
    member are compared, through an index of previous members.
    """
    owner = {node: key for key, members in previous.items() for node in members}
    pairs = []
    for index, members in enumerate(current):
        shared = Counter(owner[n] for n in members if n in owner)
        for key, overlap in shared.items():
            jaccard = overlap / (len(members) + len(previous[key]) - overlap)
            if jaccard >= threshold:
                pairs.append((-jaccard, key, index))
    keys: dict[int, int] = {}
    taken: set[int] = set()
    for _, key, index in sorted(pairs):
        if key not in taken and index not in keys:
            keys[index] = key
            taken.add(key)
    matched = {}
    for index, members in enumerate(current):
        if index not in keys:
            keys[index] = next_key
            next_key += 1
        matched[keys[index]] = members
    return matched


LABEL_CANDIDATES = 8  # a community's lead pair is drawn from its 8 best tags


def label_tags(tag_counts: Sequence[Counter], site_counts: Counter, site_total: int, *,
               k: int = 3) -> list[list[str]]:
    """The `k` tags that set each community apart from the site, best first.

    TF-IDF: a tag's share of the community's tagged threads times log(site threads /
    site threads with the tag), so a tag every thread carries scores nothing however
    common it is in the community. Ties go to the more used tag, then by name. Labels show
    the first two tags, so no two communities lead with the same pair: a later community
    whose best pair is taken leads with its best pair still free (earlier ones, which the
    caller lists biggest first, keep theirs).
    """
    labels, taken = [], set()
    for counts in tag_counts:
        total = sum(counts.values())
        scored = []
        for tag, count in counts.items():
            idf = math.log((1 + site_total) / (1 + site_counts.get(tag, 0)))
            if idf > 0:
                scored.append((-(count / total) * idf, -count, tag))
        ranked = [tag for *_, tag in sorted(scored)]
        lead = next((pair for pair in _pairs_best_first(ranked[:LABEL_CANDIDATES])
                     if frozenset(pair) not in taken), ranked[:2])
        taken.add(frozenset(lead))
        labels.append([*lead, *(tag for tag in ranked if tag not in lead)][:k])
    return labels


def _pairs_best_first(ranked: list[str]) -> list[tuple[str, str]]:
    """Ordered pairs of `ranked` tags, the pair with the better ranks first."""
    pairs = [(i, j) for i in range(len(ranked)) for j in range(i + 1, len(ranked))]
    return [(ranked[i], ranked[j]) for i, j in sorted(pairs, key=lambda p: (p[0] + p[1], p[0]))]


def _adjacency(graph: nx.Graph) -> tuple[list[Node], sparse.csr_array]:
    """The graph's nodes and its symmetric weighted adjacency matrix, in that node order;
    a self-loop counts twice, as networkx counts it in degrees and modularity."""
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    for node, neighbours in graph.adjacency():
        rows.extend([index[node]] * len(neighbours))
        cols.extend(map(index.__getitem__, neighbours))
        weights.extend(map(_weight, neighbours.values()))
    rows, cols, weights = np.array(rows), np.array(cols), np.array(weights, dtype=float)
    weights[rows == cols] *= 2
    return nodes, sparse.csr_array((weights, (rows, cols)), shape=(len(nodes), len(nodes)))


def _move_nodes(adjacency: sparse.csr_array, resolution: float, rng: random.Random) -> np.ndarray:
    """Louvain's first level: each node in turn joins the neighbouring group that raises
    modularity most, in passes until one moves fewer than `LOUVAIN_SETTLED` of the nodes.
    Returns each node's group, numbered from 0."""
    n = adjacency.shape[0]
    degree = np.asarray(adjacency.sum(axis=1)).ravel().tolist()
    scale = resolution / adjacency.sum()
    links = (sparse.triu(adjacency, k=1) + sparse.tril(adjacency, k=-1)).tocsr()
    indptr, indices, data = links.indptr.tolist(), links.indices.tolist(), links.data.tolist()
    neighbours = [list(zip(indices[indptr[u]:indptr[u + 1]], data[indptr[u]:indptr[u + 1]],
                           strict=True)) for u in range(n)]
    group = list(range(n))
    total = list(degree)
    order = list(range(n))
    rng.shuffle(order)
    moves = n
    while moves > LOUVAIN_SETTLED * n:
        moves = 0
        for u in order:
            towards: dict[int, float] = {}
            get = towards.get
            for v, weight in neighbours[u]:
                to = group[v]
                towards[to] = get(to, 0.0) + weight
            own, k = group[u], degree[u]
            total[own] -= k
            k_scale = k * scale
            best, best_gain = own, get(own, 0.0) - total[own] * k_scale
            for candidate, weight in towards.items():
                gain = weight - total[candidate] * k_scale
                if gain > best_gain:
                    best, best_gain = candidate, gain
            total[best] += k
            if best != own:
                group[u] = best
                moves += 1
    return np.unique(group, return_inverse=True)[1]


def _aggregate(adjacency: sparse.csr_array, group: np.ndarray) -> nx.Graph:
    """One node per group; ties between groups summed, ties inside one become a self-loop."""
    n, size = adjacency.shape[0], int(group.max()) + 1
    one_hot = sparse.csr_array((np.ones(n), (np.arange(n), group)), shape=(n, size))
    merged = (one_hot.T @ adjacency @ one_hot).tocoo()
    upper = merged.row <= merged.col
    weights = np.where(merged.row == merged.col, merged.data / 2, merged.data)[upper]
    groups = nx.Graph()
    groups.add_nodes_from(range(size))
    groups.add_weighted_edges_from(zip(merged.row[upper].tolist(), merged.col[upper].tolist(),
                                       weights.tolist(), strict=True))
    return groups


def _modularity(adjacency: sparse.csr_array, label: np.ndarray, resolution: float) -> float:
    """Modularity of the partition `label` (one community number per node)."""
    two_m = adjacency.sum()
    coo = adjacency.tocoo()
    inside = coo.data[label[coo.row] == label[coo.col]].sum()
    strength = np.bincount(label, weights=np.asarray(adjacency.sum(axis=1)).ravel())
    return float(inside / two_m - resolution * (strength**2).sum() / two_m**2)


def _key(node: Node):
    """Nodes of one graph share a type; sort them by it, falling back to their text."""
    return node if isinstance(node, int | float) else str(node)
