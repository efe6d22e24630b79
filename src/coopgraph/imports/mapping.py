"""A general import: one sheet -> records of one section, as a mapping file says.

A mapping file is YAML::

    section: organizations          # the records the rows become
    sheet: Partners                 # an .xlsx sheet (default: the first)
    id: "{Code}"                    # id rule: a template of columns, made a slug
    key: Code                       # rows with the same key are one record (default: the id)
    fields:
      name.en: Name                 # a column
      name.vi: Tên
      acronyms: {column: Short, split: ";"}
      type: {column: Kind, map: {Uni: university, Institute: research-institute}, default: other}
      country: {column: Country, map: {UK: GB, EL: GR, VN: VN}}  # a value the map lacks is an error
      size: {column: Staff, as: integer}
      budget.amount: {column: Budget, as: number}
      budget.currency: {value: EUR}  # the same value on every record
      participants: {column: Partners, split: ";", prefix: "org-", role: partner}
    sources: [partner-list-2024]    # every record cites these sources

A field's value is a column name, or a mapping with ``column`` (or ``value``, or
``template``), and optionally ``map`` (cell -> value), ``default`` (for empty cells
and values the map lacks), ``split`` (a list in one cell), ``as`` (``text``,
``integer``, ``number``, ``date``), and ``prefix`` (put before each id). When rows
share a key, the first row gives the record; the other names it gives become aliases
and lists are joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from coopgraph.checks import name_key
from coopgraph.errors import InputError
from coopgraph.imports.table import Sheet, read_sheet
from coopgraph.load import LList, LMap, LoadError, Pos, load_yaml
from coopgraph.model import ID_RE, SECTIONS, PartialDate
from coopgraph.report import Report
from coopgraph.validate import article, suggest

KEYS = ("section", "sheet", "id", "key", "fields", "sources")
SPEC_KEYS = ("column", "value", "template", "map", "default", "split", "as", "prefix", "role")
TYPES = ("text", "integer", "number", "date")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass
class Spec:
    """How one field's value is read from a row."""

    path: list[str]
    pos: Pos
    column: str | None = None
    value: Any = None
    template: str | None = None
    map: dict[str, Any] | None = None
    default: Any = None
    split: str | None = None
    kind: str = "text"
    prefix: str = ""
    role: str | None = None


@dataclass
class Mapping:
    section: str
    id: Spec
    key: str | None
    key_pos: Pos
    specs: list[Spec]
    sheet: str | None = None
    sources: list[str] = field(default_factory=list)


def slugify(text: str) -> str:
    """An id from any text: lowercase ASCII words joined by hyphens.

    >>> slugify("Trường Đại học Cần Thơ"), slugify("  ORG 42 ")
    ('truong-dai-hoc-can-tho', 'org-42')
    """
    return re.sub(r"[^a-z0-9]+", "-", name_key(text)).strip("-")


