"""Serializations of the built graph: Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD.

Everything but JSON-LD streams from the store through Oxigraph's serializers.
JSON-LD goes through rdflib so that it can be compacted with the project's
context (``ontology/context.jsonld``). Files are written next to their target
and renamed into place, so a failed export leaves the old file whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from coopgraph import namespaces as ns
from coopgraph.errors import UsageError
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


def _quads(store: ox.Store, include_ontology: bool, keep_graphs: bool) -> Iterator[Any]:
    """The graph's triples (or quads) sorted by subject, predicate and object.

    Sorting groups each subject's statements together in Turtle and RDF/XML, and
    makes two exports of the same data identical, so they diff well.
    """
    graphs = [ox.DefaultGraph()] + ([ONTOLOGY_GRAPH] if include_ontology else [])
    for graph in graphs:
        quads = sorted(
            store.quads_for_pattern(None, None, None, graph),
            key=lambda q: (str(q.subject), str(q.predicate), str(q.object)),
        )
        for quad in quads:
            yield quad if keep_graphs else quad.triple


def _jsonld(store: ox.Store, include_ontology: bool, out: IO[bytes]) -> None:
    import rdflib  # only JSON-LD needs it here

    data = ox.serialize(_quads(store, include_ontology, False), format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    context = json.loads(context_file().read_text("utf-8"))["@context"]
    out.write(graph.serialize(format="json-ld", context=context, indent=2).encode("utf-8"))


def write(store: ox.Store, fmt: RdfSyntax, out: IO[bytes], *, include_ontology: bool = False) -> None:
    """Serialize the dataset graph (and the ontology, if asked) to a binary stream."""
    if fmt.name == "jsonld":
        _jsonld(store, include_ontology, out)
        return
    quads = _quads(store, include_ontology, fmt.datasets)
    ox.serialize(quads, out, format=fmt.format, prefixes=ns.PREFIXES)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export(store: ox.Store, fmt: RdfSyntax, output: str, *, include_ontology: bool = False) -> None:
    """Write to ``output`` atomically, or to standard output when it is ``-``."""
    if output == "-":
        write(store, fmt, sys.stdout.buffer, include_ontology=include_ontology)
        sys.stdout.buffer.flush()
        return
    target = Path(os.path.realpath(output))  # through symlinks: replace the file, not the link
    if target.is_dir():
        raise UsageError(f"{output}: is a folder; give a file name")
    if target.exists() and not target.is_file():  # a device or a pipe: write into it, never replace it
        with open(target, "wb") as handle:
            write(store, fmt, handle, include_ontology=include_ontology)
        return
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"{output}: the folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(store, fmt, handle, include_ontology=include_ontology)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
