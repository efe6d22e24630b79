"""The docs cannot drift: the CLI reference is generated from --help and checked here.

Regenerate with ``COOPGRAPH_REGENERATE_DOCS=1 python -m pytest tests/test_docs.py``.
"""

from __future__ import annotations

import os
import re

from typer.testing import CliRunner

from coopgraph.cli.main import app

from .conftest import REPO

CLI_DOC = REPO / "docs" / "cli.md"


def command_names() -> list[str]:
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)  # type: ignore[union-attr]


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "100", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.stdout.rstrip()


def render_cli_reference() -> str:
    out = [
        "# Command-line reference",
        "",
        "Generated from `coopgraph --help`; `tests/test_docs.py` fails when it is out of date.",
        "",
        "Exit codes: 0 success; 1 the data is wrong (YAML errors included); "
        "2 usage errors and system errors (missing folder, unknown format, disk full).",
        "",
    ]
    out += ["```text", help_text(), "```", ""]
    for name in command_names():
        out += [f"## `coopgraph {name}`", "", "```text", help_text(name), "```", ""]
    return "\n".join(out)


def test_cli_reference_is_up_to_date() -> None:
    text = render_cli_reference()
    if os.environ.get("COOPGRAPH_REGENERATE_DOCS"):
        CLI_DOC.write_text(text, encoding="utf-8")
    assert CLI_DOC.read_text("utf-8") == text


def test_every_command_has_an_example_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for name in command_names():
        assert "Example: coopgraph " + name in help_text(name), name
        assert f"coopgraph {name}" in readme, name


def test_docs_name_no_command_the_project_does_not_have() -> None:
    known = set(command_names())
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = path.read_text("utf-8")
        blocks = "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL))
        named = re.findall(r"^\s*(?:\$ |\.venv/bin/)?coopgraph ([a-z][a-z-]*)", blocks, re.MULTILINE)
        named += re.findall(r"`(?:\.venv/bin/)?coopgraph ([a-z][a-z-]*)", text)
        for name in named:
            assert name in known, f"{path.name}: coopgraph {name}"


def test_every_example_query_in_the_ontology_docs_answers_on_the_hai_phong_data() -> None:
    import coopgraph

    text = (REPO / "docs" / "ontology.md").read_text("utf-8")
    queries = re.findall(r"^```sparql\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert len(queries) >= 5
    graph = coopgraph.open()
    for query in queries:
        assert graph.select(query), query


def is_excerpt(example: object, actual: object) -> bool:
    """The example's mappings may leave keys out; everything it shows is in ``actual``."""
    if isinstance(example, dict):
        return isinstance(actual, dict) and all(k in actual and is_excerpt(v, actual[k]) for k, v in example.items())
    if isinstance(example, list):
        return isinstance(actual, list) and len(example) == len(actual) and all(map(is_excerpt, example, actual))
    return example == actual


def test_yaml_examples_in_the_format_docs_are_excerpts_of_the_data() -> None:
    """Every field of every example record is exactly what data/haiphong holds."""
    import yaml

    data: dict[str, dict] = {}
    for path in sorted((REPO / "data" / "haiphong").glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text("utf-8"))
        if path.name == "coopgraph.yaml":
            data["$config"] = loaded
            continue
        for records in loaded.values():
            data.update({r["id"]: r for r in records})
    text = (REPO / "docs" / "format.md").read_text("utf-8")
    examples = re.findall(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    checked = 0
    for example in examples:
        loaded = yaml.safe_load(example)
        if "base" in loaded:
            assert {k: data["$config"][k] for k in loaded} == loaded
            continue
        for section, records in loaded.items():
            if section == "sources" and not isinstance(records[0], dict):
                continue  # the citation syntax example
            for record in records:
                if "id" not in record:
                    continue
                assert is_excerpt(record, data[record["id"]]), record["id"]
                checked += 1
    assert checked >= 6
