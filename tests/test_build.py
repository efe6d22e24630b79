"""Building a dataset into the store: the graph it makes, when it rebuilds, what it refuses."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import DefaultGraph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import coopgraph
from coopgraph.errors import DataError, UsageError
from coopgraph.load import display_path
from coopgraph.paths import cache_dir
from coopgraph.rdf.store import build, read_manifest

from .conftest import DATA, write_files

HAIPHONG = DATA.parent.parent / "data" / "haiphong"


def data_graph(folder: Path) -> rdflib.Graph:
    """The dataset graph, exported as N-Triples and read back by rdflib."""
    from pyoxigraph import RdfFormat, serialize

    store = coopgraph.open(folder).store
    nt = serialize(store.quads_for_pattern(None, None, None, DefaultGraph()), format=RdfFormat.N_QUADS)
    return rdflib.Graph().parse(data=nt, format="nt")


def test_tiny_dataset_builds_the_hand_written_graph() -> None:
    expected = rdflib.Graph().parse(DATA / "tiny" / "expected.ttl")
    built = data_graph(DATA / "tiny")
    if not isomorphic(built, expected):
        _, only_built, only_expected = graph_diff(to_isomorphic(built), to_isomorphic(expected))
        pytest.fail(
            "built graph differs from expected.ttl\nonly built:\n"
            + only_built.serialize(format="nt")
            + "\nonly expected:\n"
            + only_expected.serialize(format="nt")
        )


def test_store_is_next_to_the_data_and_rebuilds_only_on_change(copy_dataset) -> None:
    folder = copy_dataset("tiny")
    first = build(folder)
    assert first.rebuilt
    assert first.path.parent == folder / ".coopgraph"
    again = build(folder)
    assert not again.rebuilt
    assert again.manifest == first.manifest
    # touching a file without changing it is not a change
    os.utime(folder / "orgs.yaml")
    assert not build(folder).rebuilt
    (folder / "orgs.yaml").write_text(
        (folder / "orgs.yaml").read_text("utf-8").replace("City People's Committee", "City Committee"),
        encoding="utf-8",
    )
    changed = build(folder)
    assert changed.rebuilt
    assert changed.manifest.fingerprint != first.manifest.fingerprint
    # the previous store is kept (a reader may be opening it), older ones are removed
    assert sorted(p.name for p in (folder / ".coopgraph").glob("store-*")) == [first.path.name, changed.path.name]
    third = build(folder, force=True)
    assert sorted(p.name for p in (folder / ".coopgraph").glob("store-*")) == [changed.path.name, third.path.name]
    labels = {str(o) for o in coopgraph.open(folder).rdflib.objects(None, rdflib.RDFS.label)}
    assert "City Committee" in labels
    assert "City People's Committee" not in labels


def _table_files(store: Path) -> int:
    return len(list(store.glob("*.sst")))


def test_a_compacted_store_merges_its_files_and_keeps_its_graph(copy_dataset) -> None:
    folder = copy_dataset("tiny")
    assert not build(folder).manifest.compacted
    (folder / "orgs.yaml").write_text(
        (folder / "orgs.yaml").read_text("utf-8").replace("City People's Committee", "City Committee"),
        encoding="utf-8",
    )
    edited = build(folder)
    assert edited.manifest.changed_files == 1 and not edited.manifest.compacted
    graph = data_graph(folder)
    # an up-to-date store that is not compacted is copied and compacted
    compacted = build(folder, compact=True)
    assert compacted.rebuilt and compacted.manifest.compacted
    assert compacted.path != edited.path
    assert _table_files(compacted.path) < _table_files(edited.path)
    assert isomorphic(data_graph(folder), graph)
    # a compacted store is kept, with or without the option
    assert not build(folder, compact=True).rebuilt
    assert not build(folder).rebuilt
    # a cold build compacts too: fewer table files than the bulk loader leaves
    plain = build(folder, force=True)
    cold = build(folder, force=True, compact=True)
    assert cold.manifest.compacted and cold.manifest.changed_files is None
    assert _table_files(cold.path) < _table_files(plain.path)
    assert isomorphic(data_graph(folder), graph)


def test_build_compact_on_the_command_line(copy_dataset) -> None:
    from typer.testing import CliRunner

    from coopgraph.cli.main import app

    folder = copy_dataset("tiny")
    result = CliRunner().invoke(app, ["build", "--compact", "--data", str(folder)])
    assert result.exit_code == 0, result.output
    assert ", compacted\n" in result.output.splitlines(keepends=True)[0]
    result = CliRunner().invoke(app, ["build", "--json", "--data", str(folder)])
    assert json.loads(result.output)["compacted"] is True and json.loads(result.output)["rebuilt"] is False


def test_invalid_data_is_refused_and_nothing_is_written(copy_dataset) -> None:
    folder = copy_dataset("tiny")
    good = build(folder)
    before = sorted(p.name for p in (folder / ".coopgraph").iterdir())
    path = folder / "more" / "activities.yaml"
    path.write_text(path.read_text("utf-8").replace("parties: [city-pc, uni]", "parties: [city-pc, unii]"))
    with pytest.raises(DataError) as info:
        build(folder)
    assert [(i.code, i.path, i.line, i.col, i.hint) for i in info.value.report.errors] == [
        ("unknown-ref", display_path(path), 5, 24, "did you mean 'uni'?")
    ]
    assert sorted(p.name for p in (folder / ".coopgraph").iterdir()) == before
    assert read_manifest(folder / ".coopgraph") == good.manifest


def test_yaml_error_stops_the_build_with_its_position(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.yaml": "organizations:\n  - id: x\n    name: {vi: X, en: X\n    type: city\n"})
    with pytest.raises(DataError) as info:
        build(tmp_path)
    assert [(i.code, i.line) for i in info.value.report.errors] == [("yaml-syntax", 4)]
    assert not cache_dir(tmp_path).exists()


def test_cooperation_is_materialized_symmetrically() -> None:
    graph = coopgraph.open(DATA / "tiny")
    rows = graph.select("SELECT ?a ?b WHERE { ?a coop:cooperatesWith ?b } ORDER BY ?a ?b")
    pairs = [(r["a"].rsplit("/", 1)[1], r["b"].rsplit("/", 1)[1]) for r in rows]
    assert pairs == [("city-pc", "uni"), ("dost", "uni"), ("uni", "city-pc"), ("uni", "dost")]


def test_every_organization_counts_its_partners() -> None:
    """coop:partnerCount is the number of coop:cooperatesWith partners, 0 for none, on every organization."""
    graph = coopgraph.open()
    counted = graph.select("""
        SELECT ?org ?n (COUNT(DISTINCT ?p) AS ?partners) WHERE {
          ?org a coop:Organization ; coop:partnerCount ?n .
          OPTIONAL { ?org coop:cooperatesWith ?p }
        } GROUP BY ?org ?n""")
    organizations = graph.select("SELECT ?org WHERE { ?org a coop:Organization }")
    assert len(counted) == len(organizations) == 33
    assert all(row["n"] == row["partners"] for row in counted)
    assert {row["n"] for row in counted} >= {"0", "16"}  # organizations with no partner, and the hub
    counts = graph.select("SELECT ?org (COUNT(?n) AS ?k) WHERE { ?org coop:partnerCount ?n } GROUP BY ?org")
    assert {row["k"] for row in counts} == {"1"}


def test_role_properties_are_sub_properties_of_participant() -> None:
    graph = coopgraph.open(DATA / "tiny")
    rows = graph.select(
        """SELECT DISTINCT ?role WHERE {
             ?activity ?role ?org . ?role rdfs:subPropertyOf coop:participant
           } ORDER BY ?role"""
    )
    assert [r["role"].rsplit("#", 1)[1] for r in rows] == ["host", "lead", "partner", "party"]


def test_parameters_are_bound_not_pasted() -> None:
    graph = coopgraph.open(DATA / "tiny")
    from pyoxigraph import NamedNode

    hostile = NamedNode("https://example.org/tiny/organization/uni")
    rows = graph.select(
        "SELECT ?partner WHERE { ?org coop:cooperatesWith ?partner } ORDER BY ?partner",
        {"org": hostile},
    )
    assert [r["partner"].rsplit("/", 1)[1] for r in rows] == ["city-pc", "dost"]


def test_several_files_and_nested_folders_make_one_dataset(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "a/one.yaml": "organizations:\n  - {id: x, name: {vi: X, en: X}, type: city}\n",
            "b/c/two.yml": "organizations:\n  - {id: y, name: {vi: Y, en: Y}, type: city}\n"
            "exchanges:\n  - {id: e, kind: meeting, title: {vi: E, en: E}, participants: [{org: x}, {org: y}]}\n",
        },
    )
    graph = coopgraph.open(tmp_path)
    rows = graph.select("SELECT (COUNT(*) AS ?n) WHERE { ?a coop:cooperatesWith ?b }")
    assert rows == [{"n": "2"}]


def test_records_remember_where_each_field_is() -> None:
    from coopgraph.validate import validate_dataset

    model, _ = validate_dataset(DATA / "tiny")
    uni = model.records["uni"]
    assert (uni.pos.line, uni.pos.col) == (15, 5)
    assert (uni.field_pos["country"].line, uni.field_pos["country"].col) == (19, 14)
    assert uni.field_pos["country"].path.endswith("orgs.yaml")


def test_projected_parameters_are_pre_bound_into_subqueries(monkeypatch) -> None:
    """A projected parameter goes to Oxigraph as a substitution: the text is not rewritten."""
    from pyoxigraph import NamedNode

    graph = coopgraph.open(DATA / "tiny")
    seen: list[str] = []
    real_query = graph.store.query

    class Spy:
        def query(self, sparql, **options):
            seen.append(sparql)
            return real_query(sparql, **options)

    monkeypatch.setattr(graph, "store", Spy())
    query = """SELECT ?org ?n2 WHERE {
                 { SELECT DISTINCT ?org ?n2 WHERE { ?org coop:cooperatesWith ?n1 . ?n1 coop:cooperatesWith ?n2 } }
               } ORDER BY ?n2"""
    rows = graph.select(query, {"org": NamedNode("https://example.org/tiny/organization/dost")})
    assert [r["n2"].rsplit("/", 1)[1] for r in rows] == ["city-pc", "dost"]
    assert seen == [query]
    # an unprojected parameter falls back to VALUES, and still answers
    rows = graph.select(
        "SELECT ?p WHERE { ?org coop:cooperatesWith ?p } ORDER BY ?p",
        {"org": NamedNode("https://example.org/tiny/organization/dost")},
    )
    assert [r["p"].rsplit("/", 1)[1] for r in rows] == ["uni"]
    assert "VALUES ?org" in seen[-1]
    # a parameter the query does not have is refused: Oxigraph would bind it only after the whole query
    with pytest.raises(UsageError, match=r"the query has no variable \?other to bind"):
        graph.select(query, {"org": NamedNode("https://example.org/tiny/organization/dost"), "other": NamedNode("x:y")})


class _Planted:
    """A pickle that would create a file if it were ever loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(self.marker),))  # type: ignore[return-value]


