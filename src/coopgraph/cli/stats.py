"""``coopgraph stats``: the network's metrics and counts, for a terminal or for tools."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

import typer

from coopgraph.api import open as open_graph
from coopgraph.cli import views as v
from coopgraph.cli.app import DataOption, app, handles_errors
from coopgraph.errors import UsageError
from coopgraph.output import write_bytes
from coopgraph.results import markdown, table
from coopgraph.stats import COLUMNS, TABLES, Stats

FORMATS = ("table", "md", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def render_stats(stats: Stats, fmt: str, tables: tuple[str, ...], rows: int) -> str:
    """``stats`` as text in ``fmt``: the ``tables`` asked for, ``rows`` rows each on a terminal (0: all)."""
    if fmt == "json":
        data = stats.as_dict()
        chosen = {"filters": data["filters"]} | {t: data[t] for t in tables}
        return json.dumps(chosen, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        if len(tables) != 1:
            raise UsageError("--format csv writes one table: choose it with --table (e.g. --table organizations)")
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS[tables[0]], lineterminator="\n")
        writer.writeheader()
        writer.writerows(stats.table(tables[0]))
        return out.getvalue()
    blocks = []
    for name in tables:
        body = stats.table(name)
        shown = body if rows == 0 or name == "summary" else body[:rows]
        grid = [[_cell(row[c]) for c in COLUMNS[name]] for row in shown]
        header = list(COLUMNS[name])
        text = table(header, grid) if fmt == "table" else markdown(header, grid)
        left = len(body) - len(shown)
        more = f"\n… {left} more row{'s' if left > 1 else ''} (--rows 0 shows all)" if left else ""
        title = f"## {name}" if fmt == "md" else name.upper()
        blocks.append(f"{title}\n\n{text}{more}")
    if stats.filters:
        blocks.insert(0, "filters: " + " ".join(stats.filters))
    return "\n\n".join(blocks) + "\n"


@app.command()
@handles_errors
def stats(
    data: DataOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")] = "table",
    tables: Annotated[
        list[str] | None,
        typer.Option(
            "--table",
            help=f"Only these tables: {', '.join(TABLES)} (repeat or use commas; csv takes one, "
            "default organizations).",
            show_default=False,
        ),
    ] = None,
    rows: Annotated[int, typer.Option("--rows", help="Rows per table in table and md formats (0: all).", min=0)] = 10,
    output: Annotated[str, typer.Option("--output", "-o", help="File to write; '-' for standard output.")] = "-",
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
    pivots: Annotated[
        int | None,
        typer.Option(
            "--pivots",
            help="Estimate betweenness from this many sources (default: exact up to 1,000 organizations, then 200).",
            min=1,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Network metrics of the cooperation network (or of the part the filters keep): degree, shared
    activities, betweenness, Louvain communities, components; organizations by country and type;
    activities by kind and year.

    Example: coopgraph stats --table organizations --rows 5
    """
    if fmt not in FORMATS:
        raise UsageError(f"--format: '{fmt}' is not one of {', '.join(FORMATS)}")
    chosen = v.many(tables)
    for name in chosen:
        if name not in TABLES:
            raise UsageError(f"--table: no table '{name}'; the tables are {', '.join(TABLES)}")
    if not chosen:
        chosen = ("organizations",) if fmt == "csv" else TABLES
    args = v.view_arguments(locals())
    result = open_graph(data).stats(lang=lang, pivots=pivots, **args)
    write_bytes(output, render_stats(result, fmt, chosen, rows).encode("utf-8"))
