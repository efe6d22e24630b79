"""Bad input of every kind: a located message, never a traceback, never a crash.

One case per problem found; each asserts the exact (code, file, line) list.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import coopgraph
from coopgraph.errors import DataError
from coopgraph.rdf.export import export, syntax
from coopgraph.rdf.store import build
from coopgraph.validate import validate_dataset

from .conftest import DATA, write_files

ORG = "organizations:\n  - id: a\n    name: {vi: A, en: A}\n    type: city\n"
DEEP = "x: " + "[" * 250 + "]" * 250 + "\n"
CASES = {
    "huge-integer": ({"a.yaml": ORG + "    size: " + "9" * 5000 + "\n"}, [("bad-value", "a.yaml", 5)]),
    "tagged-int-that-is-not": ({"a.yaml": ORG + "    size: !!int abc\n"}, [("wrong-type", "a.yaml", 5)]),
    "empty-tagged-int": ({"a.yaml": 'organizations: !!int ""\n'}, [("wrong-type", "a.yaml", 1)]),
    "deep-nesting": ({"a.yaml": DEEP}, [("yaml-depth", "a.yaml", 1)]),
    "language-with-newline": (
        {"a.yaml": 'organizations:\n  - id: a\n    name: {"en\\n": A}\n    type: city\n'},
        [("bad-language", "a.yaml", 3)],
    ),
    "language-subtag": (
        {"a.yaml": "organizations:\n  - id: a\n    name: {en-12: A}\n    type: city\n"},
        [("bad-language", "a.yaml", 3)],
    ),
    "bad-base-iri": ({"coopgraph.yaml": 'base: "https://x.org/%zz/"\n'}, [("bad-base", "coopgraph.yaml", 1)]),
    "bad-port-in-url": ({"a.yaml": ORG + "    website: https://x.org:abc/\n"}, [("bad-url", "a.yaml", 5)]),
    "astronomical-amount": (
        {
            "a.yaml": ORG
            + "projects:\n  - id: p\n    title: {vi: P, en: P}\n    budget: {amount: 1e999999999, currency: VND}\n"
        },
        [("bad-number", "a.yaml", 8)],
    ),
    "control-character": (
        {"a.yaml": 'organizations:\n  - id: a\n    name: {en: "a\\x01b"}\n    type: city\n'},
        [("control-character", "a.yaml", 3)],
    ),
    "octal-looking-id": ({"a.yaml": "organizations:\n  - id: 017\n    name: {vi: A, en: A}\n    type: city\n"}, []),
    "hex-date": (
        {"a.yaml": "documents:\n  - id: d\n    kind: decision\n    title: {vi: D, en: D}\n    date: 0x7DF\n"},
        [("bad-date", "a.yaml", 5)],
    ),
    "full-width-date": (
        {"a.yaml": 'documents:\n  - id: d\n    kind: decision\n    title: {vi: D, en: D}\n    date: "２０１５-０１"\n'},
        [("bad-date", "a.yaml", 5)],
    ),
    "year-zero": (
        {"a.yaml": 'documents:\n  - id: d\n    kind: decision\n    title: {vi: D, en: D}\n    date: "0000"\n'},
        [("bad-date", "a.yaml", 5)],
    ),
    "february-30": (
        {"a.yaml": "documents:\n  - id: d\n    kind: decision\n    title: {vi: D, en: D}\n    date: 2015-02-30\n"},
        [("bad-date", "a.yaml", 5)],
    ),
    "lowercase-currency": (
        {"a.yaml": "projects:\n  - id: p\n    title: {vi: P, en: P}\n    budget: {amount: 5, currency: vnd}\n"},
        [("bad-currency", "a.yaml", 4)],
    ),
    "vietnamese-dong-sign": (
        {"a.yaml": "projects:\n  - id: p\n    title: {vi: P, en: P}\n    budget: {amount: 5, currency: VNĐ}\n"},
        [("bad-currency", "a.yaml", 4)],
    ),
    "duplicate-of-a-broken-record": (
        {"a.yaml": ORG + "  - id: a\n    name: {vi: A, en: A}\n    type: towm\n"},
        [("duplicate-id", "a.yaml", 5), ("bad-enum", "a.yaml", 7)],
    ),
    "period-ends-before-it-starts": (
        {"a.yaml": "projects:\n  - id: p\n    title: {vi: P, en: P}\n    period: {start: 2016, end: 2015-12}\n"},
        [("period-order", "a.yaml", 4)],
    ),
    "merge-key": ({"a.yaml": "a: &x {k: v}\nb:\n  <<: *x\n"}, [("yaml-merge", "a.yaml", 3)]),
    "a-file-that-is-a-list": ({"a.yaml": "- 1\n- 2\n"}, [("wrong-type", "a.yaml", 1)]),
    "raw-control-character": ({"a.yaml": "a: b\x01c\n"}, [("yaml-syntax", "a.yaml", 1)]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_where_it_is(tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    write_files(tmp_path, files)
    _, report = validate_dataset(tmp_path)
    got = [(i.code, Path(i.path).name, i.line) for i in report.sorted()]
    assert got == expected
    for issue in report.issues:
        assert "\n" not in issue.format()
    if expected:
        with pytest.raises(DataError):
            build(tmp_path)
    else:
        build(tmp_path)


def test_parties_given_as_participants_with_role_party_count() -> None:
    # an agreement whose parties are written as participants is not "too few parties"
    _, report = validate_dataset(DATA / "tiny")
    assert report.valid


def test_participants_with_role_party_make_an_agreement(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "a.yaml": ORG
            + "  - id: b\n    name: {vi: B, en: B}\n    type: city\n"
            + "agreements:\n  - id: g\n    kind: mou\n    title: {vi: G, en: G}\n"
            + "    participants: [{org: a, role: party}, {org: b, role: party}]\n"
        },
    )
    _, report = validate_dataset(tmp_path)
    assert report.issues == []


def test_octal_looking_id_keeps_its_digits(tmp_path: Path) -> None:
    write_files(tmp_path, CASES["octal-looking-id"][0])
    model, _ = validate_dataset(tmp_path)
    assert list(model.records) == ["017"]


def test_damaged_store_is_rebuilt(copy_dataset) -> None:
    folder = copy_dataset("tiny")
    first = build(folder)
    (first.path / "CURRENT").unlink()
    again = build(folder)
    assert again.rebuilt
    assert len(coopgraph.open(folder)) == 137


def test_export_through_a_symlink_replaces_the_file_not_the_link(tmp_path: Path) -> None:
    store = coopgraph.open(DATA / "tiny").store
    real = tmp_path / "real.nt"
    real.write_text("old\n")
    link = tmp_path / "link.nt"
    link.symlink_to(real)
    export(store, syntax("nt"), str(link))
    assert link.is_symlink()
    assert real.read_text("utf-8").count("\n") == 137


def test_export_into_a_pipe_writes_into_it(tmp_path: Path) -> None:
    store = coopgraph.open(DATA / "tiny").store
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    export(store, syntax("nt"), str(fifo))
    reader.join(timeout=30)
    assert fifo.exists() and not fifo.is_file()
    assert received[0].count(b"\n") == 137


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_a_message_not_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coopgraph", "export", "nt", "-o", "/dev/full", "--data", str(DATA / "tiny")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == "error: No space left on device"
    assert Path("/dev/full").is_char_device()
