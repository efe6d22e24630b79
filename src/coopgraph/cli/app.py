"""The typer application, shared options, and the error -> exit code contract.

Exit codes: 0 success, 1 invalid data or query, 2 usage or load error. A
``CoopgraphError`` is printed as a message, never as a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from coopgraph.errors import CoopgraphError, DataError, InputError, QueryError
from coopgraph.report import Report

app = typer.Typer(
    name="coopgraph",
    help="A knowledge graph of institutions and who cooperates with whom.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        help="Dataset folder. Default: the current folder if it has a coopgraph.yaml, "
        "else the bundled Hai Phong dataset.",
        show_default=False,
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def print_report(report: Report) -> None:
    for issue in report.sorted():
        typer.echo(issue.format(), err=True)
    typer.echo(report.summary(), err=True)


def handles_errors(func: F) -> F:
    """Turn coopgraph errors into a message on stderr and the right exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DataError as exc:
            print_report(exc.report)
            raise typer.Exit(exc.exit_code) from None
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(problem, err=True)
            raise typer.Exit(exc.exit_code) from None
        except QueryError as exc:
            typer.echo(exc.located(), err=True)
            raise typer.Exit(exc.exit_code) from None
        except CoopgraphError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:  # disk full, permission denied...: the system's words, no traceback
            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]
