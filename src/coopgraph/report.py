"""Problems found in a dataset: located, typed, and collected in one report."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field

from coopgraph.codes import CODES

#: Control characters -> their escaped form, so a message stays on one line.
_VISIBLE = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
}
_VISIBLE.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})


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

    def __post_init__(self) -> None:
        known = CODES.get(self.code)
        if known is None or known.severity != self.severity.value:
            raise ValueError(f"{self.code!r} is not a catalogued {self.severity.value} code")

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

    def to_dict(self, **context: object) -> dict[str, object]:
        """The report as a JSON-ready object; its schema is documented in docs/validation.md.

        >>> Report([Issue("a.yaml", 2, 3, Severity.WARNING, "no-source", "cites nothing")]).to_dict(dataset="d")
        ... # doctest: +NORMALIZE_WHITESPACE
        {'report': 'coopgraph-validation', 'version': 1, 'dataset': 'd', 'valid': True, 'errors': 0, 'warnings': 1,
         'issues': [{'path': 'a.yaml', 'line': 2, 'column': 3, 'severity': 'warning', 'code': 'no-source',
                     'message': 'cites nothing', 'hint': None}]}
        """
        return {
            "report": "coopgraph-validation",
            "version": REPORT_VERSION,
            **context,
            "valid": self.valid,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "issues": [
                {
                    "path": i.path,
                    "line": i.line,
                    "column": i.col,
                    "severity": i.severity.value,
                    "code": i.code,
                    "message": i.message,
                    "hint": i.hint,
                }
                for i in self.sorted()
            ],
        }

    def to_json(self, **context: object) -> str:
        return json.dumps(self.to_dict(**context), ensure_ascii=False, indent=2)

    def to_github(self) -> str:
        """GitHub Actions workflow commands: one annotation per issue, on its file and line.

        >>> print(Report([Issue("a.yaml", 2, 3, Severity.ERROR, "bad-id", "50% off,\\nreally")]).to_github())
        ::error file=a.yaml,line=2,col=3,title=bad-id::50%25 off,\\nreally
        """
        lines = []
        for i in self.sorted():
            message = (i.message + (f"; {i.hint}" if i.hint else "")).translate(_VISIBLE)
            lines.append(
                f"::{i.severity.value} file={_gh_property(i.path.translate(_VISIBLE))},line={i.line},col={i.col},"
                f"title={_gh_property(i.code)}::{_gh_data(message)}"
            )
        return "\n".join(lines)


#: Bump when a field of the JSON report changes meaning or disappears.
REPORT_VERSION = 1


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
