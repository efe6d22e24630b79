"""The view definition: what each filter keeps, on a fixture with known answers and on Hai Phong.

tests/data/views has five organizations (a, b: VN; c: JP; d: KR; e: no country) and
four activities: project-1 (2014-2015: a, b, c), visit-1 (2016-03: a, d), mou-1
(signed 2013-05-16: a, c) and workshop-1 (no date: b, e).
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations
from typing import Any

import networkx as nx
import pytest

import coopgraph
from coopgraph.errors import UsageError
from coopgraph.network import Activity, Cooperation, Organization, pairs
from coopgraph.view import Filters, activity_kept, make_view
from tests.conftest import DATA


@pytest.fixture(scope="module")
def graph() -> coopgraph.CoopGraph:
    return coopgraph.open(DATA / "views")


@pytest.fixture(scope="module")
def haiphong() -> coopgraph.CoopGraph:
    return coopgraph.open()


def shape(view: Any) -> tuple[list[str], list[tuple[str, str, int]]]:
    """Organization ids and (id, id, weight) links of a network view."""
    name = {o.iri: o.id for o in view.organizations}
    links = sorted((*sorted((name[a], name[b])), w) for a, b, w in view.graph.edges(data="weight"))
    return sorted(name.values()), links


ALL = ["org-a", "org-b", "org-c", "org-d", "org-e"]


@pytest.mark.parametrize(
    ("filters", "orgs", "links"),
    [
        (
            {},
            ALL,
            [
                ("org-a", "org-b", 1),
                ("org-a", "org-c", 2),
                ("org-a", "org-d", 1),
                ("org-b", "org-c", 1),
                ("org-b", "org-e", 1),
            ],
        ),
        # a period keeps what overlaps it and drops the undated workshop
        (
            {"since": "2015"},
            ["org-a", "org-b", "org-c", "org-d"],
            [("org-a", "org-b", 1), ("org-a", "org-c", 1), ("org-a", "org-d", 1), ("org-b", "org-c", 1)],
        ),
        ({"until": "2013"}, ["org-a", "org-c"], [("org-a", "org-c", 1)]),
        ({"since": "2016-04"}, [], []),
        ({"as_of": "2013-05-16"}, ["org-a", "org-c"], [("org-a", "org-c", 1)]),
        ({"as_of": "2013-05-17"}, [], []),
        ({"as_of": "2016-03-31"}, ["org-a", "org-d"], [("org-a", "org-d", 1)]),
        ({"kind": ["exchange"]}, ["org-a", "org-b", "org-d", "org-e"], [("org-a", "org-d", 1), ("org-b", "org-e", 1)]),
        (
            {"kind": ["mou", "workshop"]},
            ["org-a", "org-b", "org-c", "org-e"],
            [("org-a", "org-c", 1), ("org-b", "org-e", 1)],
        ),
        ({"min_weight": 2}, ["org-a", "org-c"], [("org-a", "org-c", 2)]),
        ({"country": ["JP"]}, ["org-c"], []),
        (
            {"country": ["VN", "JP"]},
            ["org-a", "org-b", "org-c"],
            [("org-a", "org-b", 1), ("org-a", "org-c", 2), ("org-b", "org-c", 1)],
        ),
        ({"type": ["university"]}, ["org-b", "org-c"], [("org-b", "org-c", 1)]),
        ({"focus": "org-d"}, ["org-a", "org-d"], [("org-a", "org-d", 1)]),
        (
            {"focus": "org-d", "depth": 2},
            ["org-a", "org-b", "org-c", "org-d"],
            [("org-a", "org-b", 1), ("org-a", "org-c", 2), ("org-a", "org-d", 1), ("org-b", "org-c", 1)],
        ),
        ({"focus": "org-d", "depth": 0}, ["org-d"], []),
        # the focus stays whatever the other filters say
        ({"focus": "org-d", "depth": 2, "country": ["JP"]}, ["org-d"], []),
        ({"focus": "org-a", "country": ["JP"]}, ["org-a", "org-c"], [("org-a", "org-c", 2)]),
        # top: most partners (a: 4, b: 3), then shared activities
        ({"top": 2}, ["org-a", "org-b"], [("org-a", "org-b", 1)]),
        (
            {"top": 3},
            ["org-a", "org-b", "org-c"],
            [("org-a", "org-b", 1), ("org-a", "org-c", 2), ("org-b", "org-c", 1)],
        ),
    ],
)
def test_each_filter_keeps_what_it_says(graph: Any, filters: dict[str, Any], orgs: list[str], links: list[Any]) -> None:
    assert shape(graph.view(**filters)) == (orgs, links)


def test_activities_mode_joins_each_activity_to_its_participants(graph: Any) -> None:
    view = graph.view("activities")
    assert [a.id for a in view.activities] == ["mou-1", "project-1", "visit-1", "workshop-1"]
    assert view.graph.number_of_nodes() == 5 + 4
    name = {o.iri: o.id for o in view.organizations} | {a.iri: a.id for a in view.activities}
    acts = {a.iri for a in view.activities}
    roles = sorted(
        (name[act], name[org], tuple(r.rsplit("#")[-1] if r else "-" for r in data["roles"]))
        for a, b, data in view.graph.edges(data=True)
        for act, org in [(a, b) if a in acts else (b, a)]
    )
    assert roles == [
        ("mou-1", "org-a", ("party",)), ("mou-1", "org-c", ("party",)),
        ("project-1", "org-a", ("lead",)), ("project-1", "org-b", ("partner",)), ("project-1", "org-c", ("partner",)),
        ("visit-1", "org-a", ("host",)), ("visit-1", "org-d", ("-",)),
        ("workshop-1", "org-b", ("-",)), ("workshop-1", "org-e", ("-",)),
    ]  # fmt: skip
    assert graph.view("activities", kind=["mou"]).graph.number_of_nodes() == 3


def test_the_limit_keeps_the_best_connected_and_counts_what_it_dropped(graph: Any) -> None:
    view = graph.view(limit=3)
    assert shape(view)[0] == ["org-a", "org-b", "org-c"] and view.dropped == 2
    # with a focus, the nearest are kept first: org-e and its one partner, not the hub
    focused = graph.view(limit=2, focus="org-e", depth=3)
    assert shape(focused) == (["org-b", "org-e"], [("org-b", "org-e", 1)]) and focused.dropped == 3
    assert shape(graph.view(top=3, focus="org-d", depth=2))[0] == ["org-a", "org-c", "org-d"]
    assert graph.view(limit=5).dropped == 0
    # the activities mode keeps organizations with all their activities, as many as fit:
    # org-a (3 activities) fits in 6 with org-b (+1: the workshop), not with org-c too
    activities = graph.view("activities", limit=6)
    assert [o.id for o in activities.organizations] == ["org-a", "org-b"]
    assert [a.id for a in activities.activities] == ["mou-1", "project-1", "visit-1", "workshop-1"]
    assert activities.graph.number_of_nodes() == 6 and activities.dropped == 9 - 6
    tight = graph.view("activities", limit=3)
    assert tight.graph.number_of_nodes() == 0 and tight.dropped == 9


def test_home_country_and_scope(graph: Any) -> None:
    view = graph.view()
    assert view.home == "VN"
    assert {o.id: view.scope(o) for o in view.organizations} == {
        "org-a": "domestic", "org-b": "domestic", "org-c": "foreign", "org-d": "foreign", "org-e": "unknown"
    }  # fmt: skip
    japan = graph.view(home="JP")
    assert {o.id: japan.scope(o) for o in japan.organizations}["org-c"] == "domestic"


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"since": "2014", "as_of": "2014-01-01"}, "--as-of is one day; give it, or --since/--until, not both"),
        ({"as_of": "2014"}, "--as-of is one day (YYYY-MM-DD), not '2014'; use --since/--until for a period"),
        ({"depth": 2}, "--depth counts links from --focus; give --focus ID too"),
        ({"since": "2014-13"}, "--since: '2014-13' is not a date: month must be in 1..12"),
        ({"until": "14/05/2014"}, "--until: '14/05/2014' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ({"since": "2016", "until": "2015"}, "the period is empty: --since 2016-01-01 is after --until 2015-12-31"),
        (
            {"type": ["univercity"]},
            "--type: no organization in the data has the type 'univercity'; did you mean 'university'?",
        ),
        (
            {"kind": ["mou", "delegations"]},
            "--kind: no activity in the data has the kind 'delegations'; did you mean 'delegation'?",
        ),
        (
            {"kind": ["xyz"]},
            "--kind: no activity in the data has the kind 'xyz'; it has agreement, delegation, "
            "exchange, mou, project, workshop",
        ),
        ({"country": ["FR"]}, "--country: no organization in the data is in 'FR'; it has JP, KR, VN"),
        ({"focus": "org-z"}, "no organization with the id 'org-z'; did you mean 'org-e', 'org-d', 'org-c'?"),
        ({"focus": "mou-1"}, "no organization with the id 'mou-1'"),
        ({"focus": "Org A"}, "'Org A' is not an id (lowercase letters, digits and single hyphens)"),
    ],
)
def test_bad_filters_are_refused_with_a_precise_message(graph: Any, filters: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as info:
        graph.view(**filters)
    assert str(info.value) == message


def test_hai_phong_views_match_the_graph(haiphong: Any) -> None:
    """The view's counts, checked against SPARQL over the same store."""
    orgs_in_activities = haiphong.select(
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?a a coop:Activity ; coop:participant ?o }"
    )[0]["n"]
    pairs = haiphong.select("SELECT (COUNT(*) AS ?n) WHERE { ?x coop:cooperatesWith ?y . FILTER (STR(?x) < STR(?y)) }")[
        0
    ]["n"]
    view = haiphong.view()
    assert (len(view.organizations), view.graph.number_of_edges()) == (int(orgs_in_activities), int(pairs)) == (31, 62)
    heavy = haiphong.select(
        """SELECT (COUNT(*) AS ?n) WHERE {
             { SELECT ?x ?y (COUNT(DISTINCT ?a) AS ?k) WHERE {
                 ?a coop:participant ?x , ?y . FILTER (STR(?x) < STR(?y)) } GROUP BY ?x ?y }
             FILTER (?k >= 2) }"""
    )[0]["n"]
    assert haiphong.view(min_weight=2).graph.number_of_edges() == int(heavy)
    japan = {
        r["o"]
        for r in haiphong.select(
            "SELECT DISTINCT ?o WHERE { ?a coop:participant ?o . ?o coop:country/skos:notation 'JP' }"
        )
    }
    assert {o.iri for o in haiphong.view(country=["JP"]).organizations} == japan
    mou = haiphong.select(
        "SELECT DISTINCT ?o WHERE { ?a coop:activityKind/skos:notation 'exhibition-fair' ; coop:participant ?o }"
    )
    view = haiphong.view(kind=["exhibition-fair"])
    assert {o.iri for o in view.organizations} == {r["o"] for r in mou}
    members: dict[str, set[str]] = {}
    for a in view.activities:
        members[a.iri] = set(a.participant_iris())
    expected = {tuple(sorted(p)) for m in members.values() for p in combinations(sorted(m), 2)}
    assert {tuple(sorted(e)) for e in view.graph.edges} == expected
    top = haiphong.view(top=1)
    assert [o.id for o in top.organizations] == ["haiphong-dost"] and top.partners[top.organizations[0].iri] == 16
    focus = haiphong.view(focus="haiphong-dost")
    assert len(focus.organizations) == 17 and focus.partners[haiphong.resolve("haiphong-dost")] == 16


