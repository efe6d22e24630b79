"""Raw positioned YAML -> typed model, collecting every problem on the way.

``validate_dataset`` never stops at the first problem: it reads every file, checks
every record and every reference, and returns the model together with a
``Report``. Field readers are looked up by the ``parse`` name that ``model``
declares on each field, so adding a field to the model is all a new field needs.
"""

from __future__ import annotations

import difflib
import multiprocessing
import os
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pycountry
import pyoxigraph as ox

from coopgraph.checks import check_cycles, check_quality, check_source_dates, name_key
from coopgraph.countries import is_country
from coopgraph.filecache import FileCache, entry_key
from coopgraph.load import (
    CONFIG_NAME,
    INVALID,
    LList,
    LMap,
    LoadError,
    Pos,
    can_fork,
    discover,
    display_path,
    gc_paused,
    load_yaml,
)
from coopgraph.model import (
    ID_RE,
    LANG_RE,
    PARTS,
    ROLES,
    SECTIONS,
    Citation,
    Config,
    Correction,
    Dataset,
    Figure,
    Money,
    PartialDate,
    Participation,
    Period,
    Place,
    Record,
)
from coopgraph.namespaces import DEFAULT_BASE
from coopgraph.progress import QUIET, Progress
from coopgraph.rdf.build import build_lines
from coopgraph.report import Issue, Report, Severity
from coopgraph.shapes import check_shapes, needs_cooperation

ROR_RE = re.compile(r"0[a-z0-9]{6}[0-9]{2}\Z")
WIKIDATA_RE = re.compile(r"Q[1-9][0-9]*\Z")
URL_RE = re.compile(r"https?://[^\s<>\"{}|\\^`]+\Z")
#: Characters that RDF/XML and most tools cannot carry (C0 and C1 controls but tab, newline,
#: return) and the invisible bidirectional overrides that can make text read differently.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
#: Amounts are money: below 10**18 and with 6 decimals at most, every real budget fits.
MAX_AMOUNT_DIGITS = 18
MAX_AMOUNT_DECIMALS = 6
NOT_CURRENCIES = {"XXX", "XTS"}
MEASURE_RE = ID_RE

_MISSING = object()


@dataclass(frozen=True)
class _Ref:
    owner: str | None
    pos: Pos
    field: str
    target: str
    kinds: tuple[str, ...]


