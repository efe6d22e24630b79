"""``coopgraph validate``."""

from __future__ import annotations

from typing import Annotated

import typer

from coopgraph.cli.app import DataOption, app, handles_errors, print_report
from coopgraph.paths import resolve_dataset
from coopgraph.validate import validate_dataset


@app.command()
@handles_errors
def validate(
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check the dataset and list every problem as path:line:col: severity[code]: message.

    Example: coopgraph validate --data data/haiphong
    """
    _, report = validate_dataset(resolve_dataset(data))
    if as_json:
        typer.echo(report.to_json())
    else:
        print_report(report)
    raise typer.Exit(0 if report.valid else 1)
