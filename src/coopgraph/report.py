"""Problems found in a dataset: located, typed, and collected in one report."""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass, field

#: Control characters -> their escaped form, so a message stays on one line.
_VISIBLE = {c: repr(chr(c))[1:-1] for c in [*range(0x20), 0x7F]}


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Issue:
    """One problem at one place: ``path:line:col: severity[code]: message``.

    >>> Issue("data/a.yaml", 3, 5, Severity.ERROR, "unknown-ref", "no such id").format()
    'data/a.yaml:3:5: error[unknown-ref]: no such id'
    """

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    def format(self) -> str:
        """One line, whatever the data held: control characters are shown escaped.

        >>> Issue("a.yaml", 1, 1, Severity.ERROR, "bad-language", "'en\\n' is not a language").format()
        "a.yaml:1:1: error[bad-language]: 'en\\\\n' is not a language"
        """
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value}[{self.code}]: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text.translate(_VISIBLE)


@dataclass
class Report:
    """Every issue of one validation run, in file and line order."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, other: Report) -> None:
        self.issues.extend(other.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Issue]:
        return sorted(self.issues)

    def summary(self) -> str:
        """A count of errors and warnings.

        >>> Report().summary()
        '0 errors, 0 warnings'
        """
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"

    def to_json(self) -> str:
        return json.dumps(
            {
                "valid": self.valid,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "issues": [{**asdict(i), "severity": i.severity.value} for i in self.sorted()],
            },
            ensure_ascii=False,
            indent=2,
        )
