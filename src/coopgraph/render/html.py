"""A view as one self-contained HTML page: vis-network (from pyvis) with our panel, legend and tooltips.

Our Jinja template (``templates/viz.html``) is rendered with jinja2 itself: the nodes,
edges and options are plain data, so no pyvis ``Network`` is built (its per-node
bookkeeping is slow at thousands of nodes). The page needs no network: vis-network's
script, which pyvis ships in its templates folder, and ours are inline, and nothing
else is loaded. Text from the data reaches the page in two ways: as JSON in
``<script type="application/json">`` blocks (``<``, ``>``, ``&`` and ``'`` escaped),
which the page's script puts on screen with ``textContent`` or draws on the canvas,
never parsed as HTML; and in the title and footer, written by Jinja with autoescaping.
"""

from __future__ import annotations

import functools
import html
import importlib.util
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


def payload(view: View, lang: str, *, title: str, footer: dict[str, Any]) -> dict[str, Any]:
    """Everything the page draws, as JSON-ready data (the data's text untouched: it is escaped on output)."""
    coop = view.coop
    w = style.words(lang)
    big = view.graph.number_of_nodes() > PHYSICS_LIMIT
    pos = positions(view.graph, seed=1)
    ids = {o.iri: o.id for o in view.organizations} | {a.iri: a.id for a in view.activities}
    orgs: dict[str, Any] = {}
    acts: dict[str, Any] = {}
    nodes: list[dict[str, Any]] = []
    # Big views cite the same few sources and roles thousands of times: each is written once.
    cited = _memo(lambda s: source_text(coop, s, lang))
    role_of = _memo(lambda r: _role(view, r, lang))
    org_activities: dict[str, list[str]] = {o.iri: [] for o in view.organizations}
    for act in view.activities:
        for member, _ in act.participants:
            if member in org_activities and act.id not in org_activities[member]:
                org_activities[member].append(act.id)
    for org in view.organizations:
        nodes.append(_org_node(view, org, lang, pos))
        orgs[org.id] = {
            "label": pick(org.labels, lang) or org.id,
            "names": [org.labels[k] for k in sorted(org.labels) if k != lang],
            "type": org.type,
            "typeLabel": coop.label_of("organization-type", org.type, lang),
            "country": org.country,
            "countryLabel": coop.label_of("country", org.country, lang),
            "scope": view.scope(org),
            "partners": view.partners.get(org.iri, 0),
            "activities": org_activities[org.iri],
            "sources": [cited(s) for s in org.sources],
            "focus": org.iri == view.filters.focus,
        }
    for act in view.activities:
        span = act.span
        acts[act.id] = {
            "label": pick(act.labels, lang) or act.id,
            "cls": act.cls,
            "kindLabel": coop.label_of("activity-kind", act.kind, lang) if act.kind else act.cls,
            "dates": _dates(act, lang),
            "y0": span[0].year if span and span[0] else None,
            "y1": span[1].year if span and span[1] else None,
            "dated": span is not None,
            "roles": [[ids[o], role_of(r)] for o, r in act.participants if o in ids],
            "participants": len({o for o, _ in act.participants}),
            "sources": [cited(s) for s in act.sources],
        }
        if view.mode == "activities":
            x, y = pos[act.iri]
            nodes.append(
                {
                    "id": act.id,
                    "label": short(pick(act.labels, lang) or act.id),
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "value": len({o for o, _ in act.participants}),
                    "shape": style.ACTIVITY_SHAPE,
                    "color": style.CLASS_COLOURS[act.cls],
                    "kind": "activity",
                }
            )
    edges = []
    for n, (a, b, data) in enumerate(sorted(view.graph.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]]))):
        edge: dict[str, Any] = {"id": f"e{n}", "from": ids[a], "to": ids[b]}
        if view.mode == "network":
            edge["value"] = data["weight"]
            edge["activities"] = [ids[x] for x in data["activities"]]
        else:
            edge["activities"] = [ids[a] if a in coop.activities else ids[b]]
        edges.append(edge)
    counts_type = Counter(o.type for o in view.organizations)
    counts_country = Counter(o.country for o in view.organizations)
    years = [y for a in acts.values() for y in (a["y0"], a["y1"]) if y is not None]
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
        "undated": any(not a["dated"] for a in acts.values()),
        "title": title,
        "footer": footer,
    }


def _memo(make: Callable[[Any], str]) -> Callable[[Any], str]:
    """``make``, remembering what it made for each value."""
    made: dict[Any, str] = {}

    def get(value: Any) -> str:
        if value not in made:
            made[value] = make(value)
        return made[value]

    return get


def _org_node(view: View, org: Organization, lang: str, pos: dict[Any, tuple[float, float]]) -> dict[str, Any]:
    x, y = pos[org.iri]
    colour = style.type_colour(org.type)
    return {
        "id": org.id,
        "label": short(pick(org.labels, lang) or org.id),
        "x": round(x, 1),
        "y": round(y, 1),
        "value": view.partners.get(org.iri, 0),
        "shape": style.SCOPE_SHAPES[view.scope(org)],
        "color": {
            "background": colour,
            "border": "#333333",
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"},
        },
        "borderWidth": 1,
        "kind": "organization",
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
    return Environment(loader=ChoiceLoader([FileSystemLoader(ours), FileSystemLoader(theirs)]), autoescape=True)


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
    data = payload(view, lang, title=heading, footer=footer)
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
