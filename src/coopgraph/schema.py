"""JSON Schema of the YAML format and record skeletons, both read off ``model``.

Editors (VS Code with the YAML extension, any yaml-language-server client) use the
schema for completion, hover and inline errors while a steward types. It states
the shape of the data; ``coopgraph validate`` remains the judge (references,
dates, graph rules cannot be said in JSON Schema).
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

import pycountry

from coopgraph.countries import country_codes
from coopgraph.model import (
    ID_RE,
    LANG_RE,
    MEASURES,
    PARTS,
    ROLES,
    SECTIONS,
    Config,
    Record,
)
from coopgraph.validate import NOT_CURRENCIES, ROR_RE, WIKIDATA_RE, article

SCHEMA_ID = "https://w3id.org/coopgraph/schema/data.json"
CONFIG_SCHEMA_ID = "https://w3id.org/coopgraph/schema/config.json"


def _pattern(regex: Any) -> str:
    return "^" + regex.pattern.removesuffix(r"\Z") + "$"


def _defs() -> dict[str, Any]:
    string = {"type": "string", "pattern": r"\S"}
    date = {
        "description": "A date: YYYY-MM-DD, YYYY-MM or YYYY.",
        "anyOf": [
            {"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"},
            {"type": "integer", "minimum": 1000, "maximum": 9999},
        ],
    }
    defs: dict[str, Any] = {
        "str": string,
        "id": {
            "description": "Lowercase letters, digits and single hyphens; unique in the dataset.",
            "type": ["string", "integer"],
            "pattern": _pattern(ID_RE),
        },
        "text": {
            "description": "Text per language: {vi: ..., en: ...}.",
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": _pattern(LANG_RE)},
            "additionalProperties": string,
        },
        "identifiers": {
            "description": "Identifiers in other registers, by scheme: {cordis: '999452596', doi: ...}.",
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": _pattern(ID_RE)},
            "additionalProperties": {"anyOf": [string, {"type": "integer"}]},
        },
        "strings": {"type": "array", "items": string},
        "date": date,
        "count": {"type": "integer", "minimum": 1},
        "figure-value": {"type": "integer", "minimum": 0},
        "amount": {
            "description": "A positive amount in full units of the currency.",
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0},
                {"type": "string", "pattern": r"^\s*[0-9]*[1-9][0-9]*(\.[0-9]+)?([eE][+-]?[0-9]+)?\s*$"},
            ],
        },
        "country": {
            "description": "ISO 3166-1 alpha-2 code, e.g. VN.",
            "enum": country_codes(),
        },
        "currency": {
            "description": "ISO 4217 code, e.g. VND, EUR.",
            "enum": sorted(c.alpha_3 for c in pycountry.currencies if c.alpha_3 not in NOT_CURRENCIES),
        },
        "lang": {"type": "string", "pattern": _pattern(LANG_RE)},
        "langs": {"type": "array", "items": {"$ref": "#/$defs/lang"}, "minItems": 1},
        "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
        "base": {"type": "string", "format": "uri", "pattern": "^https?://.*[/#]$"},
        "ror": {"type": "string", "pattern": _pattern(ROR_RE)},
        "wikidata": {"type": "string", "pattern": _pattern(WIKIDATA_RE)},
        "measure": {
            "description": "What a figure counts; documented measures are suggested, others are accepted.",
            "anyOf": [{"enum": list(MEASURES)}, {"type": "string", "pattern": _pattern(ID_RE)}],
        },
        "role": {"enum": list(ROLES)},
    }
    for name, (spec, required) in PARTS.items():
        defs[name] = {
            "type": "object",
            "properties": {key: _value(parse) for key, parse in spec.items()},
            "required": list(required),
            "additionalProperties": False,
        }
    defs["period"]["minProperties"] = 1
    defs["figure"]["anyOf"] = [{"required": ["value"]}, {"required": ["printed"]}]
    defs["citation"] = {"anyOf": [{"type": "string", "pattern": _pattern(ID_RE)}, defs["citation"]]}
    defs["participants"] = {"type": "array", "items": {"$ref": "#/$defs/participant"}}
    defs["figures"] = {"type": "array", "items": {"$ref": "#/$defs/figure"}}
    defs["citations"] = {"type": "array", "items": {"$ref": "#/$defs/citation"}}
    defs["corrections"] = {"type": "array", "items": {"$ref": "#/$defs/correction"}}
    return defs


def _value(parse: str, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """The schema of one field, from its ``parse`` name (``ref:KIND`` for a reference)."""
    meta = meta or {}
    name, _, kinds = parse.partition(":")
    if name in ("ref", "refs"):
        to = " or ".join(meta.get("to") or kinds.split("|"))
        ref = {"$ref": "#/$defs/id", "description": f"The id of a {to}."}
        return ref if name == "ref" else {"type": "array", "items": ref}
    if name in ("enum", "enums"):
        enum = {"enum": list(meta["choices"])}
        return enum if name == "enum" else {"type": "array", "items": enum}
    return {"$ref": f"#/$defs/{name}"}


def _record_schema(cls: type[Record]) -> dict[str, Any]:
    props = {key: _value(f.metadata["parse"], dict(f.metadata)) for key, f in cls.yaml_fields().items()}
    required = [key for key, f in cls.yaml_fields().items() if f.metadata["required"]]
    return {
        "title": f"{cls.KIND} record",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def data_schema() -> dict[str, Any]:
    """The JSON Schema of a data file: sections holding lists of records."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "coopgraph data file",
        "description": "Records of organizations and their cooperation. Check with: coopgraph validate",
        "type": ["object", "null"],
        "properties": {
            section: {"type": ["array", "null"], "items": _record_schema(cls)} for section, cls in SECTIONS.items()
        },
        "additionalProperties": False,
        "$defs": _defs(),
    }


