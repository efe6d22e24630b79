"""``coopgraph import``: the CORDIS profile on real data, the general sheet import, and bad input.

The expected figures of the CORDIS fixture (tests/data/cordis-vietnam, see its SOURCE.md)
are computed here from the CSV files with the csv module, and checked against the numbers
known for the extract, against the YAML the import writes, and against the built graph.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import coopgraph
from coopgraph.cli.main import app
from coopgraph.imports import import_profile

from .conftest import DATA, write_files

CORDIS = DATA / "cordis-vietnam"
CSV_FILES = ("project.csv", "organization.csv", "euroSciVoc.csv", "legalBasis.csv")
HEADER = "# Written by coopgraph import from CORDIS files (cordis profile). Import again to update it.\n"
SOURCE_ID = "cordis-horizon-europe"
#: The ontology's namespace.
NS = "https://w3id.org/coopgraph/ns#"
ROLES = {
    "coordinator": "coordinator",
    "participant": "participant",
    "associatedPartner": "associated-partner",
    "thirdParty": "third-party",
}
EU_CODES = {"EL": "GR", "UK": "GB"}
#: A project that is alone in its start month (2026-03): leaving it out removes a file.
LEFT_OUT = "101235052"
#: EmergeNOW: Greek (EL) partners and the Vietnamese plant protection institute.
EMERGENOW = "101182461"

runner = CliRunner()


def run(*args: Any):
    return runner.invoke(app, [str(a) for a in args])


def clean_exit(result: Any) -> None:
    """The command ended through its own exit, never by an exception's traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


# --- helpers: CSV facts, YAML records, folders -------------------------------------------------------


