"""The ``cordis`` profile: the EU's CORDIS project data -> a coopgraph dataset.

It reads the four files of CORDIS's bulk download for a framework programme
(``project.csv``, ``organization.csv``, ``euroSciVoc.csv``, ``legalBasis.csv``)
and writes a dataset folder:

- ``coopgraph.yaml`` and ``sources.yaml`` (CORDIS, with its licence);
- ``programmes.yaml``: the programme parts (``HORIZON.2.5``...), nested by code;
- ``organizations/<country>.yaml``: one record per ``organisationID``;
- ``projects/<start year-month>.yaml``: one record per grant, with its participants.

What CORDIS gives and coopgraph has no field for (a status, a funding scheme, a
total cost) goes into the record's notes; values CORDIS gets wrong or leaves vague
are noted, never guessed. Ids come from CORDIS's own numbers and files and records
are sorted, so importing the same files again writes the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from coopgraph.countries import is_country
from coopgraph.errors import InputError, UsageError
from coopgraph.imports.table import Sheet, read_sheet
from coopgraph.model import PartialDate
from coopgraph.validate import URL_RE

SOURCE_ID = "cordis-horizon-europe"
BASE = "https://w3id.org/coopgraph/cordis-horizon-europe/"
LICENSE = "CC BY 4.0 (Commission Decision 2011/833/EU as amended by Decision (EU) 2019/1372)"
ATTRIBUTION = "Source: CORDIS, European Commission / Publications Office of the EU, CC BY 4.0"

FILES = {
    "project.csv": [
        "projectID",
        "acronym",
        "status",
        "title",
        "startDate",
        "endDate",
        "ecMaxContribution",
        "totalCost",
        "legalBasis",
        "fundingScheme",
        "topic",
        "grantDoi",
        "contentUpdateDate",
    ],
    "organization.csv": [
        "projectID",
        "organisationID",
        "vatNumber",
        "name",
        "shortName",
        "activityType",
        "city",
        "country",
        "organizationURL",
        "order",
        "role",
        "endOfParticipation",
    ],
    "euroSciVoc.csv": ["projectID", "euroSciVocTitle"],
    "legalBasis.csv": ["projectID", "legalBasis", "title", "uniqueProgrammePart"],
}
#: CORDIS ``activityType`` -> coopgraph organization type.
TYPES = {
    "HES": "university",  # higher or secondary education establishment
    "REC": "research-institute",  # research organisation
    "PRC": "enterprise",  # private for-profit entity
    "PUB": "government-body",  # public body (excluding research and education)
    "OTH": "other",
}
#: CORDIS participant ``role`` -> coopgraph role.
ROLES = {
    "coordinator": "coordinator",
    "participant": "participant",
    "associatedPartner": "associated-partner",
    "thirdParty": "third-party",
}
#: CORDIS writes country codes the EU's way: these differ from ISO 3166-1.
COUNTRIES = {"EL": "GR", "UK": "GB"}
#: Funding schemes (``HORIZON-RIA``, ``HORIZON-ERC-POC``...) -> project kind, by the scheme's second part.
KINDS = {"RIA": "research-project", "ERC": "research-project", "TMA": "capacity-building"}


@dataclass
class Imported:
    """The files of an imported dataset (relative path -> YAML text) and what they hold."""

    files: dict[str, dict[str, Any]]
    counts: dict[str, int]


def slug(code: str) -> str:
    """An id from a code: ``HORIZON.2.5`` -> ``horizon-2-5``.

    >>> slug("HORIZON.2.5"), slug("EURATOM2027")
    ('horizon-2-5', 'euratom2027')
    """
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def org_id(organisation_id: str) -> str:
    return f"cordis-org-{organisation_id}"


def project_id(project: str) -> str:
    return f"cordis-project-{project}"


class _Reader:
    """Reads cells of the four sheets, collecting every problem with its place."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, sheet: Sheet, row: int, column: str, message: str) -> None:
        self.problems.append(f"{sheet.pos(row, column)}: error: {message}")

    def number(self, sheet: Sheet, row: int, record: dict[str, str], column: str) -> str | None:
        text = record[column].strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            self.problem(sheet, row, column, f"'{column}' must be a number, not {text[:40]!r}")
            return None
        return text

    def amount(self, sheet: Sheet, row: int, record: dict[str, str], column: str) -> Decimal | None:
        text = record[column].strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value < 0:
            self.problem(sheet, row, column, f"'{column}' must be an amount in EUR, not {text[:40]!r}")
            return None
        return value

    def date(self, sheet: Sheet, row: int, record: dict[str, str], column: str) -> str | None:
        text = record[column].strip()
        if not text:
            return None
        try:
            return str(PartialDate.parse(text))
        except ValueError as exc:
            self.problem(sheet, row, column, f"'{column}' is not a date: {text[:40]!r} ({exc})")
            return None


