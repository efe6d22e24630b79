"""The Python API: open a dataset in one call and use its graph.

>>> import coopgraph
>>> g = coopgraph.open()                  # doctest: +SKIP
>>> g.rdflib.value(predicate=..., ...)    # doctest: +SKIP
"""

from __future__ import annotations

import builtins
import datetime as dt
import difflib
import functools
import gc
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopgraph import library
from coopgraph import namespaces as ns
from coopgraph.errors import UsageError
from coopgraph.model import ID_RE
from coopgraph.paths import cache_dir, resolve_dataset
from coopgraph.query import run
from coopgraph.rdf.store import ONTOLOGY_GRAPH, Manifest, open_store, views_entry
from coopgraph.validate import dataset_config


class CoopGraph:
    """A built dataset: its Oxigraph store, and rdflib views over the same store."""

    def __init__(self, dataset: Path, store: ox.Store, manifest: Manifest) -> None:
        self.dataset = dataset
        self.store = store
        self.manifest = manifest

    def _rdflib(self, identifier: Any) -> Any:
        import rdflib
        from oxrdflib import OxigraphStore

        return rdflib.Graph(store=OxigraphStore(store=self.store), identifier=identifier)

    @property
    def rdflib(self) -> Any:
        """The dataset graph as an ``rdflib.Graph`` (read-only, backed by the store)."""
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        return self._rdflib(DATASET_DEFAULT_GRAPH_ID)

    @property
    def ontology(self) -> Any:
        """The ontology as an ``rdflib.Graph``."""
        import rdflib

        return self._rdflib(rdflib.URIRef(ns.ONTOLOGY))

    def __len__(self) -> int:
        return self.manifest.triples

    def query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        """Run SPARQL over the data and the ontology; prefixes are predeclared.

        ``bindings`` maps variable names to pyoxigraph terms, bound as RDF terms
        (see ``coopgraph.query``; a query with subqueries should project them).
        """
        return run(
            self.store,
            sparql,
            bindings or {},
            prefixes=ns.PREFIXES,
            default_graph=[ox.DefaultGraph(), ONTOLOGY_GRAPH],
        )

    def select(self, sparql: str, bindings: dict[str, Any] | None = None) -> builtins.list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of variable name -> lexical value (or None)."""
        return _rows(self.query(sparql, bindings))

    # --- named queries -----------------------------------------------------------------

    def resolve(self, record_id: str, kind: str | None = None) -> str:
        """The IRI of the record ``record_id`` (of ``kind``, or of any kind).

        An unknown id is a ``UsageError`` that names the closest known ids.
        """
        if not ID_RE.match(record_id):
            raise UsageError(f"'{record_id}' is not an id (lowercase letters, digits and single hyphens)")
        base = self.base
        kinds = [kind] if kind else list(ns.KIND_SEGMENTS)
        for k in kinds:
            iri = ns.entity_iri(base, k, record_id)
            if next(self.store.quads_for_pattern(ox.NamedNode(iri), None, None), None) is not None:
                return iri
        prefixes = [ns.entity_iri(base, k, "") for k in kinds]
        known = sorted(
            str(q.subject.value)[len(prefix) :]
            for q in self.store.quads_for_pattern(None, ox.NamedNode(ns.RDF + "type"), None)
            for prefix in prefixes
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)
        )
        close = difflib.get_close_matches(record_id, known, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UsageError(f"no {kind or 'record'} with the id '{record_id}'{hint}")

    @functools.cached_property
    def base(self) -> str:
        """The base IRI of the dataset's records."""
        return dataset_config(self.dataset).base

    def named(self, name: str, params: dict[str, Any] | None = None) -> Any:
        """Run the named query ``name`` with ``params``: text, as ``--param`` gives it, or whole numbers."""
        query = library.named(name)
        return self.query(query.text, library.bindings(query, _param_texts(params or {}), self.resolve))

    def rows(self, name_or_sparql: str, **params: Any) -> builtins.list[dict[str, Any]]:
        """Rows of a named query (``g.rows("hubs", limit=5)``) or of SELECT text, as dicts of lexical values."""
        if _is_sparql(name_or_sparql):
            return _rows(self.query(name_or_sparql, {k: _term(v) for k, v in params.items()} or None))
        return _rows(self.named(name_or_sparql, params))

    def dataframe(self, name_or_sparql: str, **params: Any) -> Any:
        """The rows as a pandas ``DataFrame`` (pandas must be installed)."""
        try:
            import pandas as pd
        except ImportError:
            raise UsageError("dataframe() needs pandas: pip install pandas") from None
        return pd.DataFrame(self.rows(name_or_sparql, **params))

    def networkx(self) -> Any:
        """Organizations as a ``networkx.Graph``: an edge for each pair that shares an activity.

        Nodes carry ``label`` (per language), ``type`` and ``country``; edges carry
        ``weight`` (the number of shared activities) and ``activities`` (their IRIs).
        """
        from coopgraph.network import projection

        return projection(self)

    # --- network views -----------------------------------------------------------------

    @functools.cached_property
    def cooperation(self) -> Any:
        """The organizations, activities, participations and sources (``coopgraph.network.Cooperation``).

        Reading them from a big store takes seconds, so the build keeps them, made from
        the records, in the build folder, tied to its store, and commands load them. Where
        that entry is missing (it could not be written, or a concurrent build replaced it),
        the first read from the store is kept instead.
        """
        from coopgraph.filecache import FileCache
        from coopgraph.network import cooperation

        cache = FileCache(cache_dir(self.dataset) / "views")
        entry = views_entry(self.manifest)
        found = cache.get(entry)
        if found is None:
            found = cooperation(self)
            cache.put(entry, found)
            cache.commit()  # and drops the reads of older builds
        if FREEZE_VIEWS:
            gc.freeze()
        return found

    def filters(
        self,
        *,
        country: Iterable[str] = (),
        type: Iterable[str] = (),  # noqa: A002 - the option's name
        kind: Iterable[str] = (),
        since: str | None = None,
        until: str | None = None,
        as_of: str | None = None,
        focus: str | None = None,
        depth: int | None = None,
        top: int | None = None,
        min_weight: int = 1,
    ) -> Any:
        """The filters of a view from values as the command line gives them (ids, ``YYYY[-MM[-DD]]`` dates)."""
        from coopgraph.view import Filters, parse_when

        if as_of is not None and (since is not None or until is not None):
            raise UsageError("--as-of is one day; give it, or --since/--until, not both")
        if depth is not None and focus is None:
            raise UsageError("--depth counts links from --focus; give --focus ID too")
        if as_of is not None:
            day = parse_when(as_of, "--as-of")
            if day != parse_when(as_of, "--as-of", end=True):
                raise UsageError(f"--as-of is one day (YYYY-MM-DD), not '{as_of}'; use --since/--until for a period")
            start: dt.date | None = day
            end: dt.date | None = day
        else:
            start = parse_when(since, "--since") if since is not None else None
            end = parse_when(until, "--until", end=True) if until is not None else None
        focus_iri = self.resolve(focus, "organization") if focus is not None else None
        return Filters(
            countries=tuple(c.upper() for c in country),
            types=tuple(type),
            kinds=tuple(kind),
            since=start,
            until=end,
            focus=focus_iri,
            depth=1 if depth is None else depth,
            top=top,
            min_weight=min_weight,
        )

    def view(
        self,
        mode: str = "network",
        *,
        limit: int | None = None,
        max_links: int | None = None,
        home: str | None = None,
        **filters: Any,
    ) -> Any:
        """The part of the network that ``filters`` keep (see ``filters()``), as a ``coopgraph.view.View``.

        ``mode`` is ``network`` (organizations) or ``activities`` (organizations and
        activities); ``limit`` cuts a view with more nodes; ``max_links`` cuts a network view
        with more links to its backbone and its strongest links (see ``coopgraph.view``);
        ``home`` is the country counted as domestic (default: the most common one).
        """
        from coopgraph.view import make_view

        if home is not None and not (len(home) == 2 and home.isalpha()):
            raise UsageError(f"--home: '{home}' is not an ISO 3166-1 alpha-2 country code (e.g. VN)")
        return make_view(
            self.cooperation,
            self.filters(**filters),
            mode=mode,
            limit=limit,
            max_links=max_links,
            home=home.upper() if home else None,
        )

    def viz(
        self,
        mode: str = "network",
        *,
        lang: str = "en",
        title: str | None = None,
        limit: int | None = None,
        max_links: int | None = None,
        home: str | None = None,
        **filters: Any,
    ) -> Any:
        """The interactive page of a view (``coopgraph.render.html.Page``): ``.save(path)``, or shown in Jupyter.

        A view that the filters leave empty is refused (``UsageError``).
        """
        from coopgraph.render import html

        view = self._shown(
            lang,
            mode,
            limit=html.DEFAULT_LIMIT if limit is None else limit,
            max_links=html.DEFAULT_LINKS if max_links is None else max_links,
            home=home,
            **filters,
        )
        return html.Page(html.page(view, lang=lang, title=title, dataset=self.about()), view)

    def render(
        self,
        chart: str = "network",
        *,
        mode: str = "network",
        lang: str = "en",
        title: str | None = None,
        size: tuple[float, float] | None = None,
        dpi: int | None = None,
        labels: int | None = None,
        limit: int | None = None,
        max_links: int | None = None,
        home: str | None = None,
        **filters: Any,
    ) -> Any:
        """A static image of a view (``coopgraph.render.image.Image``): ``.save("x.png")``, or shown in Jupyter.

        ``chart`` is ``network`` (the view as on its page), ``countries``, ``kinds`` or
        ``years``; ``size`` is in inches, ``labels`` the most names drawn (default: all
        that fit), ``limit`` cuts bigger network views (default 2,000 nodes), ``max_links``
        their links (default 10,000).
        """
        from coopgraph.render import image

        if labels is not None and labels < 0:
            raise UsageError(f"--labels: {labels} is not a number of names (0 or more)")
        view = self._shown(
            lang,
            mode,
            limit=image.IMAGE_LIMIT if limit is None else limit,
            max_links=image.IMAGE_LINKS if max_links is None else max_links,
            home=home,
            **filters,
        )
        return image.draw(
            view,
            chart,
            lang=lang,
            title=title,
            dataset=self.about(),
            size=size,
            dpi=image.DEFAULT_DPI if dpi is None else dpi,
            labels=labels,
        )

    def network_graph(self, mode: str = "network", *, lang: str = "en", **filters: Any) -> Any:
        """The view as a networkx graph keyed by record ids, with plain attributes (``coopgraph.render.graphfiles``)."""
        from coopgraph.render.graphfiles import network_graph

        return network_graph(self._shown(lang, mode, **filters), lang)

    def export_network(
        self, fmt: str, output: str, *, mode: str = "network", lang: str = "en", **filters: Any
    ) -> builtins.list[str]:
        """Write the view as ``gexf``, ``graphml`` or ``csv`` (a folder); returns the files written."""
        from coopgraph.render import graphfiles

        if fmt not in graphfiles.FORMATS:
            raise UsageError(f"'{fmt}' is not one of {', '.join(graphfiles.FORMATS)}")
        return graphfiles.write(self.network_graph(mode, lang=lang, **filters), fmt, output)

    def about(self) -> dict[str, Any]:
        """What footers say of the dataset: its ``title`` (per language), folder ``name`` and ``records``."""
        config = dataset_config(self.dataset)
        return {"title": config.title or {}, "name": self.dataset.resolve().name, "records": self.manifest.records}

    def _shown(self, lang: str, mode: str = "network", **arguments: Any) -> Any:
        """A view for a picture or a table: the language checked, an empty view refused."""
        from coopgraph.render.style import LANGUAGES

        if lang not in LANGUAGES:
            raise UsageError(f"--lang: '{lang}' is not one of {', '.join(LANGUAGES)}")
        view = self.view(mode, **arguments)
        if view.graph.number_of_nodes() == 0:
            filtered = arguments.get("min_weight", 1) > 1 or any(
                value for key, value in arguments.items() if key not in ("limit", "max_links", "home", "min_weight")
            )
            if not filtered:
                raise UsageError("no two organizations of the data share an activity: there is no network to show")
            raise UsageError("no organization is left by these filters; nothing was written")
        return view

    def stats(
        self, *, lang: str = "en", pivots: int | None = None, seed: int = 1, home: str | None = None, **filters: Any
    ) -> Any:
        """The metrics and counts of the network view that ``filters`` keep (``coopgraph.stats.Stats``)."""
        from coopgraph.stats import compute

        if pivots is not None and pivots < 1:
            raise UsageError(f"--pivots: {pivots} is not a positive number")
        return compute(self._shown(lang, home=home, **filters), lang, pivots=pivots, seed=seed)


