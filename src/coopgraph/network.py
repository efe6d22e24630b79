"""The cooperation network read off the graph: organizations, activities, who takes part in what.

``cooperation(graph)`` reads everything the network views need in a few static
queries (``queries/view/*.rq``); ``projection(graph)`` is the networkx graph of
organizations joined by the activities they share.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import networkx as nx

    from coopgraph.api import CoopGraph
    from coopgraph.model import Dataset

Labels = dict[str, str]  # language -> text


class Queryable(Protocol):
    """What the view queries run on: a ``CoopGraph``, or a store of the vocabulary alone."""

    def query(self, sparql: str) -> Any: ...


@dataclass
class Organization:
    iri: str
    id: str
    labels: Labels = field(default_factory=dict)
    type: str | None = None
    country: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class Activity:
    iri: str
    id: str
    cls: str  # agreement, project or exchange
    kind: str | None = None
    labels: Labels = field(default_factory=dict)
    date: str | None = None
    start: str | None = None
    end: str | None = None
    sources: list[str] = field(default_factory=list)
    participants: list[tuple[str, str | None]] = field(default_factory=list)  # (organization IRI, role IRI)

    @property
    def span(self) -> tuple[dt.date | None, dt.date | None] | None:
        """When the activity ran: ``(first day, last day)``, ``None`` when it has no date.

        It runs from the earlier of its date and its start to its end. With no end, it
        is ongoing (``None``) when it has a start, and ends on its date when it has none.

        >>> Activity("x", "x", "exchange", date="2014-05").span
        (datetime.date(2014, 5, 1), datetime.date(2014, 5, 31))
        >>> Activity("x", "x", "agreement", start="2015").span
        (datetime.date(2015, 1, 1), None)
        >>> Activity("x", "x", "project", start="2016", end="2020", date="2015-12-30").span
        (datetime.date(2015, 12, 30), datetime.date(2020, 12, 31))
        >>> Activity("x", "x", "agreement", date="2014-05-16", start="2014-06").span
        (datetime.date(2014, 5, 16), None)
        >>> Activity("x", "x", "project").span is None
        True
        """
        if not (self.date or self.start or self.end):
            return None
        begins = [first_day(d) for d in (self.date, self.start) if d]
        begin = min(begins) if begins else None
        if self.end:
            finish: dt.date | None = last_day(self.end)
        elif self.start:
            finish = None
        else:
            finish = last_day(self.date or "")
        return begin, finish

    def participant_iris(self) -> list[str]:
        return sorted({org for org, _ in self.participants})


@dataclass
class Source:
    iri: str
    id: str
    titles: Labels = field(default_factory=dict)
    publisher: str | None = None
    published: str | None = None
    url: str | None = None


@dataclass
class Cooperation:
    """What the network views show, keyed by IRI, with the vocabulary's labels."""

    organizations: dict[str, Organization]
    activities: dict[str, Activity]
    sources: dict[str, Source]
    labels: dict[str, dict[str, Labels]]  # scheme -> code -> labels ("organization-type", "country", "role"...)

    def label_of(self, scheme: str, code: str | None, lang: str) -> str:
        """The label of a code in ``lang`` (or another language, or the code itself)."""
        if code is None:
            return ""
        return pick(self.labels.get(scheme, {}).get(code, {}), lang) or code


def pick(labels: Labels, lang: str) -> str | None:
    """The text in ``lang``, else in the first other language (in language order), else None.

    >>> pick({"vi": "Hải Phòng", "en": "Hai Phong"}, "en"), pick({"vi": "Hải Phòng"}, "en")
    ('Hai Phong', 'Hải Phòng')
    """
    if lang in labels:
        return labels[lang]
    return labels[min(labels)] if labels else None


@functools.cache
def first_day(text: str) -> dt.date:
    """The first day of a date given as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    >>> first_day("2014"), first_day("2014-05")
    (datetime.date(2014, 1, 1), datetime.date(2014, 5, 1))
    """
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@functools.cache
def last_day(text: str) -> dt.date:
    """The last day of a date given as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    >>> last_day("2014"), last_day("2016-02")
    (datetime.date(2014, 12, 31), datetime.date(2016, 2, 29))
    """
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], parts[1], parts[2])


def _query(name: str) -> str:
    return (resources.files("coopgraph") / "queries" / "view" / f"{name}.rq").read_text("utf-8")


def local_id(iri: str) -> str:
    """The id of a record from its IRI (the last path segment)."""
    return iri.rsplit("/", 1)[-1]


def _rows(graph: Queryable, name: str) -> Iterator[tuple[Any, ...]]:
    """Rows of a view query as tuples of terms (or None), in the query's variable order.

    Unpacking a solution is a third faster than looking its values up by name.
    """
    return (tuple(row) for row in graph.query(_query(name)))


