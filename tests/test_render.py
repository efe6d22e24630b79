"""``coopgraph render``: PNG, SVG and PDF images of the views and charts, checked as files."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib.image import imread
from pypdf import PdfReader
from typer.testing import CliRunner

import coopgraph
from coopgraph.cli.main import app
from coopgraph.render.image import chart_figure, image_bytes
from tests.conftest import DATA

VIEWS = DATA / "views"
SVG = "{http://www.w3.org/2000/svg}"


def render(tmp_path: Path, name: str, *args: str) -> tuple[int, Path, str]:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["render", "-o", str(out), *args])
    return result.exit_code, out, result.stderr


def inked(path: Path) -> float:
    """The share of pixels that are not white."""
    pixels = imread(str(path))[:, :, :3]
    return float((pixels.min(axis=2) < 0.9).mean())


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()  # parses: the file is well-formed XML whatever the data held
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_hai_phong_png_is_drawn_at_the_size_asked(tmp_path: Path) -> None:
    code, out, err = render(tmp_path, "haiphong.png", "--size", "8x5", "--dpi", "100")
    assert code == 0, err
    assert err.strip() == f"{out}: network, 31 organizations, 62 links"
    pixels = imread(str(out))
    assert pixels.shape[:2] == (500, 800)
    assert 0.03 < inked(out) < 0.6
    assert out.stat().st_size > 40_000


def test_svg_keeps_names_as_text_in_vietnamese(tmp_path: Path) -> None:
    code, out, err = render(tmp_path, "haiphong.svg", "--lang", "vi")
    assert code == 0, err
    texts = svg_texts(out)
    assert "Sở KH&CN Hải Phòng" in texts  # the best-connected organization is always named
    assert any(t.startswith("Hợp tác trong nước và quốc tế") for t in texts)  # the title
    assert "Chú giải" in texts  # the legend's title
    footer = " ".join(texts)  # the footer: wrapped, one <text> per line
    assert "Tạo bằng coopgraph" in footer and "vẽ bằng matplotlib" in footer
    assert "Dữ liệu: Hợp tác trong nước và quốc tế về KH&CN" in footer
    assert "DejaVu Sans" in out.read_text("utf-8")


def test_names_do_not_overlap(tmp_path: Path) -> None:
    g = coopgraph.open()
    picture = g.render()
    fig = picture.figure
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) >= 20  # most of the 31 names fit
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    assert len(g.render(labels=3).figure.axes[0].texts) == 3
    assert len(g.render(labels=0).figure.axes[0].texts) == 0


def test_hostile_text_is_drawn_as_text_and_escaped_in_svg(tmp_path: Path, copy_dataset) -> None:
    data = copy_dataset("views")
    records = data / "records.yaml"
    records.write_text(
        records.read_text("utf-8").replace("Kyoto {{7*7}} University", "Kyoto $\\\\frac{1 $x^2$ {{7*7}}"),
        "utf-8",
    )
    code, out, err = render(tmp_path, "hostile.svg", "-d", str(data), "--title", "<b>Title</b> & $y$")
    assert code == 0, err
    text = out.read_text("utf-8")
    assert "<script" not in text and "<b>" not in text and "<img" not in text
    texts = svg_texts(out)
    assert "<script>alert(1)</script>" in texts
    assert "</script><img src=x onerror=ale…" in texts  # names are cut at 32 characters
    assert "Kyoto $\\frac{1 $x^2$ {{7*7}}" in texts  # not mathtext: drawn as typed
    assert "<b>Title</b> & $y$" in texts
    root = ET.parse(out).getroot()
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", f"{SVG}foreignObject")]


def test_pdf_has_one_page_with_the_names(tmp_path: Path) -> None:
    code, out, err = render(tmp_path, "haiphong.pdf", "--lang", "vi")
    assert code == 0, err
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Hải Phòng" in text


@pytest.mark.parametrize("chart", ["countries", "kinds", "years"])
def test_charts_are_drawn(tmp_path: Path, chart: str) -> None:
    code, out, err = render(tmp_path, f"{chart}.svg", "--chart", chart)
    assert code == 0, err
    texts = svg_texts(out)
    expected = {"countries": "Vietnam", "kinds": "sub-project", "years": "exchanges"}[chart]
    assert expected in texts
    code, png, err = render(tmp_path, f"{chart}.png", "--chart", chart)
    assert code == 0 and inked(png) > 0.02


def test_long_footers_and_titles_say_where_they_are_cut() -> None:
    from coopgraph.render.caption import footer_line

    parts = {
        "dataset": "Data",
        "name": "d",
        "records": 3,
        "sources": [f"A long source title number {i} " * 3 for i in range(20)],
        "filters": ["--since 2014-01-01"],
        "made": "Made with coopgraph 9 on 2026-01-01; drawn with matplotlib.",
        "dropped": "",
        "notes": [],
    }
    line = footer_line(parts, "en")
    assert line.index("--since 2014-01-01") < line.index("Made with coopgraph 9") < line.index("Sources:")
    assert line.endswith("; and 17 more")
    fig = chart_figure([{"country": "VN", "label": "Vietnam", "organizations": 2}], "countries", footer=line * 3,
                       size=(4.0, 3.0))  # fmt: skip
    shown = fig._supxlabel.get_text()  # the footer, as drawn
    assert shown.count("\n") == 7 and shown.endswith("…")
    assert "Made with coopgraph 9" in shown


def test_charts_say_how_many_rows_they_leave_out() -> None:
    rows = [{"class": "project", "label": f"kind {i}", "activities": 30 - i} for i in range(25)]
    svg = image_bytes(chart_figure(rows, "kinds"), "svg").decode()
    assert "Activities by kind — 5 more not shown" in svg
    assert "kind 19" in svg and "kind 20" not in svg


def test_the_year_chart_says_what_it_leaves_out() -> None:
    rows = [
        {"year": 2014, "activities": 2, "agreements": 1, "projects": 0, "exchanges": 1},
        {"year": None, "activities": 3, "agreements": 0, "projects": 3, "exchanges": 0},
    ]
    svg = image_bytes(chart_figure(rows, "years"), "svg").decode()
    assert "3 without a date are not shown" in svg


def test_same_view_as_the_page_and_the_same_bytes_every_time(tmp_path: Path) -> None:
    g = coopgraph.open(VIEWS)
    for filters in ({}, {"since": "2014"}, {"focus": "org-d", "depth": 2}, {"country": ["VN"]}):
        assert g.render(**filters).view.organizations == g.viz(**filters).view.organizations
    a = render(tmp_path, "a.svg", "-d", str(VIEWS))[1].read_bytes()
    b = render(tmp_path, "b.svg", "-d", str(VIEWS))[1].read_bytes()
    assert a == b
    a = render(tmp_path, "a.png", "-d", str(VIEWS))[1].read_bytes()
    b = render(tmp_path, "b.png", "-d", str(VIEWS))[1].read_bytes()
    assert a == b


def test_render_has_the_link_budget_of_the_page(tmp_path: Path) -> None:
    code, out, err = render(tmp_path, "cut.svg", "-d", str(VIEWS), "--max-links", "2")
    assert code == 0 and err.splitlines()[-1] == f"{out}: network, 5 organizations, 2 links"
    assert "warning: 3 of 5 links left out" in err
    assert any("3 of the 5 links between these organizations are not shown" in t for t in svg_texts(out))
    g = coopgraph.open(VIEWS)
    assert set(g.render(max_links=2).view.graph.edges) == set(g.viz(max_links=2).view.graph.edges)


def test_jupyter_shows_png() -> None:
    data = coopgraph.open(VIEWS).render(size=(4, 3), dpi=50)._repr_png_()
    assert data.startswith(b"\x89PNG") and imread(io.BytesIO(data)).shape[:2] == (150, 200)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.jpg"], "error: x.jpg: an image is .png, .svg or .pdf (or say which with --format)"),
        (["--format", "gif"], "error: --format: 'gif' is not one of png, svg, pdf"),
        (["--size", "12by8"], "error: --size: '12by8' is not WIDTHxHEIGHT in inches (e.g. 12x8)"),
        (["--size", "0x8"], "error: --size: '0x8' is out of range: each side is 1 to 100 inches"),
        (["--size", "nanx8"], "error: --size: 'nanx8' is not WIDTHxHEIGHT in inches (e.g. 12x8)"),
        (["--size", "100x100", "--dpi", "300"], "error: --size 100x100 at --dpi 300 is 900 million pixels"),
        (["--dpi", "5"], "error: --dpi: 5 is out of range (30 to 1200)"),
        (["--chart", "pie"], "error: --chart: 'pie' is not one of network, countries, kinds, years"),
        (["--chart", "years", "--mode", "activities"], "error: --chart years counts the network view"),
        (["--focus", "org-z"], "error: no organization with the id 'org-z'"),
        (["--lang", "de"], "error: --lang: 'de' is not one of en, vi"),
        (["--until", "2010"], "error: no organization is left by these filters; nothing was written"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative -o lands here too
    result = CliRunner().invoke(app, ["render", "-d", str(VIEWS), "-o", "out.png", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_refused_image_leaves_the_old_file_and_a_missing_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "a.png"
    out.write_bytes(b"old")
    result = CliRunner().invoke(app, ["render", "-d", str(VIEWS), "-o", str(out), "--since", "2099"])
    assert result.exit_code == 2 and out.read_bytes() == b"old"
    result = CliRunner().invoke(app, ["render", "-d", str(VIEWS), "-o", str(tmp_path / "no" / "a.png")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'no' / 'a.png'}: the folder {tmp_path / 'no'} does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]
