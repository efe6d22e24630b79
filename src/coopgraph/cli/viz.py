"""``coopgraph viz``: the network as one self-contained, interactive HTML page."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from coopgraph.api import open as open_graph
from coopgraph.cli import views as v
from coopgraph.cli.app import DataOption, app, handles_errors
from coopgraph.render.html import DEFAULT_LIMIT, DEFAULT_LINKS


@app.command()
@handles_errors
def viz(
    output: Annotated[str, typer.Option("--output", "-o", help="HTML file to write; '-' for standard output.")] = (
        "coopgraph.html"
    ),
    data: DataOption = None,
    mode: v.ModeOption = "network",
    lang: v.LangOption = "en",
    country: v.CountryOption = None,
    type: v.TypeOption = None,  # noqa: A002 - the option's name
    kind: v.KindOption = None,
    since: v.SinceOption = None,
    until: v.UntilOption = None,
    as_of: v.AsOfOption = None,
    focus: v.FocusOption = None,
    depth: v.DepthOption = None,
    top: v.TopOption = None,
    min_weight: v.MinWeightOption = 1,
    home: v.HomeOption = None,
    title: v.TitleOption = None,
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", help="Cut bigger views to the best-connected nodes (and say so).", min=1)
    ] = DEFAULT_LIMIT,
    max_links: v.MaxLinksOption = DEFAULT_LINKS,
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in the web browser.")] = False,
) -> None:
    """Write the cooperation network as one HTML page that works offline: hover for details, filter in the page.

    Example: coopgraph viz --lang vi --since 2014 -o haiphong.html
    """
    args = v.view_arguments(locals())
    page = open_graph(data).viz(mode, lang=lang, title=title, limit=max_nodes, max_links=max_links, **args)
    view = page.view
    page.save(output)
    v.tell(view, max_nodes, max_links)
    if output != "-":
        shown = f"{len(view.organizations)} organizations"
        if view.mode == "activities":
            shown += f", {len(view.activities)} activities"
        typer.echo(f"{output}: {shown}, {view.graph.number_of_edges()} links", err=True)
        if open_page:
            webbrowser.open(Path(output).resolve().as_uri())
