"""Typed records of a dataset, and the value types they are made of.

Each record class lists its YAML fields as dataclass fields whose metadata says
how the field is written in YAML (``yaml``), whether it is required, and how its
value is read (``parse``, a name ``validate`` looks up). The validator, the JSON
Schema and the docs all read these declarations, so a field is declared once.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from coopgraph.load import Pos

ORGANIZATION_TYPES = (
    "government-body",
    "political-body",
    "legislature",
    "academy",
    "research-institute",
    "university",
    "enterprise",
    "international-organization",
    "programme-network",
    "association",
    "city",
    "group",
    "other",
)
AGREEMENT_KINDS = ("agreement", "mou", "protocol", "contract", "plan")
PROJECT_KINDS = (
    "research-project",
    "technology-transfer",
    "capacity-building",
    "sub-project",
    "project",
)
EXCHANGE_KINDS = (
    "delegation",
    "study-tour",
    "training-course",
    "exhibition-fair",
    "workshop",
    "b2b-matchmaking",
    "expert-visit",
    "information-exchange",
    "mobility",
    "conference",
    "meeting",
)
DOCUMENT_KINDS = ("resolution", "decision", "strategy", "plan", "law", "report", "other")
AREAS = (
    "research",
    "technology-transfer",
    "training",
    "consulting",
    "information-exchange",
    "capacity-building",
    "funding",
    "international-cooperation",
)
#: Participant roles; each is an RDF sub-property of coop:participant.
ROLES = (
    "party",
    "lead",
    "partner",
    "funder",
    "beneficiary",
    "host",
    "organizer",
    "coordinator",
    "focal-point",
    "contractor",
    "participant",
    "associated-partner",
    "third-party",
)
#: The measures documented for figures; others are accepted (see docs/format.md).
MEASURES = (
    "visitors",
    "firms",
    "meetings",
    "participants",
    "staff",
    "students",
    "events",
    "units",
    "technologies",
    "sub-projects",
    "provinces",
    "courses",
    "tasks",
    "components",
    "workshops",
    "exhibitions",
    "lecturers",
    "technologies-proposed",
    "honoured-sub-projects",
    "areas",
    "universities",
    "countries",
)

#: The small mappings inside records: their fields (name -> how the value is read,
#: ``ref:KIND`` for a reference) and the fields they require.
PARTS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "period": ({"start": "date", "end": "date"}, ()),
    "participant": ({"org": "ref:organization", "role": "role"}, ("org",)),
    "figure": (
        {"measure": "measure", "category": "str", "value": "figure-value", "printed": "str", "note": "str"},
        ("measure",),
    ),
    "money": ({"amount": "amount", "currency": "currency"}, ("amount", "currency")),
    "place": ({"city": "str", "country": "country"}, ()),
    "citation": ({"source": "ref:source", "quote": "str", "note": "str"}, ("source",)),
    "correction": ({"field": "str", "printed": "str", "note": "str"}, ("field", "printed")),
}

Text = dict[str, str]
#: Record ids: lowercase letters and digits, in words joined by single hyphens.
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
#: Language tags as coopgraph accepts them (BCP 47 language, optional subtags).
LANG_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
_DATE_RE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?\Z")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date as precise as the source: a year, a month or a day.

    >>> PartialDate.parse("2013-09-25"), PartialDate.parse("2014").xsd_type
    (PartialDate(year=2013, month=9, day=25), 'gYear')
    >>> str(PartialDate(2015, 5))
    '2015-05'
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ValueError if not a real date."""
        if not _DATE_RE.match(text):
            raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
        parts = text.split("-")
        year = int(parts[0])
        if year == 0:
            raise ValueError("there is no year 0")
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"there is no month {month}")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{year}-{month:02d} has no day {day} (it has {last})")
        return cls(year, month, day)

    @property
    def xsd_type(self) -> str:
        if self.day is not None:
            return "date"
        return "gYearMonth" if self.month is not None else "gYear"

    def earliest(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)

    def latest(self) -> tuple[int, int, int]:
        month = self.month or 12
        return (self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True)
class Period:
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass(frozen=True)
class Citation:
    source: str
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Correction:
    field: str
    printed: str
    note: str | None = None


@dataclass(frozen=True)
class Participation:
    org: str
    role: str


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Figure:
    measure: str
    category: str | None = None
    value: int | None = None
    printed: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Place:
    city: str | None = None
    country: str | None = None


def spec(parse: str, *, yaml: str | None = None, required: bool = False, **extra: Any) -> Any:
    """Declare a YAML field: how its value is read and whether it must be there."""
    meta = {"parse": parse, "yaml": yaml, "required": required, **extra}
    return field(default=None, metadata=meta)


