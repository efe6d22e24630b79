"""Progress of long work: a bar on a terminal, nothing in a pipe or on CI.

Library functions take a ``Progress`` and call ``stage`` and ``advance``; the
default, ``QUIET``, does nothing, so the library prints nothing unless the command
line asks for a bar (``for_terminal``).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any


class Progress:
    """Does nothing: the progress of work nobody watches."""

    def stage(self, description: str, total: int | None = None) -> None:
        """Start a stage of ``total`` steps (``None``: unknown)."""

    def advance(self, steps: int = 1) -> None:
        """Count ``steps`` more steps of the current stage as done."""

    def close(self) -> None:
        """Remove the bar."""


QUIET = Progress()


class _Bar(Progress):
    """A rich progress bar on standard error, removed when the work is done.

    It is redrawn when the work advances (at most ten times a second), not by rich's
    refresh thread: a process that runs a thread cannot safely fork, and the build forks
    its readers and its graph-rule check.
    """

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self.bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,
        )
        self.bar.start()
        self.task: Any = None
        self.drawn = 0.0

    def stage(self, description: str, total: int | None = None) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[-1].total or 0, visible=False)
        self.task = self.bar.add_task(description, total=total)
        self._draw(force=True)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, steps)
            self._draw()

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.drawn >= 0.1:
            self.drawn = now
            self.bar.refresh()

    def close(self) -> None:
        self.bar.stop()


def for_terminal() -> Progress:
    """A bar when standard error is a terminal, and ``QUIET`` in a pipe, a file or on CI."""
    if not sys.stderr.isatty() or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return QUIET
    return _Bar()