def cooperation(graph: CoopGraph) -> Cooperation:
    """Read the organizations, activities, participations, sources and labels of a graph."""
    orgs: dict[str, Organization] = {}
    for org, kind, country, label in _rows(graph, "organizations"):
        o = orgs.get(org.value)
        if o is None:
            o = orgs[org.value] = Organization(
                org.value, local_id(org.value), type=kind and kind.value, country=country and country.value
            )
        if label is not None:
            o.labels[label.language or ""] = label.value
    activities: dict[str, Activity] = {}
    for a, cls, kind, date, start, end, label in _rows(graph, "activities"):
        act = activities.get(a.value)
        if act is None:
            act = activities[a.value] = Activity(
                a.value,
                local_id(a.value),
                cls.value,
                kind=kind and kind.value,
                date=date and date.value,
                start=start and start.value,
                end=end and end.value,
            )
        if label is not None:
            act.labels[label.language or ""] = label.value
    roles: dict[str, dict[str, set[str]]] = {}  # activity -> organization -> roles
    for a, org, role in _rows(graph, "participations"):
        if a.value in activities and org.value in orgs:
            found = roles.setdefault(a.value, {}).setdefault(org.value, set())
            if role is not None:
                found.add(role.value)
    for a, members in roles.items():
        activities[a].participants.extend(_participants(members))
    sources: dict[str, Source] = {}
    for s, title, publisher, published, url in _rows(graph, "sources"):
        src = sources.setdefault(
            s.value,
            Source(
                s.value,
                local_id(s.value),
                publisher=publisher and publisher.value,
                published=published and published.value,
                url=url and url.value,
            ),
        )
        if title is not None:
            src.titles[title.language or ""] = title.value
    for record, source in _rows(graph, "citations"):
        cited = orgs.get(record.value) or activities.get(record.value)
        if cited is not None and source.value not in cited.sources:
            cited.sources.append(source.value)
    return _canonical(Cooperation(orgs, activities, sources, _labels(graph)))


def _participants(members: dict[str, set[str]]) -> list[tuple[str, str | None]]:
    """(organization, role) pairs of an activity from each organization's role IRIs, by IRI:
    one pair per role, or ``(organization, None)`` where the source gives none."""
    out: list[tuple[str, str | None]] = []
    for org in sorted(members):
        if named := members[org]:
            out.extend((org, role) for role in sorted(named))
        else:
            out.append((org, None))
    return out


def pairs(activities: Any, keep: Any = None) -> nx.Graph:
    """Organizations joined when they share an activity: ``weight`` and ``activities`` per edge.

    ``keep`` (a set of organization IRIs) limits the graph to those organizations.
    Every participant of an activity is a node, partners or not.

    >>> a = Activity("a", "a", "project", participants=[("x", None), ("y", None), ("z", None)])
    >>> b = Activity("b", "b", "exchange", participants=[("x", None), ("y", "host")])
    >>> g = pairs([a, b])
    >>> g["x"]["y"]["weight"], g["x"]["y"]["activities"], g["y"]["z"]["weight"]
    (2, ['a', 'b'], 1)
    """
    import networkx as nx  # a heavy import: the commands that only query the store skip it

    g = nx.Graph()
    for act in activities:
        members = [o for o in act.participant_iris() if keep is None or o in keep]
        g.add_nodes_from(members)
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                data = g.get_edge_data(x, y)
                if data is None:
                    g.add_edge(x, y, weight=1, activities=[act.iri])
                else:
                    data["weight"] += 1
                    data["activities"].append(act.iri)
    return g


def projection(graph: CoopGraph) -> nx.Graph:
    """Organizations linked when they share an activity, weighted by how many they share.

    Every organization of the dataset is a node, with ``label`` (per language), ``type``
    and ``country``; edges carry ``weight`` and ``activities`` (IRIs).
    """
    coop = cooperation(graph)
    g = pairs(coop.activities.values())
    for o in coop.organizations.values():
        g.add_node(o.iri, label=dict(o.labels), type=o.type, country=o.country)
    return g


def _canonical(coop: Cooperation) -> Cooperation:
    """The same network in one order whatever made it: records, languages and citations by IRI.

    A store lists its rows in an order of its own and the records come in file order: both
    ways of making the network give one result, and each view the same page.
    """
    orgs = {iri: coop.organizations[iri] for iri in sorted(coop.organizations)}
    activities = {iri: coop.activities[iri] for iri in sorted(coop.activities)}
    sources = {iri: coop.sources[iri] for iri in sorted(coop.sources)}
    items: list[Organization | Activity] = [*orgs.values(), *activities.values()]
    for item in items:
        item.labels = dict(sorted(item.labels.items()))
        item.sources.sort()
    for src in sources.values():
        src.titles = dict(sorted(src.titles.items()))
    labels = {
        scheme: {code: dict(sorted(texts.items())) for code, texts in sorted(codes.items())}
        for scheme, codes in sorted(coop.labels.items())
    }
    return Cooperation(orgs, activities, sources, labels)


