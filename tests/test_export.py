"""Exports: every syntax parses back, in rdflib and in Oxigraph, to the same graph."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

import coopgraph
from coopgraph.errors import UsageError
from coopgraph.rdf.export import SYNTAXES, export, syntax, write

from .conftest import DATA

RDFLIB_NAMES = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "rdfxml": "xml",
    "jsonld": "json-ld",
}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return coopgraph.open(DATA / "tiny").store


def reference(store: ox.Store) -> rdflib.Graph:
    nt = ox.serialize(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), format=ox.RdfFormat.N_QUADS)
    return rdflib.Graph().parse(data=nt, format="nt")


def as_rdflib(data: bytes, name: str) -> rdflib.Graph:
    """Read an export with rdflib; datasets are merged into one graph."""
    if SYNTAXES[name].datasets:
        ds = rdflib.Dataset()
        ds.parse(data=data, format=RDFLIB_NAMES[name])
        graph = rdflib.Graph()
        for s, p, o, _ in ds.quads():
            graph.add((s, p, o))
        return graph
    return rdflib.Graph().parse(data=data, format=RDFLIB_NAMES[name])


@pytest.mark.parametrize("name", sorted(SYNTAXES))
def test_every_syntax_round_trips_in_rdflib_and_oxigraph(store: ox.Store, name: str) -> None:
    out = io.BytesIO()
    write(store, SYNTAXES[name], out)
    data = out.getvalue()
    expected = reference(store)
    assert len(expected) == 140
    assert isomorphic(as_rdflib(data, name), expected)
    parsed = list(ox.parse(data, format=SYNTAXES[name].format))
    assert len(parsed) == len(expected)


def test_jsonld_is_compacted_with_the_project_context(store: ox.Store) -> None:
    out = io.BytesIO()
    write(store, syntax("json-ld"), out)
    doc = json.loads(out.getvalue())
    assert "@context" in doc
    text = out.getvalue().decode("utf-8")
    assert "https://w3id.org/coopgraph/ns#participant" not in text  # compacted, not full IRIs
    assert "Sở Khoa học và Công nghệ" in text


def test_ontology_is_kept_in_its_own_graph_in_trig(store: ox.Store) -> None:
    out = io.BytesIO()
    write(store, syntax("trig"), out, include_ontology=True)
    ds = rdflib.Dataset()
    ds.parse(data=out.getvalue(), format="trig")
    onto = ds.graph(rdflib.URIRef("https://w3id.org/coopgraph/ns"))
    assert (
        rdflib.URIRef("https://w3id.org/coopgraph/ns#cooperatesWith"),
        rdflib.RDF.type,
        rdflib.OWL.SymmetricProperty,
    ) in onto
    assert len(ds.default_graph) == 140  # type: ignore[attr-defined]


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown RDF format 'yaml'"):
        syntax("yaml")


def test_failed_export_leaves_the_old_file_whole(store: ox.Store, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old content\n")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ox, "serialize", broken)
    with pytest.raises(OSError):
        export(store, syntax("turtle"), str(target))
    assert target.read_text() == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_cli_writes_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    env_cmd = [sys.executable, "-m", "coopgraph", "export", "nt", "--data", str(DATA / "tiny")]
    result = subprocess.run(env_cmd, capture_output=True, check=True, cwd=tmp_path)
    assert len(rdflib.Graph().parse(data=result.stdout, format="nt")) == 140
    subprocess.run([*env_cmd[:-2], "-o", "g.ttl", "--data", str(DATA / "tiny")], check=True, cwd=tmp_path)
    assert len(rdflib.Graph().parse(tmp_path / "g.ttl")) == 140


def test_exports_are_deterministic_and_grouped_by_subject(store: ox.Store) -> None:
    first, second = io.BytesIO(), io.BytesIO()
    write(store, syntax("turtle"), first)
    write(coopgraph.open(DATA / "tiny").store, syntax("turtle"), second)
    assert first.getvalue() == second.getvalue()
    text = first.getvalue().decode("utf-8")
    # each subject starts one block: the organization appears once as a subject
    assert len(re.findall(r"^<https://example.org/tiny/organization/dost> ", text, re.MULTILINE)) == 1


def test_exported_file_gets_the_usual_permissions(store: ox.Store, tmp_path: Path) -> None:
    target = tmp_path / "g.nt"
    export(store, syntax("nt"), str(target))
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_line_exports_are_sorted_and_the_ontology_keeps_its_graph(store: ox.Store) -> None:
    from coopgraph.rdf.store import ONTOLOGY_GRAPH

    def exported(name: str) -> bytes:
        out = io.BytesIO()
        write(store, SYNTAXES[name], out, include_ontology=True)
        return out.getvalue()

    nt = exported("ntriples")
    assert nt == exported("ntriples")  # two exports of the same store are the same bytes
    lines = nt.splitlines()
    data_lines = lines[: len(lines) - len(list(store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)))]
    assert data_lines == sorted(data_lines)
    quads = list(ox.parse(exported("nquads"), format=ox.RdfFormat.N_QUADS))
    ontology = [q for q in quads if q.graph_name == ONTOLOGY_GRAPH]
    default = [q for q in quads if q.graph_name == ox.DefaultGraph()]
    assert len(ontology) == len(list(store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))) > 1000
    assert len(default) == len(store) - len(ontology)
    assert {q.triple for q in default} == {
        q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
