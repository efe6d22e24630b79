"""``coopgraph query``: output formats, bound parameters, errors, and real remote stores.

The remote tests start the Oxigraph server (the ``oxigraph`` package's binary) on
127.0.0.1, and a plain HTTP server that fails on purpose for the error cases.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import URIRef, Variable
from rdflib.query import Result
from SPARQLWrapper import JSON, SPARQLWrapper
from typer.testing import CliRunner

import coopgraph
from coopgraph.cli.main import app
from coopgraph.cli.query import _oxigraph_binary
from coopgraph.errors import UsageError

ORGS_EN = """SELECT ?org ?name WHERE {
  ?org a coop:Organization ; rdfs:label ?name FILTER(LANG(?name) = ?lang)
} ORDER BY ?org LIMIT 3"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coopgraph", *args], capture_output=True, text=True, timeout=120)


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_table_is_aligned_and_labels_follow_lang() -> None:
    en = cli("query", ORGS_EN, "--lang", "en")
    vi = cli("query", ORGS_EN, "--lang", "vi")
    assert en.exit_code == 0, en.output
    assert en.stdout.splitlines() == [
        "org                        name",
        "-------------------------  --------------------------------------------",
        "organization/apo           Asian Productivity Organization",
        "organization/brest         City of Brest",
        "organization/cal-maritime  California State University Maritime Academy",
    ]
    assert "Tổ chức Năng suất châu Á" in vi.stdout


def test_w3c_result_formats_parse_back() -> None:
    as_json = json.loads(cli("query", ORGS_EN, "--lang", "en", "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["org", "name"]
    assert as_json["results"]["bindings"][0]["name"] == {
        "type": "literal",
        "value": "Asian Productivity Organization",
        "xml:lang": "en",
    }

    # a real client's parser reads both W3C formats back
    for fmt in ("json", "xml"):
        parsed = Result.parse(
            io.BytesIO(cli("query", ORGS_EN, "--lang", "en", "--format", fmt).stdout_bytes), format=fmt
        )
        assert [str(row.name) for row in parsed] == [
            "Asian Productivity Organization",
            "City of Brest",
            "California State University Maritime Academy",
        ]
        assert parsed.bindings[0][Variable("org")] == URIRef("https://w3id.org/coopgraph/haiphong/organization/apo")

    root = ET.fromstring(cli("query", ORGS_EN, "--lang", "en", "--format", "xml").stdout)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [r.find(f"{ns}binding[@name='name']/{ns}literal").text for r in root.iter(f"{ns}result")] == [
        "Asian Productivity Organization",
        "City of Brest",
        "California State University Maritime Academy",
    ]

    rows = list(csv.reader(io.StringIO(cli("query", ORGS_EN, "--lang", "en", "--format", "csv").stdout)))
    assert rows[0] == ["org", "name"]
    assert rows[1] == ["https://w3id.org/coopgraph/haiphong/organization/apo", "Asian Productivity Organization"]
    tsv = cli("query", ORGS_EN, "--lang", "en", "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "?org\t?name"
    assert tsv[1] == '<https://w3id.org/coopgraph/haiphong/organization/apo>\t"Asian Productivity Organization"@en'


def test_markdown_escapes_what_the_data_says() -> None:
    hostile = 'SELECT ?x WHERE { BIND("<script>alert(1)</script> | `x`" AS ?x) }'
    out = cli("query", hostile, "--format", "md").stdout.splitlines()
    assert out == ["| x |", "| --- |", "| &lt;script&gt;alert(1)&lt;/script&gt; \\| \\`x\\` |"]


def test_ask_and_construct() -> None:
    assert cli("query", "ASK { ?o a coop:Organization }").stdout == "true\n"
    assert json.loads(cli("query", "ASK { ?o a coop:Nothing }", "--format", "json").stdout)["boolean"] is False
    turtle = cli("query", "CONSTRUCT { ?o a coop:Organization } WHERE { ?o a coop:Organization }").stdout
    triples = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) == 33
    vast = "<https://w3id.org/coopgraph/haiphong/organization/vast>"
    nt = cli("query", f"DESCRIBE {vast}", "--format", "nt").stdout
    label = '<http://www.w3.org/2000/01/rdf-schema#label> "Vietnam Academy of Science and Technology"@en .'
    assert f"{vast} {label}" in nt


def test_parameters_are_bound_never_pasted() -> None:
    query = "SELECT ?name WHERE { ?org rdfs:label ?name FILTER(LANG(?name) = 'en') } ORDER BY ?name"
    vast = cli("query", query, "--param", "org=vast").stdout.splitlines()
    assert vast[2:] == ["Vietnam Academy of Science and Technology"]
    injected = 'x") } UNION { ?org ?p ?name } #'
    hostile = cli(
        "query", "SELECT ?name WHERE { ?org rdfs:label ?name FILTER(STR(?name) = ?q) }", "--param", f"q={injected}"
    )
    assert hostile.exit_code == 0
    assert hostile.stdout.splitlines() == ["name", "----"]


def test_a_result_written_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "orgs.csv"
    assert cli("query", ORGS_EN, "--lang", "en", "--format", "csv", "-o", str(target)).exit_code == 0
    assert target.read_text("utf-8").splitlines()[:2] == [
        "org,name",
        "https://w3id.org/coopgraph/haiphong/organization/apo,Asian Productivity Organization",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SELECT ?x WHERE {\n  ?x ?p\n}"], "query:3:2: error: expected "),
        (["--name", "hubz"], "error: no query named 'hubz'; did you mean 'hubs'?"),
        (["--name", "organization-profile"], "error: query 'organization-profile' needs --param org=…"),
        (
            ["--name", "organization-profile", "--param", "org=vastt"],
            "error: no organization with the id 'vastt'; did you mean 'vast'",
        ),
        (["--name", "hubs", "--param", "nope=1"], "error: query 'hubs' has no parameter 'nope'"),
        (["SELECT * {}", "--param", "x"], "error: --param 'x': write it as NAME=VALUE"),
        (["SELECT * {}", "--name", "hubs"], "error: give the query once"),
        (["SELECT * {}", "--format", "yaml"], "error: unknown result format 'yaml'"),
        (
            ["SELECT * {}", "--endpoint", "ftp://x.org/"],
            "error: ftp://x.org/: an endpoint is an http:// or https:// URL",
        ),
    ],
)
def test_errors_are_one_located_line(args: list[str], message: str) -> None:
    result = cli("query", *args)
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_syntax_error_in_a_file_names_the_file(tmp_path: Path) -> None:
    query = tmp_path / "partners.rq"
    query.write_text("# partners\nSELECT ?x WHERE {\n  ?x coop:cooperatesWith\n}\n", encoding="utf-8")
    result = run("query", "-f", str(query))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{query}:4:1: error: expected ")
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) < len(str(query)) + 200


