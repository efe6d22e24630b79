"""Every named query of ``src/coopgraph/queries``, run on the bundled Hai Phong data.

Each query has its own test, registered with ``@covers``; ``test_every_query_has_a_test``
fails when a ``.rq`` file is added without one. The generic tests check the header, the
label-language fallback and that a parameter binds the same rows whether Oxigraph pre-binds
it (``substitutions``) or it is given as a ``VALUES`` block, as for a remote endpoint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import coopgraph
from coopgraph import library
from coopgraph.query import bind

QUERY_FILES = sorted(Path(library.LIBRARY).glob("*.rq"))
NAMES = [p.stem for p in QUERY_FILES]
#: A value for each required parameter, used by the generic tests.
SAMPLE = {"org": "haiphong-dost", "record": "haiphong-pc", "other": "brest"}
#: Names of the queries that have a test of their own.
COVERED: set[str] = set()


def covers(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a test as the test of the named queries ``names``."""
    COVERED.update(names)
    return lambda test: test


@pytest.fixture(scope="module")
def g() -> coopgraph.CoopGraph:
    return coopgraph.open()


def cols(rows: list[dict[str, Any]], *names: str) -> list[tuple[Any, ...]]:
    return [tuple(r[n] for n in names) for r in rows]


def sample_params(query: library.NamedQuery) -> dict[str, str]:
    return {p.name: SAMPLE[p.name] for p in query.params if p.default is None}


# --- every query -------------------------------------------------------------------------


def test_every_query_has_a_test() -> None:
    assert len(NAMES) >= 14
    assert set(NAMES) == COVERED


@pytest.mark.parametrize("name", NAMES)
def test_header(name: str) -> None:
    query = library.named(name)
    assert query.title != name
    assert query.kind == "SELECT"
    description = []
    for line in query.text.splitlines():
        if line.startswith("# description:") or (description and line.startswith("#   ")):
            description.append(line)
        elif description:
            break
    assert 1 <= len(description) <= 3
    shows_labels = any(word in query.text for word in ("rdfs:label", "skos:prefLabel", "dcterms:title"))
    assert shows_labels == any(p.name == "lang" for p in query.params)
    for p in query.params:
        assert p.description
        if p.type == "language":
            assert p.default == "en"


@pytest.mark.parametrize("name", NAMES)
def test_runs_and_gives_ids_not_iris(g: coopgraph.CoopGraph, name: str) -> None:
    query = library.named(name)
    rows = g.rows(name, **sample_params(query))
    assert rows
    params = {p.name for p in query.params}
    for row in rows:
        for column, value in row.items():
            if column not in params:
                assert not str(value).startswith("http"), (column, value)


@pytest.mark.parametrize("name", [n for n in NAMES if library.named(n).params])
def test_values_block_binds_the_same_rows(g: coopgraph.CoopGraph, name: str) -> None:
    """Remote endpoints get parameters as a VALUES block in the outer group: same answer."""
    query = library.named(name)
    terms = library.bindings(query, sample_params(query), g.resolve)
    assert g.rows(name, **sample_params(query)) == g.select(bind(query.text, terms))


@pytest.mark.parametrize("name", [n for n in NAMES if any(p.name == "lang" for p in library.named(n).params)])
def test_labels_follow_lang_and_fall_back(g: coopgraph.CoopGraph, name: str) -> None:
    params = sample_params(library.named(name))
    en, vi, fr = (g.rows(name, **params, lang=lang) for lang in ("en", "vi", "fr"))
    assert en != vi
    assert len(en) == len(vi) == len(fr)
    # No French labels: each label falls back to another language instead of going missing.
    assert [[v is None for v in r.values()] for r in fr] == [[v is None for v in r.values()] for r in en]


# --- one test per query --------------------------------------------------------------------


