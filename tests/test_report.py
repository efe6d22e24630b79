"""``coopgraph report`` (the briefing pack) and ``coopgraph export gexf|graphml|csv`` (files for Gephi)."""

from __future__ import annotations

import csv
import html.parser
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from matplotlib.image import imread
from typer.testing import CliRunner

import coopgraph
from coopgraph import briefing
from coopgraph.cli.main import app
from coopgraph.render.graphfiles import merge_spans
from tests.conftest import DATA

VIEWS = DATA / "views"


@pytest.fixture(scope="module")
def haiphong_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "briefing"
    result = CliRunner().invoke(app, ["report", "-o", str(out), "--dpi", "80"])
    assert result.exit_code == 0, result.stderr
    return out


class Cells(html.parser.HTMLParser):
    """The tables of a page, as lists of rows of cell texts; and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_report_files_and_images(haiphong_report: Path) -> None:
    assert sorted(p.name for p in haiphong_report.iterdir()) == [
        "countries.png",
        "kinds.png",
        "network.png",
        "report.html",
        "report.md",
        "years.png",
    ]
    for name in ("countries", "kinds", "network", "years"):
        pixels = imread(str(haiphong_report / f"{name}.png"))
        assert (pixels[:, :, :3].min(axis=2) < 0.9).mean() > 0.02
    md = (haiphong_report / "report.md").read_text("utf-8")
    for image in ("network.png", "countries.png", "kinds.png", "years.png"):
        assert f"]({image})" in md
        assert f'src="{image}"' in (haiphong_report / "report.html").read_text("utf-8")


def test_every_number_of_the_report_is_the_named_query_it_names(haiphong_report: Path) -> None:
    g = coopgraph.open()
    page = Cells()
    page.feed((haiphong_report / "report.html").read_text("utf-8"))
    tables = page.tables
    hubs = g.rows("hubs", limit=10)
    assert tables[0][1:] == [[r["rank"], r["label"], r["partners"], r["activities"]] for r in hubs]
    assert tables[0][1] == ["1", "Hai Phong Department of Science and Technology", "16", "26"]
    countries = g.rows("partners-by-country")
    assert [row[1:] for row in tables[3][1:]] == [
        [r["organizations"], r["links"], r["activities"] or "0"] for r in countries
    ]
    years = g.rows("cooperation-by-year")
    assert [row[1:] for row in tables[6][1:]] == [
        [r["activities"], r["agreements"], r["projects"], r["exchanges"], r["organizations"]] for r in years
    ]
    types = g.rows("organizations-by-type")
    assert tables[4][1:] == [[r["typeLabel"], r["organizations"], r["countries"], r["activities"]] for r in types]
    kinds = g.rows("activities-by-kind")
    assert [row[1:] for row in tables[5][1:]] == [
        [r["kindLabel"] or r["kind"] or "—", r["activities"], r["organizations"]] for r in kinds
    ]
    assert [row[0] for row in tables[5][1:3]] == ["projects", "exchanges"]
    summary = g.rows("summary")[0]
    md = (haiphong_report / "report.md").read_text("utf-8")
    assert f"- **{summary['organizations']}** organizations" in md
    assert f"- **{summary['pairs']}** pairs of organizations that cooperate" in md
    stats = g.stats()
    brokers = [r for r in tables[1][1:]]
    assert brokers[0] == ["Hai Phong Department of Science and Technology", "0.480", "16", "1"]
    assert len(brokers) == sum(r["betweenness"] > 0 for r in stats.organizations)
    communities = tables[2][1:]
    assert len(communities) == stats.summary["communities"]
    assert sum(int(row[1]) for row in communities) == stats.summary["organizations"] == 31
    assert "It is exact." in md
    assert "the largest with 24 of the 31 organizations that share an activity with another" in md
    for command in (
        "coopgraph query --name hubs --param limit=10",
        "coopgraph query --name partners-by-country",
        "coopgraph query --name organizations-by-type",
        "coopgraph query --name activities-by-kind",
        "coopgraph query --name cooperation-by-year",
        "coopgraph stats --table organizations",
    ):
        assert f"`{command}`" in md


def test_report_in_vietnamese_escapes_the_data(tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = CliRunner().invoke(app, ["report", "-d", str(VIEWS), "-o", str(out), "--lang", "vi", "--dpi", "60"])
    assert result.exit_code == 0, result.stderr
    md = (out / "report.md").read_text("utf-8")
    page = (out / "report.html").read_text("utf-8")
    assert "## Số liệu chính" in md and "<h2>Số liệu chính</h2>" in page
    assert "# Bộ dữ liệu thử &lt;b&gt;đậm&lt;/b&gt;" in md
    for raw in ("<script", "<b>", "<img src=x", "<svg", "<i>"):
        assert raw not in md
        assert raw not in page
    assert "Sở &lt;b&gt;KH&lt;/b&gt;&amp;CN Hải Phòng" in md
    parsed = Cells()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" in parsed.tags
    assert {"Sở <b>KH</b>&CN Hải Phòng", "Đại học Hàng hải"} <= {cell for t in parsed.tables for r in t for cell in r}


def test_report_refuses_bad_places_and_languages(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    for args, message in (
        (["-o", str(tmp_path / "file")], f"error: {tmp_path / 'file'}: the report is a folder; this is a file"),
        (["-o", str(tmp_path / "no" / "r")], f"error: {tmp_path / 'no' / 'r'}: the folder {tmp_path / 'no'} does not"),
        (["-o", str(tmp_path / "r"), "--lang", "fr"], "error: --lang: 'fr' is not one of en, vi"),
    ):
        result = CliRunner().invoke(app, ["report", "-d", str(VIEWS), *args])
        assert result.exit_code == 2 and result.stderr.startswith(message), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_briefing_markdown_escapes_markdown_itself() -> None:
    b = briefing.Briefing("en", "**big** [link](x) | pipe", "made", [("label", "1")], [], "", ["src_*"])
    md = briefing.to_markdown(b)
    assert md.startswith("# \\*\\*big\\*\\* \\[link\\](x) \\| pipe")
    assert "- src\\_\\*" in md


def export(tmp_path: Path, fmt: str, *args: str, name: str | None = None) -> Path:
    out = tmp_path / (name or f"net.{fmt}")
    result = CliRunner().invoke(app, ["export", fmt, "-o", str(out), *args])
    assert result.exit_code == 0, result.stderr
    return out


def test_gexf_reads_back_with_attributes_and_time(tmp_path: Path) -> None:
    g = nx.read_gexf(export(tmp_path, "gexf", "-d", str(VIEWS)))
    assert g.graph["mode"] == "dynamic"
    assert sorted(g.nodes) == ["org-a", "org-b", "org-c", "org-d", "org-e"]
    a = g.nodes["org-a"]
    assert a["label"] == "<script>alert(1)</script>"
    assert a["label_vi"] == "Sở <b>KH</b>&CN Hải Phòng"
    assert (a["type"], a["country"], a["partners"], a["activity_count"]) == ("government-body", "VN", 3, 3)
    ac = g.edges["org-a", "org-c"]
    assert ac["weight"] == 2
    assert sorted(ac["activities"].split("; ")) == ["mou-1", "project-1"]
    assert ac["spells"] == [("2013-05-16", "2013-05-16"), ("2014-01-01", "2015-12-31")]  # the MoU, the project
    assert g.edges["org-a", "org-d"]["spells"] == [("2016-03-01", "2016-03-31")]
    assert "start" not in ac and "end" not in ac  # spells alone: a start-end span would cover the gap
    assert "spells" not in g.edges["org-b", "org-e"]  # an undated workshop: always shown
    assert "spells" not in g.nodes["org-b"]


def test_graphml_reads_back_with_attributes(tmp_path: Path) -> None:
    path = export(tmp_path, "graphml")
    keys = [k.get("id") for k in ET.parse(path).getroot().iter("{http://graphml.graphdrawing.org/xmlns}key")]
    assert len(keys) == len(set(keys)) > 10  # the schema wants unique key ids (nodes and links both have 'start')
    g = nx.read_graphml(path)
    assert (g.number_of_nodes(), g.number_of_edges()) == (31, 62)
    dost = g.nodes["haiphong-dost"]
    assert (dost["label"], dost["label_vi"], dost["partners"]) == (
        "Hai Phong Department of Science and Technology",
        "Sở KH&CN Hải Phòng",
        16,
    )
    stats = coopgraph.open().stats()
    assert {n: d["partners"] for n, d in g.nodes(data=True)} == {r["id"]: r["partners"] for r in stats.organizations}
    assert (
        sum(d["weight"] for _, _, d in g.edges(data=True))
        == sum(r["shared_activities"] for r in stats.organizations) / 2
    )


def test_activities_mode_exports_both_kinds_of_node(tmp_path: Path) -> None:
    path = export(tmp_path, "graphml", "-d", str(VIEWS), "--mode", "activities")
    g = nx.read_graphml(path)
    assert (g.nodes["org-a"]["start"], g.edges["org-a", "visit-1"]["end"]) == ("2013-05-16", "2016-03-31")
    assert sorted(n for n, d in g.nodes(data=True) if d["node"] == "activity") == [
        "mou-1",
        "project-1",
        "visit-1",
        "workshop-1",
    ]
    assert g.number_of_edges() == 9


def test_csv_lists_for_gephi(tmp_path: Path) -> None:
    folder = export(tmp_path, "csv", "-d", str(VIEWS), name="lists")
    nodes = list(csv.DictReader((folder / "nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((folder / "edges.csv").open(encoding="utf-8")))
    assert [n["Id"] for n in nodes] == ["org-a", "org-b", "org-c", "org-d", "org-e"]
    assert nodes[1]["Label"] == "</script><img src=x onerror=alert(2)>"
    assert {(e["Source"], e["Target"], e["Weight"]) for e in edges} == {
        ("org-a", "org-b", "1"),
        ("org-a", "org-c", "2"),
        ("org-a", "org-d", "1"),
        ("org-b", "org-c", "1"),
        ("org-b", "org-e", "1"),
    }
    assert {e["Type"] for e in edges} == {"Undirected"}


def test_bad_network_exports(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    for args, message in (
        (["csv", "-o", "-"], "error: csv writes two files (nodes.csv, edges.csv): give a folder with -o"),
        (["csv", "-o", str(tmp_path / "f")], f"error: {tmp_path / 'f'}: csv writes nodes.csv and edges.csv"),
        (["gexf", "-o", str(tmp_path / "no" / "x.gexf")], f"error: {tmp_path / 'no' / 'x.gexf'}: the folder"),
        (["gexf", "--mode", "tree", "-o", str(tmp_path / "x.gexf")], "error: no view mode 'tree'"),
        (["gexf", "--lang", "fr", "-o", str(tmp_path / "x.gexf")], "error: --lang: 'fr' is not one of en, vi"),
        (["gexf", "--ontology", "-o", str(tmp_path / "x.gexf")], "error: --ontology is for the RDF formats"),
        (["turtle", "--lang", "vi", "-o", str(tmp_path / "x.ttl")], "error: --lang is for gexf, graphml and csv"),
        (["turtle", "--mode", "activities", "-o", str(tmp_path / "x.ttl")], "error: --mode is for gexf, graphml"),
    ):
        result = CliRunner().invoke(app, ["export", *args, "-d", str(VIEWS)])
        assert result.exit_code == 2 and result.stderr.startswith(message), result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def test_merged_spans_keep_open_ends_open() -> None:
    import datetime as dt

    d = dt.date
    assert merge_spans([]) == []
    assert merge_spans([(d(2014, 1, 1), None), (d(2015, 1, 1), d(2016, 1, 1))]) == [(d(2014, 1, 1), None)]
    assert merge_spans([(d(2014, 1, 1), d(2014, 1, 31)), (d(2014, 2, 1), d(2014, 2, 28))]) == [
        (d(2014, 1, 1), d(2014, 2, 28))
    ]


def test_report_page_shows_its_images_in_chromium(haiphong_report: Path, browser: Any) -> None:
    """From file://, under the page's own CSP, every image loads and nothing else is asked for."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        requests: list[str] = []
        console: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        url = (haiphong_report / "report.html").resolve().as_uri()
        page.goto(url)
        page.wait_for_load_state("load")
        images = page.evaluate("[...document.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth])")
        assert images == [
            ["network.png", 960],  # 12 inches at --dpi 80
            ["countries.png", 800],
            ["kinds.png", 800],
            ["years.png", 800],
        ]
        assert sorted(requests) == sorted([url] + [url.rsplit("/", 1)[0] + f"/{i[0]}" for i in images])
        assert console == []
    finally:
        context.close()