def test_queries_lists_the_library() -> None:
    result = cli("queries")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "parameters", "title"]
    assert len(lines) - 2 == len(list((Path(coopgraph.__file__).parent / "queries").glob("*.rq"))) >= 12
    assert cli("queries", "hubs").stdout.startswith("# title:")


def test_python_api_rows_dataframe_and_networkx() -> None:
    g = coopgraph.open()
    assert g.rows(ORGS_EN, lang=ox.Literal("en"))[0] == {
        "org": "https://w3id.org/coopgraph/haiphong/organization/apo",
        "name": "Asian Productivity Organization",
    }
    import pandas as pd

    frame = g.dataframe(ORGS_EN, lang=ox.Literal("en"))
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["org", "name"] and len(frame) == 3
    network = g.networkx()
    assert (network.number_of_nodes(), network.number_of_edges()) == (33, 62)
    dost = "https://w3id.org/coopgraph/haiphong/organization/haiphong-dost"
    assert max(network.degree, key=lambda pair: pair[1]) == (dost, 16)
    assert network.nodes[dost]["label"]["en"] == "Hai Phong Department of Science and Technology"


def test_python_api_named_takes_whole_numbers_and_refuses_other_types() -> None:
    g = coopgraph.open()
    as_number = [
        (r["organization"].value, r["distance"].value) for r in g.named("neighbourhood", {"org": "vast", "depth": 1})
    ]
    as_text = [
        (r["organization"].value, r["distance"].value) for r in g.named("neighbourhood", {"org": "vast", "depth": "1"})
    ]
    assert as_number == as_text and as_number and {d for _, d in as_number} == {"1"}
    with pytest.raises(UsageError, match=r"parameter 'depth': 1\.5 is a float; give text or a whole number"):
        g.named("neighbourhood", {"org": "vast", "depth": 1.5})
    with pytest.raises(UsageError, match="parameter 'depth': True is a bool"):
        g.rows("neighbourhood", org="vast", depth=True)


# --- real remote stores ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A real, writable Oxigraph server on 127.0.0.1; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [_oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def count(url: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    result = cli("query", query, "--endpoint", f"{url}/query", "--format", "csv")
    assert result.exit_code == 0, result.output
    return int(result.stdout.splitlines()[1])


