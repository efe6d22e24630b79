"""Network metrics: small pure functions on networkx graphs.

Every function takes a graph (and plain options) and returns plain data, in a stable
order, so that the same graph always gives the same answer. Graph weights are in the
edge attribute ``weight`` (the number of activities two organizations share).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

#: Above this many nodes, betweenness is estimated from ``PIVOTS`` sampled sources
#: (exact betweenness is O(nodes x links): 3.9 s on 1,000 nodes and 8,200 links, over
#: 120 s on 6,700 nodes; see docs/performance.md).
EXACT_BETWEENNESS = 1000
PIVOTS = 200
#: Above this many nodes, communities and modularity are computed by igraph (in C):
#: networkx's Louvain took 33 s on CORDIS's 30,000 organizations and 870,000 links.
IGRAPH_ABOVE = 5000


def _igraph(g: nx.Graph, weight: str | None = None) -> tuple[Any, list[Any]]:
    """``g`` as an igraph graph (node i is ``nodes[i]``), with edge weights when asked."""
    from coopgraph.igraphs import igraph as load

    igraph = load()

    nodes = list(g.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[a], index[b], d) for a, b, d in g.edges(data=True) if a != b]
    h = igraph.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges])
    if weight is not None:
        h.es["weight"] = [d.get(weight, 1) for _, _, d in edges]
    return h, nodes


def degree(g: nx.Graph) -> dict[Any, int]:
    """The number of partners of each node.

    >>> degree(nx.path_graph(3))
    {0: 1, 1: 2, 2: 1}
    """
    return dict(g.degree())


def weighted_degree(g: nx.Graph, weight: str = "weight") -> dict[Any, float]:
    """The sum of the weights of each node's links (shared activities); a link without one counts 1.

    >>> g = nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 1})])
    >>> weighted_degree(g)
    {'a': 3, 'b': 4, 'c': 1}
    """
    return dict(g.degree(weight=weight))


def betweenness(g: nx.Graph, *, pivots: int | None = None, seed: int = 1) -> dict[Any, float]:
    """Normalized betweenness centrality: the share of shortest paths between others that pass through a node.

    Exact up to ``EXACT_BETWEENNESS`` nodes; above, estimated from ``pivots`` (default
    ``PIVOTS``) source nodes drawn with ``seed``, so the estimate is the same every run.
    Links are not weighted here: a path's length is its number of links.

    >>> betweenness(nx.star_graph(3))
    {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0}
    >>> round(betweenness(nx.path_graph(5))[2], 3)
    0.667
    """
    if pivots is None and g.number_of_nodes() > EXACT_BETWEENNESS:
        pivots = PIVOTS
    n = g.number_of_nodes()
    if pivots is None or pivots >= n:
        return dict(nx.betweenness_centrality(g, normalized=True))
    return _estimated_betweenness(g, pivots, seed)


def _estimated_betweenness(g: nx.Graph, pivots: int, seed: int) -> dict[Any, float]:
    """networkx's pivot estimate (the same pivots, drawn with ``seed``), computed by igraph in C.

    networkx sums each pivot's dependencies in Python: minutes on a network of a few
    hundred thousand links, where igraph's subset betweenness takes seconds.

    >>> g = nx.les_miserables_graph()
    >>> ours = _estimated_betweenness(g, 20, seed=7)
    >>> theirs = nx.betweenness_centrality(g, k=20, normalized=True, seed=7)
    >>> max(abs(ours[v] - theirs[v]) for v in g) < 1e-12
    True
    """
    import random

    h, nodes = _igraph(g)
    index = {v: i for i, v in enumerate(nodes)}
    sources = [index[v] for v in random.Random(seed).sample(nodes, pivots)]  # networkx's draw
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    # igraph counts each undirected pair once, networkx each ordered one; networkx then
    # divides by the (source, target) pairs sampled: pivots (or pivots - 1 for a node
    # that is itself a pivot) times n - 2.
    raw = h.betweenness(vertices=None, directed=False, sources=sources)
    drawn = set(sources)
    scale_source = 2 / ((pivots - 1) * (n - 2)) if pivots > 1 else 0.0
    scale_other = 2 / (pivots * (n - 2))
    return {v: raw[i] * (scale_source if i in drawn else scale_other) for i, v in enumerate(nodes)}


def is_estimated(g: nx.Graph, pivots: int | None = None) -> bool:
    """Whether ``betweenness(g, pivots=pivots)`` is an estimate rather than exact.

    >>> is_estimated(nx.path_graph(10)), is_estimated(nx.path_graph(10), pivots=3)
    (False, True)
    """
    if pivots is None:
        return g.number_of_nodes() > EXACT_BETWEENNESS
    return pivots < g.number_of_nodes()


def _ordered(groups: Iterable[Iterable[Hashable]]) -> list[list[Hashable]]:
    """Groups sorted inside, then biggest first (ties by their first member)."""
    sorted_groups = [sorted(group, key=str) for group in groups]
    return sorted(sorted_groups, key=lambda members: (-len(members), str(members[0]) if members else ""))


def components(g: nx.Graph) -> list[list[Hashable]]:
    """The connected components, biggest first: groups in which every node can reach every other.

    >>> components(nx.Graph([(1, 2), (2, 3), (4, 5)]))
    [[1, 2, 3], [4, 5]]
    """
    return _ordered(nx.connected_components(g))


def communities(g: nx.Graph, *, seed: int = 1, weight: str = "weight") -> list[list[Hashable]]:
    """Louvain communities (weighted by shared activities), biggest first; the same every run with ``seed``.

    Two triangles joined by one link are two communities:

    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> communities(g)
    [[1, 2, 3], [4, 5, 6]]
    """
    if g.number_of_edges() == 0:
        return _ordered([n] for n in g.nodes)
    if g.number_of_nodes() > IGRAPH_ABOVE:
        return _ordered(_igraph_louvain(g, seed, weight))
    return _ordered(nx.community.louvain_communities(g, weight=weight, seed=seed))


def _igraph_louvain(g: nx.Graph, seed: int, weight: str) -> list[list[Hashable]]:
    """Louvain (igraph's multilevel method), drawing from a generator seeded with ``seed``.

    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> sorted(sorted(c) for c in _igraph_louvain(g, 1, "weight"))
    [[1, 2, 3], [4, 5, 6]]
    """
    import random

    from coopgraph.igraphs import igraph as load

    igraph = load()
    h, nodes = _igraph(g, weight)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        parts = h.community_multilevel(weights="weight")
    finally:
        igraph.set_random_number_generator(random)
    return [[nodes[i] for i in part] for part in parts if part]  # an isolated node is its own part


def modularity(g: nx.Graph, groups: list[list[Hashable]], weight: str = "weight") -> float:
    """How much more the links stay inside ``groups`` than chance would give (-0.5 to 1).

    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> round(modularity(g, communities(g)), 3)
    0.357
    """
    if g.number_of_edges() == 0:
        return 0.0
    if g.number_of_nodes() > IGRAPH_ABOVE:
        h, nodes = _igraph(g, weight)
        group = membership(groups)
        return float(h.modularity([group[v] - 1 for v in nodes], weights="weight"))
    return float(nx.community.modularity(g, [set(c) for c in groups], weight=weight))


def membership(groups: list[list[Hashable]]) -> dict[Any, int]:
    """Each node's group number, counting from 1 (the biggest group).

    >>> membership([["a", "b"], ["c"]])
    {'a': 1, 'b': 1, 'c': 2}
    """
    return {node: number for number, group in enumerate(groups, 1) for node in group}


def density(g: nx.Graph) -> float:
    """The links present out of all possible ones (0 to 1).

    >>> density(nx.complete_graph(4)), density(nx.empty_graph(3))
    (1.0, 0.0)
    """
    return float(nx.density(g))


def tally(values: Iterable[Any]) -> list[tuple[Any, int]]:
    """How often each value occurs, most frequent first (ties in the order of the values; None last).

    >>> tally(["VN", "JP", "VN", None, "KR", "JP", "VN"])
    [('VN', 3), ('JP', 2), ('KR', 1), (None, 1)]
    """
    counts = Counter(values)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, str(kv[0])))


def ranking(scores: dict[Any, Any], *then: dict[Any, Any]) -> list[Any]:
    """Nodes by score, highest first; ties broken by the next scores, then by the node itself.

    >>> ranking({"a": 1, "b": 3, "c": 3}, {"a": 0, "b": 1, "c": 2})
    ['c', 'b', 'a']
    """
    return sorted(scores, key=lambda n: (-scores[n], *(-s.get(n, 0) for s in then), str(n)))
