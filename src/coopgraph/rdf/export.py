"""Serializations of the built graph: Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD.

Everything but JSON-LD streams from the store through Oxigraph's serializers.
JSON-LD goes through rdflib so that it can be compacted with the project's
context (``ontology/context.jsonld``). Files are written next to their target
and renamed into place, so a failed export leaves the old file whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import pyoxigraph as ox

from coopgraph import namespaces as ns
from coopgraph.errors import UsageError
from coopgraph.output import write_output
from coopgraph.paths import context_file
from coopgraph.rdf.store import ONTOLOGY_GRAPH


@dataclass(frozen=True)
class RdfSyntax:
    name: str
    format: ox.RdfFormat
    suffix: str
    datasets: bool  # keeps named graphs apart


SYNTAXES = {
    s.name: s
    for s in (
        RdfSyntax("turtle", ox.RdfFormat.TURTLE, ".ttl", False),
        RdfSyntax("ntriples", ox.RdfFormat.N_TRIPLES, ".nt", False),
        RdfSyntax("nquads", ox.RdfFormat.N_QUADS, ".nq", True),
        RdfSyntax("trig", ox.RdfFormat.TRIG, ".trig", True),
        RdfSyntax("rdfxml", ox.RdfFormat.RDF_XML, ".rdf", False),
        RdfSyntax("jsonld", ox.RdfFormat.JSON_LD, ".jsonld", False),
    )
}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "xml": "rdfxml", "rdf": "rdfxml", "json-ld": "jsonld"}


def syntax(name: str) -> RdfSyntax:
    """Look up an RDF syntax by name or alias (``ttl``, ``nt``, ``json-ld``...)."""
    key = ALIASES.get(name.lower(), name.lower())
    if key not in SYNTAXES:
        raise UsageError(f"unknown RDF format '{name}'; choose one of: {', '.join(SYNTAXES)}")
    return SYNTAXES[key]


def _sorted(store: ox.Store, include_ontology: bool, keep_graphs: bool) -> bytes:
    """The graph's triples (or quads) as N-Triples (or N-Quads) lines sorted by subject, predicate and object.

    Sorting groups each subject's statements together in Turtle and RDF/XML, and
    makes two exports of the same data identical, so they diff well. Oxigraph writes
    the lines; sorting them as bytes is sorting by the terms, since each term ends
    before a space and UTF-8 sorts as its code points.
    """
    graphs = [ox.DefaultGraph()] + ([ONTOLOGY_GRAPH] if include_ontology else [])
    parts = []
    for graph in graphs:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        assert data is not None  # dump returns the bytes when given no output
        lines = data.splitlines()
        lines.sort()
        if keep_graphs and isinstance(graph, ox.NamedNode):
            name = f" {graph} .".encode()
            lines = [line[:-2] + name for line in lines]
        parts.append(b"\n".join(lines) + b"\n" if lines else b"")
    return b"".join(parts)


def _quads(store: ox.Store, include_ontology: bool, keep_graphs: bool) -> Iterator[Any]:
    """The graph's triples (or quads), sorted as ``_sorted`` sorts them."""
    data = _sorted(store, include_ontology, keep_graphs)
    return ox.parse(data, format=ox.RdfFormat.N_QUADS if keep_graphs else ox.RdfFormat.N_TRIPLES)


def _jsonld(store: ox.Store, include_ontology: bool, out: IO[bytes]) -> None:
    import rdflib  # only JSON-LD needs it here

    data = _sorted(store, include_ontology, False)
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    context = json.loads(context_file().read_text("utf-8"))["@context"]
    out.write(graph.serialize(format="json-ld", context=context, indent=2).encode("utf-8"))


def write(store: ox.Store, fmt: RdfSyntax, out: IO[bytes], *, include_ontology: bool = False) -> None:
    """Serialize the dataset graph (and the ontology, if asked) to a binary stream."""
    if fmt.name == "jsonld":
        _jsonld(store, include_ontology, out)
        return
    if fmt.format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        out.write(_sorted(store, include_ontology, fmt.datasets))
        return
    quads = _quads(store, include_ontology, fmt.datasets)
    ox.serialize(quads, out, format=fmt.format, prefixes=ns.PREFIXES)


def export(store: ox.Store, fmt: RdfSyntax, output: str, *, include_ontology: bool = False) -> None:
    """Write to ``output`` atomically, or to standard output when it is ``-``."""
    write_output(output, lambda out: write(store, fmt, out, include_ontology=include_ontology))
