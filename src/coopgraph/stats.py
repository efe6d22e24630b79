"""The figures of a view: network metrics per organization and counts by country, type, kind and year.

``compute(view, lang)`` gathers them into a ``Stats``: the same numbers for the
terminal table, JSON and CSV of ``coopgraph stats``, and for the briefing report.
The counts are those of the view: an organization is counted when it shares an
activity with another one (the named queries count every organization; see
``docs/briefings.md``), and organizations without a country or type get a row of
their own (``None``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from coopgraph.network import Activity, pick
from coopgraph.view import View

#: The tables of a ``Stats``, in the order they are shown, with their columns.
COLUMNS: dict[str, tuple[str, ...]] = {
    "summary": ("figure", "value"),
    "organizations": (
        "rank",
        "id",
        "label",
        "type",
        "country",
        "partners",
        "shared_activities",
        "activities",
        "betweenness",
        "community",
        "component",
    ),
    "countries": ("country", "label", "organizations", "partners", "activities"),
    "types": ("type", "label", "organizations", "countries", "activities"),
    "kinds": ("class", "kind", "label", "activities", "organizations"),
    "years": ("year", "activities", "agreements", "projects", "exchanges", "organizations"),
}
TABLES = tuple(COLUMNS)


def year_of(act: Activity) -> int | None:
    """The year an activity is counted in: that of its date, else of its start (as ``cooperation-by-year``).

    >>> year_of(Activity("x", "x", "project", start="2015-03", end="2018")), year_of(Activity("y", "y", "project"))
    (2015, None)
    """
    when = act.date or act.start
    return int(when[:4]) if when else None


@dataclass
class Stats:
    """The figures of one view. Each table is a list of rows (dicts keyed by ``COLUMNS``)."""

    summary: dict[str, Any]
    organizations: list[dict[str, Any]]
    countries: list[dict[str, Any]]
    types: list[dict[str, Any]]
    kinds: list[dict[str, Any]]
    years: list[dict[str, Any]]
    filters: list[str] = field(default_factory=list)

    def table(self, name: str) -> list[dict[str, Any]]:
        if name == "summary":
            return [{"figure": k, "value": v} for k, v in self.summary.items()]
        rows: list[dict[str, Any]] = getattr(self, name)
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {"filters": self.filters, "summary": self.summary} | {name: self.table(name) for name in TABLES[1:]}


def compute(
    view: View, lang: str = "en", *, pivots: int | None = None, seed: int = 1, centrality: bool = True
) -> Stats:
    """The figures of a ``network``-mode view; labels in ``lang``.

    ``pivots`` and ``seed`` are passed to ``metrics.betweenness`` (estimated above
    ``metrics.EXACT_BETWEENNESS`` nodes), and the seed to the Louvain communities.
    Without ``centrality``, betweenness and communities are left out (``None``): the
    counts alone are quick on any size.
    """
    from coopgraph import metrics  # networkx: the commands that only query the store skip it

    coop, g = view.coop, view.graph
    orgs = {o.iri: o for o in view.organizations}
    acts = view.activities
    deg = metrics.degree(g)
    wdeg = metrics.weighted_degree(g)
    between = metrics.betweenness(g, pivots=pivots, seed=seed) if centrality else {}
    parts = metrics.components(g)
    groups = metrics.communities(g, seed=seed) if centrality else []
    community, component = metrics.membership(groups), metrics.membership(parts)
    joined: dict[str, set[str]] = {iri: set() for iri in orgs}  # organization -> its activities in the view
    for act in acts:
        for org in act.participant_iris():
            if org in joined:
                joined[org].add(act.iri)

    order = metrics.ranking(deg, wdeg, between)
    rank: dict[Any, int] = {}
    for i, node in enumerate(order):  # rank = 1 + the organizations with more partners, as in ``hubs``
        rank[node] = rank[order[i - 1]] if i and deg[node] == deg[order[i - 1]] else i + 1
    organizations = [
        {
            "rank": rank[n],
            "id": orgs[n].id,
            "label": pick(orgs[n].labels, lang) or orgs[n].id,
            "type": orgs[n].type,
            "country": orgs[n].country,
            "partners": deg[n],
            "shared_activities": wdeg[n],
            "activities": len(joined[n]),
            "betweenness": round(between[n], 6) if centrality else None,
            "community": community.get(n),
            "component": component[n],
        }
        for n in order
    ]

    def by(key: Any) -> dict[Any, list[str]]:
        grouped: dict[Any, list[str]] = {}
        for iri, org in sorted(orgs.items()):
            grouped.setdefault(key(org), []).append(iri)
        return grouped

    def activities_of(members: list[str]) -> int:
        return len(set().union(*(joined[m] for m in members)))

    by_country = by(lambda o: o.country)
    countries = [
        {
            "country": c,
            "label": coop.label_of("country", c, lang) if c else None,
            "organizations": len(members),
            "partners": sum(deg[m] for m in members),
            "activities": activities_of(members),
        }
        for c, members in sorted(by_country.items(), key=lambda kv: (-len(kv[1]), kv[0] is None, kv[0] or ""))
    ]
    by_type = by(lambda o: o.type)
    types = [
        {
            "type": t,
            "label": coop.label_of("organization-type", t, lang) if t else None,
            "organizations": len(members),
            "countries": len({orgs[m].country for m in members if orgs[m].country}),
            "activities": activities_of(members),
        }
        for t, members in sorted(by_type.items(), key=lambda kv: (-len(kv[1]), kv[0] is None, kv[0] or ""))
    ]
    kind_count = Counter((a.cls, a.kind) for a in acts)
    kind_orgs: dict[tuple[str, str | None], set[str]] = {}
    for a in acts:
        kind_orgs.setdefault((a.cls, a.kind), set()).update(o for o in a.participant_iris() if o in orgs)
    kinds = [
        {
            "class": cls,
            "kind": kind,
            "label": coop.label_of("activity-kind", kind, lang) if kind else None,
            "activities": n,
            "organizations": len(kind_orgs[(cls, kind)]),
        }
        for (cls, kind), n in sorted(kind_count.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or ""))
    ]
    year_acts: dict[int | None, list[Activity]] = {}
    for a in acts:
        year_acts.setdefault(year_of(a), []).append(a)
    years = [
        {
            "year": year,
            "activities": len(group),
            "agreements": sum(a.cls == "agreement" for a in group),
            "projects": sum(a.cls == "project" for a in group),
            "exchanges": sum(a.cls == "exchange" for a in group),
            "organizations": len({o for a in group for o in a.participant_iris() if o in orgs}),
        }
        for year, group in sorted(year_acts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
    estimated = metrics.is_estimated(g, pivots)
    summary = {
        "organizations": len(orgs),
        "links": g.number_of_edges(),
        "activities": len(acts),
        "agreements": sum(a.cls == "agreement" for a in acts),
        "projects": sum(a.cls == "project" for a in acts),
        "exchanges": sum(a.cls == "exchange" for a in acts),
        "countries": len({o.country for o in orgs.values() if o.country}),
        "density": round(metrics.density(g), 6),
        "components": len(parts),
        "largest_component": len(parts[0]) if parts else 0,
        "communities": len(groups) if centrality else None,
        "modularity": round(metrics.modularity(g, groups), 6) if centrality else None,
        "betweenness": None
        if not centrality
        else f"estimated from {pivots or metrics.PIVOTS} sources"
        if estimated
        else "exact",
    }
    return Stats(summary, organizations, countries, types, kinds, years, view.filters.describe(coop))