def config_schema() -> dict[str, Any]:
    """The JSON Schema of ``coopgraph.yaml``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": CONFIG_SCHEMA_ID,
        "title": "coopgraph dataset settings (coopgraph.yaml)",
        "type": ["object", "null"],
        "properties": {f.name: _value(f.metadata["parse"], dict(f.metadata)) for f in fields(Config)},
        "additionalProperties": False,
        "$defs": _defs(),
    }


#: Fields a skeleton shows besides the required ones, per kind: what a steward fills in most.
_SKELETON_FIELDS = {
    "organization": ("acronyms", "country", "city", "parent", "website", "sources"),
    "agreement": ("parties", "date", "period", "areas", "sources"),
    "project": ("kind", "participants", "period", "budget", "part_of", "sources"),
    "exchange": ("host", "participants", "date", "place", "sources"),
    "programme": ("period", "managed_by", "sources"),
    "document": ("number", "date", "issuer", "sources"),
    "source": ("publisher", "published", "url", "language", "license"),
}

_HINTS = {
    "date": "YYYY-MM-DD, YYYY-MM or YYYY",
    "period": "start and end: YYYY-MM-DD, YYYY-MM or YYYY",
    "country": "ISO 3166 code, e.g. VN",
    "money": "amount in full units; ISO 4217 currency, e.g. VND",
    "place": "city and ISO 3166 country code",
    "url": "http(s) address",
    "lang": "language code, e.g. vi",
    "participants": "one {org, role} per organization; roles: " + ", ".join(ROLES),
    "citations": "the source record's id, and the words it says",
    "strings": "a list of text",
}


def _placeholder(parse: str, meta: dict[str, Any], languages: list[str]) -> tuple[Any, str]:
    """An empty value of the field's shape (JSON, which is YAML flow style) and a comment."""
    name, _, kinds = parse.partition(":")
    to = " or ".join(meta.get("to") or kinds.split("|"))
    shapes: dict[str, Any] = {
        "text": dict.fromkeys(languages, ""),
        "refs": [],
        "strings": [],
        "enums": [],
        "period": {"start": "", "end": ""},
        "participants": [{"org": "", "role": "participant"}],
        "citations": [{"source": "", "quote": ""}],
        "money": {"amount": 0, "currency": ""},
        "place": {"city": "", "country": ""},
    }
    if name in ("enum", "enums"):
        return shapes.get(name, ""), "one of: " + ", ".join(meta["choices"])
    if name in ("ref", "refs"):
        what = f"id of {article(to)}" if name == "ref" else f"ids of {to}s"
        return shapes.get(name, ""), what
    return shapes.get(name, ""), _HINTS.get(name, "")


def skeleton(kind: str, record_id: str, languages: list[str]) -> str:
    """A record of ``kind`` to fill in, as YAML text to paste under its section.

    >>> print(skeleton("organization", "hanoi-university", ["vi", "en"]))  # doctest: +ELLIPSIS
    organizations:
      - id: hanoi-university
        name: {"vi": "", "en": ""}
        type: ""  # one of: government-body, political-body, ...
        acronyms: []  # a list of text
        country: ""  # ISO 3166 code, e.g. VN
    ...
    """
    cls = next(c for c in SECTIONS.values() if kind == c.KIND)
    known = cls.yaml_fields()
    keys = [k for k, f in known.items() if f.metadata["required"] and k != "id"]
    keys += [k for k in _SKELETON_FIELDS[kind] if k in known and k not in keys]
    lines = [f"{cls.SECTION}:", f"  - id: {record_id}"]
    for key in keys:
        value, comment = _placeholder(known[key].metadata["parse"], dict(known[key].metadata), languages)
        text = json.dumps(value, ensure_ascii=False)
        lines.append(f"    {key}: {text}" + (f"  # {comment}" if comment else ""))
    return "\n".join(lines) + "\n"
