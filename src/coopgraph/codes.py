"""The catalogue of validation codes: each problem coopgraph reports has one, stable.

A code names a kind of problem, never a message: messages may be reworded, codes
stay. ``docs/validation.md`` is generated from this table and the test corpus,
and a report can only carry a code listed here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    severity: str  # "error" or "warning"
    group: str
    summary: str


_TABLE = [
    # --- Reading files -------------------------------------------------------------------
    ("unreadable", "error", "files", "A file or folder of the dataset cannot be read (permissions, I/O)."),
    ("not-utf8", "error", "files", "A file is not UTF-8 text. A UTF-8 byte order mark is fine."),
    ("yaml-syntax", "error", "files", "The file is not valid YAML."),
    ("yaml-tab", "error", "files", "A tab where YAML needs spaces (indentation)."),
    ("yaml-documents", "error", "files", "A file holds more than one YAML document (---)."),
    (
        "duplicate-key",
        "error",
        "files",
        "The same key twice in one mapping, or one language in two cases (en-GB, en-gb); one would be lost.",
    ),
    ("bad-key", "error", "files", "A mapping key that is not a string (a number, a list...)."),
    ("bad-value", "error", "files", "A number too long to read, or a value tagged !!float that is not one."),
    # --- Safety ----------------------------------------------------------------------------
    ("yaml-tag", "error", "safety", "A tag other than YAML's plain types (!!python/object...); never executed."),
    ("yaml-alias", "error", "safety", "Aliases that refer to themselves or expand too far (a 'billion laughs')."),
    ("yaml-merge", "error", "safety", "A merge key (<<); write the values out."),
    ("yaml-depth", "error", "safety", "Values nested deeper than any record needs."),
    # --- Schema ----------------------------------------------------------------------------
    ("unknown-section", "error", "schema", "A top-level key that is not a section (organizations, projects...)."),
    ("unknown-field", "error", "schema", "A field the record kind does not have; the hint names the closest."),
    ("wrong-type", "error", "schema", "A value of the wrong type (text where a list is expected...)."),
    ("missing-field", "error", "schema", "A required field is absent."),
    ("empty-value", "error", "schema", "A value that is empty or blank."),
    ("control-character", "error", "schema", "Text holding a control character or an invisible bidi override."),
    ("bad-id", "error", "schema", "An id that is not lowercase letters, digits and single hyphens."),
    ("duplicate-id", "error", "schema", "An id already used by another record anywhere in the dataset."),
    ("bad-enum", "error", "schema", "A value outside its list (organization type, role, activity kind...)."),
    ("bad-language", "error", "schema", "A language key that is not a BCP 47 language tag."),
    ("bad-base", "error", "schema", "The dataset's base is not an http(s) IRI ending in / or #."),
    ("bad-url", "error", "schema", "A website or source URL that is not a valid http(s) URL."),
    ("bad-ror", "error", "schema", "A ROR id that is not 9 characters such as 05mh9ez25."),
    ("bad-wikidata", "error", "schema", "A Wikidata id that is not Q followed by digits."),
    ("bad-measure", "error", "schema", "A figure's measure that is not a lowercase slug."),
    # --- References ------------------------------------------------------------------------
    ("unknown-ref", "error", "references", "An id that names no record; the hint names the closest of the right kind."),
    (
        "wrong-ref-kind",
        "error",
        "references",
        "An id that names a record of the wrong kind (a party that is not an organization).",
    ),
    # --- Values ----------------------------------------------------------------------------
    ("bad-date", "error", "values", "Not a real calendar date (2015-02-30, year 0, 2015-13)."),
    ("period-order", "error", "values", "A period that ends before it starts."),
    ("date-after-source", "warning", "values", "A start or event date after the publication of every source cited."),
    ("bad-country", "error", "values", "Not an ISO 3166-1 alpha-2 country code; the hint suggests one."),
    ("bad-currency", "error", "values", "Not an ISO 4217 currency code ('VNĐ' -> VND)."),
    ("bad-number", "error", "values", "A count or amount that is not positive, or not plausible."),
    ("cycle", "error", "values", "Organizations that are their own parent, or activities their own part, via a chain."),
    # --- Graph rules (SHACL, ontology/shapes.ttl) ---------------------------------------------
    ("too-few-parties", "error", "graph", "An agreement with fewer than two distinct parties."),
    ("size-not-group", "error", "graph", "An organization with a size that is not of type group."),
    ("no-participants", "warning", "graph", "An activity that names no organization at all."),
    ("several-coordinators", "warning", "graph", "An activity with more than one coordinator."),
    ("empty-programme", "warning", "graph", "A programme that no activity is part of."),
    # --- Quality ---------------------------------------------------------------------------
    ("no-source", "warning", "quality", "A record that cites no source."),
    ("missing-label", "warning", "quality", "A record with no name or title in one of the dataset's languages."),
    ("unused-organization", "warning", "quality", "An organization that no other record names."),
    ("likely-duplicate", "warning", "quality", "Two records of a kind with the same name, ignoring case and accents."),
]

CODES: dict[str, Code] = {row[0]: Code(*row) for row in _TABLE}
GROUPS = ("files", "safety", "schema", "references", "values", "graph", "quality")
