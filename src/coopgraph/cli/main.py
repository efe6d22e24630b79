"""The console script: every command module registers itself on the app."""

from __future__ import annotations

from coopgraph import api
from coopgraph.cli import build, export, imports, query, render, report, stats, validate, viz  # noqa: F401 - registers the commands
from coopgraph.cli.app import app


def main() -> None:
    api.FREEZE_VIEWS = True  # one command per process: see coopgraph.api.FREEZE_VIEWS
    app()
