#!/usr/bin/env python3
"""Write a deterministic synthetic coopgraph dataset (YAML) for benchmarks.

The dataset follows ``docs/format.md``: ``coopgraph.yaml`` plus one folder per
section (``organizations/part-0001.yaml``, ``projects/part-0001.yaml``...), each
file holding at most ``MAX_PER_FILE`` records unless ``--files-per-section`` says
otherwise. For N organizations it holds about N/2 projects, N/10 agreements,
N/5 exchanges, N/1000 + 1 programmes and one source that every record cites.

Participation is skewed as in ``bench/engines.py``: the organization of rank r
(rank = index, so ``org-1`` is the biggest hub) is drawn with weight
1/(r + ZIPF_OFFSET)**ZIPF_EXPONENT, which gives a few hubs and many small
organizations; organizations the draws missed then join one project or exchange
each, so every organization takes part in at least one activity. Parents always
have a smaller index (no cycles), activity dates fall in 2000-2024 and the source
is published in 2025. Names and titles are invented ("Viện Nghiên cứu Hóa học
Tokyo 12" / "Tokyo Research Institute of Chemistry 12"): this is not real data.

Same arguments, same bytes: only ``random.Random(seed)`` is used. The enumerations
(cooperation areas) come from ``coopgraph.model``, so the data follow the format.

Usage::

    python bench/generate.py OUT_DIR --orgs 100000 [--seed 0] [--files-per-section K] [--force]

or, from Python, ``generate(Path("out"), 100_000, seed=0)`` -> records per section.

OUT_DIR must be missing or empty unless ``--force`` is given; with ``--force`` the
``coopgraph.yaml`` and ``<section>/part-*.yaml`` files of an earlier run are
replaced and any other file is left alone. Only the standard library is needed
(the YAML is written from string templates) and coopgraph itself.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import math
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from coopgraph.model import AREAS

# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------

BASE = "https://example.org/synthetic/"
SOURCE_ID = "synthetic-source"
SOURCE_PUBLISHED = "2025-06-30"
FIRST_DAY = date(2000, 1, 1).toordinal()
LAST_DAY = date(2024, 12, 31).toordinal()
MAX_PER_FILE = 5_000

PROJECTS_PER_ORG = 1 / 2
AGREEMENTS_PER_ORG = 1 / 10
EXCHANGES_PER_ORG = 1 / 5
ORGS_PER_PROGRAMME = 1_000

ZIPF_EXPONENT = 0.8
ZIPF_OFFSET = 10
#: Project size (drawn members, before the uncovered organizations join) k in 2..14, weight SIZE_DECAY**(k-2).
PROJECT_SIZES = range(2, 15)
SIZE_DECAY = 0.77
#: Exchange participants besides the host.
EXCHANGE_SIZES = range(1, 7)
EXCHANGE_DECAY = 0.55
PARENT_SHARE = 0.15
ACRONYM_SHARE = 0.1
WEBSITE_SHARE = 0.2

SECTION_ORDER = ("organizations", "projects", "agreements", "exchanges", "programmes", "sources")

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

# (ISO 3166-1 alpha-2, weight, cities as (vi, en))
COUNTRIES: list[tuple[str, int, list[tuple[str, str]]]] = [
    (
        "VN",
        64,
        [
            ("Hà Nội", "Hanoi"),
            ("Hải Phòng", "Hai Phong"),
            ("Thành phố Hồ Chí Minh", "Ho Chi Minh City"),
            ("Đà Nẵng", "Da Nang"),
            ("Cần Thơ", "Can Tho"),
            ("Quảng Ninh", "Quang Ninh"),
            ("Huế", "Hue"),
            ("Nghệ An", "Nghe An"),
            ("Bắc Ninh", "Bac Ninh"),
            ("Hải Dương", "Hai Duong"),
            ("Khánh Hòa", "Khanh Hoa"),
            ("Thái Bình", "Thai Binh"),
            ("Đồng Nai", "Dong Nai"),
            ("Lâm Đồng", "Lam Dong"),
        ],
    ),
    ("JP", 6, [("Tokyo", "Tokyo"), ("Osaka", "Osaka"), ("Kitakyushu", "Kitakyushu"), ("Yokohama", "Yokohama")]),
    ("KR", 5, [("Seoul", "Seoul"), ("Busan", "Busan"), ("Incheon", "Incheon"), ("Daejeon", "Daejeon")]),
    ("CN", 3, [("Bắc Kinh", "Beijing"), ("Thượng Hải", "Shanghai"), ("Quảng Châu", "Guangzhou")]),
    ("FR", 3, [("Paris", "Paris"), ("Brest", "Brest"), ("Lyon", "Lyon"), ("Toulouse", "Toulouse")]),
    ("DE", 3, [("Berlin", "Berlin"), ("Munich", "Munich"), ("Hamburg", "Hamburg")]),
    ("US", 3, [("Washington", "Washington"), ("Boston", "Boston"), ("San Francisco", "San Francisco")]),
    ("TH", 2, [("Bangkok", "Bangkok"), ("Chiang Mai", "Chiang Mai")]),
    ("LA", 2, [("Viêng Chăn", "Vientiane"), ("Luang Prabang", "Luang Prabang")]),
    ("KH", 1, [("Phnôm Pênh", "Phnom Penh")]),
    ("SG", 1, [("Singapore", "Singapore")]),
    ("AU", 1, [("Sydney", "Sydney"), ("Melbourne", "Melbourne")]),
    ("RU", 1, [("Moskva", "Moscow"), ("Sankt-Peterburg", "Saint Petersburg")]),
    ("FI", 1, [("Helsinki", "Helsinki"), ("Espoo", "Espoo")]),
    ("NL", 1, [("Amsterdam", "Amsterdam"), ("Delft", "Delft")]),
    ("BE", 1, [("Brussels", "Brussels"), ("Leuven", "Leuven")]),
    ("GB", 1, [("London", "London"), ("Manchester", "Manchester")]),
    ("IN", 1, [("New Delhi", "New Delhi"), ("Bengaluru", "Bengaluru")]),
]
FIELDS = [
    ("Công nghệ Sinh học", "Biotechnology"),
    ("Hóa học", "Chemistry"),
    ("Cơ khí Chế tạo", "Mechanical Engineering"),
    ("Hàng hải", "Maritime Studies"),
    ("Nông nghiệp", "Agriculture"),
    ("Thủy sản", "Fisheries"),
    ("Môi trường", "Environment"),
    ("Công nghệ Thông tin", "Information Technology"),
    ("Y Dược", "Medicine and Pharmacy"),
    ("Vật liệu mới", "Advanced Materials"),
    ("Năng lượng tái tạo", "Renewable Energy"),
    ("Kinh tế biển", "Marine Economics"),
]
# (type, weight, vi pattern, en pattern); {fv}/{fe} field, {cv}/{ce} city, {n} index, {size} group size.
ORG_TYPES = [
    ("enterprise", 28, "Công ty Cổ phần {fv} {cv} {n}", "{ce} {fe} Joint Stock Company {n}"),
    ("research-institute", 20, "Viện Nghiên cứu {fv} {cv} {n}", "{ce} Research Institute of {fe} {n}"),
    ("university", 16, "Trường Đại học {fv} {cv} {n}", "{ce} University of {fe} {n}"),
    ("government-body", 10, "Cơ quan Quản lý {fv} {cv} {n}", "{ce} {fe} Agency {n}"),
    ("association", 7, "Hiệp hội {fv} {cv} {n}", "{ce} {fe} Association {n}"),
    ("programme-network", 4, "Mạng lưới {fv} {cv} {n}", "{ce} {fe} Network {n}"),
    ("international-organization", 3, "Tổ chức Quốc tế về {fv} {n}", "International Organization for {fe} {n}"),
    ("academy", 2, "Viện Hàn lâm {fv} {cv} {n}", "{ce} Academy of {fe} {n}"),
    ("city", 2, "Thành phố {cv} {n}", "City of {ce} {n}"),
    ("political-body", 1, "Ban Khoa giáo Thành ủy {cv} {n}", "{ce} Party Committee's Board of Education {n}"),
    ("legislature", 1, "Hội đồng nhân dân {cv} {n}", "{ce} People's Council {n}"),
    ("group", 1, "Nhóm {size} doanh nghiệp {fv} tại {cv} {n}", "Group of {size} {fe} enterprises in {ce} {n}"),
    ("other", 5, "Trung tâm Ứng dụng {fv} {cv} {n}", "{ce} Centre for Applied {fe} {n}"),
]
#: Types that only exist in Viet Nam here (people's councils, party committees).
VN_ONLY = {"political-body", "legislature"}
#: Types the biggest hubs (the first organizations) are drawn from.
HUB_TYPES = ["government-body", "academy", "university", "research-institute", "international-organization"]

PROJECT_KINDS = [
    ("research-project", 45, "Dự án hợp tác nghiên cứu về", "Joint research project on"),
    ("technology-transfer", 20, "Dự án chuyển giao công nghệ về", "Technology transfer project on"),
    ("capacity-building", 15, "Dự án nâng cao năng lực về", "Capacity building project on"),
    ("project", 20, "Dự án hợp tác về", "Cooperation project on"),
]
SUB_PROJECT = ("sub-project", "Tiểu dự án về", "Sub-project on")
SUB_PROJECT_SHARE = 0.1
AGREEMENT_KINDS = [
    ("agreement", 35, "Thỏa thuận hợp tác về", "Cooperation agreement on"),
    ("mou", 35, "Biên bản ghi nhớ hợp tác về", "Memorandum of understanding on"),
    ("protocol", 10, "Nghị định thư hợp tác về", "Cooperation protocol on"),
    ("contract", 10, "Hợp đồng hợp tác về", "Cooperation contract on"),
    ("plan", 10, "Kế hoạch hợp tác về", "Cooperation plan on"),
]
EXCHANGE_KINDS = [
    ("delegation", 15, "Đoàn công tác về", "Delegation on"),
    ("study-tour", 8, "Chuyến khảo sát học tập về", "Study tour on"),
    ("training-course", 10, "Khóa đào tạo về", "Training course on"),
    ("exhibition-fair", 6, "Triển lãm về", "Exhibition on"),
    ("workshop", 20, "Hội thảo về", "Workshop on"),
    ("b2b-matchmaking", 5, "Phiên kết nối doanh nghiệp về", "Business matchmaking session on"),
    ("expert-visit", 8, "Chuyến thăm của chuyên gia về", "Expert visit on"),
    ("information-exchange", 5, "Trao đổi thông tin về", "Information exchange on"),
    ("mobility", 3, "Chương trình trao đổi cán bộ về", "Staff mobility on"),
    ("conference", 10, "Hội nghị về", "Conference on"),
    ("meeting", 10, "Buổi làm việc về", "Working meeting on"),
]
PROJECT_ROLES = [("partner", 50), ("participant", 20), ("contractor", 10), ("beneficiary", 10), ("coordinator", 5)]
EXCHANGE_ROLES = [("participant", 60), ("organizer", 20), ("partner", 20)]
JOINING_ROLES = ["partner", "participant"]
# (currency, weight, low, high, rounding step)
CURRENCIES = [
    ("VND", 80, 1e8, 1e11, 1_000_000),
    ("USD", 12, 5e3, 5e6, 1_000),
    ("EUR", 8, 5e3, 5e6, 1_000),
]
PROJECT_MEASURES = ["tasks", "sub-projects", "technologies", "students", "staff"]
EXCHANGE_MEASURES = ["participants", "visitors", "firms", "meetings", "lecturers"]

CITE = "    sources:\n      - source: " + SOURCE_ID + "\n"

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


class Zipf:
    """Draws distinct organization indexes, index r with weight 1/(r + offset)**exponent."""

    def __init__(self, n: int, rng: random.Random) -> None:
        self.n = n
        self.rng = rng
        self.cum = list(itertools.accumulate(1.0 / (r + ZIPF_OFFSET) ** ZIPF_EXPONENT for r in range(n)))
        self.total = self.cum[-1]

    def one(self) -> int:
        return min(bisect.bisect_left(self.cum, self.rng.random() * self.total), self.n - 1)

    def distinct(self, k: int, exclude: set[int] | None = None) -> list[int]:
        """k distinct indexes (fewer if not enough are left), in draw order."""
        taken = set(exclude or ())
        k = min(k, self.n - len(taken))
        out: list[int] = []
        while len(out) < k:
            i = self.one()
            if i not in taken:
                taken.add(i)
                out.append(i)
        return out


def weighted(rng: random.Random, items: list[Any], weight_index: int = 1) -> Any:
    """One item of a list of tuples whose ``weight_index`` element is its weight."""
    return rng.choices(items, [it[weight_index] for it in items])[0]


def fmt_day(day: int, precision: int) -> str:
    """A day ordinal as YYYY-MM-DD (precision 3), YYYY-MM (2) or YYYY (1)."""
    d = date.fromordinal(day)
    if precision == 3:
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    if precision == 2:
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def precision(rng: random.Random) -> int:
    """How precisely the (imaginary) source gives a date: mostly days, sometimes months or years."""
    x = rng.random()
    return 3 if x < 0.6 else 2 if x < 0.8 else 1


def span(rng: random.Random, lo: int, hi: int, min_days: int, max_days: int) -> tuple[int, int]:
    """A (start, end) pair of day ordinals with lo <= start <= end <= hi."""
    length = min(rng.randint(min_days, max_days), hi - lo)
    start = rng.randint(lo, hi - length)
    return start, start + length


def text_map(vi: str, en: str, key: str = "title") -> str:
    return f"    {key}:\n      vi: {vi}\n      en: {en}\n"


def period_text(start: str, end: str) -> str:
    return f"    period:\n      start: {start}\n      end: {end}\n"


def areas_text(rng: random.Random) -> str:
    picked = sorted(rng.sample(range(len(AREAS)), rng.randint(1, 3)))
    return "    areas:\n" + "".join(f"      - {AREAS[i]}\n" for i in picked)


def figure_text(measure: str, value: int) -> str:
    return f"    figures:\n      - measure: {measure}\n        value: {value}\n"


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


def build(n_orgs: int, seed: int) -> dict[str, list[str]]:
    """Every record as a YAML text block (a list item of its section), by section."""
    if n_orgs < 2:
        raise ValueError("a dataset needs at least 2 organizations (agreements have 2 or more parties)")
    rng = random.Random(seed)
    zipf = Zipf(n_orgs, rng)
    n_projects = max(1, round(n_orgs * PROJECTS_PER_ORG))
    n_agreements = round(n_orgs * AGREEMENTS_PER_ORG)
    n_exchanges = round(n_orgs * EXCHANGES_PER_ORG)
    n_programmes = n_orgs // ORGS_PER_PROGRAMME + 1

    # Organizations: (city vi, city en, country) kept for exchange places.
    org_place: list[tuple[str, str]] = []
    orgs: list[str] = []
    n_hubs = max(5, n_orgs // 1000)
    type_weights = [t[1] for t in ORG_TYPES]
    country_weights = [c[1] for c in COUNTRIES]
    by_type = {t[0]: t for t in ORG_TYPES}
    for i in range(n_orgs):
        n = i + 1
        if i < n_hubs:
            org_type = by_type[rng.choice(HUB_TYPES)]
            country = COUNTRIES[0] if rng.random() < 0.8 else rng.choices(COUNTRIES, country_weights)[0]
        else:
            org_type = rng.choices(ORG_TYPES, type_weights)[0]
            country = rng.choices(COUNTRIES, country_weights)[0]
        slug, _, vi_pat, en_pat = org_type
        if slug in VN_ONLY:
            country = COUNTRIES[0]
        code, _, cities = country
        cv, ce = rng.choice(cities)
        fv, fe = rng.choice(FIELDS)
        size = rng.randint(3, 60)
        vi = vi_pat.format(fv=fv, fe=fe, cv=cv, ce=ce, n=n, size=size)
        en = en_pat.format(fv=fv, fe=fe, cv=cv, ce=ce, n=n, size=size)
        parts = [f"  - id: org-{n}\n", text_map(vi, en, "name")]
        if rng.random() < ACRONYM_SHARE:
            initials = "".join(w[0] for w in en.split() if w[0].isupper())
            parts.append(f"    acronyms:\n      - {initials}{n}\n")
        parts.append(f"    type: {slug}\n    country: {code}\n    city: {cv if code == 'VN' else ce}\n")
        if slug == "group":
            parts.append(f"    size: {size}\n")
        if i > 0 and rng.random() < PARENT_SHARE:
            # Earlier organizations (the hubs) are more often parents; always a smaller index.
            parts.append(f"    parent: org-{int(i * rng.random() ** 2) + 1}\n")
        if rng.random() < WEBSITE_SHARE:
            parts.append(f"    website: https://org-{n}.example.org/\n")
        parts.append(CITE)
        orgs.append("".join(parts))
        org_place.append((cv if code == "VN" else ce, code))

    # Programmes: year periods; activities part of one fall inside it.
    programmes: list[str] = []
    prog_span: list[tuple[int, int]] = []
    for j in range(n_programmes):
        n = j + 1
        y1 = rng.randint(2000, 2012)
        y2 = rng.randint(max(y1 + 5, 2015), 2024)
        prog_span.append((date(y1, 1, 1).toordinal(), date(y2, 12, 31).toordinal()))
        fv, fe = rng.choice(FIELDS)
        manager = zipf.one()
        text = [
            f"  - id: programme-{n}\n",
            text_map(
                f"Chương trình hợp tác khoa học và công nghệ về {fv.lower()} giai đoạn {y1}–{y2}, số {n}",
                f"Science and technology cooperation programme on {fe.lower()}, {y1}–{y2}, no. {n}",
                "name",
            ),
            period_text(str(y1), str(y2)),
            f"    managed_by: org-{manager + 1}\n",
        ]
        if j > 0 and rng.random() < 0.3:
            parent = rng.randrange(j)
            if prog_span[parent][0] <= prog_span[j][0] and prog_span[j][1] <= prog_span[parent][1]:
                text.append(f"    part_of: programme-{parent + 1}\n")
        text.append(CITE)
        programmes.append("".join(text))

    def activity_span(min_days: int, max_days: int, programme: int | None = None) -> tuple[int, int, str | None]:
        """Dates for an activity, and the programme it belongs to (if any; always ``programme`` if given)."""
        if programme is not None or rng.random() < 0.2:
            p = rng.randrange(n_programmes) if programme is None else programme
            lo, hi = prog_span[p]
            start, end = span(rng, lo, hi, min_days, max_days)
            return start, end, f"programme-{p + 1}"
        start, end = span(rng, FIRST_DAY, LAST_DAY, min_days, max_days)
        return start, end, None

    covered = bytearray(n_orgs)

    # Projects: members drawn now, written once the uncovered organizations have joined.
    project_rows: list[dict[str, Any]] = []
    proj_dates: list[tuple[int, int, int]] = []
    size_weights = [SIZE_DECAY ** (k - PROJECT_SIZES[0]) for k in PROJECT_SIZES]
    for j in range(n_projects):
        fv, fe = rng.choice(FIELDS)
        if j > 0 and rng.random() < SUB_PROJECT_SHARE:
            parent = rng.randrange(j)
            lo, hi, prec = proj_dates[parent]
            start, end = span(rng, lo, hi, 90, 1095)
            kind, kv, ke = SUB_PROJECT
            part_of: str | None = f"project-{parent + 1}"
        else:
            # The first projects go one to each programme, so that no programme is empty.
            start, end, part_of = activity_span(180, 1825, j if j < n_programmes else None)
            kind, _, kv, ke = weighted(rng, PROJECT_KINDS)
            prec = precision(rng)
        proj_dates.append((start, end, prec))
        members = zipf.distinct(rng.choices(PROJECT_SIZES, size_weights)[0])
        roles = ["lead"]
        if len(members) > 1 and rng.random() < 0.25:
            roles.append("funder")
        while len(roles) < len(members):
            role = weighted(rng, PROJECT_ROLES)[0]
            roles.append("partner" if role == "coordinator" and role in roles else role)  # one coordinator at most
        for m in members:
            covered[m] = 1
        cur, _, lo_amount, hi_amount, step = weighted(rng, CURRENCIES)
        amount = max(step, int(10 ** rng.uniform(math.log10(lo_amount), math.log10(hi_amount)) // step * step))
        project_rows.append(
            {
                "head": f"  - id: project-{j + 1}\n    kind: {kind}\n"
                + text_map(f"{kv} {fv.lower()}, số {j + 1}", f"{ke} {fe.lower()}, no. {j + 1}"),
                "members": list(zip(members, roles, strict=True)),
                "tail": period_text(fmt_day(start, prec), fmt_day(end, prec))
                + (f"    part_of: {part_of}\n" if part_of else "")
                + areas_text(rng)
                + (f"    budget:\n      amount: {amount}\n      currency: {cur}\n" if rng.random() < 0.8 else "")
                + f"    fields:\n      - {fe}\n"
                + (figure_text(rng.choice(PROJECT_MEASURES), rng.randint(1, 40)) if rng.random() < 0.3 else "")
                + CITE,
            }
        )

    # Agreements: 2-4 distinct parties, sometimes focal points.
    agreements: list[str] = []
    agr_span: list[tuple[int, int]] = []
    for j in range(n_agreements):
        n = j + 1
        fv, fe = rng.choice(FIELDS)
        kind, _, kv, ke = weighted(rng, AGREEMENT_KINDS)
        start, end, part_of = activity_span(365, 1825)
        agr_span.append((start, end))
        parties = zipf.distinct(rng.choice((2, 2, 2, 3, 3, 4)))
        focal = zipf.distinct(rng.randint(1, 2), set(parties)) if rng.random() < 0.3 else []
        for m in parties + focal:
            covered[m] = 1
        prec = precision(rng)
        text = [
            f"  - id: agreement-{n}\n    kind: {kind}\n",
            text_map(f"{kv} {fv.lower()}, số {n}", f"{ke} {fe.lower()}, no. {n}"),
            "    parties:\n" + "".join(f"      - org-{m + 1}\n" for m in parties),
        ]
        if focal:
            text.append("    focal_points:\n" + "".join(f"      - org-{m + 1}\n" for m in focal))
        text.append(f"    date: {fmt_day(start, prec)}\n")
        text.append(period_text(fmt_day(start, min(prec, 2)), fmt_day(end, min(prec, 2))))
        if part_of:
            text.append(f"    part_of: {part_of}\n")
        text.append(areas_text(rng))
        text.append(CITE)
        agreements.append("".join(text))

    # Exchanges: a host and 1-6 others, on one day; some under an agreement.
    exchange_rows: list[dict[str, Any]] = []
    ex_weights = [EXCHANGE_DECAY ** (k - EXCHANGE_SIZES[0]) for k in EXCHANGE_SIZES]
    for j in range(n_exchanges):
        n = j + 1
        fv, fe = rng.choice(FIELDS)
        kind, _, kv, ke = weighted(rng, EXCHANGE_KINDS)
        if n_agreements and rng.random() < 0.15:
            a = rng.randrange(n_agreements)
            day = rng.randint(*agr_span[a])
            part_of = f"agreement-{a + 1}"
            day_prec = 3
        else:
            day, _, part_of = activity_span(0, 0)
            day_prec = precision(rng)
        host = zipf.one()
        others = zipf.distinct(rng.choices(EXCHANGE_SIZES, ex_weights)[0], {host})
        covered[host] = 1
        for m in others:
            covered[m] = 1
        city, country = org_place[host]
        tail = f"    date: {fmt_day(day, day_prec)}\n"
        if rng.random() < 0.7:
            tail += f"    place:\n      city: {city}\n      country: {country}\n"
        if part_of:
            tail += f"    part_of: {part_of}\n"
        tail += areas_text(rng)
        if rng.random() < 0.3:
            tail += figure_text(rng.choice(EXCHANGE_MEASURES), rng.randint(5, 500))
        exchange_rows.append(
            {
                "head": f"  - id: exchange-{n}\n    kind: {kind}\n"
                + text_map(f"{kv} {fv.lower()}, số {n}", f"{ke} {fe.lower()}, no. {n}")
                + f"    host: org-{host + 1}\n",
                "members": [(m, weighted(rng, EXCHANGE_ROLES)[0]) for m in others],
                "tail": tail + CITE,
            }
        )

    # Every organization the draws missed joins one project (or, one time in four, one exchange).
    for i in range(n_orgs):
        if covered[i]:
            continue
        rows = exchange_rows if exchange_rows and rng.random() < 0.25 else project_rows
        rows[rng.randrange(len(rows))]["members"].append((i, rng.choice(JOINING_ROLES)))

    def render(row: dict[str, Any]) -> str:
        members = row["members"]
        body = "".join(f"      - org: org-{m + 1}\n        role: {role}\n" for m, role in members)
        return row["head"] + ("    participants:\n" + body if members else "") + row["tail"]

    source = (
        f"  - id: {SOURCE_ID}\n"
        + text_map(
            "Dữ liệu tổng hợp dùng để đo hiệu năng coopgraph",
            "Synthetic data for coopgraph benchmarks",
        )
        + "    publisher: coopgraph benchmarks\n"
        + f"    published: {SOURCE_PUBLISHED}\n"
        + "    language: en\n"
        + "    notes:\n"
        + f"      - Generated by bench/generate.py for {n_orgs} organizations with seed {seed};"
        + " every record is invented.\n"
    )
    return {
        "organizations": orgs,
        "projects": [render(r) for r in project_rows],
        "agreements": agreements,
        "exchanges": [render(r) for r in exchange_rows],
        "programmes": programmes,
        "sources": [source],
    }


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def config_text(n_orgs: int, seed: int) -> str:
    return (
        "title:\n"
        f"  vi: Bộ dữ liệu tổng hợp để đo hiệu năng, {n_orgs} tổ chức, hạt giống {seed}\n"
        f"  en: Synthetic benchmark dataset, {n_orgs} organizations, seed {seed}\n"
        "description:\n"
        "  vi: Dữ liệu bịa ra do bench/generate.py viết; không có tổ chức hay hoạt động nào là thật.\n"
        "  en: Invented records written by bench/generate.py; no real organization or activity.\n"
        f"base: {BASE}\n"
        "languages: [vi, en]\n"
    )


def write(out_dir: Path, n_orgs: int, seed: int, sections: dict[str, list[str]], files_per_section: int | None) -> int:
    """Write the config and every section's part files; returns how many files were written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    header = f"# Synthetic coopgraph benchmark data: bench/generate.py --orgs {n_orgs} --seed {seed}\n"
    (out_dir / "coopgraph.yaml").write_text(header + config_text(n_orgs, seed), encoding="utf-8")
    written = 1
    for section in SECTION_ORDER:
        folder = out_dir / section
        for stale in sorted(folder.glob("part-*.yaml")):
            stale.unlink()
        records = sections[section]
        if not records:
            continue
        files = files_per_section or math.ceil(len(records) / MAX_PER_FILE)
        files = max(1, min(files, len(records)))
        per_file = math.ceil(len(records) / files)
        folder.mkdir(exist_ok=True)
        for k in range(files):
            chunk = records[k * per_file : (k + 1) * per_file]
            if not chunk:
                break
            text = header + f"{section}:\n" + "".join(chunk)
            (folder / f"part-{k + 1:04d}.yaml").write_bytes(text.encode("utf-8"))
            written += 1
    return written


