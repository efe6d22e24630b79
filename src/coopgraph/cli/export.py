"""``coopgraph export``."""

from __future__ import annotations

from typing import Annotated

import typer

from coopgraph.cli.app import DataOption, app, handles_errors
from coopgraph.paths import resolve_dataset
from coopgraph.rdf.export import SYNTAXES, syntax
from coopgraph.rdf.export import export as export_graph
from coopgraph.rdf.store import open_store


@app.command()
@handles_errors
def export(
    rdf_format: Annotated[
        str,
        typer.Argument(
            metavar="FORMAT", help=f"One of: {', '.join(SYNTAXES)} (or ttl, nt, nq, xml, json-ld).", show_default=False
        ),
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="File to write; '-' for standard output.")] = "-",
    data: DataOption = None,
    ontology: Annotated[
        bool, typer.Option("--ontology", help="Include the ontology (TriG and N-Quads keep it in its own named graph).")
    ] = False,
) -> None:
    """Write the graph as RDF. The file is replaced only once it is complete.

    Example: coopgraph export turtle -o haiphong.ttl
    """
    fmt = syntax(rdf_format)
    store, _ = open_store(resolve_dataset(data))
    export_graph(store, fmt, output, include_ontology=ontology)
