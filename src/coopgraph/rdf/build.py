"""Validated model -> RDF triples, following docs/ontology.md.

The builder also materializes what plain SPARQL users should not need a reasoner
for: ``coop:participant`` next to every role property, and the symmetric
``coop:cooperatesWith`` between organizations that share an activity, with each
organization's ``coop:partnerCount`` (how many partners it has: what rankings of
hubs read, instead of counting millions of pairs per query).

Triples are written as N-Triples lines: a big dataset has millions of them, and text
that Oxigraph parses in bulk (in Rust, without the GIL) is several times cheaper to
make and to load than one Python term object per node. Every value put in an IRI was
checked by validation (ids, enums, URLs); literals are escaped here.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Iterator

import pyoxigraph as ox

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
from coopgraph.progress import QUIET, Progress

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


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _iri(value: str) -> str:
    return f"<{value}>"


def _coop(term: str) -> str:
    return f"<{ns.coop(term)}>"


def _literal(value: str, *, language: str | None = None) -> str:
    """An N-Triples literal.

    >>> print(_literal('say "hi"\\n', language="en"))
    "say \\"hi\\"\\n"@en
    """
    text = value.translate(_ESCAPES)
    return f'"{text}"@{language}' if language else f'"{text}"'


def _triple(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def _value(iri: str) -> str:
    """The IRI inside an N-Triples term: ``<x>`` -> ``x``."""
    return iri[1:-1]


RDF_TYPE = _iri(ns.RDF + "type")
RDFS_LABEL = _iri(ns.RDFS + "label")
RDFS_COMMENT = _iri(ns.RDFS + "comment")
SKOS_ALT = _iri(ns.SKOS + "altLabel")
SKOS_NOTE = _iri(ns.SKOS + "editorialNote")
SKOS_NOTATION = _iri(ns.SKOS + "notation")
DCT_DESCRIPTION = _iri(ns.DCTERMS + "description")
PROV_DERIVED = _iri(ns.PROV + "wasDerivedFrom")
PROV_QUALIFIED = _iri(ns.PROV + "qualifiedDerivation")
PROV_ENTITY = _iri(ns.PROV + "entity")
PROV_DERIVATION = _iri(ns.PROV + "Derivation")
SCHEMA_VALUE = _iri(ns.SCHEMA + "value")
SCHEMA_IDENTIFIER = _iri(ns.SCHEMA + "identifier")
SCHEMA_PROPERTY_VALUE = _iri(ns.SCHEMA + "PropertyValue")
SCHEMA_PROPERTY_ID = _iri(ns.SCHEMA + "propertyID")
PARTICIPANT = _coop("participant")
COOPERATES = _coop("cooperatesWith")
PARTNER_COUNT = _coop("partnerCount")


def _typed(value: str, xsd: str) -> str:
    return f'"{value.translate(_ESCAPES)}"^^<{ns.XSD}{xsd}>'


def date_literal(date: PartialDate) -> str:
    """``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``, as precise as the data."""
    return _typed(str(date), date.xsd_type)


class Builder:
    """Makes the N-Triples lines of a dataset's records, one record at a time."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.base = dataset.config.base
        self.countries: set[str] = set()
        self.iris: dict[str, str] = {}

    # References to ids that are not records are left out: a valid dataset has none, and
    # the graph of a dataset with errors is only built for its shapes to be checked.

    def iri_of(self, record_id: str) -> str:
        iri = self.iris.get(record_id)
        if iri is None:
            record = self.dataset.records[record_id]
            iri = self.iris[record_id] = _iri(ns.entity_iri(self.base, record.KIND, record_id))
        return iri

    def text(self, s: str, p: str, text: dict[str, str] | None) -> Iterator[str]:
        for lang, value in (text or {}).items():
            yield _triple(s, p, _literal(value, language=lang))

    def concept(self, scheme: str, value: str) -> str:
        return _iri(ns.concept_iri(scheme, value))

    def country(self, code: str) -> str:
        self.countries.add(code)
        return _iri(ns.country_iri(code))

    def dates(self, s: str, date: PartialDate | None, period: Period | None) -> Iterator[str]:
        if date:
            yield _triple(s, _coop("date"), date_literal(date))
        if period and period.start:
            yield _triple(s, _coop("startDate"), date_literal(period.start))
        if period and period.end:
            yield _triple(s, _coop("endDate"), date_literal(period.end))

    def refs(self, s: str, p: str, ids: list[str] | str | None) -> Iterator[str]:
        for ref in [ids] if isinstance(ids, str) else ids or []:
            if ref in self.dataset.records:
                yield _triple(s, p, self.iri_of(ref))

    def url(self, s: str, p: str, url: str | None) -> Iterator[str]:
        if url:
            try:
                ox.NamedNode(url)
            except ValueError:
                yield _triple(s, p, _typed(url, "anyURI"))
            else:
                yield _triple(s, p, _iri(url))

    def common(self, record: Record, s: str) -> Iterator[str]:
        yield _triple(s, RDF_TYPE, _coop(CLASSES[record.KIND]))
        yield from self.text(s, RDFS_LABEL, record.label)
        for alias in record.aliases or []:
            yield _triple(s, SKOS_ALT, _literal(alias))
        for acronym in record.acronyms or []:
            yield _triple(s, SKOS_ALT, _literal(acronym))
            yield _triple(s, _coop("acronym"), _literal(acronym))
        yield from self.text(s, DCT_DESCRIPTION, record.description)
        for note in record.notes or []:
            yield _triple(s, SKOS_NOTE, _literal(note))
        for n, fix in enumerate(record.corrections or [], start=1):
            c = _iri(ns.part_iri(_value(s), "correction", n))
            yield _triple(s, _coop("correction"), c)
            yield _triple(c, RDF_TYPE, _coop("Correction"))
            yield _triple(c, _coop("correctedField"), _literal(fix.field))
            yield _triple(c, _coop("printedValue"), _literal(fix.printed))
            if fix.note:
                yield _triple(c, SKOS_NOTE, _literal(fix.note))
        for scheme, value in (record.identifiers or {}).items():
            i = _iri(ns.part_iri(_value(s), "identifier", scheme))
            yield _triple(s, SCHEMA_IDENTIFIER, i)
            yield _triple(i, RDF_TYPE, SCHEMA_PROPERTY_VALUE)
            yield _triple(i, SCHEMA_PROPERTY_ID, _literal(scheme))
            yield _triple(i, SCHEMA_VALUE, _literal(value))
        for n, cite in enumerate(record.sources or [], start=1):
            cited = self.dataset.records.get(cite.source)
            if not isinstance(cited, Source):
                continue
            source = self.iri_of(cite.source)
            c = _iri(ns.part_iri(_value(s), "citation", n))
            yield _triple(s, PROV_DERIVED, source)
            yield _triple(s, PROV_QUALIFIED, c)
            yield _triple(c, RDF_TYPE, PROV_DERIVATION)
            yield _triple(c, PROV_ENTITY, source)
            if cite.quote:
                lang = cited.language
                quote = _literal(cite.quote, language=lang) if lang else _literal(cite.quote)
                yield _triple(c, _coop("quote"), quote)
            if cite.note:
                yield _triple(c, SKOS_NOTE, _literal(cite.note))

    def organization(self, o: Organization, s: str) -> Iterator[str]:
        yield _triple(s, _coop("organizationType"), self.concept("organization-type", o.type))
        if o.country:
            yield _triple(s, _coop("country"), self.country(o.country))
        if o.city:
            yield _triple(s, _coop("city"), _literal(o.city))
        yield from self.refs(s, _coop("parentOrganization"), o.parent)
        if o.size:
            yield _triple(s, _coop("groupSize"), _typed(str(o.size), "integer"))
        same = _iri(ns.SCHEMA + "sameAs")
        if o.ror:
            yield _triple(s, same, _iri(ns.ROR + o.ror))
        if o.wikidata:
            yield _triple(s, same, _iri(ns.WIKIDATA + o.wikidata))
        yield from self.url(s, _iri(ns.SCHEMA + "url"), o.website)

    def activity(self, a: Activity, s: str) -> Iterator[str]:
        yield _triple(s, RDF_TYPE, _coop("Activity"))
        if a.kind:
            yield _triple(s, _coop("activityKind"), self.concept("activity-kind", a.kind))
        seen: set[tuple[str, str]] = set()
        for part in a.participations():
            if (part.org, part.role) in seen or part.org not in self.dataset.records:
                continue
            seen.add((part.org, part.role))
            org = self.iri_of(part.org)
            yield _triple(s, PARTICIPANT, org)
            prop = ROLE_PROPERTIES[part.role]
            if prop:
                yield _triple(s, _coop(prop), org)
        yield from self.dates(s, a.date, a.period)
        yield from self.refs(s, _coop("partOf"), a.part_of)
        for area in a.areas or []:
            yield _triple(s, _coop("area"), self.concept("cooperation-area", area))
        for n, fig in enumerate(a.figures or [], start=1):
            f = _iri(ns.part_iri(_value(s), "figure", n))
            yield _triple(s, _coop("figure"), f)
            yield _triple(f, RDF_TYPE, _coop("Figure"))
            yield _triple(f, _coop("measure"), self.concept("measure", fig.measure))
            if fig.category:
                yield _triple(f, _coop("category"), _literal(fig.category))
            if fig.value is not None:
                yield _triple(f, SCHEMA_VALUE, _typed(str(fig.value), "integer"))
            if fig.printed:
                yield _triple(f, _coop("printedValue"), _literal(fig.printed))
            if fig.note:
                yield _triple(f, RDFS_COMMENT, _literal(fig.note))
        yield from self.text(s, _coop("outcome"), a.outcome)
        if isinstance(a, Agreement):
            yield from self.refs(s, _coop("legalBasis"), a.legal_basis)
        elif isinstance(a, Project):
            if a.budget:
                b = _iri(ns.part_iri(_value(s), "budget"))
                yield _triple(s, _coop("budget"), b)
                yield _triple(b, RDF_TYPE, _iri(ns.SCHEMA + "MonetaryAmount"))
                yield _triple(b, SCHEMA_VALUE, _typed(format(a.budget.amount, "f"), "decimal"))
                yield _triple(b, _iri(ns.SCHEMA + "currency"), _literal(a.budget.currency))
            for value in a.fields or []:
                yield _triple(s, _coop("field"), _literal(value))
        elif isinstance(a, Exchange) and a.place:
            if a.place.city:
                yield _triple(s, _coop("city"), _literal(a.place.city))
            if a.place.country:
                yield _triple(s, _coop("country"), self.country(a.place.country))

    def programme(self, p: Programme, s: str) -> Iterator[str]:
        yield from self.dates(s, None, p.period)
        yield from self.refs(s, _coop("managedBy"), p.managed_by)
        yield from self.refs(s, _coop("legalBasis"), p.legal_basis)
        yield from self.refs(s, _coop("partOf"), p.part_of)
        yield from self.text(s, _coop("goal"), p.goal)

    def document(self, d: PolicyDocument, s: str) -> Iterator[str]:
        yield _triple(s, _coop("documentKind"), self.concept("document-kind", d.kind))
        if d.number:
            yield _triple(s, _coop("documentNumber"), _literal(d.number))
        yield from self.dates(s, d.date, None)
        yield from self.refs(s, _coop("issuer"), d.issuer)
        yield from self.refs(s, _coop("approves"), d.approves)
        yield from self.refs(s, _coop("legalBasis"), d.legal_basis)

    def source(self, src: Source, s: str) -> Iterator[str]:
        yield from self.text(s, _iri(ns.DCTERMS + "title"), src.label)
        if src.publisher:
            yield _triple(s, _iri(ns.DCTERMS + "publisher"), _literal(src.publisher))
        if src.published:
            yield _triple(s, _iri(ns.DCTERMS + "issued"), date_literal(src.published))
        yield from self.url(s, _iri(ns.SCHEMA + "url"), src.url)
        if src.language:
            yield _triple(s, _iri(ns.DCTERMS + "language"), _literal(src.language))
        if src.license:
            yield _triple(s, _iri(ns.DCTERMS + "license"), _literal(src.license))

    def record_lines(self, record: Record) -> list[str]:
        """The record's lines, each once (an alias that is also an acronym...).

        A record's triples are about the record and its parts, which no other record
        makes: so no two lines of a build are one triple, and counting lines counts triples.
        """
        return list(dict.fromkeys(self.record(record)))

    def record(self, record: Record) -> Iterator[str]:
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

    def pairs(self) -> set[tuple[str, str]]:
        """Each pair of organizations that share an activity, once, the smaller id first."""
        pairs: set[tuple[str, str]] = set()
        for activity in self.dataset.of(Activity):
            pairs.update(itertools.combinations(organizations_of(activity, self.dataset), 2))
        return pairs

    def cooperation(self) -> Iterator[str]:
        """The symmetric coop:cooperatesWith, once per ordered pair of partners, and each
        organization's ``coop:partnerCount``."""
        pairs = self.pairs()
        iri = self.iri_of
        partners: Counter[str] = Counter()
        for a, b in pairs:  # the store does not keep an order; sorting a million pairs costs seconds
            ia, ib = iri(a), iri(b)
            yield f"{ia} {COOPERATES} {ib} .\n"
            yield f"{ib} {COOPERATES} {ia} .\n"
            partners[a] += 1
            partners[b] += 1
        for org in self.dataset.of(Organization):
            yield partner_count_line(iri(org.id), partners[org.id])

    def cooperation_turtle(self) -> Iterator[tuple[str, int]]:
        """What ``cooperation`` makes, as Turtle statements and the triples each holds.

        Each organization is written once with its partners as an object list, under a
        prefix for the organizations' IRIs: on CORDIS, 43 MB of text instead of 387 MB of
        N-Triples, which the store parses with less work (N-Triples lines are Turtle too,
        so one stream carries both).
        """
        partners: dict[str, list[str]] = {}
        for a, b in self.pairs():
            partners.setdefault(a, []).append(b)
            partners.setdefault(b, []).append(a)
        prefix = ns.entity_iri(self.base, "organization", "")
        yield f"@prefix cgorg: <{prefix}> .\n@prefix cgcoop: <{ns.COOP}> .\n", 0
        terms = {}
        for org in partners:  # an id is a valid local name: lowercase letters, digits and single hyphens
            iri = self.iri_of(org)
            terms[org] = f"cgorg:{org}" if iri == f"<{prefix}{org}>" else iri
        for org, others in partners.items():
            objects = ", ".join([terms[other] for other in others])
            yield f"{terms[org]} cgcoop:cooperatesWith {objects} .\n", len(others)
        for record in self.dataset.of(Organization):
            yield partner_count_line(self.iri_of(record.id), len(partners.get(record.id, ()))), 1

    def country_labels(self) -> Iterator[str]:
        """The nodes of the countries the records made so far name."""
        return self.country_lines(sorted(self.countries))

    @staticmethod
    def country_lines(codes: list[str]) -> Iterator[str]:
        for code in codes:
            s = _iri(ns.country_iri(code))
            yield _triple(s, RDF_TYPE, _coop("Country"))
            yield _triple(s, SKOS_NOTATION, _literal(code))
            yield _triple(s, RDFS_LABEL, _literal(english_name(code), language="en"))
            vi = vietnamese_name(code)
            if vi:
                yield _triple(s, RDFS_LABEL, _literal(vi, language="vi"))