def test_cached_file_reads_are_reused_and_a_planted_entry_is_never_loaded(copy_dataset, tmp_path: Path) -> None:
    import pickle

    from coopgraph.validate import validate_dataset

    dataset = copy_dataset("tiny")
    first, _ = validate_dataset(dataset)
    entries = sorted((cache_dir(dataset) / "files").glob("*.pickle"))
    assert len(entries) == len(first.files)  # one entry per data file
    again, report = validate_dataset(dataset)  # read from the cache: the same records
    assert again.records.keys() == first.records.keys() and report.valid
    assert [r.pos for r in again.records.values()] == [r.pos for r in first.records.values()]

    marker = tmp_path / "pwned"
    for entry in entries:  # a dataset folder may come from anyone, build folder included
        entry.write_bytes(b"\0" * 32 + pickle.dumps(_Planted(marker)))
    third, report = validate_dataset(dataset)
    assert not marker.exists()
    assert third.records.keys() == first.records.keys() and report.valid


def test_the_stream_to_the_store_writes_the_cooperation_as_the_n_triples_lines_say() -> None:
    """The compact Turtle of the materialized cooperation holds the triples of its N-Triples lines."""
    import pyoxigraph as ox

    from coopgraph.rdf.build import Builder
    from coopgraph.validate import validate_dataset

    model, _ = validate_dataset(HAIPHONG, graph=False)
    lines = set(ox.parse("".join(Builder(model).cooperation()).encode(), format=ox.RdfFormat.N_TRIPLES))
    parts = list(Builder(model).cooperation_turtle())
    turtle = set(ox.parse("".join(text for text, _ in parts).encode(), format=ox.RdfFormat.TURTLE))
    assert turtle == lines
    assert sum(n for _, n in parts) == len(lines) > 100  # the count a build reports is the triples'
    assert any(", " in text for text, _ in parts)  # object lists, not one line per triple


