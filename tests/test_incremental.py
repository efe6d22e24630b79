"""Rebuilding after an edit: the last store changed in place of a new one, and the same graph either way."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.errors import DataError
from coopgraph.filecache import FileCache
from coopgraph.paths import cache_dir
from coopgraph.rdf import delta
from coopgraph.rdf import store as store_module
from coopgraph.rdf.store import build, read_manifest
from coopgraph.validate import validate_dataset

from .conftest import REPO


def default_graph(path: Path) -> set[str]:
    store = ox.Store.read_only(str(path))
    return {str(q) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def issues(folder: Path) -> list[tuple[str, str, int]]:
    _, report = validate_dataset(folder)
    return sorted((i.code, Path(i.path).name, i.line) for i in report.issues)


@pytest.fixture
def haiphong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Hai Phong data, built once, where any share of changed records is changed in place."""
    folder = tmp_path / "haiphong"
    shutil.copytree(REPO / "data" / "haiphong", folder)
    monkeypatch.delenv("COOPGRAPH_CACHE_DIR")
    monkeypatch.setattr(delta, "MAX_CHANGED_SHARE", 1.0)
    assert build(folder).manifest.changed_records is None
    return folder


def assert_same_as_cold(folder: Path, tmp_path: Path, *, changed: bool = True) -> None:
    """Build ``folder`` after an edit, and a copy of it from scratch: the graphs, counts and warnings agree."""
    result = build(folder)
    assert result.rebuilt
    assert (result.manifest.changed_records is not None) == changed
    cold_folder = tmp_path / f"cold-{result.manifest.store}"
    shutil.copytree(folder, cold_folder, ignore=shutil.ignore_patterns(".coopgraph"))
    cold = build(cold_folder, force=True)
    assert cold.manifest.changed_records is None
    graph = default_graph(result.path)
    assert graph == default_graph(cold.path)
    assert result.manifest.triples == cold.manifest.triples == len(graph)
    assert result.manifest.warnings == cold.manifest.warnings


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_edits_change_the_last_store_into_the_graph_a_cold_build_makes(haiphong: Path, tmp_path: Path) -> None:
    orgs, agreements = haiphong / "organizations.yaml", haiphong / "agreements.yaml"
    source = re.search(r"source: ([a-z0-9-]+)", orgs.read_text("utf-8"))
    assert source is not None

    # a name: one triple out, one in; the rest of the file's records are unchanged
    edit(orgs, "Hai Phong Department of Science and Technology", "Hai Phong Dept. of Science and Technology")
    assert_same_as_cold(haiphong, tmp_path)
    # a focal point leaves an agreement: its pairs go, unless another activity joins the two
    edit(agreements, "      - vast-dast\n", "")
    assert_same_as_cold(haiphong, tmp_path)
    # a new organization, in a country no one was in
    orgs.write_text(
        orgs.read_text("utf-8")
        + "  - id: new-university\n    name: {en: A new university}\n    type: university\n"
        + f"    country: FR\n    sources: [{{source: {source.group(1)}}}]\n",
        "utf-8",
    )
    assert_same_as_cold(haiphong, tmp_path)
    # it joins an agreement: new pairs with every party
    edit(agreements, "      - haiphong-dost\n", "      - haiphong-dost\n      - new-university\n")
    assert_same_as_cold(haiphong, tmp_path)
    # and leaves, and is removed: its pairs and its country go
    edit(agreements, "      - new-university\n", "")
    edit(orgs, "  - id: new-university\n", "  - id: new-university-x\n")
    text = orgs.read_text("utf-8")
    orgs.write_text(text[: text.index("  - id: new-university-x\n")], "utf-8")
    assert_same_as_cold(haiphong, tmp_path)


