"""A view as files for network tools: GEXF (Gephi, with its timeline), GraphML (Cytoscape, yEd) and CSV lists.

Nodes carry their labels in every language, type, country and counts; links carry
their weight (shared activities) and the activities themselves. Lists are joined with
``"; "`` (GraphML and GEXF hold no lists). Time: a node or link is present while its
activities run: GEXF ``spells``, one per period (overlapping periods merged); in
GraphML and CSV, ``start`` and ``end``, from the first day of the first to the last
day of the last. One that takes part in an undated activity has no interval, so
Gephi's timeline always shows it. CSV cells are written as they are: a spreadsheet
may read a cell that starts with ``=`` as a formula (import them as text).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from coopgraph.network import Activity, pick
from coopgraph.view import View

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("gexf", "graphml", "csv")
Span = tuple["dt.date | None", "dt.date | None"]


def merge_spans(spans: list[Span | None]) -> list[Span] | None:
    """Overlapping periods merged, in order; ``None`` when one of them is unknown (undated).

    An open end (``None``) runs on: nothing after it stays apart.

    >>> d = dt.date
    >>> merge_spans([(d(2015, 1, 1), d(2015, 12, 31)), (d(2014, 1, 1), d(2015, 3, 1)), (d(2017, 1, 1), None)])
    [(datetime.date(2014, 1, 1), datetime.date(2015, 12, 31)), (datetime.date(2017, 1, 1), None)]
    >>> merge_spans([(d(2015, 1, 1), d(2015, 1, 2)), None]) is None
    True
    """
    if any(s is None for s in spans):
        return None
    known = sorted((s for s in spans if s is not None), key=lambda s: s[0] or dt.date.min)
    merged: list[Span] = []
    for start, end in known:
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None or start is None or start <= last_end + dt.timedelta(days=1):
                merged[-1] = (last_start, None if last_end is None or end is None else max(last_end, end))
                continue
        merged.append((start, end))
    return merged


def _time(acts: list[Activity]) -> dict[str, Any]:
    spans = merge_spans([a.span for a in acts])
    if not spans:
        return {}
    first, last = spans[0][0], spans[-1][1]
    out: dict[str, Any] = {"spells": [(s.isoformat() if s else None, e.isoformat() if e else None) for s, e in spans]}
    if first:
        out["start"] = first.isoformat()
    if last:
        out["end"] = last.isoformat()
    return out


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != ""}


def network_graph(view: View, lang: str = "en") -> nx.Graph:
    """The view as a networkx graph whose nodes are record ids, with plain attributes (text, numbers).

    Node and edge attributes ``spells`` (lists of ISO date pairs) are for GEXF; the
    other writers leave them out.
    """
    import networkx as nx  # a heavy import: only the commands that write these files pay for it

    coop = view.coop
    ids = {o.iri: o.id for o in view.organizations} | {a.iri: a.id for a in view.activities}
    of: dict[str, list[Activity]] = {o.iri: [] for o in view.organizations}
    for act in view.activities:
        for member in act.participant_iris():
            if member in of:
                of[member].append(act)
    languages = sorted({lang for o in view.organizations for lang in o.labels} | {"en", "vi"})
    out = nx.Graph(mode="dynamic")
    for org in view.organizations:
        acts = of[org.iri]
        out.add_node(
            org.id,
            **_clean(
                {
                    "label": pick(org.labels, lang) or org.id,
                    **{f"label_{code}": org.labels.get(code) for code in languages},
                    "node": "organization",
                    "iri": org.iri,
                    "type": org.type,
                    "type_label": coop.label_of("organization-type", org.type, lang) if org.type else None,
                    "country": org.country,
                    "country_label": coop.label_of("country", org.country, lang) if org.country else None,
                    "scope": view.scope(org),
                    "partners": view.partners.get(org.iri, 0),
                    "activity_count": len(acts),
                    "activities": "; ".join(a.id for a in acts),
                    **_time(acts),
                }
            ),
        )
    if view.mode == "activities":
        for act in view.activities:
            out.add_node(
                act.id,
                **_clean(
                    {
                        "label": pick(act.labels, lang) or act.id,
                        **{f"label_{code}": act.labels.get(code) for code in languages},
                        "node": "activity",
                        "iri": act.iri,
                        "class": act.cls,
                        "kind": act.kind,
                        "kind_label": coop.label_of("activity-kind", act.kind, lang) if act.kind else None,
                        "date": act.date,
                        "start_date": act.start,
                        "end_date": act.end,
                        **_time([act]),
                    }
                ),
            )
        for a, b, data in view.graph.edges(data=True):
            act_iri, org_iri = (a, b) if a in coop.activities else (b, a)
            roles = [coop.label_of("role", r, lang) if r else "" for r in data.get("roles", [])]
            out.add_edge(
                ids[org_iri],
                ids[act_iri],
                **_clean({"weight": 1, "roles": "; ".join(r for r in roles if r), **_time([coop.activities[act_iri]])}),
            )
        return out
    for a, b, data in view.graph.edges(data=True):
        acts = [coop.activities[i] for i in data.get("activities", [])]
        x, y = sorted((ids[a], ids[b]))
        out.add_edge(
            x,
            y,
            **_clean(
                {
                    "weight": data.get("weight", len(acts)),
                    "activities": "; ".join(act.id for act in acts),
                    "kinds": "; ".join(sorted({act.kind or act.cls for act in acts})),
                    **_time(acts),
                }
            ),
        )
    return out


def _without_spells(g: nx.Graph) -> nx.Graph:
    h = g.copy()
    for _, data in h.nodes(data=True):
        data.pop("spells", None)
    for _, _, data in h.edges(data=True):
        data.pop("spells", None)
    h.graph = {}
    return h


def gexf(g: nx.Graph) -> bytes:
    """GEXF 1.2 (dynamic: Gephi's timeline plays the spells).

    The spells alone carry the time: a ``start``/``end`` on the element would span the
    gaps between them.
    """
    h = g.copy()
    for data in [d for _, d in h.nodes(data=True)] + [d for _, _, d in h.edges(data=True)]:
        data.pop("start", None)
        data.pop("end", None)
    out = io.BytesIO()
    import networkx as nx

    nx.write_gexf(h, out, encoding="utf-8", prettyprint=True, version="1.2draft")
    return out.getvalue()


def graphml(g: nx.Graph) -> bytes:
    """GraphML with typed attributes (the period as ``start``/``end`` text)."""
    out = io.BytesIO()
    import networkx as nx

    nx.write_graphml(_without_spells(g), out, encoding="utf-8", prettyprint=True)
    return out.getvalue()


def csv_lists(g: nx.Graph) -> dict[str, bytes]:
    """``nodes.csv`` (``Id``, ``Label``, attributes) and ``edges.csv`` (``Source``, ``Target``, ``Type``,
    ``Weight``, attributes): the column names that Gephi's spreadsheet import recognizes."""
    h = _without_spells(g)
    node_keys = sorted({k for _, d in h.nodes(data=True) for k in d} - {"label"})
    edge_keys = sorted({k for _, _, d in h.edges(data=True) for k in d} - {"weight"})
    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(["Id", "Label", *node_keys])
    for n, d in h.nodes(data=True):
        writer.writerow([n, d.get("label", n), *(d.get(k, "") for k in node_keys)])
    edges = io.StringIO()
    writer = csv.writer(edges, lineterminator="\n")
    writer.writerow(["Source", "Target", "Type", "Weight", *edge_keys])
    for a, b, d in h.edges(data=True):
        writer.writerow([a, b, "Undirected", d.get("weight", 1), *(d.get(k, "") for k in edge_keys)])
    return {"nodes.csv": nodes.getvalue().encode("utf-8"), "edges.csv": edges.getvalue().encode("utf-8")}


def write(g: nx.Graph, fmt: str, output: str) -> list[str]:
    """Write ``g`` as ``fmt``; CSV goes into the folder ``output`` (made if missing). Returns the files written.

    Everything is drawn up in memory first, and each file is replaced whole.
    """
    from pathlib import Path

    from coopgraph.errors import UsageError
    from coopgraph.output import write_bytes

    if fmt != "csv":
        write_bytes(output, gexf(g) if fmt == "gexf" else graphml(g))
        return [output]
    if output == "-":
        raise UsageError("csv writes two files (nodes.csv, edges.csv): give a folder with -o")
    files = csv_lists(g)
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{output}: csv writes nodes.csv and edges.csv into a folder; this is a file")
    if not folder.parent.is_dir():
        raise UsageError(f"{output}: the folder {folder.parent} does not exist")
    folder.mkdir(exist_ok=True)
    written = []
    for name, content in files.items():
        write_bytes(folder / name, content)
        written.append(str(folder / name))
    return written
