"""``coopgraph viz``: the pages, opened in real headless Chromium with every network request refused.

Chromium is Debian's (``apt-get install chromium``, which .ci/run does), driven by
Playwright; COOPGRAPH_CHROMIUM names another binary. A missing browser fails these
tests: it does not skip them.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import coopgraph
from coopgraph.cli.main import app
from coopgraph.network import Activity, Cooperation, Organization, Source
from coopgraph.render import browser as browser_tools
from coopgraph.render import html
from coopgraph.view import make_view
from tests.conftest import DATA

VIEWS = DATA / "views"


@dataclass
class Opened:
    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def shown(self, frame: Any = None) -> tuple[int, int]:
        got = (frame or self.page).evaluate("window.coopgraph.shown()")
        return got["nodes"], got["edges"]

    def drawn(self, frame: Any = None) -> tuple[int, int]:
        """What vis-network itself holds and draws (its body's node and edge indices)."""
        got = (frame or self.page).evaluate(
            "[window.coopgraph.network.body.nodeIndices.length, window.coopgraph.network.body.edgeIndices.length]"
        )
        return got[0], got[1]


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts = []

    def open_(path: Path, *, size: tuple[int, int] = (1280, 860), frame: bool = False) -> Opened:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, path.resolve().as_uri())
        context.route("**/*", browser_tools.only(opened.url, opened.refused))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("console", lambda m: opened.console.append(f"{m.type}: {m.text}") if m.type != "debug" else None)
        page.on("pageerror", lambda e: opened.console.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(opened.url)
        where = page.frames[1] if frame else page
        where.wait_for_function(browser_tools.READY, timeout=60_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


def viz(tmp_path: Path, *args: str, name: str = "page.html") -> tuple[Path, Any]:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["viz", "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out, result


def ink(opened: Opened) -> float:
    """The share of the canvas's pixels that are not blank."""
    return float(
        opened.page.evaluate(
            """() => {
              const c = document.querySelector('#cg-network canvas');
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let ink = 0;
              for (let i = 0; i < d.length; i += 4) {
                if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) ink++;
              }
              return ink / (d.length / 4);
            }"""
        )
    )


def clean(opened: Opened) -> None:
    assert opened.requests == [opened.url], "the page asked for something besides itself"
    assert opened.refused == []
    assert opened.console == []
    assert opened.dialogs == []


# --- the Hai Phong page -----------------------------------------------------------------


def test_hai_phong_page_is_offline_self_contained_and_drawn(tmp_path: Path, open_page: Any) -> None:
    out, result = viz(tmp_path)
    assert "page.html: 31 organizations, 62 links" in result.output
    text = out.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link[\s>]|@import|url\(\s*['\"]?https?:", text)
    opened = open_page(out)
    clean(opened)
    assert opened.shown() == opened.drawn() == (31, 62)
    assert opened.page.evaluate("window.coopgraph.network.physics.options.enabled") is False  # stabilized, stopped
    assert ink(opened) > 0.01
    shot = opened.page.screenshot()
    assert len(shot) > 30_000
    assert opened.page.text_content("#cg-status") == "31 of 31 organizations, 62 of 62 links shown"
    footer = opened.page.text_content("#cg-footer")
    assert "haiphong, 87 records" in footer and "(2016-09-16)" in footer


def test_vietnamese_page_and_fallback_labels(tmp_path: Path, open_page: Any) -> None:
    out, _ = viz(tmp_path, "--lang", "vi", "--focus", "haiphong-dost")
    opened = open_page(out)
    clean(opened)
    page = opened.page
    assert page.get_attribute("html", "lang") == "vi"
    assert page.text_content("#cg-title") == "Hợp tác trong nước và quốc tế về KH&CN của thành phố Hải Phòng, 2013–2015"
    focus = coopgraph.open().view(focus="haiphong-dost")
    assert opened.shown() == opened.drawn() == (17, focus.graph.number_of_edges()) == (17, 28)
    labels = page.evaluate("window.coopgraph.nodes.get().map(n => n.label)")
    assert "Sở KH&CN Hải Phòng" in labels


# --- what the filters give --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (5, 5)),
        (["--since", "2015"], (4, 4)),
        (["--as-of", "2013-05-16"], (2, 1)),
        (["--kind", "exchange"], (4, 2)),
        (["--min-weight", "2"], (2, 1)),
        (["--country", "VN,JP"], (3, 3)),
        (["--type", "university"], (2, 1)),
        (["--focus", "org-d", "--depth", "2"], (4, 4)),
        (["--top", "2"], (2, 1)),
        (["--mode", "activities"], (9, 9)),
        (["--mode", "activities", "--kind", "mou"], (3, 2)),
    ],
)
def test_drawn_nodes_and_links_are_what_the_filters_give(
    tmp_path: Path, open_page: Any, args: list[str], expected: tuple[int, int]
) -> None:
    out, _ = viz(tmp_path, "-d", str(VIEWS), *args)
    opened = open_page(out)
    clean(opened)
    assert opened.shown() == opened.drawn() == expected


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("đ", "d")


def test_the_panel_filters_change_what_is_drawn(tmp_path: Path, open_page: Any) -> None:
    g = coopgraph.open()
    view = g.view()
    out, _ = viz(tmp_path, "--lang", "vi")
    opened = open_page(out)
    page = opened.page
    assert opened.shown() == (31, 62)

    # country toggle: Vietnam off
    foreign = {o.iri for o in view.organizations if o.country != "VN"}
    links = sum(1 for a, b in view.graph.edges if a in foreign and b in foreign)
    page.uncheck('input[data-group="country"][value="VN"]')
    assert opened.shown() == opened.drawn() == (len(foreign), links) == (16, 28)
    # all types off, then reset
    page.click('button.cg-none[data-group="type"]')
    assert opened.shown() == (0, 0)
    page.click("#cg-reset")
    assert opened.shown() == (31, 62)

    # search without diacritics: the matches and their partners
    page.fill("#cg-search", "hai phong")
    matches = {o.iri for o in view.organizations if "hai phong" in fold(" ".join([o.id, *o.labels.values()]))}
    around = matches | {n for m in matches for n in view.graph.neighbors(m)}
    links = sum(1 for a, b in view.graph.edges if a in around and b in around)
    assert len(matches) == 3  # Sở KH&CN Hải Phòng, Công ty CP Sơn Hải Phòng, UBND thành phố Hải Phòng
    assert opened.shown() == opened.drawn() == (len(around), links)
    # "son" is only in the Vietnamese name, written with diacritics: Công ty CP Sơn Hải Phòng
    page.fill("#cg-search", "SON HAI PHONG")
    paint = g.resolve("haiphong-paint")
    assert opened.shown()[0] == 1 + len(list(view.graph.neighbors(paint)))
    assert page.evaluate("window.coopgraph.nodes.get('haiphong-paint').borderWidth") == 4
    page.fill("#cg-search", "")
    assert opened.shown() == (31, 62)

    # years: from 2016, undated activities off == --since 2016
    since = g.view(since="2016")
    page.fill("#cg-from", "2016")
    page.uncheck("#cg-undated")
    assert opened.shown() == opened.drawn() == (len(since.organizations), since.graph.number_of_edges())
    assert opened.shown()[0] < 31
    clean(opened)


# --- escaping, tooltips ------------------------------------------------------------------


def hover_node(opened: Opened, node: str, expect: str) -> str:
    """Hover the node and return its tooltip once it has ``expect`` (the page may still be drawing)."""
    page = opened.page
    xy = page.evaluate(browser_tools.NODE_XY, node)
    page.mouse.move(1, 1)
    page.mouse.move(xy[0], xy[1])
    page.wait_for_function(
        "(w) => { const t = document.querySelector('#cg-tip'); return !t.hidden && t.textContent.includes(w); }",
        arg=expect,
    )
    return str(page.text_content("#cg-tip"))


def hover_edge(opened: Opened, a: str, b: str, expect: str) -> str:
    """Hover the middle of the edge a -- b and return the tooltip once it has ``expect``."""
    page = opened.page
    xy = page.evaluate(
        """([a, b]) => { const n = window.coopgraph.network;
                         const r = document.querySelector('#cg-network').getBoundingClientRect();
                         const p = n.canvasToDOM(n.getPosition(a)), q = n.canvasToDOM(n.getPosition(b));
                         return [r.left + (p.x + q.x) / 2, r.top + (p.y + q.y) / 2]; }""",
        [a, b],
    )
    page.mouse.move(1, 1)
    page.mouse.move(xy[0], xy[1])
    page.wait_for_function("(w) => document.querySelector('#cg-tip').textContent.includes(w)", arg=expect)
    return str(page.text_content("#cg-tip"))


def test_hostile_text_is_shown_as_text_and_runs_nothing(tmp_path: Path, open_page: Any) -> None:
    out, _ = viz(tmp_path, "-d", str(VIEWS), "--title", "<img src=x onerror=alert(9)>")
    text = out.read_text("utf-8")
    for raw in ("<script>alert(1)", "<img src=x onerror=alert(2)>", "<svg onload", "<script>alert(4)", "<b>bold</b>",
                "<img src=x onerror=alert(9)>", "<i>title</i>"):  # fmt: skip
        assert raw not in text
    assert "View fixture &lt;b&gt;bold&lt;/b&gt; &amp; co" in text  # the dataset's title, in the footer
    opened = open_page(out)
    page = opened.page
    assert page.text_content("#cg-title") == "<img src=x onerror=alert(9)>"
    assert page.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 5  # vis-network, three JSON blocks, ours
    tip = hover_node(opened, "org-a", "alert(1)")
    assert "<script>alert(1)</script>" in tip and "Sở <b>KH</b>&CN Hải Phòng" in tip
    assert "Source <i>title</i> & more (2016-09-16)" in tip
    # an edge: org-a -- org-d, whose one activity is the delegation
    tip = hover_edge(opened, "org-a", "org-d", "Delegation")
    assert "Delegation </script><script>alert(4)</script> (2016-03)" in tip
    assert "<script>alert(1)</script>: host" in tip and "Samsung \"quoted\" & 'apostrophe': participant" in tip
    clean(opened)


def test_activities_mode_tooltips(tmp_path: Path, open_page: Any) -> None:
    out, _ = viz(tmp_path, "-d", str(VIEWS), "--mode", "activities")
    opened = open_page(out)
    tip = hover_node(opened, "project-1", "Project <svg")
    assert tip.startswith("Project <svg onload=alert(3)>") and "participants: 3" in tip and "2014 – 2015" in tip
    page = opened.page
    tip = hover_edge(opened, "org-a", "visit-1", "role")
    assert tip == "<script>alert(1)</script>role: hostDelegation </script><script>alert(4)</script>"
    assert "Legend" in str(page.text_content("#cg-legend")) and "activity (agreement" in str(
        page.text_content("#cg-legend")
    )
    clean(opened)


def test_a_page_with_no_dated_activity_and_the_min_weight_in_the_page(tmp_path: Path, open_page: Any) -> None:
    out, _ = viz(tmp_path, "-d", str(VIEWS), "--kind", "workshop", name="undated.html")
    opened = open_page(out)
    clean(opened)
    assert opened.shown() == (2, 1)
    assert opened.page.is_disabled("#cg-from") and opened.page.is_disabled("#cg-to")
    opened.page.uncheck("#cg-undated")
    assert opened.shown() == (0, 0)
    # --min-weight 2 keeps org-a -- org-c (project-1 2014-2015, mou-1 2013); from 2014 only one is left
    out, _ = viz(tmp_path, "-d", str(VIEWS), "--min-weight", "2", name="heavy.html")
    opened = open_page(out)
    assert opened.shown() == (2, 1)
    opened.page.fill("#cg-from", "2014")
    assert opened.shown() == opened.drawn() == (0, 0)
    opened.page.fill("#cg-from", "2013")
    assert opened.shown() == (2, 1)
    clean(opened)


def test_node_tooltip_gives_names_type_country_partners_and_sources(tmp_path: Path, open_page: Any) -> None:
    out, _ = viz(tmp_path, "--lang", "vi", "--focus", "haiphong-dost")
    tip = hover_node(open_page(out), "haiphong-dost", "Sở KH&CN")
    assert tip.startswith("Sở KH&CN Hải Phòng")
    assert "Hai Phong Department of Science and Technology" in tip
    assert "loại hình: cơ quan nhà nước" in tip and "quốc gia: Việt Nam (VN)" in tip
    assert "đối tác: 16" in tip and "3 năm nhìn lại" in tip


# --- big graphs, the limit, notebooks ------------------------------------------------------


def synthetic(n: int) -> Cooperation:
    """``n`` organizations in projects of three neighbours on a ring, plus a few long links."""
    orgs = {
        f"o{i}": Organization(f"o{i}", f"org-{i}", {"en": f"Organization {i}"}, "university", "VN") for i in range(n)
    }
    acts = {}
    for i in range(n):
        members = [(f"o{i}", None), (f"o{(i + 1) % n}", None), (f"o{(i * 7 + 3) % n}", None)]
        acts[f"a{i}"] = Activity(f"a{i}", f"act-{i}", "project", labels={"en": f"Project {i}"},
                                 start=str(2000 + i % 20), participants=members)  # fmt: skip
    return Cooperation(orgs, acts, {}, {})


def test_big_graph_is_laid_out_here_and_physics_is_off(tmp_path: Path, open_page: Any) -> None:
    view = make_view(synthetic(1500), limit=html.DEFAULT_LIMIT)
    out = tmp_path / "big.html"
    html.write(out, html.page(view, lang="en"))
    opened = open_page(out)
    clean(opened)
    assert opened.page.evaluate("window.coopgraph.network.physics.options.enabled") is False
    assert opened.shown() == opened.drawn() == (1500, view.graph.number_of_edges())
    spread = opened.page.evaluate(
        "(() => { const p = Object.values(window.coopgraph.network.getPositions());"
        " return new Set(p.map(q => Math.round(q.x) + ',' + Math.round(q.y))).size; })()"
    )
    assert spread > 1450  # spread out, not piled up (a few may round to the same pixel)
    assert "Positions computed in advance" in str(opened.page.text_content("#cg-footer"))
    assert ink(opened) > 0.01


def test_a_view_over_the_limit_is_cut_and_says_so(tmp_path: Path, open_page: Any) -> None:
    out, result = viz(tmp_path, "-d", str(VIEWS), "--max-nodes", "3")
    assert "warning: 2 nodes left out: the view is limited to 3 (--max-nodes)" in result.output
    opened = open_page(out)
    clean(opened)
    assert opened.shown() == (3, 3)
    assert "2 nodes are not shown: the view is limited to 3." in str(opened.page.text_content("#cg-dropped"))


def test_a_view_over_the_link_budget_keeps_its_backbone_and_says_so(tmp_path: Path, open_page: Any) -> None:
    out, result = viz(tmp_path, "-d", str(VIEWS), "--max-links", "2")
    assert result.stderr.splitlines() == [
        "warning: 3 of 5 links left out: the view is limited to 2 links (--max-links); kept a spanning forest, "
        "then the strongest links",
        f"{out}: 5 organizations, 2 links",
    ]
    opened = open_page(out)
    clean(opened)
    assert opened.shown() == (5, 2)
    assert str(opened.page.text_content("#cg-links-dropped")) == (
        "3 of the 5 links between these organizations are not shown: the view is limited to 2 links "
        "(--max-links). Kept: the strongest links that keep connected what is connected, then the strongest "
        "other links."
    )
    _, focused = viz(tmp_path, "-d", str(VIEWS), "--focus", "org-e", "--depth", "2", "--max-links", "3", name="f.html")
    assert "kept each organization's strongest link toward the focus" in focused.stderr
    _, whole = viz(tmp_path, "-d", str(VIEWS), name="whole.html")
    assert "links left out" not in whole.stderr


def test_a_text_cited_many_times_is_in_the_page_once(tmp_path: Path, open_page: Any) -> None:
    coop = synthetic(60)
    coop.sources["s"] = Source("s", "src", {"en": "A <long> source title"}, publisher="Publisher & co")
    coop.labels["role"] = {"r": {"en": "coordinating partner"}}
    for org in coop.organizations.values():
        org.sources = ["s"]
    for act in coop.activities.values():
        act.sources = ["s"]
        act.participants = [(o, "r") for o, _ in act.participants]
    out = tmp_path / "cited.html"
    html.write(out, html.page(make_view(coop), lang="en"))
    text = out.read_text("utf-8")
    data = text.split('<script type="application/json" id="cg-data">')[1].split("</script>")[0]
    assert data.count("A \\u003clong\\u003e source title (Publisher \\u0026 co)") == 1
    assert data.count("coordinating partner") == 1
    assert '"org-1"' not in data and '"act-0"' not in data  # referred to by place, not by id
    opened = open_page(out)
    clean(opened)
    tip = hover_node(opened, "org-1", "activities: 3")
    assert "sources: A <long> source title (Publisher & co)" in tip and "activities: 3" in tip
    tip = hover_edge(opened, "org-0", "org-1", "Project 0")
    assert "Organization 0: coordinating partner" in tip and "Organization 1: coordinating partner" in tip
    assert "sources: A <long> source title (Publisher & co)" in tip


def test_notebook_display_is_an_isolated_frame_of_the_same_page(tmp_path: Path, open_page: Any) -> None:
    shown = coopgraph.open(VIEWS).viz(kind=["exchange"])
    frame = shown._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and 'sandbox="allow-scripts"' in frame
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{frame}</body></html>", "utf-8")
    opened = open_page(host, frame=True)
    inner = opened.page.frames[1]
    assert opened.shown(inner) == opened.drawn(inner) == (4, 2)
    clean(opened)


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "fr"], "error: --lang: 'fr' is not one of en, vi"),
        (["--country", "XX"], "error: --country: no organization in the data is in 'XX'; it has JP, KR, VN"),
        (["--home", "Vietnam"], "error: --home: 'Vietnam' is not an ISO 3166-1 alpha-2 country code (e.g. VN)"),
        (["--as-of", "2014-02-30"], "error: --as-of: '2014-02-30' is not a date: day is out of range for month"),
        (["--focus", "org-z"], "error: no organization with the id 'org-z'; did you mean 'org-e', 'org-d', 'org-c'?"),
        (["--mode", "bipartite"], "error: no view mode 'bipartite'; the modes are network, activities"),
        (["--since", "2030"], "error: no organization is left by these filters; nothing was written"),
    ],
)
def test_bad_options_exit_2_with_a_message_and_write_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["viz", "-d", str(VIEWS), "-o", str(out), *args])
    assert (result.exit_code, result.output.strip()) == (2, message)
    assert "Traceback" not in result.output and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_page_is_replaced_whole_and_bad_folders_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    out.write_text("old", "utf-8")
    result = CliRunner().invoke(app, ["viz", "-d", str(VIEWS), "-o", str(out), "--country", "XX"])
    assert result.exit_code == 2 and out.read_text("utf-8") == "old"
    result = CliRunner().invoke(app, ["viz", "-d", str(VIEWS), "-o", str(tmp_path / "no" / "page.html")])
    assert result.exit_code == 2 and "the folder" in result.output and "does not exist" in result.output
    result = CliRunner().invoke(app, ["viz", "-d", str(VIEWS), "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")


def test_python_api_checks_what_the_command_line_checks() -> None:
    g = coopgraph.open(VIEWS)
    assert g.view(home="jp").home == "JP"
    assert [o.id for o in g.view(country=["jp"]).organizations] == ["org-c"]
    with pytest.raises(coopgraph.errors.UsageError, match="--lang: 'fr' is not one of en, vi"):
        g.viz(lang="fr")
    with pytest.raises(coopgraph.errors.UsageError, match="no organization is left by these filters"):
        g.viz(since="2030")


def test_open_hands_the_written_file_to_the_web_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    out, _ = viz(tmp_path, "-d", str(VIEWS), "--open")
    assert opened == [out.resolve().as_uri()]


def test_a_page_is_made_without_the_plotting_and_pyvis_modules(tmp_path: Path) -> None:
    """The page needs igraph's layout, not its drawing code (which imports matplotlib.pyplot), and
    pyvis's copy of vis-network, not its Network class; the images still get matplotlib afterwards."""
    script = (
        "import sys, coopgraph\n"
        f"coopgraph.open({str(VIEWS)!r}).viz(focus='org-d', depth=2).save({str(tmp_path / 'page.html')!r})\n"
        "print(sorted(m for m in ('igraph', 'matplotlib', 'matplotlib.pyplot', 'pyvis', 'pyvis.network')"
        " if m in sys.modules))\n"
        "import matplotlib.pyplot\n"
        "print(matplotlib.pyplot.figure.__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["['igraph']", "figure"]
    assert (tmp_path / "page.html").read_text("utf-8").startswith("<!DOCTYPE html>")
