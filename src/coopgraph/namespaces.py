"""Every IRI and prefix coopgraph uses, and the functions that mint IRIs.

No other module builds an IRI from strings: they all call these functions, so the
IRI patterns promised in ``docs/ontology.md`` live in one place.
"""

from __future__ import annotations

COOP = "https://w3id.org/coopgraph/ns#"
ONTOLOGY = "https://w3id.org/coopgraph/ns"
VOCAB = "https://w3id.org/coopgraph/vocab/"
COUNTRY = "https://w3id.org/coopgraph/country/"
DEFAULT_BASE = "https://w3id.org/coopgraph/data/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
ROR = "https://ror.org/"
WIKIDATA = "http://www.wikidata.org/entity/"

#: The prefixes predeclared in queries and used in serializations.
PREFIXES: dict[str, str] = {
    "coop": COOP,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "schema": SCHEMA,
    "prov": PROV,
    "dcterms": DCTERMS,
    "org": ORG,
}

#: Path segment of each record kind in entity IRIs (``{base}{segment}/{id}``).
KIND_SEGMENTS: dict[str, str] = {
    "organization": "organization",
    "agreement": "agreement",
    "project": "project",
    "exchange": "exchange",
    "programme": "programme",
    "document": "document",
    "source": "source",
}


def entity_iri(base: str, kind: str, record_id: str) -> str:
    """The stable IRI of a record.

    >>> entity_iri("https://w3id.org/coopgraph/haiphong/", "organization", "vast")
    'https://w3id.org/coopgraph/haiphong/organization/vast'
    """
    return f"{base}{KIND_SEGMENTS[kind]}/{record_id}"


def part_iri(entity: str, part: str, number: int | str | None = None) -> str:
    """The IRI of a node that belongs to one record (a figure, citation, budget).

    >>> part_iri("https://x.org/project/p", "figure", 2)
    'https://x.org/project/p/figure/2'
    >>> part_iri("https://x.org/project/p", "budget")
    'https://x.org/project/p/budget'
    """
    return f"{entity}/{part}" if number is None else f"{entity}/{part}/{number}"


def concept_iri(scheme: str, value: str) -> str:
    """The IRI of a value of one of the SKOS concept schemes.

    >>> concept_iri("organization-type", "university")
    'https://w3id.org/coopgraph/vocab/organization-type/university'
    """
    return f"{VOCAB}{scheme}/{value}"


def scheme_iri(scheme: str) -> str:
    return f"{VOCAB}{scheme}"


def country_iri(code: str) -> str:
    """The IRI of a country, by ISO 3166-1 alpha-2 code.

    >>> country_iri("VN")
    'https://w3id.org/coopgraph/country/VN'
    """
    return f"{COUNTRY}{code}"


def coop(term: str) -> str:
    """A term of the coopgraph ontology.

    >>> coop("participant")
    'https://w3id.org/coopgraph/ns#participant'
    """
    return COOP + term