def _text(text: dict[str, str] | None) -> Labels:
    """A record's text per language as the store gives it back (language tags in lowercase)."""
    return {lang.lower(): value for lang, value in (text or {}).items()}


def from_records(dataset: Dataset) -> Cooperation:
    """What ``cooperation`` reads from a store, made from the records the store is built from.

    ``dataset`` is valid (the build makes no store otherwise). The build keeps this in the views'
    cache, so that the first view after a build does not read the network back out of the
    store (seconds on big data). The vocabulary's labels are read, with the same query as
    from a store, from the ontology and the countries the records name.
    ``tests/test_network.py`` checks that both ways give the same network.
    """
    from coopgraph import model as m
    from coopgraph import namespaces as ns
    from coopgraph.rdf.build import ROLE_PROPERTIES

    base = dataset.config.base
    records = dataset.records

    def iri(record: Any) -> str:
        return ns.entity_iri(base, record.KIND, record.id)

    orgs: dict[str, Organization] = {}
    countries: set[str] = set()
    for o in dataset.of(m.Organization):
        org = Organization(iri(o), o.id, labels=_text(o.label), type=o.type, country=o.country)
        org.sources = _cited(o, records, base)
        orgs[org.iri] = org
        if o.country:
            countries.add(o.country)
    activities: dict[str, Activity] = {}
    for a in dataset.of(m.Activity):
        act = Activity(
            iri(a),
            a.id,
            a.KIND,
            kind=a.kind,
            labels=_text(a.label),
            date=str(a.date) if a.date else None,
            start=str(a.period.start) if a.period and a.period.start else None,
            end=str(a.period.end) if a.period and a.period.end else None,
            sources=_cited(a, records, base),
        )
        members: dict[str, set[str]] = {}
        for part in a.participations():
            if isinstance(records.get(part.org), m.Organization):
                found = members.setdefault(ns.entity_iri(base, "organization", part.org), set())
                if prop := ROLE_PROPERTIES[part.role]:
                    found.add(ns.coop(prop))
        act.participants.extend(_participants(members))
        activities[act.iri] = act
        if isinstance(a, m.Exchange) and a.place and a.place.country:
            countries.add(a.place.country)
    sources: dict[str, Source] = {}
    for s in dataset.of(m.Source):
        sources[iri(s)] = Source(
            iri(s),
            s.id,
            titles=_text(s.label),
            publisher=s.publisher,
            published=str(s.published) if s.published else None,
            url=s.url,
        )
    return _canonical(Cooperation(orgs, activities, sources, vocabulary_labels(sorted(countries))))


def _cited(record: Any, records: dict[str, Any], base: str) -> list[str]:
    """The IRIs of the sources a record cites, each once."""
    from coopgraph import model as m
    from coopgraph import namespaces as ns

    cited: list[str] = []
    for cite in record.sources or []:
        if isinstance(records.get(cite.source), m.Source):
            iri = ns.entity_iri(base, "source", cite.source)
            if iri not in cited:
                cited.append(iri)
    return cited


def vocabulary_labels(countries: list[str]) -> dict[str, dict[str, Labels]]:
    """The labels of the vocabulary and of ``countries`` (ISO codes), as a store built with them gives them."""
    import pyoxigraph as ox

    from coopgraph import namespaces as ns
    from coopgraph.query import run
    from coopgraph.rdf.build import Builder
    from coopgraph.rdf.store import ONTOLOGY_GRAPH, ontology_quads

    store = ox.Store()
    store.bulk_extend(ontology_quads())
    store.load("".join(Builder.country_lines(countries)), format=ox.RdfFormat.N_TRIPLES)

    class _Graph:
        def query(self, sparql: str) -> Any:
            return run(store, sparql, {}, prefixes=ns.PREFIXES, default_graph=[ox.DefaultGraph(), ONTOLOGY_GRAPH])

    return _labels(_Graph())


def _labels(graph: Queryable) -> dict[str, dict[str, Labels]]:
    labels: dict[str, dict[str, Labels]] = {}
    for scheme, code, label in _rows(graph, "labels"):
        labels.setdefault(scheme.value, {}).setdefault(code.value, {})[label.language or ""] = label.value
    return labels