def test_warnings_of_the_graph_rules_follow_the_edits(haiphong: Path, tmp_path: Path) -> None:
    exchanges = haiphong / "exchanges.yaml"
    before = issues(haiphong)
    assert ("no-participants", "exchanges.yaml", 291) in before
    edit(exchanges, "  - id: student-internships-abroad\n", "  - id: student-internships-abroad\n    host: vast\n")
    assert_same_as_cold(haiphong, tmp_path)
    assert not any(code == "no-participants" and line in (291, 292) for code, _, line in issues(haiphong))
    assert read_manifest(cache_dir(haiphong)).warnings == len(before) - 1  # type: ignore[union-attr]
    edit(exchanges, "    host: vast\n", "")
    assert_same_as_cold(haiphong, tmp_path)
    assert read_manifest(cache_dir(haiphong)).warnings == len(before)  # type: ignore[union-attr]


def test_records_moved_between_files_and_new_files(haiphong: Path, tmp_path: Path) -> None:
    exchanges = haiphong / "exchanges.yaml"
    text = exchanges.read_text("utf-8")
    start = text.index("  - id: student-internships-abroad\n")
    end = text.index("  - id: ", start + 10)
    moved = text[start:end]
    exchanges.write_text(text[:start] + text[end:], "utf-8")
    (haiphong / "more").mkdir()
    (haiphong / "more" / "exchanges.yaml").write_text("exchanges:\n" + moved, "utf-8")
    assert_same_as_cold(haiphong, tmp_path)
    (haiphong / "more" / "exchanges.yaml").unlink()  # the record is gone
    assert_same_as_cold(haiphong, tmp_path)


def test_a_record_that_changes_kind_makes_a_cold_build(haiphong: Path, tmp_path: Path) -> None:
    orgs, programmes = haiphong / "organizations.yaml", haiphong / "programmes.yaml"
    source = re.search(r"source: ([a-z0-9-]+)", orgs.read_text("utf-8"))
    assert source is not None
    orgs.write_text(
        orgs.read_text("utf-8") + "  - id: same-id\n    name: {en: An organization}\n    type: university\n"
        f"    sources: [{{source: {source.group(1)}}}]\n",
        "utf-8",
    )
    assert_same_as_cold(haiphong, tmp_path)
    text = orgs.read_text("utf-8")
    orgs.write_text(text[: text.index("  - id: same-id\n")], "utf-8")
    programmes.write_text(
        programmes.read_text("utf-8") + "  - id: same-id\n    name: {en: A programme}\n"
        f"    sources: [{{source: {source.group(1)}}}]\n",
        "utf-8",
    )
    assert_same_as_cold(haiphong, tmp_path, changed=False)


def test_only_records_whose_triples_changed_count_and_many_make_a_cold_build(haiphong: Path, monkeypatch) -> None:
    programmes = haiphong / "programmes.yaml"
    edit(programmes, "\n", "\n\n")  # the file changed, none of its 3 records did
    result = build(haiphong)
    assert (result.manifest.changed_files, result.manifest.changed_records) == (1, 0)
    edit(programmes, "  - id: ", "  # a comment\n  - id: ")
    edit(programmes, "    aliases:\n", "    aliases:\n      - The programme\n")
    assert (build(haiphong).manifest.changed_files, read_manifest(cache_dir(haiphong)).changed_records) == (1, 1)  # type: ignore[union-attr]
    monkeypatch.setattr(delta, "MAX_CHANGED_SHARE", 0.01)  # one record of 87 is too many
    edit(programmes, "      - The programme\n", "      - The S&T programme\n")
    assert build(haiphong).manifest.changed_records is None
    monkeypatch.setattr(delta, "MAX_CHANGED_SHARE", 0.25)
    result = build(haiphong)  # up to date
    index = cache_dir(haiphong) / f"index-{result.manifest.store}.json"
    index.write_text('{"key": 1}', "utf-8")
    edit(programmes, "      - The S&T programme\n", "")
    assert build(haiphong).manifest.changed_records is None


