"""One view definition for every picture of the network (``viz`` pages, ``render`` images).

A view is the part of the cooperation network that the filters keep, in one of two
modes: ``network`` (organizations joined by the activities they share) or
``activities`` (organizations and activities as nodes, joined by participation).

The filters apply in this order:

1. activities: ``kinds`` (an activity kind such as ``mou``, or a class: ``agreement``,
   ``project``, ``exchange``) and the period (``since``/``until``: the activity ran at some
   time in it; undated activities are left out by a period);
2. links: ``min_weight`` keeps the pairs that share at least that many activities, and
   then the organizations that still have a link;
3. organizations: ``countries`` and ``types`` (the focus always stays);
4. ``focus`` and ``depth``: the organizations within ``depth`` links of the focus;
5. ``top``: the organizations with the most partners (ties by shared activities, then
   IRI); with a focus, the nearest ones first, so what is kept stays linked to it;
6. ``limit``: the same ranking cuts a view too big to draw, and says how many nodes it
   dropped (in the ``activities`` mode, organizations are kept with all their
   activities, as many as fit);
7. ``max_links`` (the ``network`` mode): a view with more links keeps its backbone
   (with a focus, each organization's strongest link to one a step nearer the focus;
   else a spanning forest of the strongest links), then the strongest other links
   (ties: between the best-ranked organizations), and says how many it dropped.

An organization is shown when it takes part in an activity that is shown. Its
``partners`` are counted after steps 1 to 3, before the focus, ``top`` and the limit.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coopgraph.errors import UsageError
from coopgraph.network import Activity, Cooperation, Organization, first_day, last_day

if TYPE_CHECKING:
    import networkx as nx

MODES = ("network", "activities")
CLASSES = ("agreement", "project", "exchange")
_WHEN = re.compile(r"^(\d{4})(-(\d{2}))?(-(\d{2}))?$")


@dataclass(frozen=True)
class Filters:
    countries: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    focus: str | None = None  # an organization IRI
    depth: int = 1
    top: int | None = None
    min_weight: int = 1

    def describe(self, coop: Cooperation | None = None) -> list[str]:
        """The filters as the command-line options that give them, for the footers of pictures.

        >>> Filters(countries=("JP", "KR"), since=dt.date(2014, 1, 1), min_weight=2).describe()
        ['--country JP,KR', '--since 2014-01-01', '--min-weight 2']
        """
        said = []
        for option, values in (("--country", self.countries), ("--type", self.types), ("--kind", self.kinds)):
            if values:
                said.append(f"{option} {','.join(values)}")
        if self.since and self.since == self.until:
            said.append(f"--as-of {self.since}")
        else:
            if self.since:
                said.append(f"--since {self.since}")
            if self.until:
                said.append(f"--until {self.until}")
        if self.focus:
            org = coop.organizations.get(self.focus) if coop else None
            said.append(f"--focus {org.id if org else self.focus} --depth {self.depth}")
        if self.top:
            said.append(f"--top {self.top}")
        if self.min_weight > 1:
            said.append(f"--min-weight {self.min_weight}")
        return said


@dataclass
class View:
    """The organizations and activities a view shows, and its graph.

    ``graph`` has organization IRIs as nodes in the ``network`` mode (edges carry
    ``weight`` and ``activities``); in the ``activities`` mode it also has activity
    IRIs, each joined to its participants (edges carry ``roles``).
    """

    mode: str
    coop: Cooperation
    filters: Filters
    graph: nx.Graph
    organizations: list[Organization]
    activities: list[Activity]
    partners: dict[str, int]  # organization IRI -> partners (see the module's docstring)
    home: str | None  # the country counted as domestic
    dropped: int = 0  # nodes cut by the limit
    limit: int | None = None
    notes: list[str] = field(default_factory=list)
    links_dropped: int = 0  # links cut by the link budget
    max_links: int | None = None

    def scope(self, org: Organization) -> str:
        """``domestic``, ``foreign`` or ``unknown`` (no country), against the home country."""
        if org.country is None or self.home is None:
            return "unknown"
        return "domestic" if org.country == self.home else "foreign"


def parse_when(text: str, option: str, *, end: bool = False) -> dt.date:
    """A date given as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: its first day, or its last with ``end``.

    >>> parse_when("2014", "--until", end=True), parse_when("2015-02", "--since")
    (datetime.date(2014, 12, 31), datetime.date(2015, 2, 1))
    >>> parse_when("2014-02-30", "--as-of")
    Traceback (most recent call last):
    coopgraph.errors.UsageError: --as-of: '2014-02-30' is not a date: day is out of range for month
    """
    m = _WHEN.match(text.strip())
    if not m:
        raise UsageError(f"{option}: '{text}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    try:
        return last_day(m.group(0)) if end else first_day(m.group(0))
    except ValueError as exc:
        raise UsageError(f"{option}: '{text}' is not a date: {exc}") from None


def home_country(coop: Cooperation) -> str | None:
    """The most common country of the organizations (ties: the first code), or None."""
    counts = Counter(o.country for o in coop.organizations.values() if o.country)
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], c))


def check_filters(coop: Cooperation, filters: Filters) -> None:
    """Refuse filter values the data cannot have, naming the ones it has."""
    types = {o.type for o in coop.organizations.values() if o.type}
    _known("--type", "no organization in the data has the type", filters.types, types, guess=True)
    kinds = {a.kind for a in coop.activities.values() if a.kind} | set(CLASSES)
    _known("--kind", "no activity in the data has the kind", filters.kinds, kinds, guess=True)
    countries = {o.country for o in coop.organizations.values() if o.country}
    _known("--country", "no organization in the data is in", filters.countries, countries, guess=False)
    if filters.since and filters.until and filters.since > filters.until:
        raise UsageError(f"the period is empty: --since {filters.since} is after --until {filters.until}")
    if filters.depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {filters.depth}")
    if filters.min_weight < 1:
        raise UsageError(f"--min-weight must be 1 or more, not {filters.min_weight}")
    if filters.top is not None and filters.top < 1:
        raise UsageError(f"--top must be 1 or more, not {filters.top}")


def _known(option: str, problem: str, given: tuple[str, ...], known: set[str], *, guess: bool) -> None:
    for value in given:
        if value not in known:
            close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6) if guess else []
            hint = (
                f"did you mean {', '.join(repr(c) for c in close)}?" if close else "it has " + ", ".join(sorted(known))
            )
            raise UsageError(f"{option}: {problem} '{value}'; {hint}")


def activity_kept(act: Activity, filters: Filters) -> bool:
    """Whether an activity passes the kind and period filters."""
    if filters.kinds and act.kind not in filters.kinds and act.cls not in filters.kinds:
        return False
    if filters.since is None and filters.until is None:
        return True
    span = act.span
    if span is None:
        return False
    begin, finish = span
    if filters.until is not None and begin is not None and begin > filters.until:
        return False
    return not (filters.since is not None and finish is not None and finish < filters.since)


def _fit(ranked: list[str], activities: list[Activity], limit: int) -> set[str]:
    """The first organizations of ``ranked`` that fit in ``limit`` nodes with all their activities."""
    of: dict[str, list[str]] = {}
    for act in activities:
        for org in act.participant_iris():
            of.setdefault(org, []).append(act.iri)
    chosen: set[str] = set()
    acts: set[str] = set()
    for org in ranked:
        new = {a for a in of.get(org, []) if a not in acts}
        if len(chosen) + len(acts) + 1 + len(new) > limit:
            break
        chosen.add(org)
        acts |= new
    return chosen


class _Links:
    """Who takes part in which activity, and the pairs of partners, as integer arrays.

    Organizations are numbered in IRI order, activities in their order. Counting pairs,
    partners and distances on arrays takes a fraction of a second where a networkx graph
    of the 870,000 pairs of a big network takes tens of seconds; the networkx graph is
    made at the end, of what the view keeps.
    """

    def __init__(self, activities: list[Activity], extra: list[str]) -> None:
        import numpy as np

        self.activities = activities
        self.iris = sorted({o for act in activities for o, _ in act.participants} | set(extra))
        self.index = index = {iri: i for i, iri in enumerate(self.iris)}
        self.n = n = len(self.iris)
        sizes = np.fromiter((len(act.participants) for act in activities), dtype=np.int64, count=len(activities))
        orgs = np.fromiter((index[o] for act in activities for o, _ in act.participants), dtype=np.int64)
        # (activity, organization) once each, sorted: an organization with two roles counts once
        taking = np.unique(np.repeat(np.arange(len(activities), dtype=np.int64), sizes) * n + orgs)
        self.act_of, self.org_of = taking // max(n, 1), taking % max(n, 1)
        self.u = self.v = self.w = np.zeros(0, dtype=np.int64)

    def reach(self, focus: int, depth: int) -> Any:
        """The organizations at most ``depth`` shared activities away from ``focus`` (a mask)."""
        import numpy as np

        seen = np.zeros(self.n, dtype=bool)
        seen[focus] = True
        frontier = seen.copy()
        for _ in range(depth):
            acts = np.zeros(len(self.activities), dtype=bool)
            acts[self.act_of[frontier[self.org_of]]] = True
            found = np.zeros(self.n, dtype=bool)
            found[self.org_of[acts[self.act_of]]] = True
            frontier = found & ~seen
            seen |= found
        return seen

    def involving(self, orgs: Any) -> Any:
        """The activities (a mask) in which one of ``orgs`` (a mask) takes part."""
        import numpy as np

        acts = np.zeros(len(self.activities), dtype=bool)
        acts[self.act_of[orgs[self.org_of]]] = True
        return acts

    def count_pairs(self, scope: Any) -> None:
        """The pairs of partners in the activities of ``scope`` (a mask): ``u < v`` and ``w``, the
        activities they share."""
        import numpy as np

        n = self.n
        keep = scope[self.act_of]
        keys, _ = _pairs(self.act_of[keep], self.org_of[keep], n)
        pairs, self.w = np.unique(keys, return_counts=True)
        self.u, self.v = pairs // max(n, 1), pairs % max(n, 1)

    def graph(self, nodes: Any, edges: Any, scope: Any) -> nx.Graph:
        """The networkx graph of ``nodes`` and ``edges`` (masks) over the activities of ``scope``:
        ``weight`` and ``activities`` per edge, nodes and edges in the order the activities bring
        them (as ``coopgraph.network.pairs`` adds them)."""
        import networkx as nx  # a heavy import: the commands that only query the store skip it
        import numpy as np

        n = self.n
        keep = nodes[self.org_of] & scope[self.act_of]
        act_of, org_of = self.act_of[keep], self.org_of[keep]
        g = nx.Graph()
        _, first = np.unique(org_of, return_index=True)
        g.add_nodes_from(self.iris[i] for i in org_of[np.sort(first)].tolist())
        # every (pair, activity) of the kept organizations, of the pairs asked for, by pair then activity
        keys, acts = _pairs(act_of, org_of, n)
        asked = np.isin(keys, self.u[edges] * n + self.v[edges])
        keys, acts = keys[asked], acts[asked]
        order = np.lexsort((acts, keys))
        keys, acts = keys[order], acts[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
        ends = np.r_[starts[1:], len(keys)]
        x, y = keys[starts] // max(n, 1), keys[starts] % max(n, 1)
        by_first = np.lexsort((y, x, acts[starts]))  # by first shared activity, then the pair
        iris, activities, shared = self.iris, self.activities, acts.tolist()
        g.add_edges_from(
            (iris[a], iris[b], {"weight": e - s, "activities": [activities[k].iri for k in shared[s:e]]})
            for a, b, s, e in zip(
                x[by_first].tolist(),
                y[by_first].tolist(),
                starts[by_first].tolist(),
                ends[by_first].tolist(),
                strict=True,
            )
        )
        return g

    def degrees(self, edges: Any) -> tuple[Any, Any]:
        """Partners and shared activities of every organization, over the ``edges`` (a mask)."""
        import numpy as np

        u, v, w = self.u[edges], self.v[edges], self.w[edges]
        both = np.concatenate([u, v])
        return np.bincount(both, minlength=self.n), np.bincount(both, np.concatenate([w, w]), minlength=self.n)

    def distances(self, edges: Any, source: int, cutoff: int | None = None) -> Any:
        """Links from ``source`` to every organization over ``edges`` (a mask); -1 where out of reach."""
        import numpy as np

        a = np.concatenate([self.u[edges], self.v[edges]])
        b = np.concatenate([self.v[edges], self.u[edges]])
        dist = np.full(self.n, -1, dtype=np.int64)
        dist[source] = 0
        frontier = np.zeros(self.n, dtype=bool)
        frontier[source] = True
        level = 0
        while frontier.any() and (cutoff is None or level < cutoff):
            level += 1
            found = np.zeros(self.n, dtype=bool)
            found[b[frontier[a]]] = True
            frontier = found & (dist < 0)
            dist[frontier] = level
        return dist

    def rank(self, edges: Any, nodes: Any, focus: int | None) -> list[int]:
        """The organizations of ``nodes`` (a mask) by distance from the focus (if any), then partners,
        then shared activities, then IRI, among themselves. Cutting this list from the end keeps the
        focus and what links it to the rest."""
        import numpy as np

        partners, shared = self.degrees(edges)
        dist = self.distances(edges, focus) if focus is not None else np.zeros(self.n, dtype=np.int64)
        dist = np.where(dist < 0, self.n + 1, dist)
        ids = np.flatnonzero(nodes)
        order = np.lexsort((ids, -shared[ids], -partners[ids], dist[ids]))
        return list(ids[order].tolist())


def _pairs(act_of: Any, org_of: Any, n: int) -> tuple[Any, Any]:
    """Every pair of organizations that take part in the same activity, once per activity: the
    pairs as ``u * n + v`` (``u < v``) and their activity. ``act_of`` and ``org_of`` are the
    (activity, organization) rows, sorted, each once."""
    import numpy as np

    starts = np.flatnonzero(np.r_[True, act_of[1:] != act_of[:-1]]) if len(act_of) else act_of
    sizes = np.diff(np.r_[starts, len(act_of)])
    keys, acts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for size in np.unique(sizes[sizes > 1]).tolist():
        rows = starts[sizes == size]
        table = org_of[rows[:, None] + np.arange(size)]  # rising along a row
        first, second = np.triu_indices(size, 1)
        keys.append((table[:, first] * n + table[:, second]).ravel())
        acts.append(np.repeat(act_of[rows], len(first)))
    return np.concatenate(keys), np.concatenate(acts)


def _backbone(links: _Links, edges: Any, rank: Any, focus: int | None, budget: int) -> Any:
    """The ``budget`` links of ``edges`` (a mask) worth drawing: first those that keep the view's
    organizations joined (with a focus, each one's strongest link to an organization one step
    nearer the focus; else a spanning forest of the strongest links), then the strongest of the
    others. Ties go to the links between better-ranked organizations (``rank``: position per
    organization). Returns the mask of kept links."""
    import numpy as np

    ids = np.flatnonzero(edges)
    u, v, w = links.u[ids], links.v[ids], links.w[ids]
    near, far = np.minimum(rank[u], rank[v]), np.maximum(rank[u], rank[v])
    order = np.lexsort((near, far, -w))  # strongest first, then between the best-ranked
    tree = np.zeros(len(ids), dtype=bool)
    if focus is not None:
        dist = links.distances(edges, focus)
        child = np.where(dist[u] > dist[v], u, v)
        parent = np.where(dist[u] > dist[v], v, u)
        step = np.flatnonzero(np.abs(dist[u] - dist[v]) == 1)
        # per child, its strongest link toward the focus (ties: the best-ranked parent)
        best = step[np.lexsort((rank[parent[step]], -w[step], rank[child[step]]))]
        firsts = np.ones(len(best), dtype=bool)
        firsts[1:] = child[best][1:] != child[best][:-1]
        tree_edges = best[firsts]  # in the order of the children's rank
    else:
        seen: dict[int, int] = {}

        def root(x: int) -> int:
            while seen.get(x, x) != x:
                seen[x] = seen.get(seen[x], seen[x])
                x = seen[x]
            return x

        chosen = []
        for e in order.tolist():
            a, b = root(int(u[e])), root(int(v[e]))
            if a != b:
                seen[max(a, b)] = min(a, b)
                chosen.append(e)
        tree_edges = np.array(chosen, dtype=np.int64)
    tree_edges = tree_edges[:budget]
    tree[tree_edges] = True
    rest = order[~tree[order]][: budget - len(tree_edges)]
    kept = np.zeros(links.u.shape[0], dtype=bool)
    kept[ids[tree_edges]] = True
    kept[ids[rest]] = True
    return kept


def make_view(
    coop: Cooperation,
    filters: Filters = Filters(),
    *,
    mode: str = "network",
    limit: int | None = None,
    max_links: int | None = None,
    home: str | None = None,
) -> View:
    """The view of ``coop`` that ``filters`` keep (see the module's docstring for the order)."""
    import networkx as nx  # a heavy import: the commands that only query the store skip it
    import numpy as np

    if mode not in MODES:
        raise UsageError(f"no view mode '{mode}'; the modes are {', '.join(MODES)}")
    if max_links is not None and max_links < 1:
        raise UsageError(f"--max-links must be 1 or more, not {max_links}")
    check_filters(coop, filters)
    focus = filters.focus
    if focus is not None and focus not in coop.organizations:
        raise UsageError(f"--focus: '{focus}' is not an organization")
    kept = [a for a in coop.activities.values() if activity_kept(a, filters)]
    notes: list[str] = []
    links = _Links(kept, extra=[focus] if focus is not None else [])
    if focus is not None:
        # A focus sees only what lies within its depth, and the activities of those
        # organizations (for their partners beyond it): not every pair of the network.
        focus_at: int | None = links.index[focus]
        nodes = links.reach(links.index[focus], filters.depth)
        scope = links.involving(nodes)
        if not (links.org_of == focus_at).any():
            notes.append(f"{coop.organizations[focus].id} takes part in no activity the filters keep")
    else:
        focus_at = None
        nodes = np.ones(links.n, dtype=bool)
        scope = np.ones(len(kept), dtype=bool)
    links.count_pairs(scope)
    strong = links.w >= filters.min_weight
    if filters.min_weight > 1:  # the organizations left with no link go
        linked = np.zeros(links.n, dtype=bool)
        ends = strong & nodes[links.u] & nodes[links.v]
        linked[links.u[ends]] = linked[links.v[ends]] = True
        if focus_at is not None:
            linked[focus_at] = True
        nodes &= linked
    passes = np.ones(links.n, dtype=bool)
    if filters.countries or filters.types:
        orgs = [coop.organizations[iri] for iri in links.iris]
        passes = np.array(
            [
                (not filters.countries or o.country in filters.countries)
                and (not filters.types or o.type in filters.types)
                for o in orgs
            ],
            dtype=bool,
        )
    if focus_at is not None:
        passes[focus_at] = True
    nodes &= passes
    # Partners are counted before the focus, --top and the limit cut, over every
    # activity of each organization (beyond the focus's depth too).
    partners = links.degrees(strong & passes[links.u] & passes[links.v])[0].tolist()
    edges = strong & nodes[links.u] & nodes[links.v]
    if focus_at is not None:
        nodes &= links.distances(edges, focus_at, cutoff=filters.depth) >= 0
    if filters.top is not None and nodes.sum() > filters.top:
        top = links.rank(edges & nodes[links.u] & nodes[links.v], nodes, focus_at)[: filters.top]
        nodes[:] = False
        nodes[top] = True
    orgs_shown = {links.iris[i] for i in np.flatnonzero(nodes).tolist()}
    shown = [kept[i] for i in np.flatnonzero(links.involving(nodes)).tolist()]
    size = len(orgs_shown) + (len(shown) if mode == "activities" else 0)
    dropped = 0
    if limit is not None and size > limit:
        ranked = links.rank(edges & nodes[links.u] & nodes[links.v], nodes, focus_at)
        if mode == "activities":
            keep = _fit([links.iris[i] for i in ranked], shown, limit)
            nodes[:] = False
            nodes[[links.index[iri] for iri in keep]] = True
        else:
            nodes[:] = False
            nodes[ranked[:limit]] = True
        orgs_shown = {links.iris[i] for i in np.flatnonzero(nodes).tolist()}
        shown = [kept[i] for i in np.flatnonzero(links.involving(nodes)).tolist()]
        dropped = size - len(orgs_shown) - (len(shown) if mode == "activities" else 0)
    edges &= nodes[links.u] & nodes[links.v]
    links_dropped = 0
    if mode == "network" and max_links is not None and edges.sum() > max_links:
        rank = np.zeros(links.n, dtype=np.int64)
        rank[links.rank(edges, nodes, focus_at)] = np.arange(int(nodes.sum()))
        total = int(edges.sum())
        edges = _backbone(links, edges, rank, focus_at, max_links)
        links_dropped = total - int(edges.sum())
    partners_of = {links.iris[i]: partners[i] for i in np.flatnonzero(nodes).tolist()}
    if mode == "activities":
        g = nx.Graph()
        g.add_nodes_from(sorted(orgs_shown))
        for act in shown:
            for org, role in act.participants:
                if org in orgs_shown:
                    if g.has_edge(act.iri, org):
                        g[act.iri][org]["roles"].append(role)
                    else:
                        g.add_edge(act.iri, org, roles=[role])
    else:
        g = links.graph(nodes, edges, scope)
        if focus is not None and focus in orgs_shown and focus not in g:
            g.add_node(focus)
    organizations = [coop.organizations[n] for n in sorted(orgs_shown)]
    return View(
        mode=mode,
        coop=coop,
        filters=filters,
        graph=g,
        organizations=organizations,
        activities=sorted(shown, key=lambda a: a.id),
        partners=partners_of,
        home=home if home is not None else home_country(coop),
        dropped=dropped,
        limit=limit,
        notes=notes,
        links_dropped=links_dropped,
        max_links=max_links,
    )