def read_cordis(folder: Path, progress: Callable[[str, int], None] | None = None) -> Imported:
    """Read the CORDIS files in ``folder`` into dataset files; raise InputError on bad cells."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder; the cordis profile reads a folder holding {', '.join(FILES)}")
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise UsageError(f"{folder}: the cordis profile needs {', '.join(missing)} in this folder")
    sheets = {}
    for name, columns in FILES.items():
        sheets[name] = sheet = read_sheet(folder / name)
        sheet.require(columns)
        if progress:
            progress(name, len(sheet))
    reader = _Reader()
    programmes, main_part, other_parts = _programmes(sheets["legalBasis.csv"], reader)
    fields_of = _fields(sheets["euroSciVoc.csv"])
    orgs, participants, ended = _organizations(sheets["organization.csv"], reader)
    projects, newest = _projects(sheets["project.csv"], reader, main_part, other_parts, fields_of, participants, ended)
    known = {p["identifiers"]["cordis"] for p in projects}
    for name in ("organization.csv", "euroSciVoc.csv", "legalBasis.csv"):
        sheet = sheets[name]
        for row, record in enumerate(sheet.records()):
            if record["projectID"] not in known:
                reader.problem(sheet, row, "projectID", f"the project {record['projectID']!r} is not in project.csv")
                break  # once per file is enough to say the files do not belong together
    if reader.problems:
        raise InputError(reader.problems)
    files: dict[str, dict[str, Any]] = {
        "coopgraph.yaml": _config(),
        "sources.yaml": {"sources": [_source(newest)]},
        "programmes.yaml": {"programmes": programmes},
    }
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for org in orgs:
        by_country[org.get("country", "none").lower()].append(org)
    for country, items in sorted(by_country.items()):
        files[f"organizations/{country}.yaml"] = {"organizations": items}
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for project in projects:
        start = project.get("period", {}).get("start", "undated")
        by_month[start[:7]].append(project)
    for month, items in sorted(by_month.items()):
        files[f"projects/{month}.yaml"] = {"projects": items}
    counts = {
        "organizations": len(orgs),
        "projects": len(projects),
        "programmes": len(programmes),
        "participations": sum(len(p.get("participants", [])) for p in projects),
    }
    return Imported(files, counts)


def _config() -> dict[str, Any]:
    return {
        "title": {"en": "EU research and innovation projects under Horizon Europe (CORDIS)"},
        "description": {
            "en": "Every Horizon Europe grant in the CORDIS data imported, with every organization taking part "
            "in it and its role. Imported with coopgraph's cordis profile."
        },
        "base": BASE,
        "languages": ["en"],
        "license": ATTRIBUTION,
    }


def _source(newest: str) -> dict[str, Any]:
    return {
        "id": SOURCE_ID,
        "title": {"en": "CORDIS – EU research projects under HORIZON EUROPE (2021-2027)"},
        "publisher": "European Commission, CORDIS (Publications Office of the European Union)",
        "url": "https://data.europa.eu/data/datasets/cordis-eu-research-projects-under-horizon-europe-2021-2027",
        "language": "en",
        "license": LICENSE,
        "notes": [
            f"A database updated continuously, not a publication of one date: the newest record update in the "
            f"files imported is {newest}. {ATTRIBUTION}.",
            "Organization names are the legal names as registered with the EU, often in the national language "
            "and in capitals; they are kept as CORDIS gives them, under the language key en.",
        ],
    }


def _programmes(sheet: Sheet, reader: _Reader) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, list[str]]]:
    titles: dict[str, str] = {}
    main: dict[str, str] = {}
    others: dict[str, list[str]] = defaultdict(list)
    for row, record in enumerate(sheet.records()):
        code, title = record["legalBasis"].strip(), record["title"].strip()
        if not code:
            reader.problem(sheet, row, "legalBasis", "'legalBasis' is empty")
            continue
        titles.setdefault(code, title or code)
        if record["uniqueProgrammePart"].strip() == "true" and record["projectID"] not in main:
            main[record["projectID"]] = code
        else:
            others[record["projectID"]].append(code)
    for project, codes in others.items():
        if project not in main:  # no part marked main: the first listed is
            main[project] = codes.pop(0)
    if any(code.startswith("HORIZON.") for code in titles):
        titles.setdefault("HORIZON", "Horizon Europe (2021–2027)")
    # A project is part of one programme (its main part): the parts no project is
    # in are only named in the notes of the projects also under them.
    used: set[str] = set()
    for first in main.values():
        part: str | None = first
        while part and part not in used:
            used.add(part)
            part = _parent(part, titles)
    out = []
    for code in sorted(used, key=_code_order):
        item: dict[str, Any] = {"id": slug(code), "name": {"en": titles[code]}, "acronyms": [code]}
        parent = _parent(code, titles)
        if parent:
            item["part_of"] = slug(parent)
        item["sources"] = [SOURCE_ID]
        out.append(item)
    return out, main, {p: sorted(set(c)) for p, c in others.items()}


def _code_order(code: str) -> list[Any]:
    """``HORIZON.2.10`` after ``HORIZON.2.9``."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split(".")]