def read_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; every problem is an InputError line."""
    report = Report()
    try:
        raw = load_yaml(path, report)
    except LoadError as exc:
        raise InputError([exc.issue.format()]) from None
    problems = [issue.format() for issue in report.issues]
    if not isinstance(raw, LMap):
        raise InputError([*problems, f"{path}:1:1: error: a mapping file is a YAML mapping (section:, id:, fields:)"])

    def problem(pos: Pos, message: str) -> None:
        problems.append(f"{pos}: error: {message}")

    for key in raw:
        if key not in KEYS:
            problem(raw.key_pos[key], f"unknown key '{key}'; {suggest(key, list(KEYS)) or 'keys: ' + ', '.join(KEYS)}")
    section = raw.get("section")
    cls = SECTIONS.get(section) if isinstance(section, str) else None
    if cls is None:
        hint = suggest(str(section), list(SECTIONS)) or "sections: " + ", ".join(SECTIONS)
        problem(raw.at("section"), f"'section' must name a section, not {section!r}; {hint}")
    specs: list[Spec] = []
    fields_raw = raw.get("fields")
    if not isinstance(fields_raw, LMap) or not fields_raw:
        problem(raw.at("fields"), "'fields' must map record fields to columns (name.en: Name)")
    else:
        known = cls.yaml_fields() if cls else {}
        for name, value in fields_raw.items():
            path_ = name.split(".")
            if cls and path_[0] not in known:
                hint = suggest(path_[0], list(known)) or "fields: " + ", ".join(known)
                problem(fields_raw.key_pos[name], f"{article(cls.KIND)} has no field '{path_[0]}'; {hint}")
                continue
            spec = _spec(path_, value, fields_raw.at(name), problem)
            if spec:
                specs.append(spec)
    id_spec = _spec(["id"], raw.get("id"), raw.at("id"), problem) if "id" in raw else None
    if id_spec is None and "id" not in raw:
        problem(raw.pos, "'id' is missing: say how ids are made, e.g. id: \"{Code}\"")
    key = raw.get("key")
    if key is not None and not isinstance(key, str):
        problem(raw.at("key"), "'key' must be a column name")
    sources = raw.get("sources", [])
    if (not isinstance(sources, LList) and sources != []) or any(
        not isinstance(s, str) or not ID_RE.match(s) for s in sources or []
    ):
        problem(raw.at("sources"), "'sources' must be a list of source ids")
    sheet = raw.get("sheet")
    if problems or cls is None or id_spec is None:
        raise InputError(problems)
    return Mapping(
        cls.SECTION, id_spec, key, raw.at("key"), specs, str(sheet) if sheet is not None else None, list(sources)
    )


def _spec(path: list[str], value: Any, pos: Pos, problem: Any) -> Spec | None:
    name = ".".join(path)
    if isinstance(value, str):
        if _PLACEHOLDER.search(value):
            return Spec(path, pos, template=value)
        return Spec(path, pos, column=value)
    if not isinstance(value, LMap):
        problem(pos, f"'{name}' must be a column name or a mapping such as {{column: Name}}")
        return None
    bad = [k for k in value if k not in SPEC_KEYS]
    for k in bad:
        problem(
            value.key_pos[k],
            f"unknown key '{k}' in '{name}'; {suggest(k, list(SPEC_KEYS)) or 'keys: ' + ', '.join(SPEC_KEYS)}",
        )
    sources = [k for k in ("column", "value", "template") if k in value]
    if len(sources) != 1:
        problem(pos, f"'{name}' needs exactly one of column, value or template")
        return None
    kind = value.get("as", "text")
    if kind not in TYPES:
        problem(value.at("as"), f"'as' must be one of {', '.join(TYPES)}, not {kind!r}")
        return None
    table = value.get("map")
    if table is not None and not isinstance(table, LMap):
        problem(value.at("map"), f"'map' of '{name}' must be a mapping of cell values to values")
        return None
    for k in ("column", "template", "split", "prefix", "role"):
        if k in value and not isinstance(value[k], str):
            problem(value.at(k), f"'{k}' of '{name}' must be text")
            return None
    if bad:
        return None
    return Spec(
        path,
        pos,
        column=value.get("column"),
        value=_plain(value.get("value")),
        template=value.get("template"),
        map={str(k): _plain(v) for k, v in table.items()} if table else None,
        default=_plain(value.get("default")),
        split=value.get("split"),
        kind=kind,
        prefix=value.get("prefix", ""),
        role=value.get("role"),
    )


def _plain(value: Any) -> Any:
    """A value of the mapping file as plain lists, dicts and scalars (no positions)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def convert(mapping: Mapping, sheet: Sheet) -> list[dict[str, Any]]:
    """The records the rows of ``sheet`` become, sorted by id; InputError lists every bad cell."""
    problems: list[str] = []
    for spec in [mapping.id, *mapping.specs]:
        for column in _columns(spec):
            if column not in sheet.index:
                have = ", ".join(sheet.columns)
                problems.append(f"{spec.pos}: error: the sheet {sheet.shown} has no column '{column}' (it has: {have})")
    if mapping.key and mapping.key not in sheet.index:
        problems.append(f"{mapping.key_pos}: error: the key column '{mapping.key}' is not in {sheet.shown}")
    if problems:
        raise InputError(problems)
    records: dict[str, dict[str, Any]] = {}
    keys: dict[str, str] = {}
    label = SECTIONS[mapping.section].LABEL
    for row, cells in enumerate(sheet.records()):
        rid = _id(mapping.id, cells, sheet, row, problems)
        if rid is None:
            continue
        record: dict[str, Any] = {"id": rid}
        for spec in mapping.specs:
            got = _value(spec, cells, sheet, row, problems)
            if got is not None:
                _put(record, spec.path, got)
        if mapping.sources:
            record["sources"] = list(mapping.sources)
        key = cells[mapping.key].strip() if mapping.key else rid
        if key in keys and keys[key] != rid:
            problems.append(
                f"{sheet.pos(row)}: error: the key {key!r} gave the id {keys[key]!r} on an earlier row, "
                f"and {rid!r} on this one"
            )
            continue
        keys[key] = rid
        if rid in records:
            _merge(records[rid], record, label)
        else:
            records[rid] = record
    if problems:
        raise InputError(problems)
    return [records[rid] for rid in sorted(records)]