# --- the link budget ----------------------------------------------------------------------


def test_the_link_budget_keeps_a_spanning_forest_then_the_strongest_links(graph: Any) -> None:
    # rank: a (3 partners, 4 shared), b (3, 3), c, d, e; a-c is the strongest link (2)
    assert shape(graph.view(max_links=4))[1] == [
        ("org-a", "org-b", 1), ("org-a", "org-c", 2), ("org-a", "org-d", 1), ("org-b", "org-e", 1)
    ]  # fmt: skip
    cut = graph.view(max_links=2)
    assert shape(cut) == (ALL, [("org-a", "org-b", 1), ("org-a", "org-c", 2)])
    assert (cut.links_dropped, cut.max_links) == (3, 2)
    # the nodes and their partners are those of the whole view: only links are left out
    assert cut.partners == graph.view().partners
    whole = graph.view(max_links=5)
    assert whole.links_dropped == 0 and whole.graph.number_of_edges() == 5


def test_with_a_focus_the_link_budget_keeps_every_organization_linked_toward_it(graph: Any) -> None:
    # org-e -> org-b -> org-a and org-c: the budget keeps that tree, not the strongest link a-c (2)
    view = graph.view(focus="org-e", depth=2, max_links=3)
    assert shape(view) == (
        ["org-a", "org-b", "org-c", "org-e"],
        [("org-a", "org-b", 1), ("org-b", "org-c", 1), ("org-b", "org-e", 1)],
    )
    assert view.links_dropped == 1
    assert graph.view(focus="org-e", depth=2, max_links=4).links_dropped == 0


