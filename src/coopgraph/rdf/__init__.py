"""The RDF layer: model -> triples, the embedded store, and serializations."""
