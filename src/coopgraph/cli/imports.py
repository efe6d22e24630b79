"""``coopgraph import``: spreadsheets to YAML records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopgraph import imports
from coopgraph.cli.app import app, handles_errors
from coopgraph.errors import UsageError
from coopgraph.progress import for_terminal


@app.command("import")
@handles_errors
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            help="A .csv, .tsv or .xlsx sheet; with --profile cordis, the folder "
            "holding CORDIS's project.csv, organization.csv, euroSciVoc.csv and "
            "legalBasis.csv.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The YAML file to write (with --mapping) or the dataset folder (with --profile).",
            show_default=False,
        ),
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            "-m",
            help="A mapping file: which columns become which fields (see docs/import.md).",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            "-p",
            help="A built-in profile instead of a mapping: cordis (the EU's CORDIS project data).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Turn spreadsheets into YAML records: one sheet with a mapping file, or CORDIS's files with --profile cordis.
    Importing the same input again writes the same files.

    Example: coopgraph import partners.xlsx --mapping partners.mapping.yaml -o data/mine/partners.yaml
    """
    if (mapping is None) == (profile is None):
        raise UsageError("give either --mapping FILE (a sheet) or --profile cordis (a folder of CORDIS files)")
    if profile is not None:
        bar = for_terminal()
        try:
            result = imports.import_profile(profile, source, output, bar)
        finally:
            bar.close()
    else:
        assert mapping is not None
        result = imports.import_sheet(source, mapping, output)
    counts = ", ".join(f"{n} {what if n != 1 else what.removesuffix('s')}" for what, n in result.counts.items())
    typer.echo(
        f"{result.output}: {counts} in {len(result.files)} file{'s' * (len(result.files) != 1)} "
        f"({result.seconds:.1f} s)",
        err=True,
    )
    for path in result.removed:
        typer.echo(f"removed {path}: the import no longer writes it", err=True)