def _columns(spec: Spec) -> list[str]:
    if spec.column is not None:
        return [spec.column]
    if spec.template is not None:
        return _PLACEHOLDER.findall(spec.template)
    return []


def _id(spec: Spec, cells: dict[str, str], sheet: Sheet, row: int, problems: list[str]) -> str | None:
    text = _raw(spec, cells)
    rid = spec.prefix + slugify(str(text)) if text not in (None, "") else ""
    if not rid or not ID_RE.match(rid):
        where = sheet.pos(row, spec.column or next(iter(_columns(spec)), None))
        problems.append(f"{where}: error: the row gives no id (from {spec.column or spec.template!r})")
        return None
    return rid


def _raw(spec: Spec, cells: dict[str, str]) -> Any:
    if spec.column is not None:
        return cells[spec.column].strip()
    if spec.template is not None:
        return _PLACEHOLDER.sub(lambda m: cells[m.group(1)].strip(), spec.template).strip()
    return spec.value


def _value(spec: Spec, cells: dict[str, str], sheet: Sheet, row: int, problems: list[str]) -> Any:
    raw = _raw(spec, cells)
    column = spec.column or next(iter(_columns(spec)), None)
    name = ".".join(spec.path)
    items = [p.strip() for p in str(raw).split(spec.split)] if spec.split and isinstance(raw, str) else [raw]
    out = []
    for item in items:
        if item in (None, ""):
            if spec.default is not None and not spec.split:
                out.append(spec.default)
            continue
        if spec.map is not None:
            if str(item) in spec.map:
                item = spec.map[str(item)]
            elif spec.default is not None:
                item = spec.default
            else:
                problems.append(
                    f"{sheet.pos(row, column)}: error: the value {item!r} of column '{column}' is not "
                    f"in the map of '{name}'; add it to the map, or give a default"
                )
                continue
        try:
            item = _as(spec.kind, item)
        except ValueError as exc:
            problems.append(f"{sheet.pos(row, column)}: error: '{name}': {exc}")
            continue
        if spec.prefix:
            item = spec.prefix + slugify(str(item))
        if spec.role is not None:
            item = {"org": item, "role": spec.role}
        out.append(item)
    if not out:
        return None
    return out if spec.split or spec.path[0] in ("participants",) else out[0]


def _as(kind: str, value: Any) -> Any:
    """A cell's text as the type asked for.

    >>> _as("integer", "12"), _as("number", "4099406.25"), _as("number", "5132000000"), _as("date", "2023-5-1")
    (12, '4099406.25', 5132000000, '2023-05-01')
    """
    if kind == "text" or not isinstance(value, str):
        return value
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", value):
            raise ValueError(f"{value[:40]!r} is not a whole number")
        return int(value)
    if kind == "number":
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"{value[:40]!r} is not a number") from None
        if not number.is_finite():
            raise ValueError(f"{value[:40]!r} is not a number")
        return int(number) if number == number.to_integral_value() else format(number, "f")
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?", value)
    if not match:
        raise ValueError(f"{value[:40]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    text = "-".join([match.group(1)] + [f"{int(p):02d}" for p in match.groups()[1:] if p])
    PartialDate.parse(text)  # raises ValueError for 2015-02-30
    return text


def _put(record: dict[str, Any], path: list[str], value: Any) -> None:
    target = record
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _merge(into: dict[str, Any], other: dict[str, Any], label: str) -> None:
    """A later row of the same record: new names become aliases, lists are joined."""
    for key, value in other.items():
        if key not in into:
            into[key] = value
        elif key == label and isinstance(value, dict):
            names = {v for lang, v in value.items() if into[key].get(lang) != v}
            if names:
                into["aliases"] = sorted(set(into.get("aliases", [])) | names)
        elif isinstance(value, list) and isinstance(into[key], list):
            into[key] = into[key] + [v for v in value if v not in into[key]]


def import_sheet(source: Path, mapping_path: Path) -> tuple[str, list[dict[str, Any]]]:
    """The section and the records that ``source`` becomes under the mapping file."""
    mapping = read_mapping(mapping_path)
    sheet = read_sheet(source, mapping.sheet)
    return mapping.section, convert(mapping, sheet)