def test_an_edit_saved_while_the_files_are_read_is_built_next_time(haiphong: Path, monkeypatch) -> None:
    """The next build makes the store from the files as they are, and the views agree with it."""
    orgs = haiphong / "organizations.yaml"
    edit(orgs, "Hai Phong Department of Science and Technology", "Hai Phong DOST")
    read = store_module.validate_dataset

    def read_then_save(*args, **kwargs):  # the steward saves again once the build has read the files
        out = read(*args, **kwargs)
        edit(orgs, "Hai Phong DOST", "Hai Phong Department of S&T")
        return out

    monkeypatch.setattr(store_module, "validate_dataset", read_then_save)
    first = build(haiphong)
    assert first.manifest.fingerprint == "changed-during-build"
    assert not (cache_dir(haiphong) / f"index-{first.manifest.store}.json").exists()
    monkeypatch.setattr(store_module, "validate_dataset", read)
    second = build(haiphong)
    assert second.rebuilt and second.manifest.changed_records is None  # a cold build
    names = "\n".join(default_graph(second.path))
    assert '"Hai Phong Department of S&T"@en' in names and "Hai Phong DOST" not in names
    views = FileCache(cache_dir(haiphong) / "views").get(store_module.views_entry(second.manifest))
    assert views is not None
    assert any(o.labels.get("en") == "Hai Phong Department of S&T" for o in views.organizations.values())
    assert build(haiphong).rebuilt is False


def test_an_edit_that_breaks_a_graph_rule_is_refused_and_the_last_store_stays(haiphong: Path) -> None:
    last = read_manifest(cache_dir(haiphong))
    edit(haiphong / "agreements.yaml", "      - haiphong-pc\n      - vast\n", "      - haiphong-pc\n")
    with pytest.raises(DataError) as error:
        build(haiphong)
    assert [i.code for i in error.value.report.errors] == ["too-few-parties"]
    assert read_manifest(cache_dir(haiphong)) == last
    assert sorted(p.name for p in cache_dir(haiphong).glob("store-*")) == [last.store]  # type: ignore[union-attr]


def run_bounded(target, seconds: float = 120) -> BaseException | None:
    """Run ``target`` in a thread; fail if it does not end (a build must never wait forever)."""
    caught: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as exc:
            caught.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the build hangs"
    return caught[0] if caught else None


def test_a_loader_that_fails_stops_the_cold_build(haiphong: Path, monkeypatch) -> None:
    last = read_manifest(cache_dir(haiphong))

    def fail(self, folder: Path, triples: Path) -> None:
        self.error = OSError(28, "No space left on device")

    monkeypatch.setattr(store_module._Loader, "_run", fail)
    error = run_bounded(lambda: build(haiphong, force=True))
    assert isinstance(error, OSError) and error.errno == 28
    assert read_manifest(cache_dir(haiphong)) == last
    assert not list(cache_dir(haiphong).glob("*.tmp"))


def test_a_failure_while_the_triples_stream_leaves_no_store(haiphong: Path, monkeypatch) -> None:
    last = read_manifest(cache_dir(haiphong))
    real = store_module.build_lines

    def broken(*args, **kwargs):
        for n, line in enumerate(real(*args, **kwargs)):
            if n == 1000:
                raise RuntimeError("the builder broke")
            yield line

    monkeypatch.setattr(store_module, "build_lines", broken)
    error = run_bounded(lambda: build(haiphong, force=True))
    assert isinstance(error, RuntimeError)
    assert read_manifest(cache_dir(haiphong)) == last
    assert not list(cache_dir(haiphong).glob("*.tmp"))


def test_a_last_store_that_cannot_be_copied_makes_a_cold_build(haiphong: Path, tmp_path: Path, monkeypatch) -> None:
    def unreadable(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store_module, "_update", unreadable)
    edit(haiphong / "programmes.yaml", "    aliases:\n", "    aliases:\n      - The programme\n")
    assert_same_as_cold(haiphong, tmp_path, changed=False)
