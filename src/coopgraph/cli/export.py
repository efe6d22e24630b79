"""``coopgraph export``: the graph as RDF, or the network for Gephi and Cytoscape."""

from __future__ import annotations

from typing import Annotated

import typer

from coopgraph.api import open as open_graph
from coopgraph.cli.app import DataOption, app, handles_errors
from coopgraph.errors import UsageError
from coopgraph.paths import resolve_dataset
from coopgraph.rdf.export import SYNTAXES, syntax
from coopgraph.rdf.export import export as export_graph
from coopgraph.rdf.store import open_store
from coopgraph.render.graphfiles import FORMATS as NETWORK_FORMATS


@app.command()
@handles_errors
def export(
    rdf_format: Annotated[
        str,
        typer.Argument(
            metavar="FORMAT",
            help=f"RDF: {', '.join(SYNTAXES)} (or ttl, nt, nq, xml, json-ld); "
            f"the network: {', '.join(NETWORK_FORMATS)} (csv: a folder with nodes.csv and edges.csv).",
            show_default=False,
        ),
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="File to write; '-' for standard output.")] = "-",
    data: DataOption = None,
    ontology: Annotated[
        bool, typer.Option("--ontology", help="Include the ontology (TriG and N-Quads keep it in its own named graph).")
    ] = False,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            help="For gexf, graphml, csv: network (organizations) or activities (both as nodes; default network).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="For gexf, graphml, csv: the language of 'label' (every language is kept; default en).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the graph as RDF, or the cooperation network as GEXF, GraphML or CSV lists.
    Every file is replaced only once it is complete.

    Example: coopgraph export turtle -o haiphong.ttl
    Example: coopgraph export gexf -o haiphong.gexf
    """
    name = rdf_format.lower()
    if name in NETWORK_FORMATS:
        if ontology:
            raise UsageError(f"--ontology is for the RDF formats; {name} holds the network only")
        for path in open_graph(data).export_network(name, output, mode=mode or "network", lang=lang or "en"):
            if path != "-":
                typer.echo(f"{path}: written", err=True)
        return
    for option, value in (("--mode", mode), ("--lang", lang)):
        if value is not None:
            raise UsageError(f"{option} is for gexf, graphml and csv; RDF keeps every language and every link")
    fmt = syntax(rdf_format)
    store, _ = open_store(resolve_dataset(data))
    export_graph(store, fmt, output, include_ontology=ontology)
