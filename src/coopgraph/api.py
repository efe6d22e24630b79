"""The Python API: open a dataset in one call and use its graph.

>>> import coopgraph
>>> g = coopgraph.open()                  # doctest: +SKIP
>>> g.rdflib.value(predicate=..., ...)    # doctest: +SKIP
"""

from __future__ import annotations

import builtins
import difflib
import functools
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopgraph import library
from coopgraph import namespaces as ns
from coopgraph.errors import UsageError
from coopgraph.model import ID_RE
from coopgraph.paths import resolve_dataset
from coopgraph.query import run
from coopgraph.rdf.store import ONTOLOGY_GRAPH, Manifest, open_store
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

    def named(self, name: str, params: dict[str, str] | None = None) -> Any:
        """Run the named query ``name`` with ``params`` (text values, as ``--param`` gives them)."""
        query = library.named(name)
        return self.query(query.text, library.bindings(query, params or {}, self.resolve))

    def rows(self, name_or_sparql: str, **params: Any) -> builtins.list[dict[str, Any]]:
        """Rows of a named query (``g.rows("hubs", limit=5)``) or of SELECT text, as dicts of lexical values."""
        if _is_sparql(name_or_sparql):
            return _rows(self.query(name_or_sparql, {k: _term(v) for k, v in params.items()} or None))
        return _rows(self.named(name_or_sparql, {k: str(v) for k, v in params.items()}))

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
