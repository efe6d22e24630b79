"""Graph rules: the SHACL shapes of ``ontology/shapes.ttl``, run with pySHACL.

Each result is reported at the YAML file and line of the record it is about, with
the code the shape declares as its ``dcterms:identifier``. pySHACL is given only
the triples whose predicate the shapes name (with ``rdf:type``), which is all the
shapes can see and a small part of a big graph, bulk-loaded into an in-memory
Oxigraph store that pySHACL reads through oxrdflib (three times faster than
filling an rdflib ``Graph``, measured on 10,000 organizations).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, RDF, SH
from rdflib.term import Node

from coopgraph import namespaces as ns
from coopgraph.model import Dataset, Record
from coopgraph.paths import shapes_file
from coopgraph.report import Issue, Report, Severity

#: The YAML fields a result's ``sh:resultPath`` comes from, first present wins: the
#: result is reported there, else at the record's first line.
_PATH_FIELDS = {
    ns.coop("party"): ("parties", "participants"),
    ns.coop("participant"): ("participants", "host", "parties"),
    ns.coop("coordinator"): ("participants",),
    ns.coop("groupSize"): ("size",),
    ns.coop("organizationType"): ("type",),
}


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(shapes_file(), format="turtle")


def needs_cooperation() -> bool:
    """Whether the shapes read the materialized ``coop:cooperatesWith``."""
    return ns.coop("cooperatesWith") in _watched_predicates()


@lru_cache(maxsize=1)
def _watched_predicates() -> frozenset[str]:
    """``rdf:type`` and every IRI the shapes mention as an object: paths, targets, values."""
    shapes = shapes_graph()
    return frozenset({str(RDF.type)} | {str(o) for o in shapes.objects() if isinstance(o, URIRef)})


def _shape_code(shapes: Graph, shape: Node) -> str:
    code = shapes.value(shape, DCTERMS.identifier)
    if code is None:  # a property shape: the code is on the node shape holding it
        code = shapes.value(shapes.value(None, SH.property, shape), DCTERMS.identifier)
    return str(code)


@lru_cache(maxsize=1)
def _watched_terms() -> frozenset[str]:
    """``_watched_predicates`` as N-Triples terms (``<iri>``)."""
    return frozenset(f"<{iri}>" for iri in _watched_predicates())


def watched_lines(lines: Iterable[str]) -> Iterator[str]:
    """The N-Triples lines the shapes can see: watched predicates, and types that are watched classes."""
    watched = _watched_terms()
    rdf_type = f"<{RDF.type}>"
    for line in lines:
        _, predicate, rest = line.split(" ", 2)
        if predicate in watched and (predicate != rdf_type or rest[: rest.index(">") + 1] in watched):
            yield line


def check_shapes(dataset: Dataset, lines: Iterable[str], report: Report) -> None:
    """Run the shapes on ``lines`` (the graph of ``dataset`` as N-Triples); add each result to ``report``."""
    import pyshacl  # heavy imports (a second), which the commands that only read the store skip
    from oxrdflib import OxigraphStore

    store = ox.Store()  # in memory; pySHACL reads it through rdflib's API (oxrdflib)
    store.bulk_load("".join(watched_lines(lines)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    data = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    shapes = shapes_graph()
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    by_iri: dict[str, Record] = {ns.entity_iri(dataset.config.base, r.KIND, r.id): r for r in dataset.records.values()}
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = str(results.value(result, SH.focusNode))
        record = by_iri.get(focus)
        if record is None or record.id in dataset.flawed:
            continue  # its own errors come first; the graph rule may only be their echo
        path = results.value(result, SH.resultPath)
        keys = [k for k in _PATH_FIELDS.get(str(path), ()) if k in record.field_pos]
        pos = record.field_pos[keys[0]] if keys else record.pos
        about = f"{record.KIND} '{record.id}'"
        severity = Severity.ERROR if results.value(result, SH.resultSeverity) == SH.Violation else Severity.WARNING
        code = _shape_code(shapes, results.value(result, SH.sourceShape))
        message = f"{about}: {results.value(result, SH.resultMessage)}"
        found.append(Issue(pos.path, pos.line, pos.col, severity, code, message))
    for issue in sorted(found):
        report.add(issue)