def generate(out_dir: Path, n_orgs: int, seed: int = 0, *, files_per_section: int | None = None) -> dict[str, int]:
    """Write a synthetic dataset of ``n_orgs`` organizations to ``out_dir``; records per section.

    Part files of an earlier run in ``out_dir`` are replaced; other files are left alone.
    """
    sections = build(n_orgs, seed)
    write(Path(out_dir), n_orgs, seed, sections, files_per_section)
    return {name: len(sections[name]) for name in SECTION_ORDER}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic coopgraph YAML dataset.")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder to write (missing or empty)")
    parser.add_argument("--orgs", type=int, required=True, help="number of organizations (at least 2)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--files-per-section",
        type=int,
        metavar="K",
        help=f"split each section into K files (default: as many as keep each file at most {MAX_PER_FILE} records)",
    )
    parser.add_argument("--force", action="store_true", help="write into a non-empty OUT_DIR (replaces part files)")
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    if args.orgs < 2:
        print("generate.py: --orgs must be at least 2", file=sys.stderr)
        return 2
    if args.files_per_section is not None and args.files_per_section < 1:
        print("generate.py: --files-per-section must be at least 1", file=sys.stderr)
        return 2
    if out.exists() and not out.is_dir():
        print(f"generate.py: {out} exists and is not a folder", file=sys.stderr)
        return 2
    if out.exists() and any(out.iterdir()) and not args.force:
        print(f"generate.py: {out} is not empty (use --force to write into it anyway)", file=sys.stderr)
        return 2
    began = time.perf_counter()
    sections = build(args.orgs, args.seed)
    files = write(out, args.orgs, args.seed, sections, args.files_per_section)
    seconds = time.perf_counter() - began
    counts = " ".join(f"{name}={len(sections[name])}" for name in SECTION_ORDER)
    print(f"{out}: {counts}; {files} files; {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
