"""The cooperation network as a networkx graph: organizations, and who shares activities with whom."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from coopgraph.api import CoopGraph

_PAIRS = """
SELECT ?a ?b ?activity WHERE {
  ?activity a coop:Activity ; coop:participant ?a , ?b .
  FILTER(STR(?a) < STR(?b))
}"""

_NODES = """
SELECT ?org ?type ?country ?label WHERE {
  ?org a coop:Organization ; coop:organizationType/skos:notation ?type .
  OPTIONAL { ?org coop:country/skos:notation ?country }
  OPTIONAL { ?org rdfs:label ?label }
}"""


def projection(graph: CoopGraph) -> nx.Graph:
    """Organizations linked when they share an activity, weighted by how many they share."""
    g = nx.Graph()
    for row in graph.query(_NODES):
        org = row["org"].value
        if org not in g:
            g.add_node(org, label={}, type=row["type"].value, country=row["country"].value if row["country"] else None)
        label = row["label"]
        if label is not None:
            g.nodes[org]["label"][label.language or ""] = label.value
    for row in graph.query(_PAIRS):
        a, b, activity = row["a"].value, row["b"].value, row["activity"].value
        data: dict[str, Any] = g.get_edge_data(a, b) or {"weight": 0, "activities": []}
        data["weight"] += 1
        data["activities"].append(activity)
        g.add_edge(a, b, **data)
    return g
