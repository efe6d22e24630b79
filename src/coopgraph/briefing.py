"""The briefing pack of ``coopgraph report``: one folder with a Markdown file, an HTML page and the images.

Every number in it comes from a named query (``coopgraph query --name NAME``), run on
the whole dataset, or, for the network metrics (betweenness, communities), from
``coopgraph stats``, which computes them over the pairs that ``cooperation-pairs``
lists. Each table says which. The charts are drawn from the same rows as the
tables beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopgraph import metrics
from coopgraph.errors import UsageError
from coopgraph.network import pick
from coopgraph.render import caption, image
from coopgraph.results import escape_markdown, markdown

if TYPE_CHECKING:
    from coopgraph.api import CoopGraph

TOP = 10  # rows of the hub and broker tables
IMAGES = ("network", "countries", "kinds", "years")

WORDS = {
    "en": {
        "report": "Briefing",
        "made": "Made with coopgraph {version} on {date} from {records} records.",
        "key": "Key figures",
        "organizations": "organizations",
        "activities": "activities",
        "agreements": "agreements",
        "projects": "projects",
        "exchanges": "exchanges",
        "pairs": "pairs of organizations that cooperate",
        "countries": "countries",
        "sources": "sources",
        "network": "Who cooperates with whom",
        "network-note": "Colour: type of organization; shape: domestic, foreign, or country not recorded; "
        "size: number of partners; lines: shared activities.",
        "hubs": "Hubs: the organizations with the most partners",
        "brokers": "Brokers: the organizations on the most shortest paths between others (betweenness)",
        "brokers-note": "Betweenness is computed over the pairs that coopgraph query --name cooperation-pairs "
        "lists; organizations on no such path are left out.",
        "exact": "It is exact.",
        "sampled": "It is estimated from {n} sources, sampled with a fixed seed.",
        "communities": "Communities",
        "communities-text": "{n} communities (Louvain, modularity {q}); {c} connected components, "
        "the largest with {big} of the {orgs} organizations that share an activity with another.",
        "community": "community",
        "size": "organizations",
        "members": "best connected members",
        "by-country": "Organizations by country",
        "by-type": "Organizations by type",
        "by-kind": "Activities by kind",
        "by-year": "Activities by year",
        "by-year-note": "The year of the activity's date, or of its start; '—' for none.",
        "source": "Source",
        "query": "named query",
        "stats": "computed by",
        "reproduce": "Reproduce these figures",
        "rank": "rank",
        "organization": "organization",
        "partners": "partners",
        "betweenness": "betweenness",
        "country": "country",
        "type": "type",
        "class": "class",
        "kind": "kind",
        "year": "year",
        "links": "links",
        "none": "—",
        "data-sources": "Data sources",
    },
    "vi": {
        "report": "Báo cáo tóm tắt",
        "made": "Tạo bằng coopgraph {version} ngày {date} từ {records} bản ghi.",
        "key": "Số liệu chính",
        "organizations": "tổ chức",
        "activities": "hoạt động",
        "agreements": "thỏa thuận",
        "projects": "dự án",
        "exchanges": "trao đổi",
        "pairs": "cặp tổ chức có hợp tác",
        "countries": "quốc gia",
        "sources": "nguồn",
        "network": "Ai hợp tác với ai",
        "network-note": "Màu: loại hình tổ chức; hình: trong nước, nước ngoài hoặc chưa ghi quốc gia; "
        "kích thước: số đối tác; đường nối: hoạt động chung.",
        "hubs": "Trung tâm: các tổ chức có nhiều đối tác nhất",
        "brokers": "Cầu nối: các tổ chức nằm trên nhiều đường ngắn nhất giữa các tổ chức khác (độ trung gian)",
        "brokers-note": "Độ trung gian được tính trên các cặp do coopgraph query --name cooperation-pairs "
        "liệt kê; các tổ chức không nằm trên đường nào được bỏ qua.",
        "exact": "Giá trị được tính chính xác.",
        "sampled": "Giá trị được ước lượng từ {n} nguồn, chọn mẫu với hạt giống cố định.",
        "communities": "Cộng đồng",
        "communities-text": "{n} cộng đồng (Louvain, độ mô-đun {q}); {c} thành phần liên thông, "
        "lớn nhất gồm {big} trong số {orgs} tổ chức có hoạt động chung với tổ chức khác.",
        "community": "cộng đồng",
        "size": "tổ chức",
        "members": "thành viên có nhiều liên kết nhất",
        "by-country": "Tổ chức theo quốc gia",
        "by-type": "Tổ chức theo loại hình",
        "by-kind": "Hoạt động theo loại hình",
        "by-year": "Hoạt động theo năm",
        "by-year-note": "Năm của ngày diễn ra hoặc ngày bắt đầu; '—' nếu không có.",
        "source": "Nguồn số liệu",
        "query": "truy vấn",
        "stats": "tính bằng",
        "reproduce": "Tái tạo các số liệu",
        "rank": "hạng",
        "organization": "tổ chức",
        "partners": "đối tác",
        "betweenness": "độ trung gian",
        "country": "quốc gia",
        "type": "loại hình",
        "class": "nhóm",
        "kind": "loại hình",
        "year": "năm",
        "links": "liên kết",
        "none": "—",
        "data-sources": "Nguồn dữ liệu",
    },
}


@dataclass
class Table:
    """One table of the report, with the command that gives its numbers."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]]
    source: str  # the command that reproduces the numbers
    image: str | None = None
    note: str = ""


