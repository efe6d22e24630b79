"""The docs cannot drift: the CLI reference is generated from --help and checked here.

Regenerate with ``COOPGRAPH_REGENERATE_DOCS=1 python -m pytest tests/test_docs.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from typer.testing import CliRunner

from coopgraph.cli.main import app
from coopgraph.report import Issue

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


VALIDATION_DOC = REPO / "docs" / "validation.md"
BEGIN, END = "<!-- codes:begin -->", "<!-- codes:end -->"


def _example_case(code: str) -> str:
    """The corpus case that shows ``code`` with the fewest other issues."""
    from .test_validate_corpus import NAMES, expected

    having = [n for n in NAMES if any(c == code for c, _, _ in expected(n)[1])]
    return min(having, key=lambda n: (not n.startswith(code), len(expected(n)[1]), n))


def _snippet(folder: Path, issue: Issue) -> str:
    path = folder / issue.path
    if path.is_symlink() and not path.exists():
        return f"# {issue.path} is a link to {os.readlink(path)}, which does not exist"
    lines = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()
    shown = lines[max(0, issue.line - 3) : issue.line]
    visible = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F] if c != 0x09}
    return "\n".join((line if len(line) <= 100 else line[:100] + " …").translate(visible) for line in shown)


def render_code_catalogue(tmp: Path) -> str:
    from coopgraph.codes import CODES, GROUPS
    from coopgraph.validate import validate_dataset

    from .test_validate_corpus import assemble, expected

    out = [BEGIN]
    for group in GROUPS:
        out += ["", f"### {group.capitalize()}"]
        for code in (c for c in CODES.values() if c.group == group):
            name = _example_case(code.code)
            folder = assemble(name, tmp / name)
            here = os.getcwd()
            os.chdir(folder)  # paths in messages and hints as a steward in the folder sees them
            try:
                _, report = validate_dataset(Path("."))
            finally:
                os.chdir(here)
            issue = next(i for i in report.sorted() if i.code == code.code)
            out += [
                "",
                f"#### `{code.code}` ({code.severity})",
                "",
                code.summary,
                "",
                f"Example, from `tests/data/cases/{name}/`: {expected(name)[0]}",
                "",
                "```yaml",
                _snippet(folder, issue),
                "```",
                "",
                "```text",
                issue.format(),
                "```",
            ]
    return "\n".join([*out, "", END])


def test_validation_code_catalogue_is_up_to_date(tmp_path: Path) -> None:
    text = VALIDATION_DOC.read_text("utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    fresh = head + render_code_catalogue(tmp_path) + tail
    if os.environ.get("COOPGRAPH_REGENERATE_DOCS"):
        VALIDATION_DOC.write_text(fresh, encoding="utf-8")
    assert text == fresh


def test_the_notebook_tutorial_runs_as_written() -> None:
    import doctest

    failures, tried = doctest.testfile(
        str(REPO / "docs" / "notebook.md"), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert tried >= 10
    assert failures == 0


QUERIES_DOC = REPO / "docs" / "queries.md"
#: The parameter values the generated page shows each query with.
EXAMPLE_PARAMS = {"org": "haiphong-dost", "other": "brest", "record": "vast", "limit": "5"}
#: Queries shown with other values: two organizations three hops apart show chains through two.
EXAMPLE_OVERRIDES = {"paths-between": {"org": "vast-dast", "other": "khanh-thien"}}
SHOWN_ROWS = 12


def render_queries_doc() -> str:
    import coopgraph
    from coopgraph.library import load_library
    from coopgraph.results import markdown, shown

    graph = coopgraph.open()
    out = [
        "# Named queries",
        "",
        "The library of questions that users of cooperation data ask, in `src/coopgraph/queries/`.",
        "Run one with `coopgraph query --name NAME [--param NAME=VALUE]... [--lang vi|en]`, or",
        'from Python with `g.rows("NAME", param=value)`. `coopgraph queries` lists them.',
        "",
        "This page is generated from the query files and their answers on the bundled Hai Phong",
        "data (`COOPGRAPH_REGENERATE_DOCS=1 python -m pytest tests/test_docs.py`), so it cannot",
        f"drift. Long answers show their first {SHOWN_ROWS} rows.",
        "",
    ]
    library = load_library()
    out += [f"- [`{q.name}`](#{q.name}): {q.title}" for q in library.values()]
    for q in library.values():
        values = {**EXAMPLE_PARAMS, **EXAMPLE_OVERRIDES.get(q.name, {})}
        params = {p.name: values[p.name] for p in q.params if p.name in values}
        command = " ".join(["coopgraph query --name", q.name, *(f"--param {k}={v}" for k, v in params.items())])
        out += ["", f"## {q.name}", "", f"**{q.title}.** {q.description}", ""]
        if q.params:
            out += ["| parameter | type | default | meaning |", "| --- | --- | --- | --- |"]
            out += [f"| `{p.name}` | {p.type} | {p.default or '(required)'} | {p.description} |" for p in q.params]
            out += [""]
        out += ["```sparql", q.text.strip(), "```", "", "```console", f"$ {command} --format md", "```", ""]
        result = graph.named(q.name, params)
        header = [v.value for v in result.variables if v.value not in {p.name for p in q.params}]
        rows = [[shown(s[h], graph.base) for h in header] for s in result]
        out += [markdown(header, rows[:SHOWN_ROWS])]
        if len(rows) > SHOWN_ROWS:
            out += ["", f"… {len(rows)} rows in all."]
    return "\n".join(out) + "\n"


def test_queries_doc_is_up_to_date() -> None:
    text = render_queries_doc()
    if os.environ.get("COOPGRAPH_REGENERATE_DOCS"):
        QUERIES_DOC.write_text(text, encoding="utf-8")
    assert QUERIES_DOC.read_text("utf-8") == text
