"""YAML files -> plain values that remember the file, line and column of everything.

Files are parsed with libyaml when it is available (``CSafeLoader``), composed into
nodes (which carry their marks) and converted here, so no YAML tag can construct a
Python object. Dates stay strings: ``model`` decides what a date is. Aliases are
expanded with a bound, so an alias bomb is rejected instead of eating memory.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from coopgraph.report import Issue, Report, Severity

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

YAML_SUFFIXES = (".yaml", ".yml")
CONFIG_NAME = "coopgraph.yaml"
BUILD_DIR = ".coopgraph"

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}

#: How many nodes alias expansion may add, per node actually written in the file.
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_FLOOR = 10_000
#: Deeper nesting than this is no dataset (records are a few levels deep).
MAX_DEPTH = 100
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")


class Pos(NamedTuple):
    """A place in a file, 1-based, as editors show it.

    A named tuple rather than a dataclass: a big dataset has millions of positions, and
    a tuple is made, pickled and unpickled in half the time or less.
    """

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class LMap(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows where it, its keys and its values are."""

    pos: Pos
    key_pos: dict[str, Pos]
    value_pos: dict[str, Pos]

    def at(self, key: str) -> Pos:
        return self.value_pos.get(key, self.pos)


class LList(list):  # type: ignore[type-arg]
    """A YAML sequence that knows where it and each of its items are."""

    pos: Pos
    item_pos: list[Pos]

    def at(self, index: int) -> Pos:
        return self.item_pos[index] if index < len(self.item_pos) else self.pos


class LoadError(Exception):
    """A file that cannot be read as YAML; carries the issue to report."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        super().__init__(issue.format())


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working folder if inside."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def discover(folder: Path, errors: list[Issue] | None = None) -> list[Path]:
    """Every YAML file of a dataset, in a stable order (config file excluded).

    Hidden files and folders (``.coopgraph/``, ``.git/``...) are skipped; folders
    that cannot be read are added to ``errors``.
    """

    def unreadable(exc: OSError) -> None:
        if errors is not None:
            shown = display_path(Path(exc.filename))
            errors.append(_error(Pos(shown, 1, 1), "unreadable", f"cannot read the folder: {exc.strerror}"))

    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel_root = Path(root).relative_to(folder)
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(YAML_SUFFIXES):
                continue
            if rel_root == Path(".") and name == CONFIG_NAME:
                continue
            found.append(Path(root) / name)
    return found


class _Invalid:
    """A value the loader already reported as unreadable: readers skip it silently."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


def _shown(value: Any) -> str:
    return "nothing" if value is None else f"{type(value).__name__} {value!r}"


def _error(pos: Pos, code: str, message: str, hint: str | None = None) -> Issue:
    return Issue(pos.path, pos.line, pos.col, Severity.ERROR, code, message, hint)


