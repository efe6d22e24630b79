"""Network metrics and ``coopgraph stats``: known answers on small graphs, the fixture and Hai Phong.

tests/data/views: project-1 (a, b, c), visit-1 (a, d), mou-1 (a, c), workshop-1 (b, e),
so the links are a-b, a-c (two activities), b-c, a-d and b-e.
"""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

import coopgraph
from coopgraph import metrics
from coopgraph.cli.main import app
from tests.conftest import DATA

VIEWS = DATA / "views"


@pytest.fixture(scope="module")
def fixture() -> coopgraph.CoopGraph:
    return coopgraph.open(VIEWS)


@pytest.fixture(scope="module")
def haiphong() -> coopgraph.CoopGraph:
    return coopgraph.open()


def test_metrics_on_graphs_with_known_answers() -> None:
    barbell = nx.barbell_graph(4, 0)  # two 4-cliques joined by the link 3-4
    assert metrics.communities(barbell) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    between = metrics.betweenness(barbell)
    assert max(between, key=lambda n: between[n]) in (3, 4)
    assert between[3] == pytest.approx(12 / 21)  # {0, 1, 2} x {4, 5, 6, 7} pass through 3, of 21 pairs of others
    assert between[0] == 0
    assert metrics.components(nx.Graph([(1, 2), (3, 4), (4, 5)])) == [[3, 4, 5], [1, 2]]
    assert metrics.degree(nx.star_graph(4))[0] == 4
    assert metrics.density(nx.complete_graph(5)) == 1.0
    assert metrics.communities(nx.empty_graph(2)) == [[0], [1]]


def test_betweenness_is_estimated_above_the_limit_and_stays_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    g = nx.connected_watts_strogatz_graph(300, 4, 0.1, seed=3)
    exact = metrics.betweenness(g)
    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS", 100)
    assert metrics.is_estimated(g)
    estimate = metrics.betweenness(g, pivots=100)
    assert estimate == metrics.betweenness(g, pivots=100)  # seeded: the same every run
    assert estimate != exact
    top = sorted(exact, key=lambda n: -exact[n])[:5]
    assert len(set(top) & set(sorted(estimate, key=lambda n: -estimate[n])[:15])) >= 4


def test_stats_of_the_fixture(fixture: coopgraph.CoopGraph) -> None:
    stats = fixture.stats()
    rows = {r["id"]: r for r in stats.organizations}
    assert {k: (r["partners"], r["shared_activities"], r["activities"]) for k, r in rows.items()} == {
        "org-a": (3, 4, 3),
        "org-b": (3, 3, 2),
        "org-c": (2, 3, 2),
        "org-d": (1, 1, 1),
        "org-e": (1, 1, 1),
    }
    assert {k: r["betweenness"] for k, r in rows.items()} == {
        "org-a": 0.5,
        "org-b": 0.5,
        "org-c": 0.0,
        "org-d": 0.0,
        "org-e": 0.0,
    }
    assert [r["id"] for r in stats.organizations][:2] == ["org-a", "org-b"]  # ties broken by shared activities
    assert [r["rank"] for r in stats.organizations] == [1, 1, 3, 4, 4]
    # Louvain: {a, c, d} and {b, e}; modularity by hand, with links weighted by shared activities
    # (6 in all): inside 3 and 1, weighted degrees 8 and 4: 3/6 - (8/12)² + 1/6 - (4/12)² = 1/9.
    assert {r["id"]: r["community"] for r in stats.organizations} == {
        "org-a": 1,
        "org-c": 1,
        "org-d": 1,
        "org-b": 2,
        "org-e": 2,
    }
    assert stats.summary["modularity"] == pytest.approx(1 / 9, abs=1e-6)
    assert stats.summary | {"modularity": None} == {
        "organizations": 5,
        "links": 5,
        "activities": 4,
        "agreements": 1,
        "projects": 1,
        "exchanges": 2,
        "countries": 3,
        "density": 0.5,
        "components": 1,
        "largest_component": 5,
        "communities": 2,
        "modularity": None,
        "betweenness": "exact",
    }
    assert [(r["country"], r["organizations"], r["partners"], r["activities"]) for r in stats.countries] == [
        ("VN", 2, 6, 4),
        ("JP", 1, 2, 2),
        ("KR", 1, 1, 1),
        (None, 1, 1, 1),
    ]
    assert [(r["year"], r["activities"]) for r in stats.years] == [(2013, 1), (2014, 1), (2016, 1), (None, 1)]
    assert sorted((r["class"], r["activities"]) for r in stats.kinds) == [
        ("agreement", 1),
        ("exchange", 1),
        ("exchange", 1),
        ("project", 1),
    ]


