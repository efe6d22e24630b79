"""One exception hierarchy for everything coopgraph reports to its users.

Every error carries the exit code that the command line turns it into:
1 for data or queries that are wrong, 2 for usage and load failures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coopgraph.report import Report


class CoopgraphError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = 2


class UsageError(CoopgraphError):
    """The command was called wrongly (unknown format, missing folder...)."""

    exit_code = 2


class QueryError(CoopgraphError):
    """The query is wrong, at ``where`` (a file name, or "query") and, when known, a line and column."""

    exit_code = 1

    def __init__(self, message: str, where: str = "query", line: int | None = None, col: int | None = None) -> None:
        self.message, self.where, self.line, self.col = message, where, line, col
        super().__init__(message)

    def located(self) -> str:
        """``where:line:col: error: message``, as compilers say it."""
        place = f"{self.where}:{self.line}:{self.col}" if self.line is not None else self.where
        return f"{place}: error: {self.message}"


class InputError(CoopgraphError):
    """Input files wrong at known places (a sheet, a mapping file): every problem, located.

    Each problem is one line, ``path:line:col: error: message``, as compilers say it.
    """

    exit_code = 1

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem{'s' * (len(problems) != 1)} in the input")


class RemoteError(CoopgraphError):
    """A remote endpoint refused, failed or did not answer in time."""

    exit_code = 1


class DataError(CoopgraphError):
    """The dataset is invalid; ``report`` holds every problem found."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"the dataset has {report.summary()}")
