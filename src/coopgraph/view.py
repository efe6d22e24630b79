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
   activities, as many as fit).

An organization is shown when it takes part in an activity that is shown. Its
``partners`` are counted after steps 1 to 3, before the focus, ``top`` and the limit.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coopgraph.errors import UsageError
from coopgraph.network import Activity, Cooperation, Organization, first_day, last_day, pairs

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


def _rank(g: nx.Graph, focus: str | None = None) -> list[str]:
    """Nodes by distance from the focus (if any), then partners, then shared activities, then IRI.

    Cutting this list from the end keeps the focus and what links it to the rest.
    """
    import networkx as nx  # a heavy import: the commands that only query the store skip it

    distance = nx.single_source_shortest_path_length(g, focus) if focus is not None else {}
    far = len(g) + 1
    return sorted(g.nodes, key=lambda n: (distance.get(n, far), -g.degree(n), -g.degree(n, weight="weight"), n))


def _involving(activities: list[Activity], orgs: set[str]) -> list[Activity]:
    return [a for a in activities if any(o in orgs for o, _ in a.participants)]


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


def _by_organization(kept: list[Activity]) -> dict[str, list[Activity]]:
    """The kept activities of each organization."""
    by_org: dict[str, list[Activity]] = {}
    for act in kept:
        for org in act.participant_iris():
            by_org.setdefault(org, []).append(act)
    return by_org


def _reach(by_org: dict[str, list[Activity]], focus: str, depth: int) -> set[str]:
    """The organizations at most ``depth`` shared activities away from ``focus``."""
    seen, frontier = {focus}, {focus}
    for _ in range(depth):
        found = {p for org in frontier for act in by_org.get(org, ()) for p in act.participant_iris()} - seen
        seen |= found
        frontier = found
    return seen


class _Partners:
    """How many partners an organization has in the filtered network, counted on demand."""

    def __init__(self, coop: Cooperation, by_org: dict[str, list[Activity]], filters: Filters) -> None:
        self.coop, self.by_org, self.filters = coop, by_org, filters

    def _passes(self, org: str) -> bool:
        o, f = self.coop.organizations[org], self.filters
        return org == f.focus or ((not f.countries or o.country in f.countries) and (not f.types or o.type in f.types))

    def __getitem__(self, org: str) -> int:
        shared: dict[str, int] = {}
        for act in self.by_org.get(org, ()):
            for other in act.participant_iris():
                if other != org:
                    shared[other] = shared.get(other, 0) + 1
        return sum(1 for other, n in shared.items() if n >= self.filters.min_weight and self._passes(other))


def make_view(
    coop: Cooperation,
    filters: Filters = Filters(),
    *,
    mode: str = "network",
    limit: int | None = None,
    home: str | None = None,
) -> View:
    """The view of ``coop`` that ``filters`` keep (see the module's docstring for the order)."""
    import networkx as nx  # a heavy import: the commands that only query the store skip it

    if mode not in MODES:
        raise UsageError(f"no view mode '{mode}'; the modes are {', '.join(MODES)}")
    check_filters(coop, filters)
    focus = filters.focus
    if focus is not None and focus not in coop.organizations:
        raise UsageError(f"--focus: '{focus}' is not an organization")
    kept = [a for a in coop.activities.values() if activity_kept(a, filters)]
    # A focus sees only what lies within its depth: on a big graph, linking every pair
    # of partners of the whole network first would cost most of the time.
    by_org = _by_organization(kept) if focus is not None else {}
    reach = _reach(by_org, focus, filters.depth) if focus is not None else None
    g = pairs(kept, keep=reach)
    notes: list[str] = []
    if focus is not None and focus not in g:
        g.add_node(focus)
        notes.append(f"{coop.organizations[focus].id} takes part in no activity the filters keep")
    if filters.min_weight > 1:
        g.remove_edges_from([(x, y) for x, y, w in g.edges(data="weight") if w < filters.min_weight])
        g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0 and n != focus])
    if filters.countries or filters.types:
        drop = [
            n
            for n in g.nodes
            if n != focus
            and (
                (filters.countries and coop.organizations[n].country not in filters.countries)
                or (filters.types and coop.organizations[n].type not in filters.types)
            )
        ]
        g.remove_nodes_from(drop)
    # Partners are counted before the focus, --top and the limit cut; a focus's graph
    # lacks the partners beyond its depth, so they are counted from the activities.
    partners = {n: g.degree(n) for n in g.nodes} if reach is None else _Partners(coop, by_org, filters)
    # Nodes are cut in place: copying a subgraph view of a big graph costs seconds.
    if focus is not None:
        near = nx.single_source_shortest_path_length(g, focus, cutoff=filters.depth)
        g.remove_nodes_from([n for n in g if n not in near])
    if filters.top is not None and g.number_of_nodes() > filters.top:
        top = set(_rank(g, focus)[: filters.top])
        g.remove_nodes_from([n for n in g if n not in top])
    orgs_shown = set(g.nodes)
    shown = _involving(kept, orgs_shown)
    size = len(orgs_shown) + (len(shown) if mode == "activities" else 0)
    dropped = 0
    if limit is not None and size > limit:
        ranked = _rank(g, focus)
        keep = _fit(ranked, shown, limit) if mode == "activities" else set(ranked[:limit])
        g.remove_nodes_from([n for n in g if n not in keep])
        orgs_shown = set(g.nodes)
        shown = _involving(kept, orgs_shown)
        dropped = size - len(orgs_shown) - (len(shown) if mode == "activities" else 0)
    partners = {n: partners[n] for n in g.nodes}
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
    organizations = [coop.organizations[n] for n in sorted(orgs_shown)]
    return View(
        mode=mode,
        coop=coop,
        filters=filters,
        graph=g,
        organizations=organizations,
        activities=sorted(shown, key=lambda a: a.id),
        partners=partners,
        home=home if home is not None else home_country(coop),
        dropped=dropped,
        limit=limit,
        notes=notes,
    )
