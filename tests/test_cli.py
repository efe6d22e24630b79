"""The command line: output, exit codes, and bad input without tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import rdflib
from typer.testing import CliRunner

from coopgraph.cli.main import app

from .conftest import DATA, write_files

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_build_then_up_to_date(copy_dataset) -> None:
    folder = copy_dataset("tiny")
    first = run("build", "--data", str(folder))
    assert first.exit_code == 0
    assert first.stdout.startswith("built 9 records from 2 files: 140 triples")
    second = run("build", "--data", str(folder))
    assert second.exit_code == 0
    assert second.stdout.startswith("up to date: 140 triples")
    manifest = json.loads(run("build", "--data", str(folder), "--json").stdout)
    assert (manifest["triples"], manifest["records"], manifest["rebuilt"]) == (140, 9, False)


def test_bad_data_lists_every_problem_with_its_place(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "orgs.yaml": "organizations:\n"
            "  - id: a\n    name: {vi: A, en: A}\n    type: universty\n    country: VNM\n"
            "  - id: b\n    name: {vi: B, en: B}\n    type: city\n    parent: aa\n",
            "broken.yaml": "projects:\n  - id: p\n    title: [unclosed\n",
        },
    )
    result = run("build", "--data", str(tmp_path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    shown = str(tmp_path)
    assert lines == [
        f"{shown}/broken.yaml:4:1: error[yaml-syntax]: did not find expected ',' or ']'",
        f"{shown}/orgs.yaml:4:11: error[bad-enum]: 'universty' is not a known type; did you mean 'university'?",
        f"{shown}/orgs.yaml:5:14: error[bad-country]: 'VNM' is not an ISO 3166-1 alpha-2 country code; "
        "did you mean 'VN' (Viet Nam)?",
        f"{shown}/orgs.yaml:9:13: error[unknown-ref]: 'parent' names 'aa', which is not a known organization; "
        "did you mean 'a'?",
        "4 errors, 0 warnings",
    ]
    assert result.stdout == ""
    assert not (tmp_path / ".coopgraph").exists()


def test_validate_json_report(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.yaml": "organisations:\n  - id: a\n"})
    result = run("validate", "--data", str(tmp_path), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert [(i["code"], i["line"], i["column"], i["hint"]) for i in report["issues"]] == [
        ("unknown-section", 1, 1, "did you mean 'organizations'?")
    ]


def test_validate_clean_dataset_exits_0() -> None:
    result = run("validate", str(DATA / "tiny"))
    assert result.exit_code == 0
    assert re.fullmatch(r"0 errors, 0 warnings in 2 files, 9 records \(\d+\.\d\d s\)", result.stdout.strip())


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run("build", "--data", str(tmp_path / "nope"))
    assert (missing.exit_code, missing.stderr.strip()) == (2, f"error: {tmp_path / 'nope'}: no such dataset folder")
    unknown = run("export", "yaml", "--data", str(DATA / "tiny"))
    assert unknown.exit_code == 2
    assert "unknown RDF format 'yaml'" in unknown.stderr
    nowhere = run("export", "ttl", "-o", str(tmp_path / "no" / "dir" / "g.ttl"), "--data", str(DATA / "tiny"))
    assert nowhere.exit_code == 2
    assert "does not exist" in nowhere.stderr
    assert not (tmp_path / "no").exists()
    assert run("build", "--no-such-option").exit_code == 2


def test_hostile_strings_survive_every_syntax(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> \"quoted\" 'single' \\ back } { ; DROP . @en"
    write_files(
        tmp_path,
        {
            "a.yaml": "organizations:\n"
            f"  - id: x\n    name: {{vi: {json.dumps(hostile)}, en: {json.dumps(hostile)}}}\n    type: city\n"
            f"    notes: [{json.dumps(hostile)}]\n"
        },
    )
    for fmt, rdflib_fmt in [("turtle", "turtle"), ("nt", "nt"), ("rdfxml", "xml"), ("jsonld", "json-ld")]:
        out = tmp_path / f"g.{fmt}"
        result = run("export", fmt, "-o", str(out), "--data", str(tmp_path))
        assert result.exit_code == 0, result.stderr
        graph = rdflib.Graph().parse(out, format=rdflib_fmt)
        assert {str(o) for o in graph.objects(None, rdflib.RDFS.label)} == {hostile}, fmt


def test_console_script_prints_no_traceback(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.yaml": "organizations:\n  - id: BAD ID\n    name: x\n    type: 42\n"})
    result = subprocess.run(
        [sys.executable, "-m", "coopgraph", "build", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    codes = [line.split(": ")[1] for line in result.stderr.splitlines()[:-1]]
    assert codes == ["error[bad-id]", "error[wrong-type]", "error[wrong-type]"]