class _Context:
    """Collects issues and the references to resolve once every id is known."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.refs: list[_Ref] = []
        self.current: str | None = None  # the id of the record being read
        self.flawed: set[str] = set()  # ids of records with errors of their own

    def error(self, pos: Pos, code: str, message: str, hint: str | None = None) -> None:
        if self.current is not None:
            self.flawed.add(self.current)
        self.report.add(Issue(pos.path, pos.line, pos.col, Severity.ERROR, code, message, hint))

    def warning(self, pos: Pos, code: str, message: str, hint: str | None = None) -> None:
        self.report.add(Issue(pos.path, pos.line, pos.col, Severity.WARNING, code, message, hint))


Reader = Callable[[Any, Pos, str, dict[str, Any], _Context], Any]


def _type_name(value: Any) -> str:
    if isinstance(value, LMap):
        return "a mapping"
    if isinstance(value, LList):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    return "text"


def _wrong_type(ctx: _Context, pos: Pos, name: str, expected: str, value: Any) -> None:
    hint = "put it in quotes" if expected == "text" and isinstance(value, (int, float, bool)) else None
    ctx.error(pos, "wrong-type", f"'{name}' must be {expected}, not {_type_name(value)}", hint)


def article(noun: str) -> str:
    """The noun with its indefinite article.

    >>> article("organization"), article("source")
    ('an organization', 'a source')
    """
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def read_str(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    if not isinstance(value, str):
        _wrong_type(ctx, pos, name, "text", value)
        return _MISSING
    if not value.strip():
        ctx.error(pos, "empty-value", f"'{name}' is empty")
        return _MISSING
    bad = CONTROL_RE.search(value)
    if bad:
        ctx.error(pos, "control-character", f"'{name}' holds the control character U+{ord(bad.group()):04X}")
        return _MISSING
    return value.strip()


def read_id(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = read_str(value, pos, name, meta, ctx)
    if text is _MISSING:
        return text
    if not ID_RE.match(text):
        slug = re.sub(r"[^a-z0-9]+", "-", name_key(text)).strip("-")
        ctx.error(
            pos,
            "bad-id",
            f"'{text}' is not a valid id (lowercase letters, digits and single hyphens)",
            f"try '{slug}'" if slug else None,
        )
        return _MISSING
    return text


def _read_text_map(
    value: LMap, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context, bad_key: Callable[[str], bool], empty: str
) -> Any:
    """The values of a mapping of keys to text; keys ``bad_key`` refuses were reported by it."""
    out: dict[str, str] = {}
    for key, raw in value.items():
        if bad_key(key):
            continue
        got = read_str(raw, value.at(key), f"{name}.{key}", meta, ctx)
        if got is not _MISSING:
            out[key] = got
    if not out:
        if not value:
            ctx.error(pos, "empty-value", f"'{name}' {empty}")
        return _MISSING
    return out


def read_text(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    if not isinstance(value, LMap):
        hint = f"write it per language, e.g. {name}: {{vi: …, en: …}}" if isinstance(value, str) else None
        ctx.error(pos, "wrong-type", f"'{name}' must be a mapping of language to text, not {_type_name(value)}", hint)
        return _MISSING

    seen: dict[str, str] = {}  # lowercased tag -> the key first written for it

    def bad_language(lang: str) -> bool:
        if not _valid_language(lang):
            hint = "use codes such as vi, en, fr"
            ctx.error(value.key_pos[lang], "bad-language", f"'{lang}' is not a language code", hint)
            return True
        first = seen.setdefault(lang.lower(), lang)
        if first != lang:  # the graph keeps one text per tag, and tags ignore case (en-GB is en-gb)
            ctx.error(
                value.key_pos[lang],
                "duplicate-key",
                f"'{name}' has the language '{lang}' twice: language tags ignore case",
                f"first as '{first}' at line {value.key_pos[first].line}",
            )
            return True
        return False

    return _read_text_map(value, pos, name, meta, ctx, bad_language, "has no text in any language")


def read_identifiers(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    if not isinstance(value, LMap):
        ctx.error(pos, "wrong-type", f"'{name}' must be a mapping of scheme to identifier, not {_type_name(value)}")
        return _MISSING

    def bad_scheme(scheme: str) -> bool:
        if ID_RE.match(scheme):
            return False
        ctx.error(value.key_pos[scheme], "bad-id", f"'{scheme}' is not a scheme name (a lowercase slug)")
        return True

    numbers = LMap({k: str(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in value.items()})
    numbers.pos, numbers.key_pos, numbers.value_pos = value.pos, value.key_pos, value.value_pos
    return _read_text_map(numbers, pos, name, meta, ctx, bad_scheme, "names no identifier")


def _valid_language(tag: str) -> bool:
    if not LANG_RE.match(tag):
        return False
    try:
        ox.Literal("", language=tag)
    except ValueError:
        return False
    return True


def _valid_iri(text: str) -> bool:
    if not URL_RE.match(text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def read_date(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        _wrong_type(ctx, pos, name, "a date (YYYY-MM-DD, YYYY-MM or YYYY)", value)
        return _MISSING
    if not value.strip():
        ctx.error(pos, "empty-value", f"'{name}' is empty")
        return _MISSING
    try:
        return PartialDate.parse(value.strip())
    except ValueError as exc:
        ctx.error(pos, "bad-date", f"'{value}' is not a valid date: {exc}")
        return _MISSING


def read_period(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    if not isinstance(value, LMap):
        _wrong_type(ctx, pos, name, "a mapping with start and end", value)
        return _MISSING
    parts = _read_fields(value, PARTS["period"][0], name, ctx)
    start, end = parts.get("start"), parts.get("end")
    if start and end and end.latest() < start.earliest():
        ctx.error(value.at("end"), "period-order", f"'{name}' ends ({end}) before it starts ({start})")
    if not value:
        ctx.error(pos, "empty-value", f"'{name}' needs a start or an end")
        return _MISSING
    return Period(start, end)


def read_ref(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    target = read_id(value, pos, name, meta, ctx)
    if target is not _MISSING:
        ctx.refs.append(_Ref(ctx.current, pos, name, target, meta["to"]))
    return target


def read_enum(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    text = read_str(value, pos, name, meta, ctx)
    if text is _MISSING:
        return text
    choices = meta["choices"]
    if text not in choices:
        hint = suggest(text, choices) or "one of: " + ", ".join(choices)
        ctx.error(pos, "bad-enum", f"'{text}' is not a known {name}", hint)
        return _MISSING
    return text


def read_country(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    text = read_str(value, pos, name, meta, ctx)
    if text is _MISSING:
        return text
    if not is_country(text):
        found = pycountry.countries.get(alpha_2=text.upper()) if len(text) == 2 else None
        if found is None:
            try:
                found = pycountry.countries.lookup(text)
            except LookupError:
                found = None
        hint = f"did you mean '{found.alpha_2}' ({found.name})?" if found else None
        ctx.error(pos, "bad-country", f"'{text}' is not an ISO 3166-1 alpha-2 country code", hint)
        return _MISSING
    return text


def read_currency(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    text = read_str(value, pos, name, meta, ctx)
    if text is _MISSING:
        return text
    if text != text.upper() or text in NOT_CURRENCIES or pycountry.currencies.get(alpha_3=text) is None:
        ascii_guess = text.upper().replace("Đ", "D")
        found = pycountry.currencies.get(alpha_3=ascii_guess)
        hint = f"did you mean '{found.alpha_3}' ({found.name})?" if found else None
        ctx.error(pos, "bad-currency", f"'{text}' is not an ISO 4217 currency code", hint)
        return _MISSING
    return text


def read_count(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    if not isinstance(value, int) or isinstance(value, bool):
        _wrong_type(ctx, pos, name, "a whole number", value)
        return _MISSING
    if value < (0 if meta.get("zero") else 1):
        ctx.error(pos, "bad-number", f"'{name}' must be {'0 or more' if meta.get('zero') else 'positive'}, not {value}")
        return _MISSING
    return value


def read_amount(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        _wrong_type(ctx, pos, name, "a number", value)
        return _MISSING
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        _wrong_type(ctx, pos, name, "a number", value)
        return _MISSING
    if not amount.is_finite() or amount <= 0:
        ctx.error(pos, "bad-number", f"'{name}' must be a positive amount, not {value}")
        return _MISSING
    decimals = -int(amount.as_tuple().exponent)
    if amount.adjusted() >= MAX_AMOUNT_DIGITS or decimals > MAX_AMOUNT_DECIMALS:
        ctx.error(
            pos,
            "bad-number",
            f"'{name}' is not a plausible amount: {value}",
            f"amounts are in full units, below 10^{MAX_AMOUNT_DIGITS}, with at most {MAX_AMOUNT_DECIMALS} decimals",
        )
        return _MISSING
    return amount


def _pattern_reader(regex: re.Pattern[str], what: str, code: str) -> Reader:
    def read(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
        text = read_str(value, pos, name, meta, ctx)
        if text is not _MISSING and not regex.match(text):
            ctx.error(pos, code, f"'{text}' is not {what}")
            return _MISSING
        return text

    return read


def read_base(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    text = read_str(value, pos, name, meta, ctx)
    if text is _MISSING:
        return text
    if not _valid_iri(text + "x") or not text.endswith(("/", "#")):
        ctx.error(pos, "bad-base", f"'{text}' is not an http(s) IRI ending in / or #")
        return _MISSING
    return text


def read_lang(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    text = read_str(value, pos, name, meta, ctx)
    if text is not _MISSING and not _valid_language(text):
        ctx.error(pos, "bad-language", f"'{text}' is not a language code", "use codes such as vi, en, fr")
        return _MISSING
    return text


def read_url(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    text = read_str(value, pos, name, meta, ctx)
    if text is not _MISSING and not _valid_iri(text):
        ctx.error(pos, "bad-url", f"'{text}' is not a valid http(s) URL")
        return _MISSING
    return text


def _read(reader: Reader, value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    """Read one value; one that the loader already reported (a disallowed tag...) is skipped."""
    if value is INVALID:
        if ctx.current is not None:
            ctx.flawed.add(ctx.current)
        return _MISSING
    return reader(value, pos, name, meta, ctx)


def read_list_of(item_reader: Reader) -> Reader:
    def read(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
        if not isinstance(value, LList):
            _wrong_type(ctx, pos, name, "a list", value)
            return _MISSING
        out = [_read(item_reader, v, value.at(i), name, meta, ctx) for i, v in enumerate(value)]
        return [v for v in out if v is not _MISSING]

    return read


def _record_reader(cls: type, spec: dict[str, str], required: tuple[str, ...], shorthand: str | None = None) -> Reader:
    """A reader for a small mapping value (a participant, a figure...)."""

    def read(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
        if shorthand and isinstance(value, str):
            value_map = LMap({shorthand: value})
            value_map.pos, value_map.key_pos, value_map.value_pos = pos, {shorthand: pos}, {shorthand: pos}
            value = value_map
        if not isinstance(value, LMap):
            _wrong_type(ctx, pos, name, "a mapping", value)
            return _MISSING
        parts = _read_fields(value, spec, name, ctx)
        missing = [k for k in required if k not in value]
        for key in missing:
            ctx.error(pos, "missing-field", f"'{name}' needs '{key}'")
        if missing or len(parts) < len([k for k in value if k in spec]):
            return _MISSING
        return cls(**{k.replace("-", "_"): v for k, v in parts.items()})

    return read


def _read_fields(value: LMap, spec: dict[str, str], name: str, ctx: _Context) -> dict[str, Any]:
    out = {}
    for key, raw in value.items():
        if key not in spec:
            hint = suggest(key, list(spec)) or "known fields: " + ", ".join(spec)
            ctx.error(value.key_pos[key], "unknown-field", f"unknown field '{key}' in {name}", hint)
            continue
        reader_name, _, extra = spec[key].partition(":")
        field_meta: dict[str, Any] = {}
        if extra:
            field_meta["to"] = tuple(extra.split("|"))
        got = _read(READERS[reader_name], raw, value.at(key), f"{name}.{key}", field_meta, ctx)
        if got is not _MISSING:
            out[key] = got
    return out


def read_participant(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    if not isinstance(value, LMap):
        _wrong_type(ctx, pos, name, "a mapping {org: id, role: role}", value)
        return _MISSING
    parts = _read_fields(value, PARTS["participant"][0], name, ctx)
    if "org" not in value:
        ctx.error(pos, "missing-field", f"'{name}' needs 'org'")
    if "org" not in parts:
        return _MISSING
    return Participation(parts["org"], parts.get("role", "participant"))


def read_role(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    return read_enum(value, pos, "role", {"choices": ROLES}, ctx)


def read_figure_value(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    return read_count(value, pos, name, {"zero": True}, ctx)


def read_figure(value: Any, pos: Pos, name: str, meta: dict[str, Any], ctx: _Context) -> Any:
    got = _record_reader(Figure, *PARTS["figure"])(value, pos, name, meta, ctx)
    if got is not _MISSING and got.value is None and got.printed is None:
        ctx.error(pos, "missing-field", f"'{name}' needs a 'value' or, when the source gives no number, 'printed'")
        return _MISSING
    return got


READERS: dict[str, Reader] = {
    "str": read_str,
    "id": read_id,
    "text": read_text,
    "identifiers": read_identifiers,
    "strings": read_list_of(read_str),
    "date": read_date,
    "period": read_period,
    "ref": read_ref,
    "refs": read_list_of(read_ref),
    "enum": read_enum,
    "enums": read_list_of(read_enum),
    "country": read_country,
    "currency": read_currency,
    "count": read_count,
    "amount": read_amount,
    "base": read_base,
    "langs": read_list_of(read_lang),
    "role": read_role,
    "figure-value": read_figure_value,
    "lang": read_lang,
    "url": read_url,
    "ror": _pattern_reader(ROR_RE, "a ROR id (9 characters, e.g. 05mh9ez25)", "bad-ror"),
    "wikidata": _pattern_reader(WIKIDATA_RE, "a Wikidata id (Q followed by digits)", "bad-wikidata"),
    "measure": _pattern_reader(MEASURE_RE, "a measure name (a lowercase slug)", "bad-measure"),
    "participants": read_list_of(read_participant),
    "figures": read_list_of(read_figure),
    "money": _record_reader(Money, *PARTS["money"]),
    "place": _record_reader(Place, *PARTS["place"]),
    "citations": read_list_of(_record_reader(Citation, *PARTS["citation"], shorthand="source")),
    "corrections": read_list_of(_record_reader(Correction, *PARTS["correction"])),
}


def read_record(cls: type[Record], raw: Any, pos: Pos, ctx: _Context) -> tuple[Record | None, str | None]:
    """One record of a section (None when too broken to keep) and its id (None if it has none)."""
    if raw is INVALID:
        return None, None
    if not isinstance(raw, LMap):
        ctx.error(pos, "wrong-type", f"a record of '{cls.SECTION}' must be a mapping, not {_type_name(raw)}")
        return None, None
    ctx.current = str(raw["id"]) if isinstance(raw.get("id"), (str, int)) else None
    try:
        return _read_record(cls, raw, pos, ctx)
    finally:
        ctx.current = None


def _read_record(cls: type[Record], raw: LMap, pos: Pos, ctx: _Context) -> tuple[Record | None, str | None]:
    known = cls.yaml_fields()
    values: dict[str, Any] = {}
    ok = True
    for key, value in raw.items():
        f = known.get(key)
        if f is None:
            hint = suggest(key, list(known)) or "known fields: " + ", ".join(known)
            ctx.error(
                raw.key_pos[key], "unknown-field", f"unknown field '{key}' in {cls.KIND} '{raw.get('id', '?')}'", hint
            )
            continue
        got = _read(READERS[f.metadata["parse"]], value, raw.at(key), key, dict(f.metadata), ctx)
        if got is _MISSING:
            ok = ok and not f.metadata["required"]
        else:
            values[f.name] = got
    for key, f in known.items():
        if f.metadata["required"] and key not in raw:
            ctx.error(pos, "missing-field", f"{cls.KIND} '{raw.get('id', '?')}' needs '{key}'")
            ok = False
    if not ok or "id" not in values:
        return None, values.get("id")
    return cls(pos=pos, field_pos=dict(raw.value_pos), **values), values["id"]


def read_config(folder: Path, ctx: _Context) -> Config:
    path = folder / CONFIG_NAME
    if not path.exists():
        return Config(base=DEFAULT_BASE, languages=["vi", "en"])
    try:
        raw = load_yaml(path, ctx.report)
    except LoadError as exc:
        ctx.report.add(exc.issue)
        return Config(base=DEFAULT_BASE, languages=["vi", "en"])
    values: dict[str, Any] = {}
    if raw is not None and raw is not INVALID:
        if not isinstance(raw, LMap):
            shown = Pos(display_path(path), 1, 1)
            ctx.error(getattr(raw, "pos", shown), "wrong-type", f"{CONFIG_NAME} must be a mapping")
        else:
            spec = {f.name: f.metadata["parse"] for f in fields(Config)}
            values = _read_fields(raw, spec, CONFIG_NAME, ctx)
    if values.get("languages") == [] and isinstance(raw, LMap):
        ctx.error(raw.at("languages"), "empty-value", f"{CONFIG_NAME}: 'languages' needs at least one language")
        del values["languages"]
    values.setdefault("base", DEFAULT_BASE)
    values.setdefault("languages", ["vi", "en"])
    return Config(**values)


def dataset_config(folder: Path) -> Config:
    """The settings of a dataset (defaults where ``coopgraph.yaml`` is absent or wrong)."""
    return read_config(folder, _Context(Report()))


def _check_references(records: dict[str, Record], broken: dict[str, str], ctx: _Context) -> None:
    """Every id a record names must exist and be of the right kind.

    ``broken`` holds the ids of records that had errors of their own: naming them
    is not reported again.
    """
    by_kind: dict[str, list[str]] = {}
    for rid, record in records.items():
        by_kind.setdefault(record.KIND, []).append(rid)
    for rid, kind in broken.items():
        by_kind.setdefault(kind, []).append(rid)
    for ref in ctx.refs:
        ctx.current = ref.owner  # an error flags the record that holds the reference
        target = records.get(ref.target)
        wanted = " or ".join(ref.kinds)
        if target is None and ref.target in broken:
            ctx.flawed.add(ref.owner or "")  # what it says about the record would only echo that record's error
            continue
        if target is None:
            candidates = [i for k in ref.kinds for i in by_kind.get(k, [])]
            ctx.error(
                ref.pos,
                "unknown-ref",
                f"'{ref.field}' names '{ref.target}', which is not a known {wanted}",
                suggest(ref.target, candidates),
            )
        elif target.KIND not in ref.kinds:
            ctx.error(
                ref.pos,
                "wrong-ref-kind",
                f"'{ref.field}' names '{ref.target}', which is {article(target.KIND)}, not {article(wanted)}",
            )
    ctx.current = None


@dataclass
class FileRead:
    """One file, read and checked on its own: what can be cached per file.

    ``items`` holds, in file order, each record's class name, the record (``None``
    when too broken to keep), its id and its position.
    """

    items: list[tuple[str, Record | None, str, Pos]]
    issues: list[Issue]
    refs: list[_Ref]
    flawed: set[str]


def read_file(path: Path) -> FileRead:
    """Read one data file into records, with every problem the file shows by itself."""
    report = Report()
    ctx = _Context(report)
    items: list[tuple[str, Record | None, str, Pos]] = []
    try:
        raw = load_yaml(path, report)
    except LoadError as exc:
        report.add(exc.issue)
        raw = None
    if raw is not None and raw is not INVALID and not isinstance(raw, LMap):
        ctx.error(
            raw.pos if isinstance(raw, LList) else Pos(str(path), 1, 1),
            "wrong-type",
            "a data file must be a mapping of sections (organizations:, projects:...)",
        )
    elif isinstance(raw, LMap):
        for section, records in raw.items():
            cls = SECTIONS.get(section)
            if cls is None:
                ctx.error(
                    raw.key_pos[section],
                    "unknown-section",
                    f"unknown section '{section}'",
                    suggest(section, list(SECTIONS)) or "sections: " + ", ".join(SECTIONS),
                )
                continue
            if records is None or records is INVALID:
                continue
            if not isinstance(records, LList):
                ctx.error(
                    raw.at(section),
                    "wrong-type",
                    f"section '{section}' must be a list of records, not {_type_name(records)}",
                )
                continue
            for index, item in enumerate(records):
                pos = records.at(index)
                record, record_id = read_record(cls, item, pos, ctx)
                if record_id is not None:
                    items.append((cls.__name__, record, record_id, pos))
    return FileRead(items, report.issues, ctx.refs, ctx.flawed)


#: Below this many bytes to read, a second process costs more than it saves.
PARALLEL_BYTES = 4_000_000


def _read_one(path: Path) -> bytes:
    with gc_paused():
        return pickle.dumps(read_file(path), protocol=pickle.HIGHEST_PROTOCOL)


def read_files(files: list[Path], cache: FileCache, progress: Progress = QUIET) -> list[FileRead]:
    """Every file read, from the cache when its bytes are unchanged, else in parallel processes."""
    out: dict[Path, FileRead] = {}
    todo: dict[Path, str] = {}
    sizes: dict[Path, int] = {}
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            out[path] = read_file(path)  # it reports why it cannot be read
            continue
        sizes[path] = len(data)
        entry = entry_key(display_path(path), data)
        cached = cache.get(entry)
        if isinstance(cached, FileRead):
            out[path] = cached
        else:
            todo[path] = entry
    progress.stage(f"reading {len(files)} files", sum(sizes.values()))
    progress.advance(sum(sizes[p] for p in out if p in sizes))
    workers = min(os.cpu_count() or 1, 4, len(todo))
    parallel = workers > 1 and sum(sizes.get(p, 0) for p in todo) >= PARALLEL_BYTES and can_fork()
    if parallel:
        largest_first = sorted(todo, key=lambda p: -sizes.get(p, 0))
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            for path, data in zip(largest_first, pool.imap(_read_one, largest_first), strict=True):
                out[path] = pickle.loads(data)
                cache.put_bytes(todo[path], data)
                progress.advance(sizes.get(path, 0))
    else:
        for path, entry in todo.items():
            out[path] = read_file(path)
            cache.put(entry, out[path])
            progress.advance(sizes.get(path, 0))
    return [out[p] for p in files]


def validate_dataset(folder: Path, *, graph: bool = True, progress: Progress = QUIET) -> tuple[Dataset, Report]:
    """Read and check a whole dataset; the report lists every problem found.

    With ``graph`` (the default) the SHACL shapes run too, on the graph built from
    the records that could be read; ``build`` turns it off to run them on the
    triples it builds anyway. Files already read by an earlier run and unchanged
    since are taken from the dataset's per-file cache.
    """
    with gc_paused():
        return _validate(folder, graph, progress)


def _cache_of(folder: Path) -> FileCache:
    from coopgraph.paths import cache_dir

    return FileCache(cache_dir(folder) / "files")


def _validate(folder: Path, graph: bool, progress: Progress) -> tuple[Dataset, Report]:
    report = Report()
    ctx = _Context(report)
    config = read_config(folder, ctx)
    unreadable: list[Issue] = []
    files = discover(folder, unreadable)
    for issue in unreadable:
        report.add(issue)
    records: dict[str, Record] = {}
    broken: dict[str, str] = {}
    first_seen: dict[str, Pos] = {}
    classes = {cls.__name__: cls for cls in SECTIONS.values()}
    cache = _cache_of(folder)
    for read in read_files(files, cache, progress):
        for issue in read.issues:
            report.add(issue)
        ctx.refs.extend(read.refs)
        ctx.flawed |= read.flawed
        for class_name, record, record_id, pos in read.items:
            if record_id in first_seen:
                ctx.error(
                    pos,
                    "duplicate-id",
                    f"the id '{record_id}' is already used",
                    f"first at {first_seen[record_id]}",
                )
                continue
            first_seen[record_id] = pos
            if record is None:
                broken[record_id] = classes[class_name].KIND
            else:
                records[record_id] = record
    progress.stage("checking references and quality")
    _check_references(records, broken, ctx)
    check_cycles(records, report)
    check_source_dates(records, report)
    named = {ref.target for ref in ctx.refs}  # by any record, also one that could not be kept
    echoes = {ref.target for ref in ctx.refs if ref.owner in broken}
    quiet = (ctx.flawed | echoes) & records.keys()
    check_quality(records, config.languages, named, report, skip=quiet)
    dataset = Dataset(folder, config, records, files, flawed=quiet)
    if graph:
        check_shapes(dataset, build_lines(dataset, cooperation=needs_cooperation()), report)
    if report.valid:
        cache.commit()  # an invalid dataset leaves no build folder behind
    return dataset, report
