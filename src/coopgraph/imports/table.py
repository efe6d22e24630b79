"""CSV and XLSX sheets -> rows of text that remember their line and column.

Every value is read as text, the way a steward sees it in the sheet: numbers and
dates of an XLSX file are turned into the text they stand for (``2023-05-01``,
``12``, ``4099406.25``), so a mapping reads both kinds of file alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopgraph.errors import InputError, UsageError
from coopgraph.load import LoadError, Pos, decode, display_path

SUFFIXES = (".csv", ".tsv", ".xlsx")
#: CSV fields can be long (a project's abstract), but not without bound.
csv.field_size_limit(10 * 1024 * 1024)


@dataclass
class Sheet:
    """A table: its header, its rows, and the line each row starts on."""

    shown: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.index = {name: i for i, name in enumerate(self.columns)}

    def __len__(self) -> int:
        return len(self.rows)

    def pos(self, row: int, column: str | None = None) -> Pos:
        """Where a row (and one of its cells) is: ``path:line:col``."""
        col = self.index[column] + 1 if column in self.index else 1
        return Pos(self.shown, self.lines[row], col)

    def records(self) -> list[dict[str, str]]:
        """Every row as a mapping from column name to value."""
        return [dict(zip(self.columns, row, strict=False)) for row in self.rows]

    def require(self, columns: list[str]) -> None:
        """Raise an ``InputError`` naming every column in ``columns`` the header lacks."""
        missing = [c for c in columns if c not in self.index]
        if missing:
            have = ", ".join(self.columns[:12]) + (", …" if len(self.columns) > 12 else "")
            raise InputError(
                [f"{self.shown}:1:1: error: the column '{c}' is missing (the header has: {have})" for c in missing]
            )


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """Read a CSV, TSV or XLSX file; ``sheet`` names an XLSX sheet (default: the first)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"{path}: cannot read a '{suffix or 'suffix-less'}' file; give a .csv, .tsv or .xlsx file")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if suffix == ".xlsx":
        return _read_xlsx(path, sheet)
    if sheet is not None:
        raise UsageError(f"{path}: a {suffix} file has no sheets; 'sheet' is for .xlsx files")
    return _read_csv(path, "\t" if suffix == ".tsv" else ",")


def _read_csv(path: Path, delimiter: str) -> Sheet:
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read the file: {exc.strerror}") from None
    try:
        text = decode(data, shown)
    except LoadError as exc:
        issue = exc.issue
        raise InputError([f"{issue.path}:{issue.line}:{issue.col}: error: {issue.message}; {issue.hint}"]) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise InputError([f"{shown}:1:1: error: the file is empty; the first line must name the columns"])
        out = Sheet(shown, _header(header, shown))
        width = len(header)
        start = reader.line_num + 1
        for row in reader:
            if len(row) != width and any(row):
                raise InputError([f"{shown}:{start}:1: error: the row has {len(row)} fields; the header has {width}"])
            if any(row):
                out.rows.append(row)
                out.lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError([f"{shown}:{reader.line_num}:1: error: the file is not valid CSV: {exc}"]) from None
    return out


def _header(names: list[str], shown: str) -> list[str]:
    seen: dict[str, int] = {}
    names = [n.strip() for n in names]
    for i, name in enumerate(names, start=1):
        if name in seen:
            first = seen[name]
            raise InputError([f"{shown}:1:{i}: error: the column '{name}' appears twice (first as column {first})"])
        seen[name] = i
    return names


def _read_xlsx(path: Path, sheet: str | None) -> Sheet:
    import zipfile

    from openpyxl import load_workbook

    shown = display_path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UsageError(f"{shown}: cannot read the file as an Excel workbook ({exc})") from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise UsageError(f"{shown}: no sheet named '{sheet}'; the sheets are: {', '.join(book.sheetnames)}")
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(header):
            raise InputError([f"{shown}:1:1: error: the sheet is empty; the first row must name the columns"])
        width = max(i for i, v in enumerate(header, start=1) if v is not None)
        out = Sheet(f"{shown}[{ws.title}]", _header([_text(v) for v in header[:width]], shown))
        for line, row in enumerate(rows, start=2):
            values = [_text(v) for v in row[:width]] + [""] * (width - len(row))
            if any(values):
                out.rows.append(values)
                out.lines.append(line)
        return out
    finally:
        book.close()


def _text(value: Any) -> str:
    """A cell's value as the text it shows.

    >>> _text(12.0), _text(4099406.25), _text(dt.datetime(2023, 5, 1)), _text(True), _text(None)
    ('12', '4099406.25', '2023-05-01', 'true', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
