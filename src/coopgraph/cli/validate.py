"""``coopgraph validate``, ``coopgraph schema`` and ``coopgraph new``: help for data stewards."""

from __future__ import annotations

import enum
import json
import time
from pathlib import Path
from typing import Annotated

import typer

from coopgraph.cli.app import DataOption, app, handles_errors
from coopgraph.errors import UsageError
from coopgraph.load import display_path
from coopgraph.model import ID_RE, SECTIONS
from coopgraph.output import write_output
from coopgraph.paths import resolve_dataset
from coopgraph.progress import QUIET, for_terminal
from coopgraph.schema import config_schema, data_schema, skeleton
from coopgraph.validate import dataset_config, suggest, validate_dataset


class ReportFormat(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"


DatasetArgument = Annotated[
    Path | None,
    typer.Argument(help="Dataset folder (the same as --data).", show_default=False),
]


def _dataset(positional: Path | None, option: Path | None) -> Path:
    if positional is not None and option is not None and positional != option:
        raise UsageError("give the dataset once: as an argument or with --data, not both")
    return resolve_dataset(positional or option)


@app.command()
@handles_errors
def validate(
    dataset: DatasetArgument = None,
    data: DataOption = None,
    output_format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="text: one line per problem; json: a report object; github: annotations."),
    ] = ReportFormat.text,
    as_json: Annotated[bool, typer.Option("--json", help="The same as --format json.")] = False,
) -> None:
    """Check the dataset and list every problem as path:line:col: severity[code]: message.

    Exit code 0 when there is no error (warnings allowed), 1 when there are errors,
    2 when the dataset cannot be found. Codes are listed in docs/validation.md.

    Example: coopgraph validate data/haiphong --format github
    """
    folder = _dataset(dataset, data)
    bar = for_terminal() if output_format == "text" else QUIET
    started = time.perf_counter()
    try:
        model, report = validate_dataset(folder, progress=bar)
    finally:
        bar.close()
    if as_json or output_format is ReportFormat.json:
        typer.echo(report.to_json(dataset=display_path(folder), files=len(model.files), records=len(model.records)))
    elif output_format is ReportFormat.github:
        if report.issues:
            typer.echo(report.to_github())
        typer.echo(report.summary())
    else:
        for issue in report.sorted():
            typer.echo(issue.format())
        files, records = len(model.files), len(model.records)
        seconds = time.perf_counter() - started
        typer.echo(
            f"{report.summary()} in {files} file{'s' * (files != 1)}, {records} record{'s' * (records != 1)}"
            f" ({seconds:.2f} s)"
        )
    raise typer.Exit(0 if report.valid else 1)


@app.command()
@handles_errors
def schema(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Write the schema to this file ('-' for stdout).")
    ] = Path("-"),
    config: Annotated[bool, typer.Option("--config", help="The schema of coopgraph.yaml instead.")] = False,
) -> None:
    """Write the JSON Schema of the YAML data files, for completion and inline errors in editors.

    Example: coopgraph schema -o coopgraph.schema.json
    """
    text = json.dumps(config_schema() if config else data_schema(), ensure_ascii=False, indent=2) + "\n"
    write_output(output, lambda out: out.write(text.encode("utf-8")))


KINDS = [cls.KIND for cls in SECTIONS.values()]


@app.command()
@handles_errors
def new(
    kind: Annotated[str, typer.Argument(help="Record kind: " + ", ".join(KINDS) + ".", show_default=False)],
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The new record's id.", show_default=False)],
    data: DataOption = None,
) -> None:
    """Print the skeleton of a new record, in the dataset's languages, to paste into a data file.

    Example: coopgraph new organization hanoi-university-of-science
    """
    if kind not in KINDS:
        raise UsageError(f"'{kind}' is not a record kind; " + (suggest(kind, KINDS) or "kinds: " + ", ".join(KINDS)))
    if not ID_RE.match(record_id):
        raise UsageError(f"'{record_id}' is not a valid id (lowercase letters, digits and single hyphens)")
    config = dataset_config(resolve_dataset(data))
    typer.echo(skeleton(kind, record_id, config.languages), nl=False)
