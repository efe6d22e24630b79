"""The network the views read: made from the records by the build, or read out of the store, the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import coopgraph
from coopgraph.cli.main import app
from coopgraph.filecache import FileCache
from coopgraph.network import cooperation, from_records
from coopgraph.paths import cache_dir
from coopgraph.rdf.store import build, views_entry
from coopgraph.validate import validate_dataset

from .conftest import DATA, REPO


def dataset(name: str, tmp_path: Path) -> Path:
    """A copy of a dataset, the CORDIS Vietnam subset imported first, its store built beside it."""
    target = tmp_path / name
    if name == "cordis-vietnam":
        done = CliRunner().invoke(app, ["import", str(DATA / name), "--profile", "cordis", "-o", str(target)])
        assert done.exit_code == 0, done.output
    elif name == "tiny-en-GB":  # a tag with capitals: the store gives it back in lowercase
        shutil.copytree(DATA / "tiny", target)
        orgs = target / "orgs.yaml"
        text = orgs.read_text("utf-8")
        assert "en: Department of Science and Technology" in text
        orgs.write_text(text.replace("en: Department", "en-GB: Department", 1), "utf-8")
    else:
        shutil.copytree(REPO / "data" / "haiphong" if name == "haiphong" else DATA / name, target)
    return target


@pytest.fixture
def local_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COOPGRAPH_CACHE_DIR")


@pytest.mark.parametrize("name", ["haiphong", "views", "tiny", "tiny-en-GB", "cordis-vietnam"])
def test_the_network_made_from_the_records_is_the_one_read_from_the_store(
    name: str, tmp_path: Path, local_cache: None
) -> None:
    folder = dataset(name, tmp_path)
    graph = coopgraph.open(folder)
    model, report = validate_dataset(folder, graph=False)
    assert report.valid
    read, made = cooperation(graph), from_records(model)
    assert read.organizations and read.activities and read.labels
    if name == "tiny-en-GB":
        assert any("en-gb" in o.labels for o in read.organizations.values())
    assert made == read
    # the same order too (the views and pages follow it): a repr shows every dict and list in order
    assert repr(made) == repr(read)


def test_the_build_keeps_the_network_for_the_views_and_viz_gives_the_same_page_without_it(
    tmp_path: Path, local_cache: None
) -> None:
    folder = dataset("cordis-vietnam", tmp_path)
    result = build(folder)
    views = cache_dir(folder) / "views"
    entry = views / f"{views_entry(result.manifest)}.pickle"
    assert [p.name for p in views.glob("*.pickle")] == [entry.name]
    kept = FileCache(views).get(views_entry(result.manifest))
    assert repr(kept) == repr(cooperation(coopgraph.open(folder)))

    runner = CliRunner()
    focus = ["--focus", "cordis-org-878669748", "--depth", "2"]
    first = runner.invoke(app, ["viz", "-d", str(folder), *focus, "-o", str(tmp_path / "first.html")])
    assert first.exit_code == 0, first.output
    entry.unlink()  # the next view reads the network out of the store, and keeps it
    second = runner.invoke(app, ["viz", "-d", str(folder), *focus, "-o", str(tmp_path / "second.html")])
    assert second.exit_code == 0, second.output
    assert entry.exists()
    assert first.output.replace("first.html", "second.html") == second.output
    assert (tmp_path / "first.html").read_bytes() == (tmp_path / "second.html").read_bytes()


def test_a_rebuild_after_an_edit_keeps_the_network_of_its_own_store(tmp_path: Path, local_cache: None) -> None:
    folder = dataset("haiphong", tmp_path)
    before = build(folder)
    orgs = folder / "organizations.yaml"
    text = orgs.read_text("utf-8")
    old = "Hai Phong Department of Science and Technology"
    assert old in text
    orgs.write_text(text.replace(old, "Hai Phong Dept. of Science and Technology", 1), "utf-8")
    after = build(folder)
    assert after.manifest.changed_records == 1
    views = cache_dir(folder) / "views"
    assert [p.stem for p in views.glob("*.pickle")] == [views_entry(after.manifest)]
    kept = FileCache(views).get(views_entry(after.manifest))
    assert kept is not None and views_entry(before.manifest) != views_entry(after.manifest)
    assert repr(kept) == repr(cooperation(coopgraph.open(folder)))
    assert any(o.labels.get("en") == "Hai Phong Dept. of Science and Technology" for o in kept.organizations.values())