def _parent(code: str, titles: dict[str, str]) -> str | None:
    """The nearest code above ``code`` that is a programme part too (``HORIZON.2.5`` -> ``HORIZON.2``)."""
    parts = code.split(".")
    for end in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in titles:
            return candidate
    return None


def _fields(sheet: Sheet) -> dict[str, list[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for record in sheet.records():
        title = record["euroSciVocTitle"].strip()
        if title:
            out[record["projectID"]].add(title)
    return {project: sorted(titles) for project, titles in out.items()}


def _organizations(
    sheet: Sheet, reader: _Reader
) -> tuple[list[dict[str, Any]], dict[str, list[tuple[int, str, str]]], dict[str, list[str]]]:
    """One record per organisationID; each project's participants; ended participations."""
    rows: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    participants: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    ended: dict[str, list[str]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    for row, record in enumerate(sheet.records()):
        oid = reader.number(sheet, row, record, "organisationID")
        project = reader.number(sheet, row, record, "projectID")
        order = reader.number(sheet, row, record, "order")
        role = ROLES.get(record["role"].strip())
        if record["role"].strip() not in ROLES:
            known = ", ".join(ROLES)
            reader.problem(sheet, row, "role", f"the role {record['role']!r} is not one of CORDIS's: {known}")
        if not record["name"].strip():
            reader.problem(sheet, row, "name", "the organization has no name")
        if oid is None or project is None or role is None:
            if oid is None and project is not None and not record["organisationID"].strip():
                reader.problem(sheet, row, "organisationID", "'organisationID' is empty")
            continue
        rows[oid].append((row, record))
        if (project, oid, role) not in seen:
            seen.add((project, oid, role))
            participants[project].append((int(order or 0), org_id(oid), role))
        if record["endOfParticipation"].strip() == "true":
            ended[project].append(oid)
    return [_organization(oid, rows[oid], sheet) for oid in sorted(rows, key=int)], participants, ended


def _organization(oid: str, rows: list[tuple[int, dict[str, str]]], sheet: Sheet) -> dict[str, Any]:
    """One organization from its rows: the name most often given wins (ties: the newest grant's)."""
    names = Counter(r["name"].strip() for _, r in rows)
    newest = {r["name"].strip(): int(r["projectID"]) for _, r in sorted(rows, key=lambda x: int(x[1]["projectID"]))}
    name = max(names, key=lambda n: (names[n], newest[n]))
    main = next(r for _, r in reversed(rows) if r["name"].strip() == name)
    org: dict[str, Any] = {"id": org_id(oid), "name": {"en": name}}
    acronyms = [a for a in _distinct([main["shortName"]] + [r["shortName"] for _, r in rows]) if a not in names]
    if acronyms:
        org["acronyms"] = acronyms
    aliases = sorted(set(names) - {name})
    if aliases:
        org["aliases"] = aliases
    notes = []
    activity = main["activityType"].strip()
    org["type"] = TYPES.get(activity, "other")
    if activity not in TYPES:
        notes.append(
            f"CORDIS gives the activity type {activity!r}, which is none of HES, REC, PRC, PUB, OTH."
            if activity
            else "CORDIS gives no activity type; recorded as other."
        )
    code = main["country"].strip()
    iso = COUNTRIES.get(code, code)
    if is_country(iso):
        org["country"] = iso
    else:
        notes.append(
            f"CORDIS gives the country code {code!r}, which is not an ISO 3166-1 code; no country is recorded."
            if code
            else "CORDIS gives no country."
        )
    city = main["city"].strip()
    if city:
        org["city"] = city
    other_cities = _distinct([r["city"] for _, r in rows if r["city"].strip() and r["city"].strip() != city])
    if other_cities:
        notes.append("Other rows of CORDIS give the city as: " + "; ".join(other_cities) + ".")
    url = main["organizationURL"].strip()
    if url and URL_RE.match(url):
        org["website"] = url
    elif url:
        notes.append(f"CORDIS gives the website {url!r}, which is not a valid URL.")
    identifiers = {"cordis": oid}
    vat = main["vatNumber"].strip()
    if vat:
        identifiers["vat"] = vat
    org["identifiers"] = identifiers
    org["sources"] = [SOURCE_ID]
    if notes:
        org["notes"] = notes
    return org


def _distinct(values: list[str]) -> list[str]:
    """Non-empty values, stripped, first occurrence first.

    >>> _distinct([" A", "", "B", "A"])
    ['A', 'B']
    """
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def _projects(
    sheet: Sheet,
    reader: _Reader,
    main_part: dict[str, str],
    other_parts: dict[str, list[str]],
    fields_of: dict[str, list[str]],
    participants: dict[str, list[tuple[int, str, str]]],
    ended: dict[str, list[str]],
) -> tuple[list[dict[str, Any]], str]:
    out = []
    newest = ""
    seen: dict[str, int] = {}
    for row, record in enumerate(sheet.records()):
        pid = reader.number(sheet, row, record, "projectID")
        if pid is None:
            if not record["projectID"].strip():
                reader.problem(sheet, row, "projectID", "'projectID' is empty")
            continue
        if pid in seen:
            reader.problem(sheet, row, "projectID", f"the project {pid} is listed twice (first on line {seen[pid]})")
            continue
        seen[pid] = sheet.lines[row]
        newest = max(newest, record["contentUpdateDate"].strip())
        project: dict[str, Any] = {"id": project_id(pid), "kind": _kind(record["fundingScheme"])}
        title = record["title"].strip()
        project["title"] = {"en": title or record["acronym"].strip() or pid}
        if record["acronym"].strip():
            project["acronyms"] = [record["acronym"].strip()]
        abstract = (record.get("objective") or record.get("teaser") or "").strip()
        if abstract:
            project["description"] = {"en": abstract}
        start = reader.date(sheet, row, record, "startDate")
        end = reader.date(sheet, row, record, "endDate")
        if start and end and end < start:
            reader.problem(sheet, row, "endDate", f"the project ends ({end}) before it starts ({start})")
        period = {k: v for k, v in (("start", start), ("end", end)) if v}
        if period:
            project["period"] = period
        amount = reader.amount(sheet, row, record, "ecMaxContribution")
        if amount:
            project["budget"] = {"amount": _plain(amount), "currency": "EUR"}
        if pid in main_part:
            project["part_of"] = slug(main_part[pid])
        if fields_of.get(pid):
            project["fields"] = fields_of[pid]
        people = sorted(participants.get(pid, []))
        if people:
            project["participants"] = [{"org": org, "role": role} for _, org, role in people]
        identifiers = {"cordis": pid}
        if record["grantDoi"].strip():
            identifiers["doi"] = record["grantDoi"].strip()
        project["identifiers"] = identifiers
        project["sources"] = [SOURCE_ID]
        project["notes"] = _project_notes(record, amount, other_parts.get(pid, []), ended.get(pid, []))
        out.append(project)
    out.sort(key=lambda p: int(p["identifiers"]["cordis"]))
    return out, newest


def _kind(scheme: str) -> str:
    """A project kind from the funding scheme.

    >>> _kind("HORIZON-RIA"), _kind("HORIZON-ERC-POC"), _kind("HORIZON-TMA-MSCA-SE"), _kind("HORIZON-CSA")
    ('research-project', 'research-project', 'capacity-building', 'project')
    """
    parts = scheme.strip().split("-")
    return KINDS.get(parts[1] if len(parts) > 1 else "", "project")


def _plain(amount: Decimal) -> int | str:
    """An amount as YAML should show it: a whole number, or its exact decimal text."""
    return int(amount) if amount == amount.to_integral_value() else format(amount.normalize(), "f")


def _project_notes(record: dict[str, str], amount: Decimal | None, others: list[str], ended: list[str]) -> list[str]:
    notes = [f"CORDIS status: {record['status'].strip() or 'not given'}."]
    scheme = record["fundingScheme"].strip()
    if scheme:
        title = (record.get("fundingSchemeTitle") or "").strip()
        notes.append(f"Funding scheme: {scheme}" + (f" ({title})." if title else "."))
    if record["topic"].strip():
        notes.append(f"Topic: {record['topic'].strip()}.")
    if amount:
        notes.append("The budget is the EU's maximum contribution (ecMaxContribution), in EUR.")
    total = record["totalCost"].strip()
    if total:
        notes.append(f"Total cost according to CORDIS: {total} EUR.")
    if others:
        notes.append("Also under the programme parts: " + ", ".join(others) + ".")
    if ended:
        notes.append(
            "CORDIS marks as ended the participation of: " + ", ".join(org_id(o) for o in sorted(set(ended))) + "."
        )
    return notes
