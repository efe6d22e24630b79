"""Checks across records, run once every record has been read.

These need the whole dataset: chains of parents, the sources a record cites, who
names whom. Each adds located issues to a ``Report``; none changes the records.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

from coopgraph.load import Pos
from coopgraph.model import Activity, Organization, PartialDate, PolicyDocument, Programme, Record, Source
from coopgraph.report import Issue, Report, Severity

#: Fields that form hierarchies, which must not loop (the YAML key is the field's name).
HIERARCHIES = ("parent", "part_of")


def _add(report: Report, pos: Pos, severity: Severity, code: str, message: str, hint: str | None = None) -> None:
    report.add(Issue(pos.path, pos.line, pos.col, severity, code, message, hint))


def _at(record: Record, key: str) -> Pos:
    return record.field_pos.get(key, record.pos)


def check_cycles(records: dict[str, Record], report: Report) -> None:
    """Report each loop of ``parent`` or ``part_of`` once, at its first record in file order.

    >>> from coopgraph.model import Organization
    >>> a = Organization(id="a", parent="b", pos=Pos("x.yaml", 2, 5))
    >>> b = Organization(id="b", parent="a", pos=Pos("x.yaml", 6, 5))
    >>> report = Report()
    >>> check_cycles({"a": a, "b": b}, report)
    >>> print(report.issues[0].format())
    x.yaml:2:5: error[cycle]: 'a' is its own parent through a → b → a
    """
    order = {rid: n for n, rid in enumerate(records)}
    for attr in HIERARCHIES:
        walked: dict[str, str] = {}  # id -> the id whose walk reached it first
        for start in records:
            chain: list[str] = []
            current: str | None = start
            while current is not None and current not in walked:
                walked[current] = start
                chain.append(current)
                record = records.get(current)
                current = getattr(record, attr, None) if record is not None else None
            if current is None or walked[current] != start:
                continue  # the chain ends, or joins a chain already checked
            loop = chain[chain.index(current) :]
            first = min(loop, key=order.__getitem__)
            turn = loop.index(first)
            loop = loop[turn:] + loop[:turn]
            what = "parent" if attr == "parent" else "part"
            _add(
                report,
                _at(records[first], attr),
                Severity.ERROR,
                "cycle",
                f"'{first}' is its own {what} through {' → '.join([*loop, first])}",
            )


def _event_dates(record: Record) -> Iterable[tuple[str, PartialDate]]:
    """The dates a record says something happened on (or started on)."""
    if isinstance(record, (Activity, PolicyDocument)) and record.date:
        yield "date", record.date
    if isinstance(record, (Activity, Programme)) and record.period and record.period.start:
        yield "period", record.period.start  # reported as "starts"


def check_source_dates(records: dict[str, Record], report: Report) -> None:
    """Warn about a start or event date later than the publication of every source cited.

    End dates are not checked: a source may announce when work is planned to end.
    """
    for record in records.values():
        published = [
            src.published
            for c in record.sources or []
            if isinstance(src := records.get(c.source), Source) and src.published
        ]
        if not published or len(published) < len(record.sources or []):
            continue  # a source without a date may be the later one
        newest = max(published, key=PartialDate.latest)
        for key, date in _event_dates(record):
            if date.earliest() > newest.latest():
                _add(
                    report,
                    _at(record, key),
                    Severity.WARNING,
                    "date-after-source",
                    f"{record.KIND} '{record.id}' {'starts' if key == 'period' else 'is dated'} {date}, "
                    f"after its newest source was published ({newest})",
                    "check the date, or cite the source that reports it",
                )


_NOT_WORD = re.compile(r"[\W_]+")


def name_key(name: str) -> str:
    """A name reduced for comparison: no case, accents, punctuation or extra spaces.

    >>> name_key("Sở Khoa học và Công nghệ  Hải Phòng") == name_key("so khoa hoc va cong nghe hai phong")
    True
    >>> name_key("Đà Nẵng")
    'da nang'
    >>> name_key("CNR - Consiglio Nazionale delle Ricerche")
    'cnr consiglio nazionale delle ricerche'
    """
    if name.isascii():  # most names in big data: nothing to strip
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def check_quality(
    records: dict[str, Record],
    languages: list[str],
    named: Collection[str],
    report: Report,
    skip: Collection[str] = (),
) -> None:
    """Warnings a data steward wants: missing sources and labels, unused organizations, likely duplicates.

    ``named`` holds every id some record refers to. Records in ``skip`` (they have
    errors, or a record naming them does: fix those first) get no warning.
    """
    seen_names: dict[tuple[str, str], Record] = {}
    for record in records.values():
        if record.id in skip:
            continue
        if not isinstance(record, Source) and not record.sources:
            _add(
                report,
                record.pos,
                Severity.WARNING,
                "no-source",
                f"{record.KIND} '{record.id}' cites no source",
                "add sources: [{source: ID, quote: ...}]",
            )
        missing = [lang for lang in languages if lang not in (record.label or {})]
        if missing:
            _add(
                report,
                _at(record, record.LABEL),
                Severity.WARNING,
                "missing-label",
                f"{record.KIND} '{record.id}' has no {record.LABEL} in {', '.join(missing)}",
                f"the dataset's languages are {', '.join(languages)}",
            )
        if isinstance(record, Organization) and record.id not in named:
            _add(
                report,
                record.pos,
                Severity.WARNING,
                "unused-organization",
                f"organization '{record.id}' takes part in nothing: no other record names it",
            )
        keys = {name_key(n) for n in [*(record.label or {}).values(), *(record.aliases or [])]} - {""}
        for key in sorted(keys):
            other = seen_names.setdefault((record.KIND, key), record)
            if other is not record:
                _add(
                    report,
                    record.pos,
                    Severity.WARNING,
                    "likely-duplicate",
                    f"{record.KIND} '{record.id}' has the same name as '{other.id}'",
                    f"'{other.id}' is at {other.pos}; merge them, or tell them apart in the names",
                )
                break