@covers("cooperation-pairs")
def test_cooperation_pairs(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("cooperation-pairs")
    assert len(rows) == 62
    assert rows[:3] == [
        {
            "a": "haiphong-dost",
            "aLabel": "Hai Phong Department of Science and Technology",
            "b": "vast",
            "bLabel": "Vietnam Academy of Science and Technology",
            "activities": "8",
        },
        {
            "a": "haiphong-pc",
            "aLabel": "Hai Phong City People's Committee",
            "b": "vast",
            "bLabel": "Vietnam Academy of Science and Technology",
            "activities": "3",
        },
        {
            "a": "haiphong-dost",
            "aLabel": "Hai Phong Department of Science and Technology",
            "b": "haiphong-pc",
            "bLabel": "Hai Phong City People's Committee",
            "activities": "2",
        },
    ]
    assert ("brest", "haiphong-dost", "1") in cols(rows, "a", "b", "activities")
    assert all(r["a"] < r["b"] for r in rows)
    pairs = g.rows(
        'SELECT (STRAFTER(STR(?x), "/organization/") AS ?a) (STRAFTER(STR(?y), "/organization/") AS ?b) '
        "WHERE { ?x coop:cooperatesWith ?y . FILTER (STR(?x) < STR(?y)) }"
    )
    assert set(cols(rows, "a", "b")) == set(cols(pairs, "a", "b"))
    assert g.rows("cooperation-pairs", lang="vi")[0]["aLabel"] == "Sở KH&CN Hải Phòng"


@covers("partners-by-country")
def test_partners_by_country(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("partners-by-country")
    assert cols(rows, "country", "organizations", "links", "activities") == [
        ("VN", "17", "55", "40"),
        ("JP", "3", "5", "2"),
        ("KR", "3", "14", "2"),
        (None, "3", "13", "7"),
        ("US", "2", "12", "1"),
        ("BE", "1", "6", "1"),
        ("ES", "1", "6", "1"),
        ("FR", "1", "1", "1"),
        ("IE", "1", "6", "1"),
        ("RU", "1", "6", "1"),
    ]
    assert rows[0]["countryLabel"] == "Vietnam"
    assert rows[3]["countryLabel"] is None  # apo, ipp and wipo have no country
    assert sum(int(r["organizations"]) for r in rows) == 33
    assert g.rows("partners-by-country", lang="vi")[2]["countryLabel"] == "Hàn Quốc"


@covers("foreign-partners")
def test_foreign_partners(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("foreign-partners", org="haiphong-dost")
    assert cols(rows, "partner", "country", "countryLabel", "activities") == [
        ("brest", "FR", "France", "1"),
        ("jica", "JP", "Japan", "1"),
        ("kipo", "KR", "South Korea", "1"),
        ("kitakyushu-business-association", "JP", "Japan", "1"),
        ("koica", "KR", "South Korea", "1"),
    ]
    assert rows[0]["partnerLabel"] == "City of Brest"
    assert g.rows("foreign-partners", org="brest") == [
        {
            "partner": "haiphong-dost",
            "partnerLabel": "Hai Phong Department of Science and Technology",
            "country": "VN",
            "countryLabel": "Vietnam",
            "activities": "1",
        }
    ]
    # APO has no country: every partner with one is foreign to it.
    assert cols(g.rows("foreign-partners", org="apo", lang="vi"), "partner", "countryLabel") == [
        ("haiphong-dost", "Việt Nam"),
        ("kipo", "Hàn Quốc"),
        ("koica", "Hàn Quốc"),
    ]
    assert g.rows("foreign-partners", org="vast") == []  # all its partners are Vietnamese


@covers("organization-profile")
def test_organization_profile(g: coopgraph.CoopGraph) -> None:
    (row,) = g.rows("organization-profile", org="haiphong-dost")
    assert set(row.pop("aliases").split("; ")) == {"Sở KH&CN", "Sở Khoa học và Công nghệ thành phố Hải Phòng"}
    assert row == {
        "id": "haiphong-dost",
        "label": "Hai Phong Department of Science and Technology",
        "otherLabels": "Sở KH&CN Hải Phòng",
        "type": "government-body",
        "typeLabel": "government body",
        "country": "VN",
        "countryLabel": "Vietnam",
        "city": "Hải Phòng",
        "parent": "haiphong-pc",
        "parentLabel": "Hai Phong City People's Committee",
        "activities": "26",
        "partners": "16",
        "sources": "1",
    }
    (vast,) = g.rows("organization-profile", org="https://w3id.org/coopgraph/haiphong/organization/vast", lang="vi")
    assert (vast["id"], vast["label"], vast["typeLabel"], vast["countryLabel"]) == (
        "vast",
        "Viện Hàn lâm KH&CN Việt Nam",
        "viện hàn lâm",
        "Việt Nam",
    )
    assert (vast["parent"], vast["activities"], vast["partners"]) == (None, "10", "3")
    (apo,) = g.rows("organization-profile", org="apo")
    assert (apo["aliases"], apo["country"], apo["type"], apo["partners"]) == (
        "APO",
        None,
        "international-organization",
        "4",
    )


@covers("agreements-by-period")
def test_agreements_by_period(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("agreements-by-period")
    assert cols(rows, "agreement", "kind", "parties", "signed", "start", "end") == [
        ("haiphong-vast-2015-2020", "agreement", "haiphong-pc, vast", None, "2015", "2020"),
        ("haiphong-vass-2016-2020", "agreement", "haiphong-pc, vass", "2016-01-14", "2016", "2020"),
        ("haiphong-vast-implementation-plan-2016-2020", "plan", "haiphong-dost, vast-dast", None, "2016", "2020"),
    ]  # vjcc-training-contract-2015 has no date
    assert rows[2]["kindLabel"] == "cooperation plan"
    assert cols(g.rows("agreements-by-period", since=2015, until=2015), "agreement") == [("haiphong-vast-2015-2020",)]
    assert g.rows("agreements-by-period", since=2013, until=2014) == []
    assert len(g.rows("agreements-by-period", since=2020, until=2030)) == 3
    assert g.rows("agreements-by-period", since=2021) == []
    vi = g.rows("agreements-by-period", until=2015, lang="vi")
    assert cols(vi, "agreement", "kindLabel") == [("haiphong-vast-2015-2020", "thỏa thuận hợp tác")]
    assert vi[0]["title"].startswith("Thỏa thuận hợp tác KH&CN giữa UBND thành phố Hải Phòng")


@covers("projects-with-budgets")
def test_projects_with_budgets(g: coopgraph.CoopGraph) -> None:
    assert g.rows("projects-with-budgets") == [
        {
            "project": "vast-tasks-2013-2015",
            "title": "Seven research and technology development tasks carried out with specialised institutes "
            "of the Vietnam Academy of Science and Technology",
            "amount": "5132000000",
            "currency": "VND",
            "leads": "haiphong-dost",
            "funders": None,
        }
    ]


@covers("exchanges-by-kind-and-year")
def test_exchanges_by_kind_and_year(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("exchanges-by-kind-and-year")
    assert len(rows) == 19
    assert sum(int(r["exchanges"]) for r in rows) == 22
    assert cols(rows, "kind", "year", "exchanges")[2:8] == [
        ("delegation", "2013", "1"),
        ("delegation", "2015", "1"),
        ("exhibition-fair", "2013", "1"),
        ("exhibition-fair", "2014", "1"),
        ("exhibition-fair", "2015", "1"),
        ("exhibition-fair", None, "1"),
    ]
    assert ("expert-visit", "expert visit", None, "2") in cols(rows, "kind", "kindLabel", "year", "exchanges")
    vi = g.rows("exchanges-by-kind-and-year", lang="vi")
    assert (vi[0]["kind"], vi[0]["kindLabel"]) == ("b2b-matchmaking", "kết nối doanh nghiệp (B2B)")


@covers("hubs")
def test_hubs(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("hubs")
    assert len(rows) == 20
    assert rows[0] == {
        "rank": "1",
        "organization": "haiphong-dost",
        "label": "Hai Phong Department of Science and Technology",
        "partners": "16",
        "activities": "26",
        "limit": "20",
        "lang": "en",
    }
    assert cols(rows, "rank", "organization", "partners")[1:3] == [
        ("2", "haiphong-pc", "8"),
        ("3", "cal-maritime", "6"),
    ]
    assert cols(rows, "rank", "organization", "activities")[-2:] == [("19", "vast", "10"), ("19", "vast-dast", "2")]
    assert cols(g.rows("hubs", limit=1), "organization") == [("haiphong-dost",)]
    # The seven foreign training partners tie at rank 3: all are kept.
    assert [r["rank"] for r in g.rows("hubs", limit=3)] == ["1", "2"] + ["3"] * 7
    assert len(g.rows("hubs", limit=100)) == 31  # every organization with a partner
    assert g.rows("hubs", limit=0) == []
    assert g.rows("hubs", limit=2, lang="vi")[1]["label"] == "Ủy ban nhân dân thành phố Hải Phòng"


@covers("neighbourhood")
def test_neighbourhood(g: coopgraph.CoopGraph) -> None:
    one = g.rows("neighbourhood", org="vast", depth=1)
    assert cols(one, "organization", "distance") == [("haiphong-dost", "1"), ("haiphong-pc", "1"), ("vast-dast", "1")]
    assert one[0]["label"] == "Hai Phong Department of Science and Technology"
    two = g.rows("neighbourhood", org="vast")
    assert len(two) == 20
    assert Counter(r["distance"] for r in two) == {"1": 3, "2": 17}
    assert ("brest", "2") in cols(two, "organization", "distance")
    three = g.rows("neighbourhood", org="vast", depth=3)
    assert [r["organization"] for r in three if r["distance"] == "3"] == ["khanh-thien", "most", "nha-viet"]
    assert cols(g.rows("neighbourhood", org="vast", depth=9), "organization", "distance") == cols(
        three, "organization", "distance"
    )
    assert cols(g.rows("neighbourhood", org="brest", depth=1), "organization") == [("haiphong-dost",)]
    # The foreign training partners only cooperate with each other.
    assert {r["distance"] for r in g.rows("neighbourhood", org="upc", depth=3)} == {"1"}
    assert g.rows("neighbourhood", org="vast", depth=0) == []


@covers("paths-between")
def test_paths_between(g: coopgraph.CoopGraph) -> None:
    """Only the shortest chains: the direct link, else the chains through one partner, else two."""
    assert cols(g.rows("paths-between", org="vast", other="brest"), "hops", "via1", "via2") == [
        ("2", "haiphong-dost", None)
    ]
    rows = g.rows("paths-between", org="vast-dast", other="khanh-thien")
    assert cols(rows, "hops", "via1", "via2") == [
        ("3", "haiphong-dost", "haiphong-paint"),
        ("3", "haiphong-dost", "ipp"),
    ]
    assert (rows[0]["via1Label"], rows[0]["via2Label"]) == (
        "Hai Phong Department of Science and Technology",
        "Hai Phong Paint Joint Stock Company",
    )
    direct = g.rows("paths-between", org="vast", other="haiphong-pc")
    assert cols(direct, "hops", "via1", "via1Label", "via2") == [("1", None, None, None)]
    assert g.rows("paths-between", org="upc", other="vast") == []
    assert g.rows("paths-between", org="vast", other="vast") == []


@pytest.mark.parametrize(
    ("org", "other", "hops"),
    [("vast", "brest", "2"), ("vast-dast", "khanh-thien", "3"), ("khanh-thien", "vast-dast", "3")],
)
def test_paths_between_bound_by_a_values_block(g: coopgraph.CoopGraph, org: str, other: str, hops: str) -> None:
    """A remote endpoint gets the two organizations as a VALUES block, which does not reach into the
    branches of the UNION: the longer chains must come out the same as with pre-bound parameters."""
    query = library.named("paths-between")
    terms = library.bindings(query, {"org": org, "other": other}, g.resolve)
    rows = g.rows("paths-between", org=org, other=other)
    assert rows and {r["hops"] for r in rows} == {hops}
    assert g.select(bind(query.text, terms)) == rows


def test_paths_between_are_the_shortest_paths_networkx_finds(g: coopgraph.CoopGraph) -> None:
    import networkx as nx

    from coopgraph.network import local_id

    network = g.networkx()
    for start in ("vast", "vast-dast", "khanh-thien"):
        source = g.resolve(start, "organization")
        for target, distance in nx.single_source_shortest_path_length(network, source, cutoff=3).items():
            if target == source:
                continue
            expected = sorted(
                tuple(local_id(v) for v in path[1:-1]) + (None,) * (4 - len(path))
                for path in nx.all_shortest_paths(network, source, target)
            )
            rows = g.rows("paths-between", org=start, other=local_id(target))
            assert {r["hops"] for r in rows} == {str(distance)}, (start, target)
            assert sorted((r["via1"], r["via2"]) for r in rows) == expected, (start, target)


@covers("sources-of")
def test_sources_of(g: coopgraph.CoopGraph) -> None:
    title = (
        "Three years on: a review of the Programme to promote domestic and international cooperation in "
        "science and technology of Hai Phong city"
    )
    assert g.rows("sources-of", record="haiphong-pc") == [
        {
            "citation": "1",
            "source": "haiphong-st-cooperation-2016",
            "sourceTitle": title,
            "quote": "Ủy ban nhân dân thành phố Hải Phòng có Quyết định số 1859/QĐ-UBND",
            "note": None,
        },
        {
            "citation": "2",
            "source": "haiphong-st-cooperation-2016",
            "sourceTitle": title,
            "quote": "giữa Ủy ban nhân dân thành phố Hải Phòng với Viện Hàn lâm Khoa học xã hội Việt Nam",
            "note": None,
        },
    ]
    (decision,) = g.rows("sources-of", record="decision-1859-qd-ubnd-2013", lang="vi")
    assert decision["sourceTitle"].startswith("3 năm nhìn lại")
    assert decision["quote"].startswith("ngày 25/9/2031")
    assert len(g.rows("sources-of", record="haiphong-vast-2015-2020")) == 2
    assert g.rows("sources-of", record="haiphong-st-cooperation-2016") == []  # a source cites nothing


@covers("missing-data")
def test_missing_data(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("missing-data")
    assert len(rows) == 41
    assert Counter(cols(rows, "kind", "missing")) == {
        ("project", "date or period"): 17,
        ("exchange", "date or period"): 13,
        ("organization", "country"): 3,
        ("document", "date"): 2,
        ("exchange", "participants"): 2,
        ("programme", "period"): 2,
        ("agreement", "date or period"): 1,
        ("project", "participants"): 1,
    }
    assert rows[0] == {"record": "vjcc-training-contract-2015", "kind": "agreement", "missing": "date or period"}
    assert [r["record"] for r in rows if r["missing"] == "country"] == ["apo", "ipp", "wipo"]
    assert ("japan-asean-project", "participants") in cols(rows, "record", "missing")
    assert "haiphong-vast-meeting-2015-05-11" not in {r["record"] for r in rows}  # dated, with participants


@covers("activities-of")
def test_activities_of(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("activities-of", org="vast")
    assert cols(rows, "activity", "class", "kind", "roles", "date", "start", "end")[:3] == [
        ("haiphong-vast-cooperation-2004-2014", "project", "project", "partner", None, "2004", "2014"),
        ("haiphong-vast-2015-2020", "agreement", "agreement", "party", None, "2015", "2020"),
        ("haiphong-vast-meeting-2015-05-11", "exchange", "meeting", "participant", "2015-05-11", None, None),
    ]
    assert len(rows) == 10
    assert Counter(r["kind"] for r in rows)["sub-project"] == 6
    assert rows[2]["title"] == (
        "Working session of 11 May 2015 between Hai Phong City People's Committee and the Vietnam Academy of "
        "Science and Technology"
    )
    dost = g.rows("activities-of", org="haiphong-dost")
    assert len(dost) == 26
    roles = dict(cols(dost, "activity", "roles"))
    assert roles["haiphong-vast-2015-2020"] == "focal-point"
    assert roles["ipp-meeting-haiphong-dost"] == "host"
    assert roles["haiphong-vass-2016-2020"] == "organizer"
    assert Counter(roles.values()) == {
        "participant": 9,
        "lead": 9,
        "organizer": 4,
        "party": 2,
        "focal-point": 1,
        "host": 1,
    }
    ipp = g.rows("activities-of", org="ipp", lang="vi")
    assert cols(ipp, "activity", "roles")[0] == ("haiphong-ipp-participation", "funder")
    assert ipp[0]["title"].startswith("Tham gia Dự án Đối tác đổi mới sáng tạo")


@covers("programme-activities")
def test_programme_activities(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("programme-activities")
    assert len(rows) == 20
    totals = Counter()
    for r in rows:
        totals[r["programme"]] += int(r["activities"])
    assert totals == {"haiphong-st-cooperation-programme": 40, "haiphong-brest-programme": 1, "ipp-phase-1": 1}
    assert rows[0] == {
        "programme": "haiphong-brest-programme",
        "programmeLabel": "Cooperation programme signed between Hai Phong city and the city of Brest (France)",
        "kind": "research-project",
        "kindLabel": "research project",
        "activities": "1",
        "activityIds": "brest-coastal-decision-tool",
    }
    # Sub-projects are reached through their projects (coop:partOf+).
    assert cols(rows, "kind", "activities", "activityIds")[1] == (
        "sub-project",
        "9",
        "ipp-eco-paint, ipp-hong-hoa-cat-ba, ipp-moxibustion, vast-task-cat-ba-heat-map, "
        "vast-task-dredged-sediment-sites, vast-task-grid-solar-lighting, vast-task-lien-minh-chicken, "
        "vast-task-mushroom-spawn, vast-task-nano-manganese-filter",
    )
    assert ("agreement", "2", "haiphong-vass-2016-2020, haiphong-vast-2015-2020") in cols(
        rows, "kind", "activities", "activityIds"
    )
    assert rows[-1]["programmeLabel"] == "Innovation Partnership Programme Vietnam–Finland (IPP), phase 1"
    assert g.rows("programme-activities", lang="vi")[1]["kindLabel"] == "dự án thành phần"


@covers("cooperation-by-year")
def test_cooperation_by_year(g: coopgraph.CoopGraph) -> None:
    assert cols(
        g.rows("cooperation-by-year"), "year", "activities", "agreements", "projects", "exchanges", "organizations"
    ) == [
        ("2004", "1", "0", "1", "0", "2"),
        ("2013", "3", "0", "0", "3", "2"),
        ("2014", "2", "0", "0", "2", "2"),
        ("2015", "5", "1", "0", "4", "5"),
        ("2016", "2", "2", "0", "0", "4"),
        (None, "31", "1", "17", "13", "29"),
    ]


@covers("organizations-by-type")
def test_organizations_by_type(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("organizations-by-type")
    assert len(rows) == 13
    assert sum(int(r["organizations"]) for r in rows) == 33
    assert rows[:3] == [
        {
            "type": "government-body",
            "typeLabel": "government body",
            "organizations": "7",
            "countries": "3",
            "activities": "37",
        },
        {"type": "university", "typeLabel": "university", "organizations": "6", "countries": "5", "activities": "1"},
        {
            "type": "academy",
            "typeLabel": "academy of sciences",
            "organizations": "3",
            "countries": "2",
            "activities": "12",
        },
    ]
    assert ("international-organization", "2", "0") in cols(rows, "type", "organizations", "countries")
    assert g.rows("organizations-by-type", lang="vi")[0]["typeLabel"] == "cơ quan nhà nước"
    # A type whose organizations take part in nothing counts 0 activities, not none.
    assert {r["type"]: r["activities"] for r in rows}["legislature"] == "0"


@covers("corrections")
def test_corrections(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("corrections")
    assert cols(rows, "record", "kind", "field", "printed") == [
        ("decision-1859-qd-ubnd-2013", "document", "date", "25/9/2031"),
        ("cork-institute-of-technology", "organization", "name", "Học viện kỹ thuật Cock"),
        ("harvard-medical-school", "organization", "name", "Đại học Y Havard"),
        ("koica", "organization", "acronyms", "KOIKA"),
        ("university-of-liege", "organization", "name", "Đại học Liege"),
        ("upc", "organization", "name", "Đại học Bách khoa Canaluna"),
    ]
    assert all(r["note"] for r in rows)


@covers("partners-of")
def test_partners_of(g: coopgraph.CoopGraph) -> None:
    assert cols(g.rows("partners-of", org="vast"), "partner", "partnerLabel", "country", "activities") == [
        ("haiphong-dost", "Hai Phong Department of Science and Technology", "VN", "8"),
        ("haiphong-pc", "Hai Phong City People's Committee", "VN", "3"),
        ("vast-dast", "Department of Technology Application and Deployment (VAST)", "VN", "1"),
    ]
    pc = g.rows("partners-of", org="haiphong-pc", lang="vi")
    assert len(pc) == 8
    assert cols(pc, "partner", "partnerLabel", "country")[3] == ("kitakyushu", "thành phố Kitakyushu", "JP")
    assert len(g.rows("partners-of", org="haiphong-dost")) == 16
    assert cols(g.rows("partners-of", org="apo"), "country") == [("VN",), ("KR",), ("KR",), (None,)]


@covers("summary")
def test_summary(g: coopgraph.CoopGraph) -> None:
    assert g.rows("summary") == [
        {
            "organizations": "33",
            "activities": "44",
            "agreements": "4",
            "projects": "18",
            "exchanges": "22",
            "pairs": "62",
            "countries": "9",
            "sources": "1",
        }
    ]
    assert int(g.rows("summary")[0]["pairs"]) == len(g.rows("cooperation-pairs"))


@covers("activities-by-kind")
def test_activities_by_kind(g: coopgraph.CoopGraph) -> None:
    rows = g.rows("activities-by-kind")
    assert sum(int(r["activities"]) for r in rows) == 44
    assert cols(rows, "class", "kind", "kindLabel", "activities", "organizations")[:2] == [
        ("project", "sub-project", "sub-project", "9", "6"),
        ("exchange", "exhibition-fair", "exhibition or fair", "4", "1"),
    ]
    exchanges = sum(int(r["activities"]) for r in rows if r["class"] == "exchange")
    assert exchanges == sum(int(r["exchanges"]) for r in g.rows("exchanges-by-kind-and-year")) == 22
    vi = {r["kind"]: r["kindLabel"] for r in g.rows("activities-by-kind", lang="vi")}
    assert vi["sub-project"] == "dự án thành phần"
