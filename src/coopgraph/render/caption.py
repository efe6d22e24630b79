"""What every picture says about itself: title, dataset, sources, filters, version and date."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from coopgraph.network import local_id, pick
from coopgraph.render import style
from coopgraph.view import View


def build_date() -> dt.date:
    """Today, or the day ``SOURCE_DATE_EPOCH`` gives (for reproducible pages and images)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def short(text: str, size: int = 40) -> str:
    """``text`` cut to ``size`` characters, with an ellipsis when cut.

    >>> short("Hai Phong Department of Science and Technology", 20)
    'Hai Phong Departmen…'
    """
    return text if len(text) <= size else text[: size - 1] + "…"


def source_text(coop: Any, iri: str, lang: str) -> str:
    """A source as a reader cites it: its title, then its publisher and date."""
    src = coop.sources.get(iri)
    if src is None:
        return local_id(iri)
    extra = ", ".join(x for x in (src.publisher, src.published) if x)
    title = pick(src.titles, lang) or src.id
    return f"{title} ({extra})" if extra else title


def title_of(dataset: dict[str, Any] | None, lang: str, title: str | None = None) -> str:
    """The title a picture shows: the one given, else the dataset's, else "coopgraph"."""
    return title or pick((dataset or {}).get("title") or {}, lang) or "coopgraph"


def footer(view: View, lang: str, dataset: dict[str, Any] | None, *, drawn_with: str) -> dict[str, Any]:
    """The parts of a footer. ``dataset`` names the data's ``title`` (per language), ``name`` and ``records``."""
    from coopgraph import __version__

    dataset = dataset or {}
    w = style.words(lang)
    return {
        "dataset": pick(dataset.get("title") or {}, lang) or "",
        "name": dataset.get("name", ""),
        "records": dataset.get("records"),
        "sources": [source_text(view.coop, s, lang) for s in sorted(view.coop.sources)],
        "filters": view.filters.describe(view.coop),
        "made": w["made"].format(version=__version__, date=build_date().isoformat(), tool=drawn_with),
        "dropped": w["dropped"].format(dropped=view.dropped, limit=view.limit) if view.dropped else "",
        "links_dropped": links_dropped(view, lang),
        "notes": view.notes,
    }


def links_dropped(view: View, lang: str) -> str:
    """What the link budget left out of a view, and what it kept ("" when nothing)."""
    if not view.links_dropped:
        return ""
    w = style.words(lang)
    kept = w["links-kept-focus"] if view.filters.focus else w["links-kept"]
    total = view.graph.number_of_edges() + view.links_dropped
    return w["links-dropped"].format(dropped=view.links_dropped, total=total, limit=view.max_links, kept=kept)


def footer_line(parts: dict[str, Any], lang: str, *, sources: int = 3) -> str:
    """The footer as one line of text (for images).

    What must not be lost comes first (data, filters, what was left out, version and
    date); the sources come last, the first ``sources`` of them named and the others
    counted.
    """
    w = style.words(lang)
    said = []
    data = parts["dataset"] or parts["name"]
    if parts.get("records") is not None:
        data = f"{data} ({parts['records']} {w['records']})"
    if data:
        said.append(f"{w['data']}: {data}")
    if parts["filters"]:
        said.append(f"{w['filters']}: {' '.join(parts['filters'])}")
    if parts["dropped"]:
        said.append(parts["dropped"])
    if parts.get("links_dropped"):
        said.append(parts["links_dropped"])
    said.append(parts["made"])
    named = parts["sources"][:sources]
    if named:
        more = len(parts["sources"]) - len(named)
        tail = f"; {w['more-sources'].format(n=more)}" if more else ""
        said.append(f"{w['sources'].capitalize()}: {'; '.join(named)}{tail}")
    return " · ".join(said)
