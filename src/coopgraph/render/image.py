"""Views and charts as static images (PNG, SVG, PDF) for briefings, drawn with matplotlib.

The network image draws the same view as the page of ``coopgraph viz``, at the same
seeded positions, in the same colours (type), shapes (domestic, foreign, no country)
and sizes (partners). Names are placed best-connected first, where they fit: a name
that would cover another is left out, never drawn over it.

Text is set in DejaVu Sans, which matplotlib ships (it covers Vietnamese); nothing is
fetched. Text from the data is drawn as plain text: mathtext (``$...$``) is off, and
in SVG files it is written as escaped ``<text>`` (so it can be searched and copied).
The files are reproducible: no creation date is stamped (``SOURCE_DATE_EPOCH`` sets
the date in the footer).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopgraph.errors import UsageError
from coopgraph.layout import positions
from coopgraph.network import pick
from coopgraph.render import caption, style
from coopgraph.view import View

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS = ("png", "svg", "pdf")
CHARTS = ("network", "countries", "kinds", "years")
DEFAULT_SIZE = (12.0, 8.0)  # inches
DEFAULT_DPI = 150
MAX_PIXELS = 100_000_000  # 10,000 x 10,000
FONT = "DejaVu Sans"
RC: Any = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "svg.fonttype": "none",  # text stays text in SVG
    "svg.hashsalt": "coopgraph",  # stable ids in SVG
    "pdf.fonttype": 42,  # TrueType in PDF: every Vietnamese letter, selectable
    "text.usetex": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
METADATA = {
    "png": {"Software": "coopgraph"},
    "svg": {"Date": None, "Creator": "coopgraph"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "coopgraph", "Producer": "coopgraph"},
}
LABEL_SIZE = 7.5  # points
ALWAYS_NAMED = 10  # the best-connected organizations are named even over other nodes
MAX_LABEL = 32  # characters


def image_format(path: str, fmt: str | None = None) -> str:
    """The format of an image file: ``fmt`` if given, else the file's extension.

    >>> image_format("briefing/network.PNG"), image_format("-", "svg")
    ('png', 'svg')
    >>> image_format("network.jpg")
    Traceback (most recent call last):
    coopgraph.errors.UsageError: network.jpg: an image is .png, .svg or .pdf (or say which with --format)
    """
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    chosen = (fmt or (name.rsplit(".", 1)[-1] if "." in name else "")).lower()
    if chosen not in FORMATS:
        if fmt:
            raise UsageError(f"--format: '{fmt}' is not one of {', '.join(FORMATS)}")
        raise UsageError(f"{path}: an image is .png, .svg or .pdf (or say which with --format)")
    return chosen


def parse_size(text: str) -> tuple[float, float]:
    """``WIDTHxHEIGHT`` in inches.

    >>> parse_size("16x9"), parse_size("8.5X11")
    ((16.0, 9.0), (8.5, 11.0))
    >>> parse_size("big")
    Traceback (most recent call last):
    coopgraph.errors.UsageError: --size: 'big' is not WIDTHxHEIGHT in inches (e.g. 12x8)
    """
    width, sep, height = text.lower().partition("x")
    try:
        size = (float(width), float(height))
    except ValueError:
        size = (math.nan, math.nan)
    if not sep or not all(math.isfinite(s) for s in size):
        raise UsageError(f"--size: '{text}' is not WIDTHxHEIGHT in inches (e.g. 12x8)")
    if not all(1 <= s <= 100 for s in size):
        raise UsageError(f"--size: '{text}' is out of range: each side is 1 to 100 inches")
    return size


def check_canvas(size: tuple[float, float], dpi: int) -> None:
    """Refuse a canvas that would not fit in memory: at most ``MAX_PIXELS`` pixels."""
    if not 30 <= dpi <= 1200:
        raise UsageError(f"--dpi: {dpi} is out of range (30 to 1200)")
    pixels = size[0] * dpi * size[1] * dpi
    if pixels > MAX_PIXELS:
        raise UsageError(
            f"--size {size[0]:g}x{size[1]:g} at --dpi {dpi} is {pixels / 1e6:.0f} million pixels; "
            f"the most is {MAX_PIXELS // 1_000_000} million"
        )


def _figure(size: tuple[float, float], dpi: int) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=dpi, facecolor="white", layout="constrained")
    FigureCanvasAgg(fig)  # measures text for the label placement
    return fig


def _plain(artist: Any) -> Any:
    """Text drawn as given: no mathtext from a ``$`` in the data."""
    artist.set_parse_math(False)
    return artist


def _frame(fig: Figure, title: str, footer: str, *, beside: float = 0.0) -> Axes:
    """Title on top and footer at the bottom, wrapped to the width; the layout makes room for both.

    ``beside`` is the share of the width kept clear of the title on the right (for a legend there).
    """
    width = fig.get_figwidth() * 72  # points
    heading = _lines(title, max(20, int(width * (1 - beside) / (15 * 0.7))), 3)
    lines = _lines(footer, max(40, int(width / (6.5 * 0.6))), 8)
    _plain(fig.suptitle("\n".join(heading), x=0.01, ha="left", fontsize=15, fontweight="bold"))
    _plain(fig.supxlabel("\n".join(lines), x=0.01, ha="left", fontsize=6.5, color="#444444"))
    return fig.add_subplot()


def _lines(text: str, width: int, most: int) -> list[str]:
    """``text`` wrapped to ``width`` characters, in at most ``most`` lines; a cut says so with "…".

    >>> _lines("one two three four", 8, 2)
    ['one two', 'three …']
    """
    lines = textwrap.wrap(text, width)
    if len(lines) > most:
        lines = [*lines[: most - 1], textwrap.shorten(" ".join(lines[most - 1 :]), width, placeholder=" …")]
    return lines


def _wrap(text: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


class _Taken:
    """Boxes already drawn on the canvas (display pixels), bucketed in a grid so a check looks only nearby."""

    def __init__(self, cell: float = 64.0) -> None:
        self.cell = cell
        self.grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
        x0, y0, x1, y1 = (int(v // self.cell) for v in box)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def add(self, box: tuple[float, float, float, float]) -> None:
        for key in self._cells(box):
            self.grid.setdefault(key, []).append(box)

    def hits(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        return any(
            x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1
            for key in self._cells(box)
            for b in self.grid.get(key, ())
        )


def _place_labels(
    fig: Figure, ax: Axes, spots: list[tuple[str, float, float, float]], limit: int | None, marks: list[Any]
) -> int:
    """Names at their nodes, best first, never over another name, and inside the axes.

    ``spots`` are (text, x, y, node radius in points); ``marks`` are the nodes' (x, y,
    radius). The first ``ALWAYS_NAMED`` names (the best connected) may cover other
    nodes, so that the hubs are named even in a crowded middle; the others go only
    where they cover no node. Each name tries four places around its node; a name
    that fits nowhere is left out. Returns how many were placed.
    """
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    scale = fig.dpi / 72
    to_pixels = ax.transData.transform
    font = FontProperties(family=FONT, size=LABEL_SIZE)
    pad = 0.2 * LABEL_SIZE * scale  # the white box around a name, and a little air
    nodes, names = _Taken(), _Taken()
    for x, y, radius in marks:
        px, py = to_pixels((x, y))
        r = radius * scale * 0.85  # a name may touch the rim of a node, not cover it
        nodes.add((px - r, py - r, px + r, py + r))
    placed = 0
    for rank, (text, x, y, radius) in enumerate(spots):
        if limit is not None and placed >= limit:
            break
        px, py = to_pixels((x, y))
        gap = (radius + 2) * scale
        keep_clear = [names] if rank < ALWAYS_NAMED else [names, nodes]

        def free(box: tuple[float, float, float, float], clear: list[_Taken] = keep_clear) -> bool:
            return not any(t.hits(box) for t in clear)

        # A quick look with a small box first: in a crowded place no text needs measuring.
        small = LABEL_SIZE * scale * min(2.0, 0.5 * len(text))
        tall = LABEL_SIZE * scale * 0.8  # smaller than any name's box, so no free place is missed
        if not any(free(_box((px, py), gap, (dx, dy), (small, tall), pad)) for dx, dy, _, _ in SIDES):
            continue
        # Measured once, and the four places computed: no drawing until a place is free.
        width, height, _ = renderer.get_text_width_height_descent(text, font, ismath=False)
        for dx, dy, ha, va in SIDES:
            box = _box((px, py), gap, (dx, dy), (width, height), pad)
            inside = frame.x0 <= box[0] and box[2] <= frame.x1 and frame.y0 <= box[1] and box[3] <= frame.y1
            if inside and free(box):
                names.add(box)
                placed += 1
                label = ax.annotate(
                    text,
                    (x, y),
                    xytext=(dx * (radius + 2), dy * (radius + 2)),
                    textcoords="offset points",
                    ha=ha,
                    va=va,
                    fontsize=LABEL_SIZE,
                    color="#111111",
                    annotation_clip=False,
                    zorder=4,
                    bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75},
                )
                _plain(label)
                break
    return placed


def _box(
    at: tuple[float, float], gap: float, side: tuple[int, int], size: tuple[float, float], pad: float
) -> tuple[float, float, float, float]:
    """The box (pixels) of a name of ``size`` placed ``gap`` away from ``at`` on ``side`` (a ``SIDES``
    pair), grown by ``pad`` all round."""
    (px, py), (dx, dy), (width, height) = at, side, size
    left = px + gap if dx > 0 else px - gap - width if dx < 0 else px - width / 2
    bottom = py + gap if dy > 0 else py - gap - height if dy < 0 else py - height / 2
    return (left - pad, bottom - pad, left + width + pad, bottom + height + pad)


#: Where a name goes around its node, in the order tried: right, left, above, below.
SIDES = ((1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"), (0, -1, "center", "top"))


def network_figure(
    view: View,
    *,
    lang: str = "en",
    title: str = "coopgraph",
    footer: str = "",
    size: tuple[float, float] = DEFAULT_SIZE,
    dpi: int = DEFAULT_DPI,
    labels: int | None = None,
) -> Figure:
    """The view drawn as on its page: the same positions, colours, shapes and sizes; ``labels`` names at most."""
    import matplotlib as mpl
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    w = style.words(lang)
    g, coop = view.graph, view.coop
    pos = positions(g, seed=1)
    with mpl.rc_context(RC):
        fig = _figure(size, dpi)
        ax = _frame(fig, title, footer, beside=0.22)
        ax.set_axis_off()
        xy = {n: (x, -y) for n, (x, y) in pos.items()}  # the page's y grows downwards
        ax.set_aspect("equal", adjustable="datalim")
        ax.margins(0.04)

        n = max(g.number_of_nodes(), 1)
        big = min(34.0, 150 / math.sqrt(n) + 4)  # the largest marker's diameter (points) shrinks as nodes add up
        most = max([view.partners.get(o.iri, 0) for o in view.organizations] + [1])

        def diameter(org_iri: str) -> float:
            return max(3.0, big * (0.35 + 0.65 * math.sqrt(view.partners.get(org_iri, 0) / most)))

        segments, widths = [], []
        for a, b, data in g.edges(data=True):
            segments.append((xy[a], xy[b]))
            widths.append(0.4 + 0.8 * math.log2(data.get("weight", 1)) if view.mode == "network" else 0.5)
        thin = 0.5 if n > 500 else 1.0
        ax.add_collection(
            LineCollection(
                segments, linewidths=[x * thin for x in widths], colors=style.EDGE_COLOUR, alpha=0.6, zorder=1
            )
        )
        groups: dict[tuple[str, str], list[str]] = {}
        for org in view.organizations:
            groups.setdefault((style.SCOPE_SHAPES[view.scope(org)], style.type_colour(org.type)), []).append(org.iri)
        for (shape, colour), members in sorted(groups.items()):
            ax.scatter(
                [xy[m][0] for m in members],
                [xy[m][1] for m in members],
                s=[diameter(m) ** 2 for m in members],
                marker=style.MARKERS[shape],
                c=colour,
                edgecolors="#333333",
                linewidths=0.5,
                zorder=3,
            )
        if view.mode == "activities":
            for cls, colour in style.CLASS_COLOURS.items():
                members = [a.iri for a in view.activities if a.cls == cls]
                ax.scatter(
                    [xy[m][0] for m in members],
                    [xy[m][1] for m in members],
                    s=(big * 0.3) ** 2,
                    marker=style.MARKERS[style.ACTIVITY_SHAPE],
                    c=colour,
                    edgecolors="#333333",
                    linewidths=0.4,
                    zorder=2,
                )

        ranked = sorted(
            view.organizations, key=lambda o: (o.iri != view.filters.focus, -view.partners.get(o.iri, 0), o.iri)
        )
        spots = [
            (caption.short(pick(o.labels, lang) or o.id, MAX_LABEL), *xy[o.iri], diameter(o.iri) / 2) for o in ranked
        ]

        handles = []
        types = Counter(o.type for o in view.organizations)
        for code in sorted(types, key=lambda t: (-types[t], t or "")):
            name = coop.label_of("organization-type", code, lang) if code else "?"
            handles.append(
                Line2D([], [], ls="", marker="o", ms=8, mfc=style.type_colour(code), mec="#333", label=_wrap(name))
            )
        scopes = Counter(view.scope(o) for o in view.organizations)
        for scope in ("domestic", "foreign", "unknown"):
            if scopes[scope]:
                text = w[scope].format(home=view.home or "")
                marker = style.MARKERS[style.SCOPE_SHAPES[scope]]
                handles.append(Line2D([], [], ls="", marker=marker, ms=8, mfc="white", mec="#333", label=_wrap(text)))
        if view.mode == "activities":
            for cls, colour in style.CLASS_COLOURS.items():
                handles.append(Line2D([], [], ls="", marker="s", ms=7, mfc=colour, mec="#333", label=cls))
            handles.append(Line2D([], [], color=style.EDGE_COLOUR, lw=1, label=_wrap(w["participation"])))
        else:
            handles.append(Line2D([], [], color=style.EDGE_COLOUR, lw=2, label=_wrap(w["link"])))
        handles.append(Line2D([], [], ls="", marker="o", ms=4, mfc="#ccc", mec="#333", label=_wrap(w["size"])))
        legend = fig.legend(
            handles=handles,
            loc="outside right upper",
            fontsize=7.5,
            frameon=False,
            title=w["legend"],
            title_fontsize=9,
            alignment="left",
        )
        for entry in legend.get_texts():
            _plain(entry)
        fig.draw_without_rendering()  # lay out title, legend, footer and axes once, then keep them there
        fig.set_layout_engine("none")
        ax.apply_aspect()  # the final data-to-pixel transform, before names are measured
        marks = [(*xy[o.iri], diameter(o.iri) / 2) for o in view.organizations]
        _place_labels(fig, ax, spots, labels, marks)
    return fig


def _more(hidden: int, words: dict[str, str]) -> str:
    return f" — {words['hidden'].format(n=hidden)}" if hidden > 0 else ""


def _bars(ax: Axes, names: list[str], values: list[int], colours: list[str], xlabel: str) -> None:
    from matplotlib.ticker import MaxNLocator

    rows = list(range(len(names)))[::-1]
    ax.barh(rows, values, color=colours, edgecolor="#333333", linewidth=0.4)
    ax.set_yticks(rows, [caption.short(n, 40) for n in names])
    for t in ax.get_yticklabels():
        _plain(t)
    for row, value in zip(rows, values, strict=True):
        ax.annotate(f"{value}", (value, row), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.08)


def chart_figure(
    table: list[dict[str, Any]],
    chart: str,
    *,
    lang: str = "en",
    title: str = "coopgraph",
    footer: str = "",
    size: tuple[float, float] = (10.0, 6.0),
    dpi: int = DEFAULT_DPI,
    rows: int = 20,
) -> Figure:
    """A chart of one table of figures, in the shape of ``coopgraph.stats.Stats``: ``countries``
    (organizations per country), ``kinds`` (activities per kind) or ``years`` (activities per class and year).
    """
    import matplotlib as mpl
    from matplotlib.ticker import MaxNLocator

    words = CHART_WORDS[lang] if lang in CHART_WORDS else CHART_WORDS["en"]
    w = style.words(lang)
    with mpl.rc_context(RC):
        fig = _figure(size, dpi)
        if chart in ("countries", "kinds"):
            ax = _frame(fig, title, footer)
            shown = table[:rows]
            if chart == "countries":
                names = [r["label"] or r["country"] or w["unknown"] for r in shown]
                values = [r["organizations"] for r in shown]
                colours = ["#4477AA" if r["country"] else style.UNKNOWN_COLOUR for r in shown]
                unit = words["organizations"]
            else:
                names = [r["label"] or r["class"] for r in shown]
                values = [r["activities"] for r in shown]
                colours = [style.CLASS_COLOURS.get(r["class"], style.UNKNOWN_COLOUR) for r in shown]
                unit = words["activities"]
            _bars(ax, names, values, colours, unit)
            _plain(ax.set_title(words[chart] + _more(len(table) - len(shown), words), loc="left", fontsize=11))
        elif chart == "years":
            ax = _frame(fig, title, footer)
            dated = [r for r in table if r["year"] is not None]
            undated = sum(r["activities"] for r in table if r["year"] is None)
            years = list(range(dated[0]["year"], dated[-1]["year"] + 1)) if dated else []
            by_year = {r["year"]: r for r in dated}
            bottom = [0] * len(years)
            for cls, plural in (("agreement", "agreements"), ("project", "projects"), ("exchange", "exchanges")):
                heights = [by_year[y][plural] if y in by_year else 0 for y in years]
                ax.bar(
                    years,
                    heights,
                    bottom=bottom,
                    color=style.CLASS_COLOURS[cls],
                    edgecolor="#333333",
                    linewidth=0.4,
                    label=words[plural],
                )
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
            ax.set_ylabel(words["activities"])
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.legend(frameon=False, fontsize=8, loc="upper left")
            heading = words["years"] + (f" — {words['undated'].format(n=undated)}" if undated else "")
            _plain(ax.set_title(heading, loc="left", fontsize=11))
        else:
            raise UsageError(f"--chart: '{chart}' is not one of {', '.join(CHARTS)}")
    return fig


#: The words of the charts, per language.
CHART_WORDS = {
    "en": {
        "organizations": "organizations",
        "activities": "activities",
        "countries": "Organizations by country",
        "kinds": "Activities by kind",
        "years": "Activities by year (of their date or start)",
        "undated": "{n} without a date are not shown",
        "hidden": "{n} more not shown",
        "agreements": "agreements",
        "projects": "projects",
        "exchanges": "exchanges",
    },
    "vi": {
        "organizations": "tổ chức",
        "activities": "hoạt động",
        "countries": "Tổ chức theo quốc gia",
        "kinds": "Hoạt động theo loại hình",
        "years": "Hoạt động theo năm (ngày diễn ra hoặc bắt đầu)",
        "undated": "{n} hoạt động không rõ thời gian không được thể hiện",
        "hidden": "{n} mục khác không được thể hiện",
        "agreements": "thỏa thuận",
        "projects": "dự án",
        "exchanges": "trao đổi",
    },
}


def image_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as a file's bytes, drawn whole in memory (so nothing half-drawn is written)."""
    import matplotlib as mpl

    out = io.BytesIO()
    with mpl.rc_context(RC):
        fig.savefig(out, format=fmt, metadata=METADATA[fmt], facecolor="white")
    return out.getvalue()


