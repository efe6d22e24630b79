"""``coopgraph schema`` and ``coopgraph new``: what editors and stewards start from."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from coopgraph.cli.main import app
from coopgraph.model import SECTIONS
from coopgraph.validate import validate_dataset

from .conftest import DATA, REPO, write_files


class _EditorLoader(yaml.SafeLoader):
    """YAML as yaml-language-server reads it (YAML 1.2 core: a date stays text)."""


_EditorLoader.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def schema_of(*args: str) -> dict:
    result = CliRunner().invoke(app, ["schema", *args])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def errors(schema: dict, text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [e.message for e in validator.iter_errors(yaml.load(text, Loader=_EditorLoader))]


def test_every_hai_phong_file_matches_the_schema() -> None:
    data, config = schema_of(), schema_of("--config")
    folder = REPO / "data" / "haiphong"
    for path in sorted(folder.glob("*.yaml")):
        schema = config if path.name == "coopgraph.yaml" else data
        assert errors(schema, path.read_text("utf-8")) == [], path.name


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown-field-typo", "Additional properties are not allowed ('contry' was unexpected)"),
        ("bad-enum-organization-type", "'universty' is not one of"),
        ("missing-field-type", "'type' is a required property"),
        ("bad-id-spaces-and-capitals", "'Viện ABC' does not match"),
        ("bad-currency-dong-sign", "'VNĐ' is not one of"),
        ("unknown-section", "Additional properties are not allowed ('organisations' was unexpected)"),
    ],
)
def test_the_schema_flags_what_an_editor_can_see(case: str, message: str) -> None:
    found = errors(schema_of(), (DATA / "cases" / case / "case.yaml").read_text("utf-8"))
    assert any(e.startswith(message) for e in found), found


def test_schema_is_written_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "coopgraph.schema.json"
    result = CliRunner().invoke(app, ["schema", "-o", str(target)])
    assert result.exit_code == 0
    assert json.loads(target.read_text("utf-8"))["title"] == "coopgraph data file"


@pytest.mark.parametrize("kind", [cls.KIND for cls in SECTIONS.values()])
def test_a_skeleton_has_only_known_fields_and_needs_only_filling_in(kind: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["new", kind, "new-record", "--data", str(DATA / "tiny")])
    assert result.exit_code == 0, result.output
    write_files(tmp_path, {"new.yaml": result.stdout})
    _, report = validate_dataset(tmp_path)
    codes = {i.code for i in report.errors}
    assert codes, "an empty skeleton is not a valid record"
    assert codes <= {"empty-value", "wrong-type", "bad-number"}, report.errors
    section = next(iter(yaml.safe_load(result.stdout)))
    assert kind == SECTIONS[section].KIND


def test_new_refuses_an_unknown_kind_or_a_bad_id() -> None:
    kind = CliRunner().invoke(app, ["new", "organisation", "x"])
    assert (kind.exit_code, kind.stderr.strip()) == (
        2,
        "error: 'organisation' is not a record kind; did you mean 'organization'?",
    )
    bad = CliRunner().invoke(app, ["new", "project", "Dự án 1"])
    assert bad.exit_code == 2
    assert re.search(r"'Dự án 1' is not a valid id", bad.stderr)