def test_push_replaces_a_named_graph_and_query_runs_remotely(oxigraph_server: str) -> None:
    base = "https://w3id.org/coopgraph/haiphong/"
    first = cli("push", "--endpoint", f"{oxigraph_server}/store", "--ontology")
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"replaced <{base}> at {oxigraph_server}/store: 1915 triples in ")
    assert (count(oxigraph_server, base), count(oxigraph_server, "https://w3id.org/coopgraph/ns")) == (1915, 1412)
    again = cli("push", "--endpoint", f"{oxigraph_server}/store")
    assert again.exit_code == 0
    assert count(oxigraph_server, base) == 1915  # replaced, not added to

    named = "SELECT ?org WHERE { GRAPH ?g { ?org coop:cooperatesWith ?p } } ORDER BY ?org LIMIT 2"
    remote = cli("query", named, "--param", f"p={base}organization/vast", "--endpoint", f"{oxigraph_server}/query")
    assert remote.exit_code == 0, remote.output
    assert remote.stdout.splitlines()[2:] == ["organization/haiphong-dost", "organization/haiphong-pc"]


def test_serve_answers_sparql_like_the_local_graph(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "coopgraph", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/query"
        wait_for(url + "?query=ASK%7B%7D")
        local = cli("query", "--name", "hubs", "--format", "csv").stdout
        served = cli("query", "--name", "hubs", "--format", "csv", "--endpoint", url).stdout
        assert served == local
        # a real SPARQL client, as a researcher would use it
        client = SPARQLWrapper(url)
        client.setQuery(
            "PREFIX coop: <https://w3id.org/coopgraph/ns#> SELECT (COUNT(*) AS ?n) WHERE { ?s a coop:Organization }"
        )
        client.setReturnFormat(JSON)
        answer = client.queryAndConvert()
        assert answer["results"]["bindings"][0]["n"]["value"] == "33"
        refused = urllib.request.Request(url.replace("/query", "/update"), data=b"update=CLEAR ALL", method="POST")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(refused, timeout=10)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class _Failing(http.server.BaseHTTPRequestHandler):
    delay = 0.0
    status = 500
    calls = 0

    def do_POST(self) -> None:
        type(self).calls += 1
        time.sleep(self.delay)
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"Internal failure\nmore")

    do_PUT = do_POST

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture
def failing_server() -> Iterator[tuple[str, type[_Failing]]]:
    handler = type("Handler", (_Failing,), {"calls": 0})
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()


def test_an_endpoint_that_fails_gives_one_line_and_writes_nothing(failing_server, tmp_path: Path) -> None:
    url, handler = failing_server
    target = tmp_path / "out.csv"
    result = cli("query", "SELECT * {}", "--endpoint", url, "-o", str(target), "--format", "csv")
    assert (result.exit_code, result.stderr) == (1, f"error: {url}: HTTP 500 Internal Server Error: Internal failure\n")
    assert handler.calls == 3  # a 5xx is tried three times in all
    assert not target.exists()
    push = cli("push", "--endpoint", url)
    assert push.exit_code == 1 and push.stderr.startswith(f"error: {url}?graph=")


def test_an_endpoint_that_does_not_answer_in_time(failing_server) -> None:
    url, handler = failing_server
    handler.delay = 3
    handler.status = 400
    result = cli("query", "SELECT * {}", "--endpoint", url, "--timeout", "0.5")
    assert (result.exit_code, result.stderr) == (1, f"error: {url}: no answer within 0.5 s\n")


def test_a_refused_connection() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = cli("query", "SELECT * {}", "--endpoint", url)
    assert (result.exit_code, result.stderr) == (1, f"error: {url}: Connection refused\n")


class _Redirecting(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(302)
        self.send_header("Location", "http://127.0.0.1:9/elsewhere")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_redirect_is_refused_not_followed_with_the_credentials(monkeypatch) -> None:
    monkeypatch.setenv("COOPGRAPH_ENDPOINT_TOKEN", "s3cret")
    server = _QuietServer(("127.0.0.1", 0), _Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/query"
        result = cli("query", "SELECT * {}", "--endpoint", url)
    finally:
        server.shutdown()
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {url}: HTTP 302: the endpoint moved to http://127.0.0.1:9/elsewhere; use that URL\n",
    )
    assert "s3cret" not in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--param", "org=vast", "--param", "org=jica"], 2, "error: --param org is given twice"),
        (["--param", "org=vast"], 2, "error: the query has no variable ?org to bind"),
        (["--endpoint", "http://exa mple.org/q"], 1, "error: http://exa mple.org/q: not a usable URL"),
        (["--endpoint", "http://[::1/q"], 1, "error: http://[::1/q: not a usable URL"),
    ],
)
def test_bad_parameters_and_urls(args: list[str], code: int, message: str) -> None:
    result = cli("query", "SELECT * {}", *args)
    assert result.exit_code == code
    assert result.stderr.startswith(message), result.stderr