@dataclass
class Briefing:
    lang: str
    title: str
    made: str
    key_figures: list[tuple[str, str]]
    tables: list[Table]
    communities: str
    sources: list[str]
    images: dict[str, bytes] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)


def _int(value: Any) -> int:
    return int(value) if value not in (None, "") else 0


def _cmd(name: str, lang: str, **params: Any) -> str:
    extra = "".join(f" --param {k}={v}" for k, v in params.items())
    return f"coopgraph query --name {name}{extra}" + (f" --param lang={lang}" if lang != "en" else "")


def compose(g: CoopGraph, lang: str = "en", title: str | None = None, dpi: int = image.DEFAULT_DPI) -> Briefing:
    """The report of the whole dataset in ``lang``: figures from the named queries, images drawn from them."""
    from coopgraph import __version__
    from coopgraph.render.style import LANGUAGES

    if lang not in LANGUAGES:
        raise UsageError(f"--lang: '{lang}' is not one of {', '.join(LANGUAGES)}")
    w = WORDS[lang]
    about = g.about()
    heading = caption.title_of(about, lang, title)
    none = w["none"]

    summary = g.rows("summary")[0]
    key_figures = [
        (w[name], summary[name])
        for name in ("organizations", "activities", "agreements", "projects", "exchanges", "pairs", "countries")
    ]
    stats = g.stats(lang=lang)
    by_id = {row["id"]: row for row in stats.organizations}
    hubs = g.rows("hubs", limit=TOP, lang=lang)
    tables = [
        Table(
            "hubs",
            w["hubs"],
            [w["rank"], w["organization"], w["partners"], w["activities"]],
            [[r["rank"], r["label"] or r["organization"], r["partners"], r["activities"]] for r in hubs],
            _cmd("hubs", lang, limit=TOP),
        )
    ]
    how_betweenness = w["exact"] if stats.summary["betweenness"] == "exact" else w["sampled"].format(n=metrics.PIVOTS)
    brokers = sorted(
        (r for r in stats.organizations if r["betweenness"] > 0), key=lambda r: (-r["betweenness"], r["rank"], r["id"])
    )[:TOP]
    tables.append(
        Table(
            "brokers",
            w["brokers"],
            [w["organization"], w["betweenness"], w["partners"], w["community"]],
            [[r["label"], f"{r['betweenness']:.3f}", str(r["partners"]), str(r["community"])] for r in brokers],
            "coopgraph stats --table organizations" + (f" --lang {lang}" if lang != "en" else ""),
            note=w["brokers-note"] + " " + how_betweenness,
        )
    )
    groups: dict[int, list[dict[str, Any]]] = {}
    for row in stats.organizations:
        groups.setdefault(row["community"], []).append(row)
    tables.append(
        Table(
            "communities",
            w["communities"],
            [w["community"], w["size"], w["members"]],
            [
                [str(n), str(len(members)), "; ".join(m["label"] for m in members[:3])]
                for n, members in sorted(groups.items())
            ],
            "coopgraph stats --table organizations" + (f" --lang {lang}" if lang != "en" else ""),
        )
    )
    s = stats.summary
    communities_text = w["communities-text"].format(
        n=s["communities"], q=f"{s['modularity']:.2f}", c=s["components"], big=s["largest_component"], orgs=len(by_id)
    )

    countries = g.rows("partners-by-country", lang=lang)
    country_rows = [
        {"country": r["country"], "label": r["countryLabel"], "organizations": _int(r["organizations"])}
        for r in countries
    ]
    tables.append(
        Table(
            "countries",
            w["by-country"],
            [w["country"], w["organizations"], w["links"], w["activities"]],
            [
                [r["countryLabel"] or r["country"] or none, r["organizations"], r["links"], r["activities"] or "0"]
                for r in countries
            ],
            _cmd("partners-by-country", lang),
            image="countries",
        )
    )
    types = g.rows("organizations-by-type", lang=lang)
    tables.append(
        Table(
            "types",
            w["by-type"],
            [w["type"], w["organizations"], w["countries"], w["activities"]],
            [[r["typeLabel"] or r["type"], r["organizations"], r["countries"], r["activities"]] for r in types],
            _cmd("organizations-by-type", lang),
        )
    )
    kinds = g.rows("activities-by-kind", lang=lang)
    kind_rows = [
        {"class": r["class"], "label": r["kindLabel"] or r["kind"], "activities": _int(r["activities"])} for r in kinds
    ]
    tables.append(
        Table(
            "kinds",
            w["by-kind"],
            [w["class"], w["kind"], w["activities"], w["organizations"]],
            [
                [w[r["class"] + "s"], r["kindLabel"] or r["kind"] or none, r["activities"], r["organizations"]]
                for r in kinds
            ],
            _cmd("activities-by-kind", lang),
            image="kinds",
        )
    )
    years = g.rows("cooperation-by-year")
    year_rows = [
        {
            "year": _int(r["year"]) if r["year"] else None,
            **{k: _int(r[k]) for k in ("activities", "agreements", "projects", "exchanges")},
        }
        for r in years
    ]
    tables.append(
        Table(
            "years",
            w["by-year"],
            [w["year"], w["activities"], w["agreements"], w["projects"], w["exchanges"], w["organizations"]],
            [
                [r["year"] or none, r["activities"], r["agreements"], r["projects"], r["exchanges"], r["organizations"]]
                for r in years
            ],
            _cmd("cooperation-by-year", "en"),
            image="years",
            note=w["by-year-note"],
        )
    )

    view = g.view("network", limit=image.IMAGE_LIMIT)
    footer = caption.footer_line(caption.footer(view, lang, about, drawn_with="matplotlib"), lang)
    pictures = {"network": image.network_figure(view, lang=lang, title=heading, footer=footer, dpi=dpi)}
    for chart, rows in (("countries", country_rows), ("kinds", kind_rows), ("years", year_rows)):
        pictures[chart] = image.chart_figure(rows, chart, lang=lang, title=heading, footer=footer, dpi=dpi)
    images = {f"{name}.png": image.image_bytes(fig, "png") for name, fig in pictures.items()}
    commands = [
        "coopgraph query --name summary",
        *(t.source for t in tables),
        f"coopgraph render -o network.png --lang {lang}",
    ]
    return Briefing(
        lang=lang,
        title=heading,
        made=w["made"].format(version=__version__, date=caption.build_date().isoformat(), records=about["records"]),
        key_figures=key_figures,
        tables=tables,
        communities=communities_text,
        sources=[caption.source_text(view.coop, s, lang) for s in sorted(view.coop.sources)],
        images=images,
        commands=list(dict.fromkeys(commands)),
    )


