"""``coopgraph query``, ``queries``, ``push`` and ``serve``: SPARQL for researchers."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import pyoxigraph as ox
import typer

from coopgraph import library, remote
from coopgraph import namespaces as ns
from coopgraph.api import open as open_graph
from coopgraph.cli.app import DataOption, app, handles_errors
from coopgraph.errors import QueryError, UsageError
from coopgraph.model import LANG_RE
from coopgraph.output import write_output
from coopgraph.paths import resolve_dataset
from coopgraph.query import variables
from coopgraph.rdf.store import ONTOLOGY_GRAPH, open_store
from coopgraph.results import RESULT_FORMATS, table, write_result, write_triples
from coopgraph.validate import dataset_config

EndpointOption = Annotated[
    str | None,
    typer.Option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the local graph.", show_default=False),
]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Seconds to wait for the endpoint.")]

_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _parse_params(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(f"--param {item!r}: write it as NAME=VALUE, e.g. --param org=vast")
        if name in out:
            raise UsageError(f"--param {name} is given twice")
        out[name] = value
    return out


def _query_error(exc: SyntaxError, where: str) -> QueryError:
    m = _POSITION.match(str(exc))
    if not m:
        return QueryError(str(exc), where)
    problem = m.group(3).strip().splitlines()[0]
    if problem.startswith("expected one of ") and len(problem) > 100:
        problem = problem[:100].rsplit(", ", 1)[0] + ", …"
    return QueryError(problem, where, int(m.group(1)), int(m.group(2)))


def _text_of(sparql: str | None, file: Path | None, name: str | None) -> tuple[str, str, library.NamedQuery | None]:
    given = [x for x in (sparql, file, name) if x is not None]
    if len(given) != 1:
        raise UsageError("give the query once: as text, with -f FILE, or with --name NAME")
    if name is not None:
        query = library.named(name)
        return query.text, f"{name}.rq", query
    if file is not None:
        try:
            return file.read_text("utf-8"), str(file), None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{file}: cannot read the query: {getattr(exc, 'strerror', None) or exc}") from None
    assert sparql is not None
    return sparql, "query", None


@app.command()
@handles_errors
def query(
    sparql: Annotated[str | None, typer.Argument(help="The SPARQL text.", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a file.")] = None,
    name: Annotated[str | None, typer.Option("--name", "-n", help="A named query (coopgraph queries).")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE, bound as an RDF term. Repeatable.")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of labels (vi, en), where asked.")] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", help=f"SELECT/ASK: {', '.join(RESULT_FORMATS)}. CONSTRUCT/DESCRIBE: an RDF syntax (turtle...)."
        ),
    ] = "table",
    output: Annotated[str, typer.Option("--output", "-o", help="File to write; '-' for standard output.")] = "-",
    endpoint: EndpointOption = None,
    timeout: TimeoutOption = 60.0,
    data: DataOption = None,
) -> None:
    """Run SPARQL on the graph: text, a file or a named query, with bound parameters.

    The prefixes coop:, rdf:, rdfs:, xsd:, owl:, skos:, schema:, prov:, dcterms: and
    org: are predeclared. Parameters are bound as RDF terms, never pasted into the
    query: an id such as vast stands for its record's IRI.

    Example: coopgraph query --name foreign-partners --param org=haiphong-dost --lang en
    """
    text, where, named = _text_of(sparql, file, name)
    params = _parse_params(param or [])
    if lang is not None and ((named and any(p.name == "lang" for p in named.params)) or "lang" in variables(text)):
        params.setdefault("lang", lang)
    graph = None if endpoint else open_graph(data)
    base = graph.base if graph else dataset_config(resolve_dataset(data)).base
    if named is not None:

        def resolve(record_id: str, kind: str | None) -> str:
            if graph is not None:
                return graph.resolve(record_id, kind)
            if kind is None:
                raise UsageError(f"'{record_id}': give the record's full IRI when querying an endpoint")
            return ns.entity_iri(base, kind, record_id)

        bindings: dict[str, Any] = library.bindings(named, params, resolve)
        kind = named.kind
    else:
        if "lang" in params and not LANG_RE.match(params["lang"]):
            raise UsageError(f"--lang {params['lang']!r} is not a language code such as vi or en")
        resolver = graph.resolve if graph is not None else None
        bindings = {k: ox.Literal(v) if k == "lang" else library.guess_term(k, v, resolver) for k, v in params.items()}
        kind = library.parse("query", text).kind
    try:
        ox.Store().query(text, prefixes=ns.PREFIXES)  # parse it here first: errors at the user's line
        if graph is not None:
            result = graph.query(text, bindings)
        else:
            assert endpoint is not None
            result = remote.query(endpoint, text, bindings, kind=kind, timeout=timeout)
    except SyntaxError as exc:
        raise _query_error(exc, where) from None
    except RuntimeError as exc:  # raised by Oxigraph when evaluation fails
        raise QueryError(str(exc), where) from None
    if isinstance(result, list):  # triples from an endpoint
        write_output(output, lambda out: write_triples(result, output_format, out))
        return
    try:
        hide = frozenset(p.name for p in named.params) if named else frozenset()
        write_output(output, lambda out: write_result(result, output_format, out, base=base, hide=hide))
    except RuntimeError as exc:  # Oxigraph evaluates lazily: a failure can come while writing
        raise QueryError(str(exc), where) from None


@app.command()
@handles_errors
def queries(
    query_name: Annotated[
        str | None, typer.Argument(metavar="NAME", help="Show this query in full.", show_default=False)
    ] = None,
) -> None:
    """List the named queries, or show one with its parameters and SPARQL.

    Example: coopgraph queries hubs
    """
    if query_name is not None:
        typer.echo(library.named(query_name).text.rstrip())
        return
    rows = []
    for q in library.load_library().values():
        params = " ".join(f"{p.name}=…" if p.default is None else f"[{p.name}={p.default}]" for p in q.params)
        rows.append([q.name, params, q.title])
    typer.echo(table(["name", "parameters", "title"], rows))


@app.command()
@handles_errors
def push(
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="The Graph Store Protocol URL (Oxigraph: /store, Fuseki: /DATASET/data).")
    ],
    graph: Annotated[
        str | None, typer.Option("--graph", help="Named graph to replace. Default: the dataset's base IRI.")
    ] = None,
    ontology: Annotated[
        bool, typer.Option("--ontology", help="Also replace the ontology's graph (a second request).")
    ] = False,
    timeout: TimeoutOption = 300.0,
    data: DataOption = None,
) -> None:
    """Replace a named graph of a remote triple store with the local graph: one request per graph.

    A failed request leaves that graph whole. Credentials come from the environment:
    COOPGRAPH_ENDPOINT_TOKEN, or COOPGRAPH_ENDPOINT_USER and COOPGRAPH_ENDPOINT_PASSWORD.

    Example: coopgraph push --endpoint http://127.0.0.1:7878/store
    """
    dataset = resolve_dataset(data)
    store, manifest = open_store(dataset)
    target = graph or dataset_config(dataset).base
    try:
        ox.NamedNode(target)
    except ValueError:
        raise UsageError(f"--graph {target!r} is not a valid IRI") from None
    jobs = [(target, False)] + ([(ns.ONTOLOGY, True)] if ontology else [])
    for name, is_ontology in jobs:
        started = time.perf_counter()
        quads = store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH if is_ontology else ox.DefaultGraph())
        body = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=ox.RdfFormat.N_TRIPLES)
        assert body is not None
        remote.put_graph(endpoint, name, body, timeout=timeout)
        count = manifest.ontology_triples if is_ontology else manifest.triples
        typer.echo(f"replaced <{name}> at {endpoint}: {count} triples in {time.perf_counter() - started:.2f} s")


def _oxigraph_binary() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise UsageError("the oxigraph server is not installed: pip install oxigraph")
    return found


@app.command()
@handles_errors
def serve(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 7878,
    cors: Annotated[bool, typer.Option("--cors", help="Allow pages from other origins (YASGUI) to query.")] = False,
    data: DataOption = None,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint on 127.0.0.1 (Oxigraph's server).

    Queries see the data and the ontology together. Stop it with Ctrl-C.

    Example: coopgraph serve --port 7878
    """
    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: not a port number")
    from coopgraph.rdf.store import build

    result = build(resolve_dataset(data))
    command = [_oxigraph_binary(), "serve-read-only", "--location", str(result.path)]
    command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"] + (["--cors"] if cors else [])
    typer.echo(f"SPARQL endpoint: http://127.0.0.1:{port}/query  (store {result.path})", err=True)
    sys.stderr.flush()
    os.execv(command[0], command)  # the server takes this process's place: signals reach it directly
