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
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from coopgraph import namespaces as ns
from coopgraph.model import Dataset, Record
from coopgraph.paths import shapes_file
from coopgraph.report import Issue, Report, Severity

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

# rdflib is imported where it is used: the commands that only read the store skip its import.
_SH = "http://www.w3.org/ns/shacl#"
_RDF_TYPE = ns.RDF + "type"

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
    from rdflib import Graph

    return Graph().parse(shapes_file(), format="turtle")


def needs_cooperation() -> bool:
    """Whether the shapes read the materialized ``coop:cooperatesWith``."""
    return ns.coop("cooperatesWith") in _watched_predicates()


@lru_cache(maxsize=1)
def _watched_predicates() -> frozenset[str]:
    """``rdf:type`` and every IRI the shapes mention as an object: paths, targets, values."""
    shapes = shapes_graph()
    from rdflib import URIRef

    return frozenset({_RDF_TYPE} | {str(o) for o in shapes.objects() if isinstance(o, URIRef)})


def _shape_code(shapes: Graph, shape: Node) -> str:
    from rdflib.namespace import DCTERMS, SH

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
    rdf_type = f"<{_RDF_TYPE}>"
    for line in lines:
        _, predicate, rest = line.split(" ", 2)
        if predicate in watched and (predicate != rdf_type or rest[: rest.index(">") + 1] in watched):
            yield line


@dataclass(frozen=True)
class ShapeResult:
    """One result of the shapes, before it is placed in the YAML: what ``report_results`` needs."""

    focus: str
    path: str | None
    violation: bool
    code: str
    message: str


def run_shapes(lines: Iterable[str], focus: Iterable[str] | None = None) -> list[ShapeResult]:
    """The shapes' results on the graph of N-Triples ``lines``, only for the ``focus`` nodes if given."""
    import pyshacl  # heavy imports (a second), which the commands that only read the store skip
    from oxrdflib import OxigraphStore
    from rdflib import Graph, URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
    from rdflib.namespace import RDF, SH

    store = ox.Store()  # in memory; pySHACL reads it through rdflib's API (oxrdflib)
    store.bulk_load("".join(watched_lines(lines)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    data = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    shapes = shapes_graph()
    nodes: list[str | URIRef] | None = None if focus is None else [URIRef(iri) for iri in focus]
    if nodes == []:
        return []
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True, focus_nodes=nodes)
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(result, SH.resultPath)
        found.append(
            ShapeResult(
                focus=str(results.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                violation=results.value(result, SH.resultSeverity) == SH.Violation,
                code=_shape_code(shapes, results.value(result, SH.sourceShape)),
                message=str(results.value(result, SH.resultMessage)),
            )
        )
    return sorted(found, key=lambda r: (r.focus, r.code, r.path or "", r.message))


def report_results(dataset: Dataset, results: Iterable[ShapeResult], report: Report) -> None:
    """Add each result to ``report``, at the YAML file and line of the record it is about."""
    by_iri: dict[str, Record] = {ns.entity_iri(dataset.config.base, r.KIND, r.id): r for r in dataset.records.values()}
    found = []
    for result in results:
        record = by_iri.get(result.focus)
        if record is None or record.id in dataset.flawed:
            continue  # its own errors come first; the graph rule may only be their echo
        keys = [k for k in _PATH_FIELDS.get(result.path or "", ()) if k in record.field_pos]
        pos = record.field_pos[keys[0]] if keys else record.pos
        severity = Severity.ERROR if result.violation else Severity.WARNING
        message = f"{record.KIND} '{record.id}': {result.message}"
        found.append(Issue(pos.path, pos.line, pos.col, severity, result.code, message))
    for issue in sorted(found):
        report.add(issue)


def check_shapes(dataset: Dataset, lines: Iterable[str], report: Report) -> list[ShapeResult]:
    """Run the shapes on ``lines`` (the graph of ``dataset`` as N-Triples); add each result to ``report``."""
    results = run_shapes(lines)
    report_results(dataset, results, report)
    return results


#: What a shape may use for its results to depend only on the triples next to its focus node.
_LOCAL_PARAMETERS = frozenset(
    _SH + name
    for name in (
        *("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "path", "property"),
        *("minCount", "maxCount", "hasValue", "in", "datatype", "nodeKind", "minLength", "maxLength"),
        *("pattern", "flags", "languageIn", "uniqueLang", "minInclusive", "maxInclusive", "minExclusive"),
        *("maxExclusive", "severity", "message", "deactivated", "name", "description", "order", "group"),
    )
)


@dataclass(frozen=True)
class Reach:
    """The triples next to a focus node that local shapes read: by predicate, outwards and inwards."""

    outward: frozenset[str]
    inward: frozenset[str]


@lru_cache(maxsize=1)
def local_reach() -> Reach | None:
    """What the shapes read around a focus node, when each reads no further than one step.

    Then a node's results depend only on the triples that have it as subject with an
    ``outward`` predicate or as object with an ``inward`` one, and a graph that changed
    in a few places can be checked at those places alone. That holds when every path is
    a predicate or the ``sh:inversePath`` of one and no parameter reaches further
    (``sh:class``, ``sh:node``, ``sh:sparql``, property pairs...); else None.
    """
    from rdflib import URIRef
    from rdflib.namespace import SH

    shapes = shapes_graph()
    for predicate in set(shapes.predicates()):
        if str(predicate).startswith(_SH) and str(predicate) not in _LOCAL_PARAMETERS | {_SH + "inversePath"}:
            return None
    outward = {_RDF_TYPE} | {str(p) for p in shapes.objects(None, SH.targetSubjectsOf)}
    inward = {str(p) for p in shapes.objects(None, SH.targetObjectsOf)}
    for path in shapes.objects(None, SH.path):
        inverse = shapes.value(path, SH.inversePath)
        if isinstance(path, URIRef):
            outward.add(str(path))
        elif isinstance(inverse, URIRef) and len(set(shapes.predicate_objects(path))) == 1:
            inward.add(str(inverse))
        else:
            return None
    return Reach(frozenset(outward), frozenset(inward))
