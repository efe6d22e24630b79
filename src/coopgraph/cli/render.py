"""``coopgraph render``: a view or a chart as a PNG, SVG or PDF image for briefings."""

from __future__ import annotations

from typing import Annotated

import typer

from coopgraph.api import open as open_graph
from coopgraph.cli import views as v
from coopgraph.cli.app import DataOption, app, handles_errors
from coopgraph.render.image import CHARTS, DEFAULT_DPI, IMAGE_LIMIT, IMAGE_LINKS, image_format, parse_size


@app.command()
@handles_errors
def render(
    output: Annotated[
        str, typer.Option("--output", "-o", help="Image to write: .png, .svg or .pdf; '-' for standard output.")
    ] = "coopgraph.png",
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="png, svg or pdf (default: the file's extension).", show_default=False),
    ] = None,
    chart: Annotated[
        str, typer.Option("--chart", help=f"What to draw: {', '.join(CHARTS)} (the charts count the view).")
    ] = "network",
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
    size: Annotated[
        str | None,
        typer.Option("--size", help="WIDTHxHEIGHT in inches (default 12x8; charts 10x6).", show_default=False),
    ] = None,
    dpi: Annotated[int, typer.Option("--dpi", help="Pixels per inch (PNG; text and lines scale with it).")] = (
        DEFAULT_DPI
    ),
    labels: Annotated[
        int | None,
        typer.Option(
            "--labels", help="Name at most N organizations, best connected first (default: all that fit).", min=0
        ),
    ] = None,
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", help="Cut bigger views to the best-connected nodes (and say so).", min=1)
    ] = IMAGE_LIMIT,
    max_links: v.MaxLinksOption = IMAGE_LINKS,
) -> None:
    """Draw the cooperation network (the same view as viz, with the same filters) or a chart of it as an image.

    Example: coopgraph render -o haiphong.png --lang vi --title "Hợp tác KH&CN Hải Phòng"
    """
    kind_of_file = image_format(output, fmt)
    args = v.view_arguments(locals())
    picture = open_graph(data).render(
        chart,
        mode=mode,
        lang=lang,
        title=title,
        size=parse_size(size) if size is not None else None,
        dpi=dpi,
        labels=labels,
        limit=max_nodes,
        max_links=max_links,
        **args,
    )
    picture.save(output, kind_of_file)
    view = picture.view
    v.tell(view, max_nodes, max_links)
    if output != "-":
        typer.echo(
            f"{output}: {chart}, {len(view.organizations)} organizations, {view.graph.number_of_edges()} links",
            err=True,
        )
