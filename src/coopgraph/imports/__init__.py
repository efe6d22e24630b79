"""Spreadsheets -> YAML records: ``coopgraph import``.

``table`` reads CSV and XLSX sheets into rows that remember their line and column,
``mapping`` turns rows into records as a small mapping file says, ``cordis`` is the
built-in profile for the EU's CORDIS project data, and ``write`` writes records as
YAML files, the same bytes for the same input, all files or none.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from coopgraph.errors import UsageError
from coopgraph.progress import QUIET, Progress

PROFILES = ("cordis",)


@dataclass
class ImportResult:
    """What an import wrote: files, counts of records, stale files removed, time taken."""

    output: Path
    files: list[str]
    counts: dict[str, int]
    seconds: float
    removed: list[str] = field(default_factory=list)


def import_profile(profile: str, source: Path, output: Path, progress: Progress = QUIET) -> ImportResult:
    """Import ``source`` with a built-in profile into the dataset folder ``output``."""
    from coopgraph.imports.cordis import read_cordis
    from coopgraph.imports.write import dump, write_files

    if profile not in PROFILES:
        raise UsageError(f"no import profile named '{profile}'; profiles: {', '.join(PROFILES)}")
    started = time.perf_counter()
    progress.stage("reading CORDIS files", 4)
    imported = read_cordis(source, lambda name, rows: progress.advance())
    origin = f"CORDIS files ({profile} profile)"
    progress.stage("writing YAML files", len(imported.files))
    texts = {}
    for rel, document in imported.files.items():
        texts[rel] = dump(document, origin)
        progress.advance()
    removed = write_files(texts, output)
    seconds = time.perf_counter() - started
    return ImportResult(output, sorted(texts), imported.counts, seconds, [str(p) for p in removed])


def import_sheet(source: Path, mapping: Path, output: Path) -> ImportResult:
    """Import the sheet ``source`` as the mapping file says, into the YAML file ``output``."""
    from coopgraph.imports.mapping import import_sheet as convert
    from coopgraph.imports.write import dump
    from coopgraph.output import write_bytes

    started = time.perf_counter()
    section, records = convert(source, mapping)
    text = dump({section: records}, f"{source.name} (mapping {mapping.name})")
    write_bytes(output, text.encode("utf-8"))
    return ImportResult(output, [str(output)], {section: len(records)}, time.perf_counter() - started)