def test_stats_follow_the_view_filters(fixture: coopgraph.CoopGraph) -> None:
    stats = fixture.stats(since="2014")
    assert sorted(r["id"] for r in stats.organizations) == ["org-a", "org-b", "org-c", "org-d"]
    assert stats.filters == ["--since 2014-01-01"]


def test_stats_of_hai_phong_match_the_named_queries(haiphong: coopgraph.CoopGraph) -> None:
    stats = haiphong.stats()
    top = stats.organizations[0]
    assert (top["id"], top["partners"], top["rank"]) == ("haiphong-dost", 16, 1)
    assert max(stats.organizations, key=lambda r: r["betweenness"])["id"] == "haiphong-dost"
    hubs = haiphong.rows("hubs", limit=100)
    assert {(r["organization"], int(r["partners"]), int(r["rank"])) for r in hubs} == {
        (r["id"], r["partners"], r["rank"]) for r in stats.organizations
    }
    pairs = haiphong.rows("cooperation-pairs")
    assert stats.summary["links"] == len(pairs) == 62
    assert stats.summary["components"] == 2
    assert stats.summary["largest_component"] == 24
    # the communities split the network: every organization is in one
    assert sorted(r["community"] for r in stats.organizations)[0] == 1
    assert len({r["community"] for r in stats.organizations}) == stats.summary["communities"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["stats", *args])
    return result.exit_code, result.stdout, result.stderr


def test_stats_command_formats_agree_with_the_library(fixture: coopgraph.CoopGraph) -> None:
    library = fixture.stats()
    code, out, _ = run("-d", str(VIEWS), "--format", "json")
    assert code == 0
    assert json.loads(out) == json.loads(json.dumps(library.as_dict()))
    code, out, _ = run("-d", str(VIEWS), "--format", "csv", "--table", "countries")
    assert code == 0
    assert next(iter(csv.DictReader(io.StringIO(out)))) == {
        "country": "VN",
        "label": "Vietnam",
        "organizations": "2",
        "partners": "6",
        "activities": "4",
    }
    code, out, _ = run("-d", str(VIEWS), "--rows", "1")
    assert code == 0
    assert "ORGANIZATIONS" in out and "… 4 more rows (--rows 0 shows all)" in out
    assert "<script>alert(1)</script>" in out  # a terminal shows text as it is
    code, out, _ = run("-d", str(VIEWS), "--format", "md", "--table", "organizations")
    assert code == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script>" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "error: --format: 'xml' is not one of table, md, json, csv"),
        (["--table", "hubs"], "error: --table: no table 'hubs'; the tables are summary, organizations"),
        (["--format", "csv", "--table", "years,kinds"], "error: --format csv writes one table"),
        (["--country", "XX"], "error: --country: no organization in the data is in 'XX'; it has JP, KR, VN"),
        (["--lang", "fr"], "error: --lang: 'fr' is not one of en, vi"),
        (["--since", "2014-13"], "error: --since: '2014-13' is not a date"),
    ],
)
def test_bad_stats_options_exit_2_with_a_message(args: list[str], message: str) -> None:
    code, out, err = run("-d", str(VIEWS), *args)
    assert code == 2
    assert err.startswith(message)
    assert out == "" and "Traceback" not in err
