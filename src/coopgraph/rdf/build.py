"""Validated model -> RDF triples (pyoxigraph terms), following docs/ontology.md.

The builder also materializes what plain SPARQL users should not need a reasoner
for: ``coop:participant`` next to every role property, and the symmetric
``coop:cooperatesWith`` between organizations that share an activity.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Triple

from coopgraph import namespaces as ns
from coopgraph.countries import english_name, vietnamese_name
from coopgraph.model import (
    Activity,
    Agreement,
    Dataset,
    Exchange,
    Organization,
    PartialDate,
    Period,
    PolicyDocument,
    Programme,
    Project,
    Record,
    Source,
)

ROLE_PROPERTIES = {
    "party": "party",
    "lead": "lead",
    "partner": "partner",
    "funder": "funder",
    "beneficiary": "beneficiary",
    "host": "host",
    "organizer": "organizer",
    "coordinator": "coordinator",
    "focal-point": "focalPoint",
    "contractor": "contractor",
    "participant": None,
    "associated-partner": "associatedPartner",
    "third-party": "thirdParty",
}

CLASSES = {
    "organization": "Organization",
    "agreement": "Agreement",
    "project": "Project",
    "exchange": "Exchange",
    "programme": "Programme",
    "document": "PolicyDocument",
    "source": "Source",
}


def _iri(value: str) -> NamedNode:
    return NamedNode(value)


def _coop(term: str) -> NamedNode:
    return NamedNode(ns.coop(term))


RDF_TYPE = NamedNode(ns.RDF + "type")
RDFS_LABEL = NamedNode(ns.RDFS + "label")
RDFS_COMMENT = NamedNode(ns.RDFS + "comment")
SKOS_ALT = NamedNode(ns.SKOS + "altLabel")
SKOS_NOTE = NamedNode(ns.SKOS + "editorialNote")
SKOS_NOTATION = NamedNode(ns.SKOS + "notation")
DCT_DESCRIPTION = NamedNode(ns.DCTERMS + "description")
PROV_DERIVED = NamedNode(ns.PROV + "wasDerivedFrom")
PROV_QUALIFIED = NamedNode(ns.PROV + "qualifiedDerivation")
PROV_ENTITY = NamedNode(ns.PROV + "entity")
PROV_DERIVATION = NamedNode(ns.PROV + "Derivation")
SCHEMA_VALUE = NamedNode(ns.SCHEMA + "value")
SCHEMA_IDENTIFIER = NamedNode(ns.SCHEMA + "identifier")
SCHEMA_PROPERTY_VALUE = NamedNode(ns.SCHEMA + "PropertyValue")
SCHEMA_PROPERTY_ID = NamedNode(ns.SCHEMA + "propertyID")
PARTICIPANT = _coop("participant")
COOPERATES = _coop("cooperatesWith")


def _typed(value: str, xsd: str) -> Literal:
    return Literal(value, datatype=NamedNode(ns.XSD + xsd))


def date_literal(date: PartialDate) -> Literal:
    """``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``, as precise as the data."""
    return _typed(str(date), date.xsd_type)


class _Builder:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.base = dataset.config.base
        self.countries: set[str] = set()

    # References to ids that are not records are left out: a valid dataset has none, and
    # the graph of a dataset with errors is only built for its shapes to be checked.

    def iri_of(self, record_id: str) -> NamedNode:
        record = self.dataset.records[record_id]
        return _iri(ns.entity_iri(self.base, record.KIND, record_id))

    def text(self, s: NamedNode, p: NamedNode, text: dict[str, str] | None) -> Iterator[Triple]:
        for lang, value in (text or {}).items():
            yield Triple(s, p, Literal(value, language=lang))

    def concept(self, scheme: str, value: str) -> NamedNode:
        return _iri(ns.concept_iri(scheme, value))

    def country(self, code: str) -> NamedNode:
        self.countries.add(code)
        return _iri(ns.country_iri(code))

    def dates(self, s: NamedNode, date: PartialDate | None, period: Period | None) -> Iterator[Triple]:
        if date:
            yield Triple(s, _coop("date"), date_literal(date))
        if period and period.start:
            yield Triple(s, _coop("startDate"), date_literal(period.start))
        if period and period.end:
            yield Triple(s, _coop("endDate"), date_literal(period.end))

    def refs(self, s: NamedNode, p: NamedNode, ids: list[str] | str | None) -> Iterator[Triple]:
        for ref in [ids] if isinstance(ids, str) else ids or []:
            if ref in self.dataset.records:
                yield Triple(s, p, self.iri_of(ref))

    def url(self, s: NamedNode, p: NamedNode, url: str | None) -> Iterator[Triple]:
        if url:
            try:
                yield Triple(s, p, NamedNode(url))
            except ValueError:
                yield Triple(s, p, _typed(url, "anyURI"))

    def common(self, record: Record, s: NamedNode) -> Iterator[Triple]:
        yield Triple(s, RDF_TYPE, _coop(CLASSES[record.KIND]))
        yield from self.text(s, RDFS_LABEL, record.label)
        for alias in record.aliases or []:
            yield Triple(s, SKOS_ALT, Literal(alias))
        for acronym in record.acronyms or []:
            yield Triple(s, SKOS_ALT, Literal(acronym))
            yield Triple(s, _coop("acronym"), Literal(acronym))
        yield from self.text(s, DCT_DESCRIPTION, record.description)
        for note in record.notes or []:
            yield Triple(s, SKOS_NOTE, Literal(note))
        for n, fix in enumerate(record.corrections or [], start=1):
            c = _iri(ns.part_iri(s.value, "correction", n))
            yield Triple(s, _coop("correction"), c)
            yield Triple(c, RDF_TYPE, _coop("Correction"))
            yield Triple(c, _coop("correctedField"), Literal(fix.field))
            yield Triple(c, _coop("printedValue"), Literal(fix.printed))
            if fix.note:
                yield Triple(c, SKOS_NOTE, Literal(fix.note))
        for scheme, value in (record.identifiers or {}).items():
            i = _iri(ns.part_iri(s.value, "identifier", scheme))
            yield Triple(s, SCHEMA_IDENTIFIER, i)
            yield Triple(i, RDF_TYPE, SCHEMA_PROPERTY_VALUE)
            yield Triple(i, SCHEMA_PROPERTY_ID, Literal(scheme))
            yield Triple(i, SCHEMA_VALUE, Literal(value))
        for n, cite in enumerate(record.sources or [], start=1):
            cited = self.dataset.records.get(cite.source)
            if not isinstance(cited, Source):
                continue
            source = self.iri_of(cite.source)
            c = _iri(ns.part_iri(s.value, "citation", n))
            yield Triple(s, PROV_DERIVED, source)
            yield Triple(s, PROV_QUALIFIED, c)
            yield Triple(c, RDF_TYPE, PROV_DERIVATION)
            yield Triple(c, PROV_ENTITY, source)
            if cite.quote:
                lang = cited.language
                quote = Literal(cite.quote, language=lang) if lang else Literal(cite.quote)
                yield Triple(c, _coop("quote"), quote)
            if cite.note:
                yield Triple(c, SKOS_NOTE, Literal(cite.note))

    def organization(self, o: Organization, s: NamedNode) -> Iterator[Triple]:
        yield Triple(s, _coop("organizationType"), self.concept("organization-type", o.type))
        if o.country:
            yield Triple(s, _coop("country"), self.country(o.country))
        if o.city:
            yield Triple(s, _coop("city"), Literal(o.city))
        yield from self.refs(s, _coop("parentOrganization"), o.parent)
        if o.size:
            yield Triple(s, _coop("groupSize"), _typed(str(o.size), "integer"))
        same = NamedNode(ns.SCHEMA + "sameAs")
        if o.ror:
            yield Triple(s, same, NamedNode(ns.ROR + o.ror))
        if o.wikidata:
            yield Triple(s, same, NamedNode(ns.WIKIDATA + o.wikidata))
        yield from self.url(s, NamedNode(ns.SCHEMA + "url"), o.website)

    def activity(self, a: Activity, s: NamedNode) -> Iterator[Triple]:
        yield Triple(s, RDF_TYPE, _coop("Activity"))
        if a.kind:
            yield Triple(s, _coop("activityKind"), self.concept("activity-kind", a.kind))
        seen: set[tuple[str, str]] = set()
        for part in a.participations():
            if (part.org, part.role) in seen or part.org not in self.dataset.records:
                continue
            seen.add((part.org, part.role))
            org = self.iri_of(part.org)
            yield Triple(s, PARTICIPANT, org)
            prop = ROLE_PROPERTIES[part.role]
            if prop:
                yield Triple(s, _coop(prop), org)
        yield from self.dates(s, a.date, a.period)
        yield from self.refs(s, _coop("partOf"), a.part_of)
        for area in a.areas or []:
            yield Triple(s, _coop("area"), self.concept("cooperation-area", area))
        for n, fig in enumerate(a.figures or [], start=1):
            f = _iri(ns.part_iri(s.value, "figure", n))
            yield Triple(s, _coop("figure"), f)
            yield Triple(f, RDF_TYPE, _coop("Figure"))
            yield Triple(f, _coop("measure"), self.concept("measure", fig.measure))
            if fig.category:
                yield Triple(f, _coop("category"), Literal(fig.category))
            if fig.value is not None:
                yield Triple(f, SCHEMA_VALUE, _typed(str(fig.value), "integer"))
            if fig.printed:
                yield Triple(f, _coop("printedValue"), Literal(fig.printed))
            if fig.note:
                yield Triple(f, RDFS_COMMENT, Literal(fig.note))
        yield from self.text(s, _coop("outcome"), a.outcome)
        if isinstance(a, Agreement):
            yield from self.refs(s, _coop("legalBasis"), a.legal_basis)
        elif isinstance(a, Project):
            if a.budget:
                b = _iri(ns.part_iri(s.value, "budget"))
                yield Triple(s, _coop("budget"), b)
                yield Triple(b, RDF_TYPE, NamedNode(ns.SCHEMA + "MonetaryAmount"))
                yield Triple(b, SCHEMA_VALUE, _typed(format(a.budget.amount, "f"), "decimal"))
                yield Triple(b, NamedNode(ns.SCHEMA + "currency"), Literal(a.budget.currency))
            for value in a.fields or []:
                yield Triple(s, _coop("field"), Literal(value))
        elif isinstance(a, Exchange) and a.place:
            if a.place.city:
                yield Triple(s, _coop("city"), Literal(a.place.city))
            if a.place.country:
                yield Triple(s, _coop("country"), self.country(a.place.country))

    def programme(self, p: Programme, s: NamedNode) -> Iterator[Triple]:
        yield from self.dates(s, None, p.period)
        yield from self.refs(s, _coop("managedBy"), p.managed_by)
        yield from self.refs(s, _coop("legalBasis"), p.legal_basis)
        yield from self.refs(s, _coop("partOf"), p.part_of)
        yield from self.text(s, _coop("goal"), p.goal)

    def document(self, d: PolicyDocument, s: NamedNode) -> Iterator[Triple]:
        yield Triple(s, _coop("documentKind"), self.concept("document-kind", d.kind))
        if d.number:
            yield Triple(s, _coop("documentNumber"), Literal(d.number))
        yield from self.dates(s, d.date, None)
        yield from self.refs(s, _coop("issuer"), d.issuer)
        yield from self.refs(s, _coop("approves"), d.approves)
        yield from self.refs(s, _coop("legalBasis"), d.legal_basis)

    def source(self, src: Source, s: NamedNode) -> Iterator[Triple]:
        yield from self.text(s, NamedNode(ns.DCTERMS + "title"), src.label)
        if src.publisher:
            yield Triple(s, NamedNode(ns.DCTERMS + "publisher"), Literal(src.publisher))
        if src.published:
            yield Triple(s, NamedNode(ns.DCTERMS + "issued"), date_literal(src.published))
        yield from self.url(s, NamedNode(ns.SCHEMA + "url"), src.url)
        if src.language:
            yield Triple(s, NamedNode(ns.DCTERMS + "language"), Literal(src.language))
        if src.license:
            yield Triple(s, NamedNode(ns.DCTERMS + "license"), Literal(src.license))

    def record(self, record: Record) -> Iterator[Triple]:
        s = self.iri_of(record.id)
        yield from self.common(record, s)
        if isinstance(record, Organization):
            yield from self.organization(record, s)
        elif isinstance(record, Activity):
            yield from self.activity(record, s)
        elif isinstance(record, Programme):
            yield from self.programme(record, s)
        elif isinstance(record, PolicyDocument):
            yield from self.document(record, s)
        elif isinstance(record, Source):
            yield from self.source(record, s)

    def cooperation(self) -> Iterator[Triple]:
        """The symmetric coop:cooperatesWith, once per ordered pair of partners."""
        pairs: set[tuple[str, str]] = set()
        for activity in self.dataset.of((Agreement, Project, Exchange)):
            orgs = sorted({p.org for p in activity.participations() if p.org in self.dataset.records})
            for i, a in enumerate(orgs):
                for b in orgs[i + 1 :]:
                    pairs.add((a, b))
        for a, b in sorted(pairs):
            ia, ib = self.iri_of(a), self.iri_of(b)
            yield Triple(ia, COOPERATES, ib)
            yield Triple(ib, COOPERATES, ia)

    def country_labels(self) -> Iterator[Triple]:
        for code in sorted(self.countries):
            s = _iri(ns.country_iri(code))
            yield Triple(s, RDF_TYPE, _coop("Country"))
            yield Triple(s, SKOS_NOTATION, Literal(code))
            yield Triple(s, RDFS_LABEL, Literal(english_name(code), language="en"))
            vi = vietnamese_name(code)
            if vi:
                yield Triple(s, RDFS_LABEL, Literal(vi, language="vi"))


def build_triples(dataset: Dataset, *, cooperation: bool = True) -> Iterator[Triple]:
    """Every triple of the dataset's graph, materialized relations included.

    ``cooperation=False`` leaves out ``coop:cooperatesWith``: its pairs grow with the
    square of an activity's participants, and a check that does not read it need not
    pay for them.
    """
    builder = _Builder(dataset)
    for record in dataset.records.values():
        yield from builder.record(record)
    if cooperation:
        yield from builder.cooperation()
    yield from builder.country_labels()
