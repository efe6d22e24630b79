"""A view as one self-contained HTML page: vis-network (from pyvis) with our panel, legend and tooltips.

Our Jinja template (``templates/viz.html``) is rendered with jinja2 itself: the nodes,
edges and options are plain data, so no pyvis ``Network`` is built (its per-node
bookkeeping is slow at thousands of nodes). The page needs no network: vis-network's
script, which pyvis ships in its templates folder, and ours are inline, and nothing
else is loaded. Text from the data reaches the page in two ways: as JSON in
``<script type="application/json">`` blocks (``<``, ``>``, ``&`` and ``'`` escaped;
each text once, referred to by its place: see ``payload``), which the page's script
puts on screen with ``textContent`` or draws on the canvas, never parsed as HTML; and
in the title and footer, written by Jinja with autoescaping.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from coopgraph.layout import positions
from coopgraph.network import Activity, Organization, pick
from coopgraph.render import caption, style
from coopgraph.render.caption import short, source_text, title_of
from coopgraph.view import View

PHYSICS_LIMIT = 500  # above this many nodes, positions are computed here and physics is off
DEFAULT_LIMIT = 5000  # above this many nodes, a view is cut (see coopgraph.view)
DEFAULT_LINKS = 20000  # above this many links, a view keeps its backbone and strongest links
VIS = "lib/vis-9.1.2/vis-network.min.js"  # in pyvis's templates folder


def _dates(act: Activity, lang: str) -> str:
    w = style.words(lang)
    if act.start or act.end:
        text = f"{act.start or '…'} – {act.end or w['ongoing']}"
        return f"{act.date}; {text}" if act.date else text
    return act.date or w["no-date"]


def _role(view: View, role: str | None, lang: str) -> str:
    if role is None:  # the source names no role
        return style.words(lang)["participant"]
    return view.coop.label_of("role", role, lang)


def payload(view: View, lang: str) -> dict[str, Any]:
    """Everything the page's script draws, as JSON-ready data (the data's text untouched: it is escaped
    on output). The title and the footer are not in it: the template writes them.

    A big view's page is mostly its tables, so each thing is written once and referred to
    by its place: ``nodes`` (organizations first, in the order of ``orgs``), ``acts``,
    ``sources``, ``roles`` and ``kinds`` are lists; an edge is ``[from node, to node,
    [activities]]`` (and its weight in the ``network`` mode); an activity is ``[label,
    kind, dates, first year, last year, participants, [sources], [organization, role,
    organization, role, ...]]``. The page's script turns them back into objects. An
    organization's activities and labels are not written: the script finds them in the
    activities' roles and in the ``types`` and ``countries`` tables.
    """
    coop = view.coop
    w = style.words(lang)
    big = view.graph.number_of_nodes() > PHYSICS_LIMIT
    pos = positions(view.graph, seed=1)
    org_at = {o.iri: n for n, o in enumerate(view.organizations)}
    act_at = {a.iri: n for n, a in enumerate(view.activities)}
    node_at = org_at | ({a: len(org_at) + n for a, n in act_at.items()} if view.mode == "activities" else {})
    sources = _Table(lambda s: source_text(coop, s, lang))
    roles = _Table(lambda r: _role(view, r, lang))
    kinds = _Table(lambda k: coop.label_of("activity-kind", k[0], lang) if k[0] else k[1])  # (kind, class)
    nodes = [_org_node(view, org, lang, pos) for org in view.organizations]
    orgs = [
        {
            "label": pick(org.labels, lang) or org.id,
            "names": [org.labels[k] for k in sorted(org.labels) if k != lang],
            "type": org.type,
            "country": org.country,
            "partners": view.partners.get(org.iri, 0),
            "sources": [sources(s) for s in org.sources],
            "focus": org.iri == view.filters.focus,
        }
        for org in view.organizations
    ]
    acts: list[list[Any]] = []
    years: list[int] = []
    undated = False
    for n, act in enumerate(view.activities):
        span = act.span
        y0 = span[0].year if span and span[0] else None
        y1 = span[1].year if span and span[1] else None
        years.extend(y for y in (y0, y1) if y is not None)
        undated = undated or span is None
        taking: list[int] = []
        for org, role in act.participants:
            at = org_at.get(org)
            if at is not None:
                taking += (at, roles(role))
        label = pick(act.labels, lang) or act.id
        count = len({o for o, _ in act.participants})
        acts.append([label, kinds((act.kind, act.cls)), _dates(act, lang), y0, y1, count,
                     [sources(s) for s in act.sources], taking])  # fmt: skip
        if view.mode == "activities":
            x, y = pos[act.iri]
            nodes.append(
                {
                    "id": act.id,
                    "label": short(label),
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "value": count,
                    "shape": style.ACTIVITY_SHAPE,
                    "color": style.CLASS_COLOURS[act.cls],
                    "act": n,
                }
            )
    ids = [node["id"] for node in nodes]
    edges: list[list[Any]] = []
    for a, b, data in sorted(view.graph.edges(data=True), key=lambda e: (ids[node_at[e[0]]], ids[node_at[e[1]]])):
        if view.mode == "network":
            edges.append([node_at[a], node_at[b], [act_at[x] for x in data["activities"]], data["weight"]])
        else:
            edges.append([node_at[a], node_at[b], [act_at[a] if a in act_at else act_at[b]]])
    counts_type = Counter(o.type for o in view.organizations)
    counts_country = Counter(o.country for o in view.organizations)
    return {
        "lang": lang,
        "mode": view.mode,
        "physics": not big,
        "minWeight": view.filters.min_weight if view.mode == "network" else 1,
        "words": w,
        "home": view.home,
        "nodes": nodes,
        "edges": edges,
        "options": _options(big),
        "orgs": orgs,
        "acts": acts,
        "sources": sources.texts,
        "roles": roles.texts,
        "kinds": kinds.texts,
        "types": [
            [t, coop.label_of("organization-type", t, lang) or "?", style.type_colour(t), counts_type[t]]
            for t in sorted(counts_type, key=lambda t: (-counts_type[t], t or ""))
        ],
        "countries": [
            [c, coop.label_of("country", c, lang) if c else w["unknown"], counts_country[c]]
            for c in sorted(counts_country, key=lambda c: (-counts_country[c], c or ""))
        ],
        "classes": [[c, style.CLASS_COLOURS[c]] for c in style.CLASS_COLOURS],
        "years": [min(years), max(years)] if years else None,
        "undated": undated,
    }


class _Table:
    """Texts written once in a page, each referred to by its place in ``texts``."""

    def __init__(self, make: Callable[[Any], str]) -> None:
        self.make = make
        self.texts: list[str] = []
        self.at: dict[Any, int] = {}

    def __call__(self, value: Any) -> int:
        """The place of the text of ``value`` (made the first time)."""
        at = self.at.get(value)
        if at is None:
            at = self.at[value] = len(self.texts)
            self.texts.append(self.make(value))
        return at


def _org_node(view: View, org: Organization, lang: str, pos: dict[Any, tuple[float, float]]) -> dict[str, Any]:
    x, y = pos[org.iri]
    return {
        "id": org.id,
        "label": short(pick(org.labels, lang) or org.id),
        "x": round(x, 1),
        "y": round(y, 1),
        "value": view.partners.get(org.iri, 0),
        "shape": style.SCOPE_SHAPES[view.scope(org)],
        "color": style.type_colour(org.type),  # the script adds the border, highlight and hover colours
    }


def _options(big: bool) -> dict[str, Any]:
    return {
        "autoResize": True,
        "nodes": {
            "font": {"face": "sans-serif", "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"min": 10, "max": 45, "label": {"enabled": False}},
        },
        "edges": {
            "color": {"color": style.EDGE_COLOUR, "highlight": "#333333", "hover": "#333333", "inherit": False},
            "scaling": {"min": 1, "max": 8},
            "smooth": False,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
            "multiselect": False,
        },
        "physics": {
            "enabled": not big,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 200, "updateInterval": 50, "fit": True},
        },
        "layout": {"improvedLayout": False, "randomSeed": 1},
    }


@functools.cache
def _templates() -> Any:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader

    ours = str(resources.files("coopgraph") / "render" / "templates")
    # pyvis's folder, found without importing pyvis (whose import pulls in its Network class)
    spec = importlib.util.find_spec("pyvis")
    assert spec is not None and spec.submodule_search_locations, "pyvis is a dependency of coopgraph"
    theirs = os.path.join(next(iter(spec.submodule_search_locations)), "templates")
    env = Environment(loader=ChoiceLoader([FileSystemLoader(ours), FileSystemLoader(theirs)]), autoescape=True)
    env.filters["json"] = _json
    return env


def _json(value: Any) -> Any:
    r"""``value`` as JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and ``'`` escaped (as
    Jinja's ``tojson`` does, without its sorting of keys and its spaces, which cost time and bytes
    on a big page).

    >>> str(_json({"b": "</script>&'", "a": [1, None]}))
    '{"b":"\\u003c/script\\u003e\\u0026\\u0027","a":[1,null]}'
    """
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027"))


def _raw(env: Any) -> Any:
    """A file of the templates folders, inline as it is (not read as a template)."""
    from markupsafe import Markup

    def raw(name: str) -> Markup:
        text = env.loader.get_source(env, name)[0]
        return Markup(text.replace("</script", "<\\/script").replace("</style", "<\\/style"))

    return raw


def page(view: View, *, lang: str = "en", title: str | None = None, dataset: dict[str, Any] | None = None) -> str:
    """The page of a view, as text.

    ``dataset`` says what the footer names: ``title`` (per language), ``name``,
    ``records`` and ``sources`` (IRIs, default: every source of the data).
    """
    heading = title_of(dataset, lang, title)
    footer = caption.footer(view, lang, dataset, drawn_with="vis-network (pyvis)")
    data = payload(view, lang)
    env = _templates()
    raw = _raw(env)
    return str(
        env.get_template("viz.html").render(
            heading=heading,
            nodes=data.pop("nodes"),
            edges=data.pop("edges"),
            cg=data,
            vis_js=raw(VIS),
            page_js=raw("viz.js"),
            page_css=raw("viz.css"),
            lang=lang,
            footer=footer,
        )
    )


@dataclass
class Page:
    """A written page and the view it shows. Jupyter displays it in an isolated frame."""

    html: str
    view: View

    def save(self, path: str | Path) -> None:
        write(path, self.html)

    def _repr_html_(self) -> str:
        return iframe(self.html)


def iframe(text: str, height: int = 640) -> str:
    """The page inside an isolated ``<iframe srcdoc>``, for Jupyter (no blank output, no shared scripts)."""
    return (
        f'<iframe srcdoc="{html.escape(text, quote=True)}" style="width: 100%; height: {height}px; border: 0" '
        'sandbox="allow-scripts"></iframe>'
    )


def write(path: str | Path, text: str) -> None:
    """Write the page whole or not at all (``-`` is standard output)."""
    from coopgraph.output import write_bytes

    write_bytes(path, text.encode("utf-8"))
