"""``coopgraph report``: a briefing pack (Markdown, HTML and images) in one folder."""

from __future__ import annotations

from typing import Annotated

import typer

from coopgraph.api import open as open_graph
from coopgraph.cli import views as v
from coopgraph.cli.app import DataOption, app, handles_errors
from coopgraph.render.image import DEFAULT_DPI


@app.command()
@handles_errors
def report(
    output: Annotated[str, typer.Option("--output", "-o", help="Folder to write (made if missing).")] = "report",
    data: DataOption = None,
    lang: v.LangOption = "en",
    title: v.TitleOption = None,
    dpi: Annotated[int, typer.Option("--dpi", help="Pixels per inch of the images.", min=30, max=600)] = DEFAULT_DPI,
) -> None:
    """Write a briefing pack: report.md and report.html with the key figures, hubs, brokers, communities,
    countries, types, kinds and years, and their images; every number names the query that gives it.

    Example: coopgraph report -o briefing --lang vi
    """
    from coopgraph import briefing  # networkx and the metrics: only this command needs them

    pack = briefing.compose(open_graph(data), lang=lang, title=title, dpi=dpi)
    written = briefing.write(pack, output)
    typer.echo(f"{output}: {', '.join(p.name for p in written)}", err=True)
