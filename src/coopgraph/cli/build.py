"""``coopgraph build``."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from coopgraph.cli.app import DataOption, app, handles_errors
from coopgraph.paths import resolve_dataset
from coopgraph.progress import QUIET, for_terminal
from coopgraph.rdf.store import build as build_store


@app.command()
@handles_errors
def build(
    data: DataOption = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if nothing changed.")] = False,
    compact: Annotated[
        bool,
        typer.Option(
            "--compact",
            help="Compact the store once written: queries on big data run up to twice as fast, "
            "for a few seconds more of the build. An up-to-date store that is not compacted is compacted.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the build manifest as JSON.")] = False,
) -> None:
    """Compile the dataset into its embedded RDF store (only when the YAML changed).

    Example: coopgraph build --data data/haiphong
    """
    bar = for_terminal() if not as_json else QUIET
    try:
        result = build_store(resolve_dataset(data), force=force, compact=compact, progress=bar)
    finally:
        bar.close()
    m = result.manifest
    if as_json:
        typer.echo(json.dumps({**asdict(m), "path": str(result.path), "rebuilt": result.rebuilt}, indent=2))
    elif result.rebuilt:
        typer.echo(
            f"built {m.records} records from {m.files} files: "
            f"{m.triples} triples (+{m.ontology_triples} ontology) in {m.seconds:.2f} s"
            + (f" ({_changed(m.changed_records, m.changed_files)})" if m.changed_files else "")
            + (", compacted" if m.compacted else "")
        )
        typer.echo(f"store: {result.path}")
        if m.warnings:
            typer.echo(f"{m.warnings} warning{'s' * (m.warnings != 1)}: coopgraph validate lists them", err=True)
    else:
        typer.echo(f"up to date: {m.triples} triples (+{m.ontology_triples} ontology), built {m.built_at}")


def _changed(records: int | None, files: int) -> str:
    """How much an incremental build changed.

    >>> _changed(1, 1)
    'the last store changed: 1 record of 1 changed file'
    """
    return f"the last store changed: {records} record{'s' * (records != 1)} of {files} changed file{'s' * (files != 1)}"