IMAGE_LIMIT = 2000  # above this many nodes, a network image is cut (see coopgraph.view)
IMAGE_LINKS = 10000  # above this many links, a network image keeps its backbone and strongest links


@dataclass
class Image:
    """A drawn figure and the view it shows. Jupyter displays it as PNG."""

    figure: Figure
    view: View

    def save(self, path: str | Path, fmt: str | None = None) -> None:
        """Write the image (format from the extension, or ``fmt``), whole or not at all; ``-`` is standard output."""
        from coopgraph.output import write_bytes

        write_bytes(path, image_bytes(self.figure, image_format(str(path), fmt)))

    def _repr_png_(self) -> bytes:
        return image_bytes(self.figure, "png")


def draw(
    view: View,
    chart: str = "network",
    *,
    lang: str = "en",
    title: str | None = None,
    dataset: dict[str, Any] | None = None,
    size: tuple[float, float] | None = None,
    dpi: int = DEFAULT_DPI,
    labels: int | None = None,
) -> Image:
    """The image of a view: the network, or one of the charts of its figures."""
    from coopgraph.stats import compute

    if chart not in CHARTS:
        raise UsageError(f"--chart: '{chart}' is not one of {', '.join(CHARTS)}")
    if chart != "network" and view.mode != "network":
        raise UsageError(f"--chart {chart} counts the network view; leave out --mode {view.mode}")
    size = size or (DEFAULT_SIZE if chart == "network" else (10.0, 6.0))
    check_canvas(size, dpi)
    heading = caption.title_of(dataset, lang, title)
    footer = caption.footer_line(caption.footer(view, lang, dataset, drawn_with="matplotlib"), lang)
    if chart == "network":
        fig = network_figure(view, lang=lang, title=heading, footer=footer, size=size, dpi=dpi, labels=labels)
    else:
        stats = compute(view, lang, centrality=False)
        fig = chart_figure(stats.table(chart), chart, lang=lang, title=heading, footer=footer, size=size, dpi=dpi)
    return Image(fig, view)