def test_the_link_budget_leaves_the_activities_mode_and_stats_whole(graph: Any) -> None:
    view = graph.view("activities", max_links=1)
    assert view.links_dropped == 0 and view.graph.number_of_edges() == 9
    assert graph.view().links_dropped == 0  # no budget unless asked (stats, exports)


def test_bad_link_budget_is_refused(graph: Any) -> None:
    with pytest.raises(UsageError) as info:
        graph.view(max_links=0)
    assert str(info.value) == "--max-links must be 1 or more, not 0"


def ring(n: int) -> Cooperation:
    """``n`` organizations in projects of three (neighbours on a ring and a long link), one a year."""
    orgs = {f"o{i:04}": Organization(f"o{i:04}", f"org-{i}", {"en": f"Org {i}"}, "university", "VN") for i in range(n)}
    acts = {}
    for i in range(n):
        members = {f"o{i:04}", f"o{(i + 1) % n:04}", f"o{(i * 7 + 3) % n:04}"}
        acts[f"a{i}"] = Activity(f"a{i}", f"act-{i}", "project", start=str(2000 + i % 20),
                                 participants=[(m, None) for m in sorted(members)])  # fmt: skip
        if i % 5 == 0:  # some pairs share a second activity
            acts[f"b{i}"] = Activity(f"b{i}", f"again-{i}", "exchange", date=str(2010 + i % 10),
                                     participants=[(f"o{i:04}", None), (f"o{(i + 1) % n:04}", None)])  # fmt: skip
    return Cooperation(orgs, acts, {}, {})