#: Whether reading the network freezes the collector's objects (``gc.freeze``). The network
#: is millions of small objects that stay alive as long as the graph: the collector's full
#: passes walked them all, over a second of a big viz page. Frozen, they are never walked
#: again, and still freed by reference counting when dropped, but a cycle among frozen
#: objects is never collected. The one-shot command line sets it; a long Python session
#: keeps its collector as it was.
FREEZE_VIEWS = False


def _param_texts(params: dict[str, Any]) -> dict[str, str]:
    """The values of named-query parameters as text: whole numbers are written out, other types refused."""
    out = {}
    for key, value in params.items():
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise UsageError(f"parameter '{key}': {value!r} is a {type(value).__name__}; give text or a whole number")
        out[key] = value
    return out


def _is_sparql(text: str) -> bool:
    return any(c.isspace() or c in "{?<:" for c in text.strip())


def _term(value: Any) -> Any:
    """A Python value as an RDF term: terms stay, numbers become typed literals, the rest text."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(ns.XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(ns.XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(ns.XSD + "double"))
    return ox.Literal(str(value))


def _rows(result: Any) -> builtins.list[dict[str, Any]]:
    if not isinstance(result, ox.QuerySolutions):
        raise UsageError("rows() is for SELECT queries; use query() for ASK, CONSTRUCT and DESCRIBE")
    names = [v.value for v in result.variables]
    return [{n: None if row[n] is None else row[n].value for n in names} for row in result]


def open(data: str | Path | None = None) -> CoopGraph:  # noqa: A001 - mirrors builtins.open
    """Open a dataset (the bundled one by default), building its store when needed."""
    dataset = resolve_dataset(Path(data) if data is not None else None)
    store, manifest = open_store(dataset)
    return CoopGraph(dataset, store, manifest)