def test_lang_goes_to_the_variable_lang_only() -> None:
    """``--lang`` binds ``?lang`` or ``$lang``, and a query with only ``?language`` runs unbound."""
    dollar = cli("query", ORGS_EN.replace("?lang", "$lang"), "--lang", "vi", "--format", "csv")
    assert dollar.exit_code == 0, dollar.output
    assert "Tổ chức Năng suất châu Á" in dollar.stdout
    other = cli(
        "query",
        "SELECT ?language WHERE { coop:Organization rdfs:label ?l BIND (LANG(?l) AS ?language) } ORDER BY ?language",
        "--lang",
        "vi",
        "--format",
        "csv",
    )
    assert other.exit_code == 0, other.output
    assert other.stdout.split() == ["language", "en", "vi"]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s a coop:Organization } # ?org",
        'SELECT ?s WHERE { ?s rdfs:label "?org" }',
        "SELECT ?s WHERE { ?s a <https://example.org/a?org> }",
        "SELECT ?organization WHERE { ?organization a coop:Organization }",
    ],
)
def test_a_parameter_only_in_a_comment_string_or_iri_is_refused(query: str) -> None:
    result = cli("query", query, "--param", "org=vast")
    assert (result.exit_code, result.stderr) == (2, "error: the query has no variable ?org to bind\n")


def test_the_query_form_is_found_past_iris_with_a_hash() -> None:
    from coopgraph.library import parse

    text = "PREFIX ex: <http://example.org/ns#> CONSTRUCT { ?s a ex:T } WHERE { ?s a ex:T }  # a comment"
    assert parse("q", text).kind == "CONSTRUCT"
    assert parse("q", "# SELECT in a comment\nASK { ?s ?p ?o }").kind == "ASK"


class _CountingStore:
    """A store that counts the queries it is asked (pyoxigraph's Store cannot be patched)."""

    def __init__(self, store: ox.Store) -> None:
        self.store, self.calls = store, 0

    def query(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.store.query(*args, **kwargs)


def test_a_parameter_not_projected_is_bound_the_same_on_every_run() -> None:
    """Oxigraph refuses ``substitutions`` for a variable the SELECT does not project: the first
    run finds that out, later runs of the same text and names go straight to ``VALUES``."""
    from coopgraph import namespaces as ns
    from coopgraph import query as q

    g = coopgraph.open()
    store = _CountingStore(g.store)
    sparql = "SELECT ?label WHERE { ?org rdfs:label ?label } ORDER BY ?label"
    vast = {"org": ox.NamedNode(g.resolve("vast"))}
    q._UNPROJECTED.clear()
    expected = ["Vietnam Academy of Science and Technology", "Viện Hàn lâm KH&CN Việt Nam"]
    for calls in (2, 1):  # refused then VALUES; then VALUES at once
        store.calls = 0
        rows = [r["label"].value for r in q.run(store, sparql, vast, prefixes=ns.PREFIXES)]
        assert (rows, store.calls) == (expected, calls)


def test_a_text_refused_with_some_names_is_still_substituted_with_others() -> None:
    """Whether Oxigraph substitutes depends on the names bound, not on the text alone: a text
    refused for a variable it does not project still pre-binds, into its subquery, one it does."""
    from coopgraph import query as q

    g = coopgraph.open()
    sparql = (
        "SELECT ?org ?label WHERE { { SELECT ?org WHERE { ?org a coop:Organization } ORDER BY ?org LIMIT 1 } "
        "OPTIONAL { ?org rdfs:label ?label FILTER (LANG(?label) = ?lang) } }"
    )
    vast = ox.NamedNode(g.resolve("vast"))
    q._UNPROJECTED.clear()
    # Pre-bound inside the LIMIT 1: one row, VAST's (no ?lang, so no label).
    assert [(r["org"], r["label"]) for r in g.query(sparql, {"org": vast})] == [(vast, None)]
    # ?lang is not projected: a VALUES block, outside the LIMIT 1, which takes another organization.
    assert list(g.query(sparql, {"org": vast, "lang": ox.Literal("en")})) == []
    assert [(r["org"], r["label"]) for r in g.query(sparql, {"org": vast})] == [(vast, None)]