def build_off_the_main_thread(folder: Path):
    """``build`` in a thread: a process that runs threads checks the shapes itself instead of forking."""
    import threading

    done: list = []
    thread = threading.Thread(target=lambda: done.append(build(folder, force=True)))
    thread.start()
    thread.join(120)
    assert done, "the build in a thread did not end"
    return done[0]


def test_shapes_checked_in_a_forked_process_report_as_when_checked_here(tmp_path: Path, monkeypatch) -> None:
    import shutil

    from coopgraph.rdf.delta import BuildIndex
    from coopgraph.rdf.store import _index_path

    folder = tmp_path / "haiphong"
    shutil.copytree(HAIPHONG, folder)
    monkeypatch.delenv("COOPGRAPH_CACHE_DIR")
    forked = build(folder, force=True)
    here = build_off_the_main_thread(folder)
    assert forked.manifest.warnings == here.manifest.warnings > 0
    assert forked.manifest.triples == here.manifest.triples
    cache = cache_dir(folder)
    shapes = [BuildIndex.read(_index_path(cache, r.path.name)).shapes for r in (forked, here)]
    assert shapes[0] == shapes[1]
    assert any(r.code == "no-participants" for r in shapes[0])


def test_a_shapes_process_that_dies_stops_the_build_with_a_message(copy_dataset, monkeypatch) -> None:
    from coopgraph.rdf import store as store_module

    folder = copy_dataset("tiny")
    last = build(folder).manifest
    parent = os.getpid()

    def dies(lines):
        if os.getpid() != parent:
            os._exit(3)
        raise AssertionError("the shapes were not checked in a forked process")

    monkeypatch.setattr(store_module, "run_shapes", dies)
    with pytest.raises(RuntimeError, match=r"checking the graph rules stopped \(exit code 3\)"):
        build(folder, force=True)
    assert read_manifest(cache_dir(folder)) == last
    assert not list(cache_dir(folder).glob("*.tmp"))


def test_the_terminal_progress_bar_runs_no_thread() -> None:
    """A thread would keep the build from forking its readers and its shapes check."""
    import threading

    from coopgraph.progress import _Bar

    before = threading.active_count()
    bar = _Bar()
    try:
        bar.stage("reading", 10)
        bar.advance(4)
        assert threading.active_count() == before
        assert bar.bar.tasks[-1].completed == 4
    finally:
        bar.close()
