"""The ontology: loads in two engines, declares the contract, matches the builder and the model."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, URIRef

import coopgraph
from coopgraph import model
from coopgraph.namespaces import COOP, concept_iri, scheme_iri
from coopgraph.paths import context_file, ontology_file
from coopgraph.rdf.build import ROLE_PROPERTIES

from .conftest import DATA

CONTRACT_CLASSES = [
    "Organization",
    "Agreement",
    "Project",
    "Exchange",
    "Activity",
    "Programme",
    "PolicyDocument",
    "Source",
    "Country",
]
CONTRACT_PROPERTIES = [
    "participant",
    "party",
    "lead",
    "funder",
    "host",
    "cooperatesWith",
    "country",
    "date",
    "startDate",
    "endDate",
    "budget",
    "partOf",
]


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file())


def labels(graph: rdflib.Graph, term: URIRef, prop: URIRef = RDFS.label) -> set[str]:
    return {o.language for o in graph.objects(term, prop) if isinstance(o, rdflib.Literal)}


def test_loads_in_rdflib_and_in_oxigraph(onto: rdflib.Graph) -> None:
    triples = list(ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(onto) > 1000


def test_declares_every_contract_term_in_both_languages(onto: rdflib.Graph) -> None:
    for name in CONTRACT_CLASSES:
        term = URIRef(COOP + name)
        assert (term, RDF.type, OWL.Class) in onto, name
        assert labels(onto, term) >= {"en", "vi"}, name
        assert labels(onto, term, RDFS.comment) >= {"en", "vi"}, name
    for name in CONTRACT_PROPERTIES:
        term = URIRef(COOP + name)
        assert set(onto.objects(term, RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}, name
        assert labels(onto, term) >= {"en", "vi"}, name
    for name in ["Agreement", "Project", "Exchange"]:
        assert (URIRef(COOP + name), RDFS.subClassOf, URIRef(COOP + "Activity")) in onto
    assert (URIRef(COOP + "cooperatesWith"), RDF.type, OWL.SymmetricProperty) in onto


def test_role_properties_are_sub_properties_of_participant(onto: rdflib.Graph) -> None:
    participant = URIRef(COOP + "participant")
    declared = {str(s)[len(COOP) :] for s in onto.subjects(RDFS.subPropertyOf, participant)}
    assert declared == {p for p in ROLE_PROPERTIES.values() if p}


@pytest.mark.parametrize("dataset", [DATA / "tiny", None])
def test_every_coop_term_the_build_writes_is_declared(onto: rdflib.Graph, dataset) -> None:
    graph = coopgraph.open(dataset)
    used = graph.select(
        """SELECT DISTINCT ?term WHERE {
             { ?s ?term ?o } UNION { ?s a ?term } UNION { ?s ?p ?term FILTER(isIRI(?term)) }
             FILTER(STRSTARTS(STR(?term), "https://w3id.org/coopgraph/ns#")
                    || STRSTARTS(STR(?term), "https://w3id.org/coopgraph/vocab/"))
           }"""
    )
    assert used
    undeclared = [r["term"] for r in used if (URIRef(r["term"]), RDF.type, None) not in onto]
    assert undeclared == []


@pytest.mark.parametrize(
    ("scheme", "values"),
    [
        ("organization-type", model.ORGANIZATION_TYPES),
        ("activity-kind", model.AGREEMENT_KINDS + model.PROJECT_KINDS + model.EXCHANGE_KINDS),
        ("document-kind", model.DOCUMENT_KINDS),
        ("cooperation-area", model.AREAS),
        ("measure", model.MEASURES),
    ],
)
def test_concept_schemes_hold_exactly_the_yaml_values(onto: rdflib.Graph, scheme: str, values: tuple) -> None:
    members = {str(s).rsplit("/", 1)[1] for s in onto.subjects(SKOS.inScheme, URIRef(scheme_iri(scheme)))}
    assert members == set(values)
    for value in values:
        assert labels(onto, URIRef(concept_iri(scheme, value)), SKOS.prefLabel) == {"en", "vi"}


def test_jsonld_context_compacts_and_expands_back() -> None:
    context = json.loads(context_file().read_text("utf-8"))
    doc = {
        "@context": context["@context"],
        "@id": "https://example.org/org/a",
        "@type": "coop:Organization",
        "coop:cooperatesWith": {"@id": "https://example.org/org/b"},
    }
    graph = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assert (
        URIRef("https://example.org/org/a"),
        URIRef(COOP + "cooperatesWith"),
        URIRef("https://example.org/org/b"),
    ) in graph
