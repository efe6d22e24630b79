"""The corpus of tests/data/cases: one dataset per problem, each with the exact issues it must produce.

A case folder holds the files it adds to (or replaces in) ``cases/_base``, a small
clean dataset, and ``expected.txt``: a comment line saying what the case is, then
one ``code file line`` per issue. ``valid-*`` cases expect none.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopgraph.cli.main import app
from coopgraph.codes import CODES
from coopgraph.errors import DataError
from coopgraph.paths import cache_dir
from coopgraph.rdf.store import build, read_manifest

from .conftest import DATA

CASES = DATA / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))
LINE_RE = re.compile(
    r"^(?P<path>.+):(?P<line>[0-9]+):(?P<col>[0-9]+): (?P<sev>error|warning)\[(?P<code>[a-z0-9-]+)\]: .+$"
)


def expected(name: str) -> tuple[str, list[tuple[str, str, int]]]:
    comment, *rows = (CASES / name / "expected.txt").read_text("utf-8").splitlines()
    assert comment.startswith("# ")
    issues = []
    for row in rows:
        code, path, line = row.split()
        issues.append((code, path, int(line)))
    return comment[2:], sorted(issues)


def assemble(name: str, target: Path) -> Path:
    """The case's dataset: the base, then the case's own files over it."""
    shutil.copytree(CASES / "_base", target)
    shutil.copytree(
        CASES / name, target, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt")
    )
    return target


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder`` (hidden ones too) with its content or link target."""
    out: dict[str, bytes | str] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                out[rel] = path.read_bytes()
            else:
                out[rel] = "dir"
    return out


def issues_of(report: dict, folder: Path) -> list[tuple[str, str, int]]:
    return sorted((i["code"], _relative(i["path"], folder), i["line"]) for i in report["issues"])


def _relative(path: str, folder: Path) -> str:
    """``path`` (as the report shows it) relative to the dataset folder, links not followed."""
    return os.path.relpath(os.path.abspath(path), os.path.abspath(folder))


def test_the_corpus_is_big_enough_and_covers_every_code() -> None:
    invalid = [n for n in NAMES if not n.startswith("valid-")]
    assert len(invalid) >= 40
    produced = {code for name in NAMES for code, _, _ in expected(name)[1]}
    assert produced == set(CODES), f"codes without a case: {set(CODES) - produced}"


@pytest.mark.parametrize("name", NAMES)
def test_case_reports_exactly_its_issues(name: str, tmp_path: Path) -> None:
    folder = assemble(name, tmp_path / name)
    _, want = expected(name)
    before = snapshot(folder)
    runner = CliRunner()

    result = runner.invoke(app, ["validate", str(folder), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    report = json.loads(result.stdout)
    assert issues_of(report, folder) == want
    has_errors = any(CODES[code].severity == "error" for code, _, _ in want)
    assert result.exit_code == (1 if has_errors else 0)
    assert report["valid"] is not has_errors

    text = runner.invoke(app, ["validate", str(folder)])
    assert "Traceback" not in text.output
    *lines, summary = text.stdout.splitlines()
    assert len(lines) == len(want)
    for line in lines:
        assert LINE_RE.match(line), line
    assert re.match(r"^[0-9]+ errors?, [0-9]+ warnings? in [0-9]+ files?, [0-9]+ records? \(\d+\.\d\d s\)$", summary)

    # build runs the same checks: it refuses data with errors and writes nothing then
    if has_errors:
        with pytest.raises(DataError) as info:
            build(folder)
        assert sorted((i.code, i.line) for i in info.value.report.issues) == sorted((c, n) for c, _, n in want)
        assert read_manifest(cache_dir(folder)) is None
    else:
        assert build(folder).manifest.warnings == len(want)

    assert snapshot(folder) == before
    assert not (Path.cwd() / "pwned").exists()


def test_github_annotations_point_at_each_issue(tmp_path: Path) -> None:
    folder = assemble("many-problems-in-one-run", tmp_path / "case")
    result = CliRunner().invoke(app, ["validate", str(folder), "--format", "github"])
    *annotations, summary = result.stdout.splitlines()
    assert result.exit_code == 1
    assert summary == "5 errors, 0 warnings"
    found = []
    for line in annotations:
        m = re.match(r"^::(error|warning) file=(.+),line=([0-9]+),col=([0-9]+),title=([a-z0-9-]+)::(.+)$", line)
        assert m, line
        found.append((m.group(5), _relative(m.group(2), folder), int(m.group(3))))
    assert sorted(found) == expected("many-problems-in-one-run")[1]


def test_hints_name_the_likely_fix(tmp_path: Path) -> None:
    hints = {}
    for name in ("unknown-ref-typo", "bad-currency-dong-sign", "bad-country-name", "unknown-field-typo"):
        folder = assemble(name, tmp_path / name)
        report = json.loads(CliRunner().invoke(app, ["validate", str(folder), "--json"]).stdout)
        hints[name] = report["issues"][0]["hint"]
    assert hints == {
        "unknown-ref-typo": "did you mean 'firm-b'?",
        "bad-currency-dong-sign": "did you mean 'VND' (Dong)?",
        "bad-country-name": "did you mean 'VN' (Viet Nam)?",
        "unknown-field-typo": "did you mean 'country'?",
    }


def test_a_large_file_and_very_long_strings_validate(tmp_path: Path) -> None:
    """20,000 records in one file (a chain of parents), a 100,000-character name and a 2 MB note."""
    folder = shutil.copytree(CASES / "_base", tmp_path / "large")
    n = 20_000
    orgs = "".join(
        f"  - id: org-{i}\n    name: {{vi: Tổ chức {i}, en: Organization {i}}}\n    type: enterprise\n"
        + (f"    parent: org-{i - 1}\n" if i else "")
        + "    sources: [report-2016]\n"
        for i in range(n)
    )
    project = (
        "projects:\n  - id: big\n    title: {vi: " + "Đ" * 100_000 + ", en: Big}\n"
        "    notes: ['" + "x" * 2_000_000 + "']\n    sources: [report-2016]\n"
        f"    participants: [{{org: org-{n - 1}}}, {{org: univ-a}}]\n"
    )
    (folder / "large.yaml").write_text("organizations:\n" + orgs + project, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(folder), "--format", "json"])
    report = json.loads(result.stdout)
    assert (result.exit_code, report["errors"], report["warnings"], report["records"]) == (0, 0, 0, n + 5)