@dataclass
class Record:
    """Fields every record has. Subclasses name their section and label field."""

    KIND: ClassVar[str] = ""
    SECTION: ClassVar[str] = ""
    LABEL: ClassVar[str] = "title"

    id: str = field(default="", metadata={"parse": "id", "required": True})
    pos: Pos = field(default=Pos("", 0, 0), metadata={})
    #: Where each YAML field's value is, for messages about that field.
    field_pos: dict[str, Pos] = field(default_factory=dict, metadata={})
    label: Text = spec("text", yaml="$label", required=True)
    aliases: list[str] = spec("strings")
    acronyms: list[str] = spec("strings")
    description: Text = spec("text")
    sources: list[Citation] = spec("citations")
    notes: list[str] = spec("strings")
    corrections: list[Correction] = spec("corrections")
    #: Identifiers in other registers, by scheme (``cordis: "999452596"``, ``doi: 10.3030/…``).
    identifiers: dict[str, str] = spec("identifiers")

    @classmethod
    def yaml_fields(cls) -> dict[str, Any]:
        """YAML key -> dataclass field, for every field read from YAML."""
        out = {}
        for f in fields(cls):
            if "parse" not in f.metadata:
                continue
            key = f.metadata.get("yaml") or f.name
            out[cls.LABEL if key == "$label" else key] = f
        return out


@dataclass
class Organization(Record):
    KIND = "organization"
    SECTION = "organizations"
    LABEL = "name"

    type: str = spec("enum", required=True, choices=ORGANIZATION_TYPES)
    country: str = spec("country")
    city: str = spec("str")
    parent: str = spec("ref", to=("organization",))
    size: int = spec("count")
    ror: str = spec("ror")
    wikidata: str = spec("wikidata")
    website: str = spec("url")


@dataclass
class Activity(Record):
    """What agreements, projects and exchanges share."""

    kind: str = spec("enum", choices=())
    participants: list[Participation] = spec("participants")
    date: PartialDate = spec("date")
    period: Period = spec("period")
    part_of: str = spec("ref", to=("programme", "project", "agreement"))
    areas: list[str] = spec("enums", choices=AREAS)
    figures: list[Figure] = spec("figures")
    outcome: Text = spec("text")

    def participations(self) -> list[Participation]:
        """Every organization involved with its role, shorthands included, in order."""
        return list(self.participants or [])


@dataclass
class Agreement(Activity):
    KIND = "agreement"
    SECTION = "agreements"

    kind: str = spec("enum", required=True, choices=AGREEMENT_KINDS)
    parties: list[str] = spec("refs", to=("organization",))
    focal_points: list[str] = spec("refs", to=("organization",))
    legal_basis: list[str] = spec("refs", to=("document",))

    def participations(self) -> list[Participation]:
        out = [Participation(org, "party") for org in self.parties or []]
        out += [Participation(org, "focal-point") for org in self.focal_points or []]
        return out + super().participations()


@dataclass
class Project(Activity):
    KIND = "project"
    SECTION = "projects"

    kind: str = spec("enum", choices=PROJECT_KINDS)
    budget: Money = spec("money")
    fields: list[str] = spec("strings")


@dataclass
class Exchange(Activity):
    KIND = "exchange"
    SECTION = "exchanges"

    kind: str = spec("enum", required=True, choices=EXCHANGE_KINDS)
    host: str = spec("ref", to=("organization",))
    place: Place = spec("place")

    def participations(self) -> list[Participation]:
        host = [Participation(self.host, "host")] if self.host else []
        return host + super().participations()


@dataclass
class Programme(Record):
    KIND = "programme"
    SECTION = "programmes"
    LABEL = "name"

    period: Period = spec("period")
    managed_by: str = spec("ref", to=("organization",))
    legal_basis: list[str] = spec("refs", to=("document",))
    goal: Text = spec("text")
    part_of: str = spec("ref", to=("programme",))


@dataclass
class PolicyDocument(Record):
    KIND = "document"
    SECTION = "documents"

    kind: str = spec("enum", required=True, choices=DOCUMENT_KINDS)
    number: str = spec("str")
    date: PartialDate = spec("date")
    issuer: str = spec("ref", to=("organization",))
    approves: list[str] = spec("refs", to=("programme", "document"))
    legal_basis: list[str] = spec("refs", to=("document",))


@dataclass
class Source(Record):
    KIND = "source"
    SECTION = "sources"

    publisher: str = spec("str")
    published: PartialDate = spec("date")
    url: str = spec("url")
    language: str = spec("lang")
    license: str = spec("str")


RECORD_TYPES: tuple[type[Record], ...] = (
    Organization,
    Agreement,
    Project,
    Exchange,
    Programme,
    PolicyDocument,
    Source,
)
SECTIONS: dict[str, type[Record]] = {t.SECTION: t for t in RECORD_TYPES}
ACTIVITY_TYPES = (Agreement, Project, Exchange)


@dataclass
class Config:
    """The dataset's own description, from ``coopgraph.yaml``."""

    title: Text = spec("text")
    description: Text = spec("text")
    base: str = spec("base")
    languages: list[str] = spec("langs")
    license: str = spec("str")


@dataclass
class Dataset:
    """A validated dataset: its config and its records by id."""

    folder: Path
    config: Config
    records: dict[str, Record]
    files: list[Path]
    #: Ids of records kept despite errors of their own (a bad optional field, a broken
    #: reference): the checks that follow do not add warnings about them.
    flawed: set[str] = field(default_factory=set)

    def of(self, cls: type[Record] | tuple[type[Record], ...]) -> list[Any]:
        return [r for r in self.records.values() if isinstance(r, cls)]