def reference(coop: Cooperation, filters: Filters) -> nx.Graph:
    """The view's graph made the plain way: every pair of partners, then the filters, with networkx."""
    kept = [a for a in coop.activities.values() if activity_kept(a, filters)]
    g = pairs(kept)
    g.remove_edges_from([(x, y) for x, y, w in g.edges(data="weight") if w < filters.min_weight])
    if filters.min_weight > 1:
        g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0 and n != filters.focus])
    return g


@pytest.mark.parametrize("filters", [Filters(), Filters(min_weight=2), Filters(since=dt.date(2010, 1, 1))])
def test_the_array_counts_give_the_graph_networkx_gives(filters: Filters) -> None:
    coop = ring(300)
    view, expected = make_view(coop, filters), reference(coop, filters)
    assert list(view.graph.nodes) == list(expected.nodes)  # the same order too: layouts and metrics see the same graph
    assert list(view.graph.edges(data=True)) == list(expected.edges(data=True))
    assert view.partners == dict(expected.degree)


def test_on_a_big_view_the_budget_keeps_every_distance_to_the_focus() -> None:
    coop = ring(1500)
    filters = Filters(focus="o0000", depth=6)
    whole = make_view(coop, filters, limit=300)
    cut = make_view(coop, filters, limit=300, max_links=450)
    assert whole.graph.number_of_nodes() == cut.graph.number_of_nodes() == 300 and whole.dropped == cut.dropped > 0
    assert cut.graph.number_of_edges() == 450
    assert cut.links_dropped == whole.graph.number_of_edges() - 450
    assert set(cut.graph.edges) <= set(whole.graph.edges)
    far = nx.single_source_shortest_path_length
    assert far(cut.graph, "o0000") == far(whole.graph, "o0000")  # every node still reached, as near as before
    # each organization keeps its strongest link toward the focus
    near = far(whole.graph, "o0000")
    for node in cut.graph:
        if node != "o0000":
            steps = [w for x, w in whole.graph[node].items() if near[x] == near[node] - 1]
            kept = [cut.graph[node][x]["weight"] for x in cut.graph[node] if near[x] == near[node] - 1]
            assert max(kept) == max(w["weight"] for w in steps)
