"""coopgraph: a knowledge graph of institutions and who cooperates with whom.

Open a dataset in one call and use its graph with rdflib or SPARQL::

    import coopgraph
    graph = coopgraph.open()           # the bundled Hai Phong dataset
    graph.rdflib                       # an rdflib.Graph over the built store
"""

__version__ = "0.1.0"

from coopgraph.api import CoopGraph, open

__all__ = ["CoopGraph", "__version__", "open"]
