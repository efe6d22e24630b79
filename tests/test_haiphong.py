"""The bundled Hai Phong dataset says what the 2016 article says.

Every expected value here was read off the article
("3 năm nhìn lại Chương trình Đẩy mạnh hợp tác trong nước và quốc tế về KH&CN
thành phố Hải Phòng", 16/09/2016), not off the data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import coopgraph
from coopgraph.paths import bundled_dataset
from coopgraph.validate import validate_dataset


@pytest.fixture(scope="module")
def graph() -> coopgraph.CoopGraph:
    return coopgraph.open()


def ids(rows: list[dict], *names: str) -> list[tuple]:
    """Rows with IRIs shortened to their last segment."""

    def short(value: str | None) -> str | None:
        return value.rstrip("/").rsplit("/", 1)[-1] if value and value.startswith("http") else value

    return [tuple(short(row[n]) for n in names) for row in rows]


def test_the_bundled_dataset_is_valid() -> None:
    """No error; the only warnings are the three activities whose participants the article does not name."""
    _, report = validate_dataset(bundled_dataset())
    assert report.errors == []
    assert [(i.code, Path(i.path).name, i.line) for i in report.sorted()] == [
        ("no-participants", "exchanges.yaml", 291),
        ("no-participants", "exchanges.yaml", 312),
        ("no-participants", "projects.yaml", 566),
    ]


def test_organizations_per_country(graph) -> None:
    rows = graph.select(
        """SELECT ?code (COUNT(?o) AS ?n) WHERE {
             ?o a coop:Organization . OPTIONAL { ?o coop:country/skos:notation ?code }
           } GROUP BY ?code ORDER BY ?code"""
    )
    # VN: the city's party committee, council, people's committee and DOST; VAST and its
    # department; VASS and its Institute of Literature; MOST; Vinaren; VJCC; the two
    # training centres; the group of 63 provinces; three city enterprises.
    # No country: APO, WIPO (international) and IPP (a Vietnam-Finland programme).
    assert ids(rows, "code", "n") == [
        (None, "3"),
        ("BE", "1"),
        ("ES", "1"),
        ("FR", "1"),
        ("IE", "1"),
        ("JP", "3"),
        ("KR", "3"),
        ("RU", "1"),
        ("US", "2"),
        ("VN", "17"),
    ]


def test_the_two_academy_agreements(graph) -> None:
    rows = graph.select(
        """SELECT ?a ?party ?date ?start ?end WHERE {
             ?a a coop:Agreement ; coop:activityKind <https://w3id.org/coopgraph/vocab/activity-kind/agreement> ;
                coop:party ?party ; coop:startDate ?start ; coop:endDate ?end .
             OPTIONAL { ?a coop:date ?date }
           } ORDER BY ?a ?party"""
    )
    assert ids(rows, "a", "party", "date", "start", "end") == [
        ("haiphong-vass-2016-2020", "haiphong-pc", "2016-01-14", "2016", "2020"),
        ("haiphong-vass-2016-2020", "vass", "2016-01-14", "2016", "2020"),
        ("haiphong-vast-2015-2020", "haiphong-pc", None, "2015", "2020"),
        ("haiphong-vast-2015-2020", "vast", None, "2015", "2020"),
    ]


def test_vast_agreement_has_eight_areas_and_two_focal_points(graph) -> None:
    rows = graph.select(
        """SELECT ?fp WHERE { ?a coop:focalPoint ?fp } ORDER BY ?fp""",
        {"a": _iri("agreement", "haiphong-vast-2015-2020")},
    )
    assert ids(rows, "fp") == [("haiphong-dost",), ("vast-dast",)]


def test_research_tasks_budget_is_5132_million_dong(graph) -> None:
    rows = graph.select(
        """SELECT ?p ?value ?currency WHERE {
             ?p coop:budget ?b . ?b a schema:MonetaryAmount ; schema:value ?value ; schema:currency ?currency
           }"""
    )
    assert ids(rows, "p", "value", "currency") == [("vast-tasks-2013-2015", "5132000000", "VND")]
    tasks = graph.select(
        """SELECT (COUNT(?t) AS ?named) ?seven WHERE {
             ?t coop:partOf ?p .
             ?p coop:figure [ coop:measure <https://w3id.org/coopgraph/vocab/measure/tasks> ; schema:value ?seven ]
           } GROUP BY ?seven""",
        {"p": _iri("project", "vast-tasks-2013-2015")},
    )
    assert tasks == [{"named": "6", "seven": "7"}]  # seven tasks, six named in the article


def test_figures_of_the_jica_event(graph) -> None:
    rows = graph.select(
        """SELECT ?org ?measure ?value WHERE {
             ?e coop:figure ?f . ?f coop:measure ?measure ; schema:value ?value .
             ?e coop:organizer ?org
           } ORDER BY ?org ?measure""",
        {"e": _iri("exchange", "jica-kitakyushu-matchmaking-fair")},
    )
    got = ids(rows, "org", "measure", "value")
    assert sorted({(m, v) for _, m, v in got}) == [("firms", "13"), ("meetings", "120"), ("visitors", "700")]
    # "phối hợp với … (JICA), Hiệp hội Doanh nghiệp thành phố Kitakyushu tổ chức": the sector (DOST) with both
    assert sorted({o for o, _, _ in got}) == ["haiphong-dost", "jica", "kitakyushu-business-association"]


def test_the_impossible_decision_date_is_corrected_and_kept_in_a_note(graph) -> None:
    rows = graph.select(
        """SELECT ?number ?date ?printed ?approved WHERE {
             ?d coop:documentNumber ?number ; coop:date ?date ; coop:approves ?approved ;
                coop:correction [ coop:correctedField "date" ; coop:printedValue ?printed ]
           }""",
        {"d": _iri("document", "decision-1859-qd-ubnd-2013")},
    )
    assert ids(rows, "number", "date", "printed", "approved") == [
        ("1859/QĐ-UBND", "2013-09-25", "25/9/2031", "haiphong-st-cooperation-programme")
    ]


@pytest.mark.parametrize(
    ("org", "english", "printed"),
    [
        ("cork-institute-of-technology", "Cork Institute of Technology", "Học viện kỹ thuật Cock"),
        ("harvard-medical-school", "Harvard Medical School", "Đại học Y Havard"),
        ("upc", "Universitat Politècnica de Catalunya", "Đại học Bách khoa Canaluna"),
    ],
)
def test_misspelt_names_are_stored_under_real_names(graph, org: str, english: str, printed: str) -> None:
    rows = graph.select(
        """SELECT ?en ?alias WHERE {
             ?o rdfs:label ?en FILTER(LANG(?en) = "en") ?o skos:altLabel ?alias
           }""",
        {"o": _iri("organization", org)},
    )
    assert {r["en"] for r in rows} == {english}
    assert printed in {r["alias"] for r in rows}


def test_unnamed_groups_are_not_invented(graph) -> None:
    groups = graph.select(
        """SELECT ?o ?size WHERE {
             ?o coop:organizationType <https://w3id.org/coopgraph/vocab/organization-type/group> ; coop:groupSize ?size
           }"""
    )
    assert ids(groups, "o", "size") == [("vietnam-63-provinces", "63")]
    japanese = graph.select("SELECT ?o WHERE { ?o a coop:Organization ; coop:country/skos:notation 'JP' } ORDER BY ?o")
    assert ids(japanese, "o") == [("jica",), ("kitakyushu",), ("kitakyushu-business-association",)]


def test_every_organization_and_activity_has_both_labels_and_a_source(graph) -> None:
    missing = graph.select(
        """SELECT ?x ?what WHERE {
             { ?x a coop:Organization } UNION { ?x a coop:Activity } UNION { ?x a coop:Programme }
             UNION { ?x a coop:PolicyDocument }
             { FILTER NOT EXISTS { ?x rdfs:label ?l FILTER(LANG(?l) = "vi") } BIND("vi" AS ?what) }
             UNION { FILTER NOT EXISTS { ?x rdfs:label ?l FILTER(LANG(?l) = "en") } BIND("en" AS ?what) }
             UNION { FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s } BIND("source" AS ?what) }
           }"""
    )
    assert missing == []
    counts = graph.select(
        """SELECT (COUNT(DISTINCT ?o) AS ?orgs) (COUNT(DISTINCT ?a) AS ?activities) WHERE {
             { ?o a coop:Organization } UNION { ?a a coop:Activity } }"""
    )
    assert counts == [{"orgs": "33", "activities": "44"}]


def test_every_quote_is_in_vietnamese(graph) -> None:
    rows = graph.select("SELECT DISTINCT (LANG(?q) AS ?lang) WHERE { ?c coop:quote ?q }")
    assert rows == [{"lang": "vi"}]


def test_the_most_connected_organization_is_the_department(graph) -> None:
    rows = graph.select(
        """SELECT ?o (COUNT(DISTINCT ?p) AS ?n) WHERE { ?o coop:cooperatesWith ?p }
           GROUP BY ?o ORDER BY DESC(?n) LIMIT 1"""
    )
    assert ids(rows, "o") == [("haiphong-dost",)]


def _iri(kind: str, record_id: str):
    from pyoxigraph import NamedNode

    from coopgraph.namespaces import entity_iri

    return NamedNode(entity_iri("https://w3id.org/coopgraph/haiphong/", kind, record_id))