def read_csv(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def cordis_facts(folder: Path = CORDIS) -> dict[str, Any]:
    """What the CORDIS files hold, counted with the csv module."""
    projects = read_csv(folder, "project.csv")
    rows = read_csv(folder, "organization.csv")
    members: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        members[row["projectID"]].add(row["organisationID"])
    pairs = {pair for orgs in members.values() for pair in itertools.combinations(sorted(orgs), 2)}
    return {
        "projects": len({p["projectID"] for p in projects}),
        "organizations": len({r["organisationID"] for r in rows}),
        "vn": len({r["organisationID"] for r in rows if r["country"] == "VN"}),
        "roles": Counter(r["role"] for r in rows),
        "vn_roles": Counter(r["role"] for r in rows if r["country"] == "VN"),
        "pairs": len(pairs),
        "countries": len({EU_CODES.get(r["country"], r["country"]) for r in rows}),
        "rows": len(rows),
    }


def records(folder: Path, section: str) -> list[dict[str, Any]]:
    """Every record of ``section`` in the YAML files of ``folder`` (only the files that can hold it)."""
    out: list[dict[str, Any]] = []
    for path in sorted(folder.rglob("*.yaml")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        text = path.read_text(encoding="utf-8")
        if not re.search(rf"^{section}:", text, re.MULTILINE):
            continue
        document = yaml.safe_load(text)
        if isinstance(document, dict):
            out.extend(document.get(section) or [])
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cordis_copy(target: Path, skip: str | None = None) -> Path:
    """The CORDIS fixture copied into ``target`` (writable), without the rows of project ``skip``."""
    target.mkdir(parents=True)
    for name in CSV_FILES:
        if skip is None:
            shutil.copyfile(CORDIS / name, target / name)
            continue
        with open(CORDIS / name, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        with open(target / name, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(r for r in rows if r[0] != skip)
    return target


def edit_cell(folder: Path, name: str, where: Callable[[dict[str, str]], bool], column: str, value: str):
    """Set ``column`` of the first row ``where`` accepts; return the (line, column) of that cell."""
    with open(folder / name, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows, lines = [], []
        start = reader.line_num + 1
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    col = header.index(column)
    index = next(i for i, row in enumerate(rows) if where(dict(zip(header, row, strict=True))))
    rows[index][col] = value
    with open(folder / name, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return lines[index], col + 1


def line_of(folder: Path, name: str, text: str) -> int:
    """The 1-based line of ``name`` that holds ``text`` (the fixture has no multi-line fields)."""
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CORDIS fixture imported once, with the library call."""
    out = tmp_path_factory.mktemp("cordis") / "dataset"
    result = import_profile("cordis", CORDIS, out)
    assert result.removed == []
    return out


@pytest.fixture(scope="module")
def loaded(imported: Path) -> dict[str, list[dict[str, Any]]]:
    """The records of the import, by section, each YAML file read once."""
    return {section: records(imported, section) for section in ("organizations", "projects", "programmes")}


@pytest.fixture(scope="module")
def graph(imported: Path) -> Any:
    return coopgraph.open(imported)


def count(graph: Any, sparql: str) -> int:
    return int(graph.select(sparql)[0]["n"])


# --- 1. counts and roles -----------------------------------------------------------------------------


def test_cli_import_writes_a_valid_dataset(tmp_path: Path) -> None:
    out = tmp_path / "cordis"
    result = run("import", CORDIS, "--profile", "cordis", "-o", out)
    clean_exit(result)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    files = snapshot(out)
    facts = cordis_facts()
    assert re.fullmatch(
        rf"{re.escape(str(out))}: {facts['organizations']} organizations, {facts['projects']} projects, "
        rf"5 programmes, {facts['rows']} participations in {len(files)} files \([0-9.]+ s\)\n",
        result.stderr,
    ), result.stderr
    assert {"coopgraph.yaml", "sources.yaml", "programmes.yaml", "organizations/vn.yaml"} <= set(files)
    assert all(re.fullmatch(r"(organizations/[a-z]{2}|projects/\d{4}-\d{2})\.yaml", f) for f in files if "/" in f)
    assert all(text.decode("utf-8").startswith(HEADER) for text in files.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cordis"]  # no temporary folder left behind
    checked = run("validate", "--data", out)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("0 errors, 0 warnings in ")


def test_yaml_counts_match_the_csv_files(imported: Path, loaded: dict[str, Any]) -> None:
    facts = cordis_facts()
    assert (facts["projects"], facts["organizations"], facts["vn"], facts["pairs"]) == (23, 332, 24, 3208)
    assert facts["roles"] == {"participant": 185, "associatedPartner": 150, "coordinator": 23, "thirdParty": 8}
    assert facts["vn_roles"] == {"associatedPartner": 16, "participant": 9, "thirdParty": 1}

    orgs = loaded["organizations"]
    projects = loaded["projects"]
    assert len(orgs) == len({o["id"] for o in orgs}) == facts["organizations"]
    assert len(projects) == len({p["id"] for p in projects}) == facts["projects"]
    csv_orgs = {r["organisationID"] for r in read_csv(CORDIS, "organization.csv")}
    assert {o["id"] for o in orgs} == {f"cordis-org-{oid}" for oid in csv_orgs}
    assert {p["id"] for p in projects} == {f"cordis-project-{r['projectID']}" for r in read_csv(CORDIS, "project.csv")}
    vietnamese = [o for o in orgs if o.get("country") == "VN"]
    assert len(vietnamese) == facts["vn"] == 24
    assert yaml.safe_load((imported / "organizations/vn.yaml").read_text(encoding="utf-8")) == {
        "organizations": vietnamese
    }
    assert len({o["country"] for o in orgs}) == facts["countries"]

    pairs = set()
    for project in projects:
        members = sorted({p["org"] for p in project["participants"]})
        pairs |= set(itertools.combinations(members, 2))
    assert len(pairs) == facts["pairs"] == 3208


def test_roles_are_mapped(imported: Path, loaded: dict[str, Any]) -> None:
    facts = cordis_facts()
    projects = loaded["projects"]
    roles = Counter(p["role"] for project in projects for p in project["participants"])
    assert roles == {ROLES[role]: n for role, n in facts["roles"].items()}
    assert roles == {"participant": 185, "associated-partner": 150, "coordinator": 23, "third-party": 8}
    country = {o["id"]: o.get("country") for o in loaded["organizations"]}
    vn_roles = Counter(p["role"] for project in projects for p in project["participants"] if country[p["org"]] == "VN")
    assert vn_roles == {ROLES[role]: n for role, n in facts["vn_roles"].items()}
    assert vn_roles == {"associated-partner": 16, "participant": 9, "third-party": 1}
    # Each CORDIS row is one participant entry, with its role mapped.
    by_row = Counter(
        (f"cordis-project-{r['projectID']}", f"cordis-org-{r['organisationID']}", ROLES[r["role"]])
        for r in read_csv(CORDIS, "organization.csv")
    )
    by_yaml = Counter((project["id"], p["org"], p["role"]) for project in projects for p in project["participants"])
    assert by_yaml == by_row


def test_graph_counts_match_the_csv_files(graph: Any) -> None:
    facts = cordis_facts()
    [summary] = graph.rows("summary")
    assert {k: int(v) for k, v in summary.items()} == {
        "organizations": facts["organizations"],
        "activities": facts["projects"],
        "agreements": 0,
        "projects": facts["projects"],
        "exchanges": 0,
        "pairs": facts["pairs"],
        "countries": facts["countries"],
        "sources": 1,
    }
    assert (int(summary["organizations"]), int(summary["projects"]), int(summary["pairs"])) == (332, 23, 3208)
    vn = 'FILTER (STRENDS(STR(?c), "/VN"))'
    assert count(graph, f"SELECT (COUNT(?o) AS ?n) WHERE {{ ?o a coop:Organization ; coop:country ?c {vn} }}") == 24
    for cordis_role, prop in [("associatedPartner", "associatedPartner"), ("thirdParty", "thirdParty")]:
        iri = f"<{NS}{prop}>"
        assert count(graph, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p {iri} ?o }}") == facts["roles"][cordis_role]
        vn_count = count(graph, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p {iri} ?o . ?o coop:country ?c {vn} }}")
        assert vn_count == facts["vn_roles"][cordis_role]
    assert count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?p coop:coordinator ?o }") == facts["roles"]["coordinator"]
    links = count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?p coop:participant ?o }")
    assert links == facts["rows"] == 366
    assert links - 150 - 8 - 23 == facts["roles"]["participant"] == 185
    for prop in ("associatedPartner", "thirdParty"):
        rows = graph.select(f"SELECT ?t WHERE {{ <{NS}{prop}> a ?t }}")
        assert "http://www.w3.org/2002/07/owl#ObjectProperty" in {r["t"] for r in rows}


def test_summary_named_query_on_the_command_line(imported: Path) -> None:
    facts = cordis_facts()
    result = run("query", "--data", imported, "--name", "summary", "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)["results"]["bindings"]
    got = {k: int(v["value"]) for k, v in row.items()}
    assert (got["organizations"], got["projects"], got["activities"], got["pairs"], got["countries"]) == (
        facts["organizations"],
        facts["projects"],
        facts["projects"],
        facts["pairs"],
        facts["countries"],
    )
    assert (got["organizations"], got["projects"], got["pairs"]) == (332, 23, 3208)


# --- 2. exact records --------------------------------------------------------------------------------


def test_a_vietnamese_organization(imported: Path, loaded: dict[str, Any]) -> None:
    [row] = [r for r in read_csv(CORDIS, "organization.csv") if r["name"] == "VIEN BAO VE THUC VAT"]
    assert (row["activityType"], row["country"]) == ("PUB", "VN")
    oid = row["organisationID"]
    [org] = [o for o in loaded["organizations"] if o["id"] == f"cordis-org-{oid}"]
    assert org == {
        "id": f"cordis-org-{oid}",
        "name": {"en": "VIEN BAO VE THUC VAT"},
        "acronyms": [row["shortName"]],
        "type": "government-body",
        "country": "VN",
        "city": row["city"],
        "identifiers": {"cordis": oid},
        "sources": [SOURCE_ID],
    }
    assert (oid, org["city"], org["acronyms"]) == ("878669748", "HANOI", ["PLANT PROTECTION RESEARCH INSTITUTE"])
    assert isinstance(org["identifiers"]["cordis"], str)


def test_a_project(imported: Path, loaded: dict[str, Any]) -> None:
    [row] = [r for r in read_csv(CORDIS, "project.csv") if r["projectID"] == EMERGENOW]
    [main] = [
        r["legalBasis"]
        for r in read_csv(CORDIS, "legalBasis.csv")
        if r["projectID"] == EMERGENOW and r["uniqueProgrammePart"] == "true"
    ]
    parts = sorted(
        (r for r in read_csv(CORDIS, "organization.csv") if r["projectID"] == EMERGENOW), key=lambda r: int(r["order"])
    )
    fields = sorted({r["euroSciVocTitle"] for r in read_csv(CORDIS, "euroSciVoc.csv") if r["projectID"] == EMERGENOW})
    [project] = [p for p in loaded["projects"] if p["id"] == f"cordis-project-{EMERGENOW}"]
    assert project["title"] == {"en": row["title"]}
    assert project["acronyms"] == [row["acronym"]] == ["EmergeNOW"]
    assert project["period"] == {"start": row["startDate"], "end": row["endDate"]}
    assert project["period"] == {"start": "2025-09-01", "end": "2028-08-31"}
    assert project["budget"] == {"amount": int(row["ecMaxContribution"]), "currency": "EUR"}
    assert project["budget"]["amount"] == 3526150
    assert project["part_of"] == main.lower().replace(".", "-") == "horizon-2-6"
    assert project["participants"] == [
        {"org": f"cordis-org-{r['organisationID']}", "role": ROLES[r["role"]]} for r in parts
    ]
    assert project["participants"][0] == {"org": "cordis-org-998802502", "role": "coordinator"}
    assert {"org": "cordis-org-878669748", "role": "participant"} in project["participants"]
    assert project["identifiers"] == {"cordis": EMERGENOW, "doi": row["grantDoi"]}
    assert project["fields"] == fields
    assert project["sources"] == [SOURCE_ID]
    assert project["description"] == {"en": row["objective"]}
    programmes = {p["id"]: p for p in loaded["programmes"]}
    assert programmes["horizon-2-6"]["acronyms"] == [main]
    assert programmes["horizon-2-6"]["part_of"] == "horizon"
    in_file = yaml.safe_load((imported / "projects/2025-09.yaml").read_text(encoding="utf-8"))["projects"]
    assert project in in_file


def test_eu_country_codes_become_iso_codes(imported: Path, loaded: dict[str, Any]) -> None:
    rows = read_csv(CORDIS, "organization.csv")
    greek = {f"cordis-org-{r['organisationID']}" for r in rows if r["country"] == "EL"}
    british = {f"cordis-org-{r['organisationID']}" for r in rows if r["country"] == "UK"}
    assert greek and british
    orgs = {o["id"]: o for o in loaded["organizations"]}
    assert not [o for o in orgs.values() if o.get("country") in ("EL", "UK")]
    assert {orgs[i]["country"] for i in greek} == {"GR"}
    assert {orgs[i]["country"] for i in british} == {"GB"}
    gr = yaml.safe_load((imported / "organizations/gr.yaml").read_text(encoding="utf-8"))["organizations"]
    assert greek <= {o["id"] for o in gr}
    assert not (imported / "organizations/el.yaml").exists()
    assert not (imported / "organizations/uk.yaml").exists()


# --- 3. repeatability and stale files ----------------------------------------------------------------


def test_importing_again_writes_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    import_profile("cordis", CORDIS, first)
    assert run("import", CORDIS, "--profile", "cordis", "-o", second).exit_code == 0
    before = snapshot(first)
    assert len(before) > 80
    assert snapshot(second) == before
    again = run("import", CORDIS, "-p", "cordis", "-o", first)
    assert again.exit_code == 0, again.output
    assert "removed" not in again.stderr
    assert snapshot(first) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_stale_files_are_removed_only_when_imported(tmp_path: Path) -> None:
    partial = cordis_copy(tmp_path / "partial", skip=LEFT_OUT)
    assert LEFT_OUT not in {r["projectID"] for r in read_csv(partial, "organization.csv")}
    fresh = tmp_path / "fresh"
    import_profile("cordis", partial, fresh)
    expected = snapshot(fresh)

    data = tmp_path / "data"
    import_profile("cordis", CORDIS, data)
    full = snapshot(data)
    gone = set(full) - set(expected)
    assert "projects/2026-03.yaml" in gone
    mine = "organizations:\n  - id: hand-made\n    name: {en: Written by hand}\n    type: other\n"
    write_files(data, {"mine.yaml": mine, "notes/more.yml": "# kept\nprojects: []\n"})
    result = run("import", partial, "--profile", "cordis", "-o", data)
    clean_exit(result)
    assert result.exit_code == 0, result.output
    removed = {line for line in result.stderr.splitlines() if line.startswith("removed ")}
    assert removed == {f"removed {(data / rel).resolve()}: the import no longer writes it" for rel in gone}
    after = snapshot(data)
    assert after.pop("mine.yaml").decode("utf-8") == mine
    assert after.pop("notes/more.yml") == b"# kept\nprojects: []\n"
    assert after == expected
    facts = cordis_facts(partial)
    assert len(records(data, "projects")) == facts["projects"] == 22
    assert len([o for o in records(data, "organizations") if o["id"] != "hand-made"]) == facts["organizations"]

    # A file the import wrote, once a steward removes its header, is theirs: it stays.
    owned = tmp_path / "owned"
    import_profile("cordis", CORDIS, owned)
    month = owned / "projects/2026-03.yaml"
    text = month.read_text(encoding="utf-8").removeprefix(HEADER)
    month.write_text(text, encoding="utf-8")
    assert run("import", partial, "--profile", "cordis", "-o", owned).exit_code == 0
    assert month.read_text(encoding="utf-8") == text
    assert set(snapshot(owned)) == set(expected) | {"projects/2026-03.yaml"}


# --- 4. bad CORDIS input -----------------------------------------------------------------------------


def _missing_column(folder: Path) -> str:
    with open(folder / "organization.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    drop = rows[0].index("role")
    with open(folder / "organization.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([c for i, c in enumerate(r) if i != drop] for r in rows)
    return (
        "bad/organization.csv:1:1: error: the column 'role' is missing (the header has: projectID, projectAcronym, "
        "organisationID, vatNumber, name, shortName, departmentName, SME, activityType, street, postCode, city, …)"
    )


def _bad_date(folder: Path) -> str:
    line, col = edit_cell(folder, "project.csv", lambda r: r["projectID"] == EMERGENOW, "startDate", "2023-02-30")
    assert (col, line) == (5, line_of(CORDIS, "project.csv", f"{EMERGENOW},EmergeNOW,"))
    return f"bad/project.csv:{line}:5: error: 'startDate' is not a date: '2023-02-30' (2023-02 has no day 30"


def _unknown_role(folder: Path) -> str:
    line, col = edit_cell(folder, "organization.csv", lambda r: r["organisationID"] == "878669748", "role", "partner")
    assert col == 19
    return (
        f"bad/organization.csv:{line}:19: error: the role 'partner' is not one of CORDIS's: "
        "coordinator, participant, associatedPartner, thirdParty"
    )


def _bad_organisation_id(folder: Path) -> str:
    line, col = edit_cell(
        folder, "organization.csv", lambda r: r["organisationID"] == "878669748", "organisationID", "87866974B"
    )
    assert line == line_of(CORDIS, "organization.csv", ",878669748,")
    return f"bad/organization.csv:{line}:{col}: error: 'organisationID' must be a number, not '87866974B'"


def _wrong_field_count(folder: Path) -> str:
    path = folder / "organization.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    line = line_of(CORDIS, "organization.csv", ",878669748,")
    lines[line - 1] += ",extra"
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"bad/organization.csv:{line}:1: error: the row has 25 fields; the header has 24"


def _not_utf8(folder: Path) -> str:
    path = folder / "organization.csv"
    data = path.read_bytes()
    assert b"VIEN BAO VE THUC VAT" in data
    path.write_bytes(data.replace(b"VIEN BAO VE THUC VAT", "VIÊN BAO VÊ THUC VÂT".encode("latin-1"), 1))
    return "the file is not UTF-8"


BAD_CORDIS = {
    "missing-column": _missing_column,
    "bad-date": _bad_date,
    "unknown-role": _unknown_role,
    "non-numeric-organisationID": _bad_organisation_id,
    "wrong-number-of-fields": _wrong_field_count,
    "not-utf8": _not_utf8,
}


@pytest.mark.parametrize("case", list(BAD_CORDIS))
def test_bad_cordis_input_is_reported_and_writes_nothing(
    case: str, tmp_path: Path, imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = cordis_copy(tmp_path / "bad")
    expected = BAD_CORDIS[case](bad)
    result = run("import", "bad", "--profile", "cordis", "-o", "never")
    clean_exit(result)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert re.match(r"bad/[A-Za-z]+\.csv:\d+:\d+: error: ", lines[0]), lines[0]
    if case == "not-utf8":
        assert re.fullmatch(
            r"bad/organization\.csv:244:\d+: error: the file is not UTF-8 \(.+\); save it as UTF-8", lines[0]
        ), lines[0]
    else:
        assert lines[0].startswith(expected), (lines[0], expected)
    assert result.stdout == ""
    assert not (tmp_path / "never").exists()
    # A dataset folder that holds an earlier import is left as it was.
    existing = tmp_path / "existing"
    shutil.copytree(imported, existing, ignore=shutil.ignore_patterns(".coopgraph"))
    before = snapshot(existing)
    again = run("import", "bad", "--profile", "cordis", "-o", "existing")
    assert (again.exit_code, again.stderr) == (1, result.stderr)
    assert snapshot(existing) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "existing"]


def test_missing_cordis_file_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bad = cordis_copy(tmp_path / "bad")
    (bad / "legalBasis.csv").unlink()
    result = run("import", "bad", "--profile", "cordis", "-o", "out")
    clean_exit(result)
    assert (result.exit_code, result.stderr) == (
        2,
        "error: bad: the cordis profile needs legalBasis.csv in this folder\n",
    )
    assert not (tmp_path / "out").exists()
    not_folder = run("import", "bad/project.csv", "--profile", "cordis", "-o", "out")
    assert not_folder.exit_code == 2
    assert not_folder.stderr.startswith("error: bad/project.csv: not a folder; the cordis profile reads a folder")
    assert not (tmp_path / "out").exists()
    unknown = run("import", "bad", "--profile", "horizon", "-o", "out")
    assert (unknown.exit_code, unknown.stderr) == (2, "error: no import profile named 'horizon'; profiles: cordis\n")
    assert not (tmp_path / "out").exists()


def test_console_script_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    bad = cordis_copy(tmp_path / "bad")
    line, _ = edit_cell(bad, "organization.csv", lambda r: r["organisationID"] == "878669748", "role", "boss")
    result = subprocess.run(
        [sys.executable, "-m", "coopgraph", "import", str(bad), "--profile", "cordis", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"bad/organization.csv:{line}:19: error: the role 'boss' is not one of CORDIS's")
    assert not (tmp_path / "out").exists()


def test_non_ascii_digits_are_not_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """'²'.isdigit() is True in Python, but int('²') fails: the cell must be reported, not crash."""
    monkeypatch.chdir(tmp_path)
    bad = cordis_copy(tmp_path / "bad")
    line, col = edit_cell(
        bad, "organization.csv", lambda r: r["organisationID"] == "878669748", "organisationID", "87866974²"
    )
    result = run("import", "bad", "--profile", "cordis", "-o", "out")
    clean_exit(result)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"bad/organization.csv:{line}:{col}: error: 'organisationID' must be a number, not '87866974²'\n"
    )
    assert not (tmp_path / "out").exists()


# --- 5. the general sheet import ---------------------------------------------------------------------

SHEET_ROWS = [
    ["Code", "Name", "Short", "Kind", "Country", "Staff", "City", "About"],
    [
        "HUST",
        "Hanoi University of Science and Technology",
        "HUST;BKHN",
        "Uni",
        "VN",
        "",
        "Hà Nội",
        "Founded 1956.\nBK.",
    ],
    ["HUST", "Đại học Bách khoa Hà Nội", "ĐHBK", "Uni", "VN", "", "", ""],
    ["VAST 1", "Vietnam Academy of Science and Technology", "VAST", "Institute", "VN", "", "Hà Nội", ""],
    ["X", "<script>alert(1)</script>", "- x;&anchor;*star", "Network", "UK", "7", "key: value", "# no comment\n- x: y"],
    ["Q", 'Cảng "Quảng Ninh", JSC', "", "Firm", "EL", "", "Hạ Long", ""],
]
ORGS_MAPPING = """\
section: organizations
id: "org-{Code}"
key: Code
fields:
  name.en: Name
  acronyms: {column: Short, split: ";"}
  type: {column: Kind, map: {Uni: university, Institute: research-institute, Network: group}, default: other}
  country: {column: Country, map: {UK: GB, EL: GR, VN: VN}}
  size: {column: Staff, as: integer}
  city: City
  description.en: About
sources: [partner-list]
"""
ORGS = [
    {
        "id": "org-hust",
        "name": {"en": "Hanoi University of Science and Technology"},
        "acronyms": ["HUST", "BKHN", "ĐHBK"],
        "type": "university",
        "country": "VN",
        "city": "Hà Nội",
        "description": {"en": "Founded 1956.\nBK."},
        "sources": ["partner-list"],
        "aliases": ["Đại học Bách khoa Hà Nội"],
    },
    {
        "id": "org-q",
        "name": {"en": 'Cảng "Quảng Ninh", JSC'},
        "type": "other",
        "country": "GR",
        "city": "Hạ Long",
        "sources": ["partner-list"],
    },
    {
        "id": "org-vast-1",
        "name": {"en": "Vietnam Academy of Science and Technology"},
        "acronyms": ["VAST"],
        "type": "research-institute",
        "country": "VN",
        "city": "Hà Nội",
        "sources": ["partner-list"],
    },
    {
        "id": "org-x",
        "name": {"en": "<script>alert(1)</script>"},
        "acronyms": ["- x", "&anchor", "*star"],
        "type": "group",
        "country": "GB",
        "size": 7,
        "city": "key: value",
        "description": {"en": "# no comment\n- x: y"},
        "sources": ["partner-list"],
    },
]
PROJECTS_MAPPING = """\
section: projects
sheet: Projects
id: "proj-{Ref}"
fields:
  title.en: Title
  kind: {column: Scheme, map: {RIA: research-project}, default: project}
  period.start: {column: Start, as: date}
  period.end: {column: End, as: date}
  budget.amount: {column: Budget, as: number}
  budget.currency: {value: EUR}
  participants: {column: Partners, split: ";", prefix: "org-", role: partner}
sources: [partner-list]
"""
PROJECTS = [
    {
        "id": "proj-42",
        "title": {"en": "Green river"},
        "kind": "project",
        "period": {"start": "2024-01-15"},
        "budget": {"amount": 120000, "currency": "EUR"},
        "participants": [{"org": "org-q", "role": "partner"}, {"org": "org-vast-1", "role": "partner"}],
        "sources": ["partner-list"],
    },
    {
        "id": "proj-p-1",
        "title": {"en": "Smart port &amp; <b>ships</b>"},
        "kind": "research-project",
        "period": {"start": "2023-05-01", "end": "2025-12"},
        "budget": {"amount": "4099406.25", "currency": "EUR"},
        "participants": [
            {"org": "org-hust", "role": "partner"},
            {"org": "org-vast-1", "role": "partner"},
            {"org": "org-x", "role": "partner"},
        ],
        "sources": ["partner-list"],
    },
]


def write_sheet(folder: Path, name: str = "orgs.csv", rows: list[list[str]] = SHEET_ROWS) -> Path:
    path = folder / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def write_workbooks(folder: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Partners"
    for row in SHEET_ROWS:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    book.save(folder / "orgs.xlsx")

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Not the sheet to read"])
    sheet = book.create_sheet("Projects")
    sheet.append(["Ref", "Title", "Start", "End", "Budget", "Partners", "Scheme"])
    sheet.append(
        [
            "P-1",
            "Smart port &amp; <b>ships</b>",
            dt.datetime(2023, 5, 1),
            "2025-12",
            4099406.25,
            "HUST; VAST 1; X",
            "RIA",
        ]
    )
    sheet.append([42, "Green river", dt.date(2024, 1, 15), None, 120000, "Q;VAST 1", None])
    sheet.append([None] * 7)
    book.save(folder / "projects.xlsx")


def imported_sheet(path: Path) -> tuple[str, Any]:
    text = path.read_text(encoding="utf-8")
    return text.splitlines()[0], yaml.safe_load(text)


def test_sheet_import_with_a_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_sheet(tmp_path)
    write_workbooks(tmp_path)
    (tmp_path / "orgs.mapping.yaml").write_text(ORGS_MAPPING, encoding="utf-8")
    (tmp_path / "projects.mapping.yaml").write_text(PROJECTS_MAPPING, encoding="utf-8")

    from_csv = run("import", "orgs.csv", "--mapping", "orgs.mapping.yaml", "-o", "orgs.yaml")
    clean_exit(from_csv)
    assert from_csv.exit_code == 0, from_csv.output
    assert from_csv.stderr.startswith("orgs.yaml: 4 organizations in 1 file (")
    header, document = imported_sheet(tmp_path / "orgs.yaml")
    assert (
        header == "# Written by coopgraph import from orgs.csv (mapping orgs.mapping.yaml). Import again to update it."
    )
    assert document == {"organizations": ORGS}
    assert [list(r) for r in document["organizations"]] == [list(r) for r in ORGS]  # the fields' order too

    from_xlsx = run("import", "orgs.xlsx", "-m", "orgs.mapping.yaml", "-o", "orgs-xlsx.yaml")
    assert from_xlsx.exit_code == 0, from_xlsx.output
    assert imported_sheet(tmp_path / "orgs-xlsx.yaml")[1] == {"organizations": ORGS}

    projects = run("import", "projects.xlsx", "-m", "projects.mapping.yaml", "-o", "projects.yaml")
    assert projects.exit_code == 0, projects.output
    assert imported_sheet(tmp_path / "projects.yaml")[1] == {"projects": PROJECTS}

    # The same input again: the same bytes.
    first = (tmp_path / "orgs.yaml").read_bytes()
    assert run("import", "orgs.csv", "--mapping", "orgs.mapping.yaml", "-o", "orgs.yaml").exit_code == 0
    assert (tmp_path / "orgs.yaml").read_bytes() == first

    # The files are records of a valid dataset, given their source.
    ds = write_files(
        tmp_path / "ds",
        {
            "coopgraph.yaml": "title: {en: Imported}\nbase: https://example.org/imported/\nlanguages: [en]\n",
            "sources.yaml": "sources:\n  - id: partner-list\n    title: {en: The partner list}\n    publisher: Us\n",
        },
    )
    shutil.copyfile(tmp_path / "orgs.yaml", ds / "orgs.yaml")
    shutil.copyfile(tmp_path / "projects.yaml", ds / "projects.yaml")
    checked = run("validate", "--data", ds)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("0 errors, 0 warnings in ")
    labels = {r["l"] for r in coopgraph.open(ds).select("SELECT ?l WHERE { ?s rdfs:label ?l }")}
    assert {"<script>alert(1)</script>", 'Cảng "Quảng Ninh", JSC', "Smart port &amp; <b>ships</b>"} <= labels


def test_unmapped_value_points_at_the_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_sheet(tmp_path)
    (tmp_path / "m.yaml").write_text(ORGS_MAPPING.replace(", VN: VN}", "}"), encoding="utf-8")
    result = run("import", "orgs.csv", "--mapping", "m.yaml", "-o", "out.yaml")
    clean_exit(result)
    assert result.exit_code == 1
    message = (
        "error: the value 'VN' of column 'Country' is not in the map of 'country'; add it to the map, or give a default"
    )
    # The first row spans lines 2-3 (a cell with a line break): the later rows are on lines 4 and 5.
    assert result.stderr.splitlines() == [f"orgs.csv:{line}:5: {message}" for line in (2, 4, 5)]
    assert not (tmp_path / "out.yaml").exists()


BASE_MAPPING = 'section: organizations\nid: "org-{Code}"\nfields:\n  name.en: Name\n'
BAD_MAPPINGS = {
    "unknown-key": (
        BASE_MAPPING + "colour: red\n",
        ["m.yaml:5:1: error: unknown key 'colour'; keys: section, sheet, id, key, fields, sources"],
    ),
    "unknown-spec-key": (
        BASE_MAPPING + "  city: {colum: City}\n",
        [
            "m.yaml:5:10: error: unknown key 'colum' in 'city'; did you mean 'column'?",
            "m.yaml:5:9: error: 'city' needs exactly one of column, value or template",
        ],
    ),
    "bad-section": (
        BASE_MAPPING.replace("organizations", "organisations"),
        ["m.yaml:1:10: error: 'section' must name a section, not 'organisations'; did you mean 'organizations'?"],
    ),
    "bad-as": (
        BASE_MAPPING + "  size: {column: Staff, as: float}\n",
        ["m.yaml:5:29: error: 'as' must be one of text, integer, number, date, not 'float'"],
    ),
    "missing-column": (
        BASE_MAPPING + "  city: Town\n",
        [
            "m.yaml:5:9: error: the sheet orgs.csv has no column 'Town' "
            "(it has: Code, Name, Short, Kind, Country, Staff, City, About)"
        ],
    ),
    "missing-template-column": (
        BASE_MAPPING.replace("{Code}", "{Kode}"),
        [
            "m.yaml:2:5: error: the sheet orgs.csv has no column 'Kode' "
            "(it has: Code, Name, Short, Kind, Country, Staff, City, About)"
        ],
    ),
    "not-a-whole-number": (
        BASE_MAPPING + "  type: {value: group}\n  size: {column: City, as: integer}\n",
        [
            "orgs.csv:2:7: error: 'size': 'Hà Nội' is not a whole number",
            "orgs.csv:5:7: error: 'size': 'Hà Nội' is not a whole number",
            "orgs.csv:6:7: error: 'size': 'key: value' is not a whole number",
            "orgs.csv:8:7: error: 'size': 'Hạ Long' is not a whole number",
        ],
    ),
    "not-a-mapping": (
        "- section\n- organizations\n",
        ["m.yaml:1:1: error: a mapping file is a YAML mapping (section:, id:, fields:)"],
    ),
    "no-id": ("section: organizations\nfields:\n  name.en: Name\n", None),
}


@pytest.mark.parametrize("case", list(BAD_MAPPINGS))
def test_bad_mapping_files(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_sheet(tmp_path)
    text, expected = BAD_MAPPINGS[case]
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "out.yaml").write_text("# an earlier file\n", encoding="utf-8")
    result = run("import", "orgs.csv", "--mapping", "m.yaml", "-o", "out.yaml")
    clean_exit(result)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines
    assert all(re.match(r"(m\.yaml|orgs\.csv):\d+:\d+: error: ", line) for line in lines), lines
    if expected is not None:
        assert lines == expected
    else:
        assert lines == ["m.yaml:1:1: error: 'id' is missing: say how ids are made, e.g. id: \"{Code}\""]
    assert (tmp_path / "out.yaml").read_text(encoding="utf-8") == "# an earlier file\n"


def test_field_the_section_lacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_sheet(tmp_path)
    (tmp_path / "m.yaml").write_text(BASE_MAPPING + "  colour: Name\n", encoding="utf-8")
    result = run("import", "orgs.csv", "--mapping", "m.yaml", "-o", "out.yaml")
    clean_exit(result)
    assert result.exit_code == 1
    assert re.fullmatch(
        r"m\.yaml:5:3: error: an? organization has no field 'colour'; did you mean 'country'\?\n", result.stderr
    ), result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_missing_key_column_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every problem is ``path:line:col: error: ...``; the key column's too (mapping.py names no line)."""
    monkeypatch.chdir(tmp_path)
    write_sheet(tmp_path)
    (tmp_path / "m.yaml").write_text(BASE_MAPPING.replace("fields:", "key: Nope\nfields:"), encoding="utf-8")
    result = run("import", "orgs.csv", "--mapping", "m.yaml", "-o", "out.yaml")
    clean_exit(result)
    assert result.exit_code == 1
    assert re.fullmatch(r"m\.yaml:3:\d+: error: the key column 'Nope' is not in orgs\.csv\n", result.stderr), (
        result.stderr
    )
    assert not (tmp_path / "out.yaml").exists()


def test_constant_list_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``value`` may be a list (notes on every record): it is written, not a crash of the YAML dumper."""
    monkeypatch.chdir(tmp_path)
    write_sheet(tmp_path)
    mapping = BASE_MAPPING + "  type: {value: other}\n  notes: {value: [From the partner sheet.]}\n"
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    result = run("import", "orgs.csv", "--mapping", "m.yaml", "-o", "out.yaml")
    clean_exit(result)
    assert result.exit_code == 0, result.output
    document = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    assert [o["notes"] for o in document["organizations"]] == [["From the partner sheet."]] * 4


def test_duplicate_column_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Column names are compared as read: 'Name' and 'Name ' are one name, given twice."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(BASE_MAPPING + "  type: {value: other}\n", encoding="utf-8")
    write_sheet(tmp_path, "twice.csv", [["Code", "Name", "Name"], ["A", "first", "second"]])
    result = run("import", "twice.csv", "--mapping", "m.yaml", "-o", "out.yaml")
    assert (result.exit_code, result.stderr) == (
        1,
        "twice.csv:1:3: error: the column 'Name' appears twice (first as column 2)\n",
    )
    write_sheet(tmp_path, "spaced.csv", [["Code", "Name", "Name "], ["A", "first", "second"]])
    spaced = run("import", "spaced.csv", "--mapping", "m.yaml", "-o", "out.yaml")
    clean_exit(spaced)
    assert (spaced.exit_code, spaced.stderr) == (
        1,
        "spaced.csv:1:3: error: the column 'Name' appears twice (first as column 2)\n",
    )
    assert not (tmp_path / "out.yaml").exists()


def test_hostile_strings_survive_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    hostile = [
        "<script>alert(1)</script>",
        "key: value",
        "- x",
        "&anchor",
        "*star",
        "!!python/object:os.system",
        "{a: 1}",
        "[a, b]",
        "yes",
        "null",
        "~",
        "0x1F",
        "2024-01-01",
        "'single' \"double\" \\ back",
        "a #not a comment",
        "% percent",
        "@at `tick`",
        "---",
        "line one\n  line two\n- line three",
        "emoji 🙂 and Tiếng Việt",
    ]
    rows = [["Code", "Name", "City"]] + [[f"C{i}", value, value] for i, value in enumerate(hostile)]
    write_sheet(tmp_path, "hostile.csv", rows)
    mapping = 'section: organizations\nid: "h-{Code}"\nfields:\n  name.en: Name\n  city: City\n  type: {value: other}\n'
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    result = run("import", "hostile.csv", "--mapping", "m.yaml", "-o", "out.yaml")
    clean_exit(result)
    assert result.exit_code == 0, result.output
    orgs = {o["id"]: o for o in yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))["organizations"]}
    for i, value in enumerate(hostile):
        assert orgs[f"h-c{i}"]["name"] == {"en": value}
        assert orgs[f"h-c{i}"]["city"] == value


# --- 6. the command's options ------------------------------------------------------------------------


def test_mapping_or_profile_exactly_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_sheet(tmp_path)
    (tmp_path / "m.yaml").write_text(ORGS_MAPPING, encoding="utf-8")
    message = "error: give either --mapping FILE (a sheet) or --profile cordis (a folder of CORDIS files)\n"
    neither = run("import", "orgs.csv", "-o", "out.yaml")
    both = run("import", "orgs.csv", "--mapping", "m.yaml", "--profile", "cordis", "-o", "out.yaml")
    for result in (neither, both):
        clean_exit(result)
        assert (result.exit_code, result.stderr) == (2, message)
    assert not (tmp_path / "out.yaml").exists()
    assert run("import", "orgs.csv", "--mapping", "m.yaml").exit_code == 2  # -o is required