def to_markdown(b: Briefing) -> str:
    """The report as Markdown: every text from the data escaped, the images beside it by file name."""
    w = WORDS[b.lang]
    e = escape_markdown
    out = [f"# {e(b.title)}", "", f"*{e(b.made)}*", "", f"## {w['key']}", ""]
    out += [f"- **{value}** {e(label)}" for label, value in b.key_figures]
    out += ["", f"*{w['source']}: `coopgraph query --name summary`*", ""]
    out += [f"## {w['network']}", "", f"![{e(w['network'])}](network.png)", "", e(w["network-note"]), ""]
    for t in b.tables:
        out += [f"## {e(t.title)}", ""]
        if t.key == "communities":
            out += [e(b.communities), ""]
        if t.image:
            out += [f"![{e(t.title)}]({t.image}.png)", ""]
        out += [markdown(t.header, t.rows), ""]
        if t.note:
            out += [f"{e(t.note)}", ""]
        out += [f"*{w['source']}: `{t.source}`*", ""]
    out += [f"## {w['data-sources']}", ""] + [f"- {e(s)}" for s in b.sources] + [""]
    out += [f"## {w['reproduce']}", "", "```sh", *b.commands, "```", ""]
    return "\n".join(out)


def to_html(b: Briefing) -> str:
    """The report as one HTML page (Jinja, autoescaped; no script; the images beside it by file name)."""
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("coopgraph", "render/templates"), autoescape=True)
    return env.get_template("report.html").render(b=b, w=WORDS[b.lang], pick=pick)


def write(b: Briefing, folder: str | Path) -> list[Path]:
    """Write the report into ``folder`` (made if missing; its parent must exist); each file replaced whole.

    Returns the files written.
    """
    from coopgraph.output import write_bytes

    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{folder}: the report is a folder; this is a file")
    if not target.parent.is_dir():
        raise UsageError(f"{folder}: the folder {target.parent} does not exist")
    files = {"report.md": to_markdown(b).encode("utf-8"), "report.html": to_html(b).encode("utf-8"), **b.images}
    target.mkdir(exist_ok=True)
    written = []
    for name, data in files.items():
        write_bytes(target / name, data)
        written.append(target / name)
    return written
