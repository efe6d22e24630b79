"""The options every picture of the network shares (``viz`` now, the image commands too)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from coopgraph.view import View


def many(values: list[str] | None) -> tuple[str, ...]:
    """Repeated options and comma-separated lists alike: ``--country JP,KR --country FR``."""
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


ModeOption = Annotated[
    str,
    typer.Option("--mode", help="network: organizations joined by shared activities; activities: both as nodes."),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of the labels (the other one where one is missing).")]
CountryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--country", help="Only organizations of these countries (ISO codes; repeat or use commas).", show_default=False
    ),
]
TypeOption = Annotated[
    list[str] | None,
    typer.Option("--type", help="Only organizations of these types (university, enterprise...).", show_default=False),
]
KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        help="Only activities of these kinds (mou, delegation...) or classes (agreement, project, exchange).",
        show_default=False,
    ),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Only activities that ran on or after YYYY[-MM[-DD]].", show_default=False)
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", help="Only activities that ran on or before YYYY[-MM[-DD]].", show_default=False),
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Only activities running on this day (YYYY-MM-DD).", show_default=False)
]
FocusOption = Annotated[
    str | None,
    typer.Option(
        "--focus", help="Only the organizations within --depth links of this one (an id).", show_default=False
    ),
]
DepthOption = Annotated[
    int | None, typer.Option("--depth", help="Links from --focus (default 1).", min=0, show_default=False)
]
TopOption = Annotated[
    int | None,
    typer.Option("--top", help="Only the N organizations with the most partners.", min=1, show_default=False),
]
MinWeightOption = Annotated[
    int, typer.Option("--min-weight", help="Only pairs that share at least this many activities.", min=1)
]
HomeOption = Annotated[
    str | None,
    typer.Option("--home", help="The country drawn as domestic (default: the most common one).", show_default=False),
]
MaxLinksOption = Annotated[
    int,
    typer.Option(
        "--max-links",
        help="Cut views with more links to the links that keep them connected, then the strongest (and say so).",
        min=1,
    ),
]
TitleOption = Annotated[
    str | None, typer.Option("--title", help="Title (default: the dataset's title).", show_default=False)
]


def view_arguments(options: dict[str, Any]) -> dict[str, Any]:
    """A command's view options (from its parameters, e.g. its ``locals()``) as the keyword arguments of
    ``CoopGraph.view``, ``viz``, ``render`` and ``stats`` (lists split at commas; absent options left out)."""
    given = {name: options[name] for name in VIEW_OPTIONS if name in options}
    for name in ("country", "type", "kind"):
        if name in given:
            given[name] = many(given[name])
    return given


#: The options that choose a view, as the commands name their parameters.
VIEW_OPTIONS = ("country", "type", "kind", "since", "until", "as_of", "focus", "depth", "top", "min_weight", "home")


def tell(view: View, max_nodes: int, max_links: int | None = None) -> None:
    """Say on standard error what a picture of ``view`` left out: the notes, and the nodes and links cut by
    the limits."""
    for note in view.notes:
        typer.echo(f"note: {note}", err=True)
    if view.dropped:
        typer.echo(
            f"warning: {view.dropped} nodes left out: the view is limited to {max_nodes} (--max-nodes); "
            "narrow it with --focus ID, --country, --type, --kind, --since or --top",
            err=True,
        )
    if view.links_dropped:
        kept = "each organization's strongest link toward the focus" if view.filters.focus else "a spanning forest"
        typer.echo(
            f"warning: {view.links_dropped} of {view.graph.number_of_edges() + view.links_dropped} links left out: "
            f"the view is limited to {max_links} links (--max-links); kept {kept}, then the strongest links",
            err=True,
        )
