"""The loader: positions of everything, safe YAML only, clear errors."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from coopgraph.load import INVALID, LList, LMap, LoadError, discover, load_yaml
from coopgraph.report import Report


def load(tmp_path: Path, text: str | bytes, name: str = "f.yaml") -> tuple[object, Report]:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    report = Report()
    return load_yaml(path, report), report


def error_of(tmp_path: Path, text: str | bytes) -> tuple[str, int, int]:
    with pytest.raises(LoadError) as info:
        load(tmp_path, text)
    issue = info.value.issue
    return issue.code, issue.line, issue.col


def test_positions_of_records_and_fields(tmp_path: Path) -> None:
    value, report = load(tmp_path, "organizations:\n  - id: vast\n    name: {vi: Viện, en: Academy}\n")
    assert isinstance(value, LMap)
    records = value["organizations"]
    assert isinstance(records, LList)
    record = records[0]
    assert (record.pos.line, record.pos.col) == (2, 5)
    assert (record.key_pos["name"].line, record.key_pos["name"].col) == (3, 5)
    assert (record.at("name").line, record.at("name").col) == (3, 11)
    assert (records.at(0).line, records.at(0).col) == (2, 5)
    assert record["name"] == {"vi": "Viện", "en": "Academy"}
    assert report.issues == []


def test_dates_stay_text_and_norway_stays_norway(tmp_path: Path) -> None:
    value, _ = load(tmp_path, "a: 2013-05-16\nb: NO\nc: yes\nd: true\ne: 12\nf: 1:20\ng: ~\n")
    assert value == {"a": "2013-05-16", "b": "NO", "c": "yes", "d": True, "e": 12, "f": "1:20", "g": None}


def test_syntax_error_has_position(tmp_path: Path) -> None:
    assert error_of(tmp_path, "a:\n  - b\n  c: d\n") == ("yaml-syntax", 3, 3)


def test_tab_indentation_is_reported(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        load(tmp_path, "a:\n\t- b\n")
    assert info.value.issue.code == "yaml-tab"
    assert info.value.issue.line == 2
    assert info.value.issue.hint == "YAML indents with spaces only"


def test_python_tags_are_rejected_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\nb: kept\n"
    value, report = load(tmp_path, text)
    assert [(i.code, i.line, i.col) for i in report.issues] == [("yaml-tag", 1, 4)]
    assert value == {"a": INVALID, "b": "kept"}  # reported, skipped, and the rest still read
    assert not marker.exists()


def test_alias_bomb_is_rejected(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    tracemalloc.start()
    try:
        code, _, _ = error_of(tmp_path, "\n".join(lines) + "\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == "yaml-alias"
    assert peak < 20 * 2**20  # stopped long before the billion values (some GB) exist


def test_small_aliases_are_fine(tmp_path: Path) -> None:
    value, _ = load(tmp_path, "a: &x {k: v}\nb: *x\n")
    assert value == {"a": {"k": "v"}, "b": {"k": "v"}}


def test_duplicate_keys_are_reported_with_both_places(tmp_path: Path) -> None:
    _, report = load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert [(i.code, i.line, i.col, i.hint) for i in report.issues] == [("duplicate-key", 3, 1, "first at line 1")]


def test_not_utf8_names_the_byte(tmp_path: Path) -> None:
    assert error_of(tmp_path, "a: b\nc: caf\xe9\n".encode("latin-1")) == ("not-utf8", 2, 7)


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    value, _ = load(tmp_path, "\ufeffa: 1\r\nb: Hải Phòng\r\n")
    assert value == {"a": 1, "b": "Hải Phòng"}
    assert value.key_pos["b"].line == 2


def test_several_documents_are_an_error(tmp_path: Path) -> None:
    assert error_of(tmp_path, "a: 1\n---\nb: 2\n")[0] == "yaml-documents"


def test_discover_reads_yaml_and_yml_skips_hidden_and_config(tmp_path: Path) -> None:
    for name in ["a.yaml", "sub/b.yml", "coopgraph.yaml", ".hidden.yaml", ".coopgraph/x.yaml", "notes.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}\n")
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)] == ["a.yaml", "sub/b.yml"]
