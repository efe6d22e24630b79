"""The Python API: open a dataset in one call and use its graph.

>>> import coopgraph
>>> g = coopgraph.open()                  # doctest: +SKIP
>>> g.rdflib.value(predicate=..., ...)    # doctest: +SKIP
"""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopgraph import namespaces as ns
from coopgraph.paths import resolve_dataset
from coopgraph.query import run
from coopgraph.rdf.store import ONTOLOGY_GRAPH, Manifest, open_store


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
        result = self.query(sparql, bindings)
        names = [v.value for v in result.variables]
        return [{n: None if row[n] is None else row[n].value for n in names} for row in result]


def open(data: str | Path | None = None) -> CoopGraph:  # noqa: A001 - mirrors builtins.open
    """Open a dataset (the bundled one by default), building its store when needed."""
    dataset = resolve_dataset(Path(data) if data is not None else None)
    store, manifest = open_store(dataset)
    return CoopGraph(dataset, store, manifest)
