"""Records -> YAML files, the same bytes for the same records, all files or none.

Files start with a header line saying they were imported. A new import replaces
the files it writes; a YAML file it no longer writes is removed only when it
carries that header, so files a steward made by hand are never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from coopgraph.errors import UsageError
from coopgraph.load import YAML_SUFFIXES

HEADER = "# Written by coopgraph import"

try:
    _Base: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeDumper


class _Dumper(_Base):  # type: ignore[misc, valid-type]
    """Block style, one line per value (libyaml's emitter when there is one)."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(document: dict[str, Any], origin: str) -> str:
    """One YAML file: the header comment naming ``origin``, then ``document``.

    >>> print(dump({"organizations": [{"id": "a", "name": {"en": "A: b"}}]}, "x.csv"), end="")
    # Written by coopgraph import from x.csv. Import again to update it.
    organizations:
    - id: a
      name:
        en: 'A: b'
    """
    body = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )
    return f"{HEADER} from {origin}. Import again to update it.\n{body}"


def _ours(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.readline().startswith(HEADER)
    except (OSError, UnicodeDecodeError):
        return False


def write_files(files: dict[str, str], folder: Path) -> list[Path]:
    """Write ``files`` (relative path -> text) into ``folder``; return the stale files removed.

    Every file is first written into a temporary folder beside ``folder``; only when
    all are written are they moved into place, each by a rename.
    """
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: is a file; give a folder for the dataset")
    if not folder.parent.is_dir():
        raise UsageError(f"{folder}: the folder {folder.parent} does not exist")
    folder.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        for rel, text in files.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        written = {folder / rel for rel in files}
        stale = [
            p
            for p in sorted(folder.rglob("*"))
            if p.suffix in YAML_SUFFIXES
            and p not in written
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and _ours(p)
        ]
        for rel in files:
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, target)
        for path in stale:
            with contextlib.suppress(OSError):
                path.unlink()
        return stale
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