def partner_count_line(org: str, partners: int) -> str:
    """The materialized ``coop:partnerCount`` of the organization ``org`` (an N-Triples IRI).

    >>> partner_count_line("<https://x.org/a>", 3).split()[2]
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    return _triple(org, PARTNER_COUNT, _typed(str(partners), "integer"))


def organizations_of(activity: Activity, dataset: Dataset) -> list[str]:
    """The ids of the organizations taking part in ``activity``, each once, sorted."""
    return sorted({p.org for p in activity.participations() if p.org in dataset.records})


def lines_digest(lines: list[str]) -> str:
    """A short hash of a record's lines: the next build compares it to see what changed."""
    return hashlib.blake2b("".join(lines).encode("utf-8"), digest_size=8).hexdigest()


def build_lines(
    dataset: Dataset,
    *,
    cooperation: bool = True,
    progress: Progress = QUIET,
    digests: dict[str, str] | None = None,
) -> Iterator[str]:
    """Every triple of the dataset's graph as an N-Triples line, materialized relations included.

    ``cooperation=False`` leaves out ``coop:cooperatesWith`` and ``coop:partnerCount``: the
    pairs grow with the square of an activity's participants, and a check that does not
    read them need not pay for them. ``digests``, when given, is filled with each record's ``lines_digest``.
    """
    builder = Builder(dataset)
    for n, record in enumerate(dataset.records.values(), start=1):
        lines = builder.record_lines(record)
        if digests is not None:
            digests[record.id] = lines_digest(lines)
        yield from lines
        if n % 1000 == 0:
            progress.advance(1000)
    progress.advance(len(dataset.records) % 1000)
    if cooperation:
        yield from builder.cooperation()
    yield from builder.country_labels()


def build_triples(dataset: Dataset, *, cooperation: bool = True) -> Iterator[ox.Quad]:
    """Every triple of the dataset's graph, as pyoxigraph quads of the default graph (see ``build_lines``)."""
    text = "".join(build_lines(dataset, cooperation=cooperation))
    return ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