def decode(data: bytes, shown: str) -> str:
    """UTF-8 text (a byte order mark dropped); LoadError says where the first bad byte is."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        raise LoadError(
            _error(
                Pos(shown, line, col),
                "not-utf8",
                f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} cannot be decoded)",
                "save it as UTF-8",
            )
        ) from None


class _Converter:
    """Turns composed YAML nodes into LMap / LList / scalars, with positions."""

    def __init__(self, shown: str, report: Report) -> None:
        self.shown = shown
        self.report = report
        self.budget = ALIAS_EXPANSION_FLOOR
        self.depth = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.scalars = yaml.constructor.SafeConstructor()

    def pos(self, node: yaml.Node) -> Pos:
        mark = node.start_mark
        return Pos(self.shown, mark.line + 1, mark.column + 1)

    def count(self, node: yaml.Node) -> None:
        """Count a node towards the alias budget: a node met again is an alias expanded."""
        key = id(node)
        if key in self.seen:
            self.budget -= 1
            if self.budget < 0:
                raise LoadError(
                    _error(
                        self.pos(node),
                        "yaml-alias",
                        "aliases expand to too many values (an alias bomb?)",
                        "write the values out instead of repeating aliases",
                    )
                )
        else:
            self.seen.add(key)
            self.budget += ALIAS_EXPANSION_FACTOR

    # convert, mapping and sequence run once per node of a big dataset (millions): they
    # test classes by identity and make positions inline, which halves their time.

    def convert(self, node: yaml.Node) -> Any:
        key = id(node)
        if key in self.active:
            raise LoadError(_error(self.pos(node), "yaml-alias", "an alias refers to itself"))
        self.count(node)
        if type(node) is yaml.ScalarNode:
            tag = node.tag
            return node.value if tag in (_STR, _TIMESTAMP) else self.scalar(node)
        if self.depth >= MAX_DEPTH:
            raise LoadError(
                _error(self.pos(node), "yaml-depth", f"values are nested more than {MAX_DEPTH} levels deep")
            )
        self.active.add(key)
        self.depth += 1
        try:
            if type(node) is yaml.MappingNode:
                return self.mapping(node)
            assert type(node) is yaml.SequenceNode
            return self.sequence(node)
        finally:
            self.depth -= 1
            self.active.discard(key)

    def tag_allowed(self, node: yaml.Node, allowed: set[str]) -> bool:
        if node.tag in allowed:
            return True
        self.report.add(
            _error(
                self.pos(node),
                "yaml-tag",
                f"the tag {node.tag!r} is not allowed",
                "use plain YAML values: strings, numbers, lists and mappings",
            )
        )
        return False

    def mapping(self, node: yaml.MappingNode) -> Any:
        if node.tag != _MAP and not self.tag_allowed(node, {_MAP}):
            return INVALID
        shown, convert, scalar_node = self.shown, self.convert, yaml.ScalarNode
        out = LMap()
        key_pos: dict[str, Pos] = {}
        value_pos: dict[str, Pos] = {}
        mark = node.start_mark
        out.pos, out.key_pos, out.value_pos = Pos(shown, mark.line + 1, mark.column + 1), key_pos, value_pos
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            at = Pos(shown, mark.line + 1, mark.column + 1)
            if key_node.__class__ is scalar_node and key_node.tag == _STR:
                self.count(key_node)  # a plain text key: what convert would give, without its checks
                key = key_node.value
            elif key_node.tag == "tag:yaml.org,2002:merge":
                self.report.add(_error(at, "yaml-merge", "merge keys (<<) are not supported", "write the values out"))
                continue
            else:
                key = convert(key_node)
                if not isinstance(key, str):
                    if key is not INVALID:
                        self.report.add(_error(at, "bad-key", f"a key must be text, not {_shown(key)}"))
                    continue
            if key in out:
                first = key_pos[key]
                self.report.add(
                    _error(
                        at,
                        "duplicate-key",
                        f"the key {key!r} appears twice in this mapping",
                        f"first at line {first.line}",
                    )
                )
                continue
            out[key] = convert(value_node)
            key_pos[key] = at
            mark = value_node.start_mark
            value_pos[key] = Pos(shown, mark.line + 1, mark.column + 1)
        return out

    def sequence(self, node: yaml.SequenceNode) -> Any:
        if node.tag != _SEQ and not self.tag_allowed(node, {_SEQ}):
            return INVALID
        shown, items = self.shown, node.value
        out = LList([self.convert(item) for item in items])
        mark = node.start_mark
        out.pos = Pos(shown, mark.line + 1, mark.column + 1)
        out.item_pos = [Pos(shown, i.start_mark.line + 1, i.start_mark.column + 1) for i in items]
        return out

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if not self.tag_allowed(node, _SCALAR_TAGS):
            return INVALID
        if node.tag in (_STR, _TIMESTAMP):
            return node.value
        if node.tag == _BOOL and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.1 yes/no/on/off: "NO" is Norway, not False
        if node.tag == _INT and not _DECIMAL_INT.match(node.value):
            return node.value  # YAML 1.1 octal, hex, 1_000 or 1:20 would change what was written
        try:
            if node.tag == _INT:
                return int(node.value)  # what the constructor does, minus its bookkeeping
            return self.scalars.construct_object(node)
        except (ValueError, IndexError, yaml.YAMLError):
            what = "an integer" if node.tag == _INT else node.tag.rsplit(":", 1)[1]
            why = "it is too long" if node.tag == _INT else "it is not one"
            self.report.add(_error(self.pos(node), "bad-value", f"{node.value[:40]!r} cannot be read as {what}: {why}"))
            return INVALID


def can_fork() -> bool:
    """Whether work can go to forked processes here: the system forks, and no other thread
    runs (forking a process that runs threads is not safe)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading a dataset allocates many small
    objects that all stay alive, so its passes only cost time (3x on large files)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_yaml(path: Path, report: Report) -> Any:
    """Parse one YAML file into positioned values.

    Problems that stop the file from being read raise ``LoadError``; problems that
    do not (a duplicate key) are added to ``report`` and the file is still returned.
    """
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(_error(Pos(shown, 1, 1), "unreadable", f"cannot read the file: {exc.strerror}")) from None
    text = decode(data, shown)
    with gc_paused():
        return _compose_and_convert(text, shown, report)


def _compose_and_convert(text: str, shown: str, report: Report) -> Any:
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or exc.context or "invalid YAML").splitlines()[0]
        lines = text.splitlines()
        if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
            raise LoadError(
                _error(
                    Pos(shown, line, col),
                    "yaml-tab",
                    problem if "tab" in problem else f"{problem} (at a tab)",
                    "YAML indents with spaces only",
                )
            ) from None
        raise LoadError(_error(Pos(shown, line, col), "yaml-syntax", problem)) from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in bytes of UTF-8
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        message = (
            f"the character U+{exc.character:04X} is not allowed in YAML"
            if isinstance(exc.character, int)
            else exc.reason
        )
        raise LoadError(_error(Pos(shown, line, col), "yaml-syntax", message)) from None
    except yaml.YAMLError as exc:
        raise LoadError(_error(Pos(shown, 1, 1), "yaml-syntax", str(exc).splitlines()[0])) from None
    documents = [d for d in documents if d is not None]
    if not documents:
        return None
    if len(documents) > 1:
        raise LoadError(
            _error(
                Pos(shown, documents[1].start_mark.line + 1, 1),
                "yaml-documents",
                "a file holds one YAML document; this one has several (---)",
            )
        )
    return _Converter(shown, report).convert(documents[0])
