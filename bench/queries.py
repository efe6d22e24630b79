#!/usr/bin/env python3
"""Time every named query on a generated dataset: coopgraph (Oxigraph) against rdflib's SPARQL.

The dataset is generated (``bench/generate.py``) and built with ``coopgraph build``
(timed). Then two worker processes answer the same named queries, with the same
parameters bound as RDF terms:

``oxigraph``  ``coopgraph.open()`` and ``CoopGraph.named`` (the path of ``coopgraph
              query``); each query runs ``--runs`` times, the median is kept.
``rdflib``    an in-memory ``rdflib.Graph`` loaded from ``coopgraph export nt
              --ontology`` (the load is timed), ``Graph.query`` with ``initNs`` and
              ``initBindings``; each query runs once, stopped after ``--rdflib-timeout``.

Parameters: ``org`` and ``record`` take the biggest hub (``org-1``), ``other``
the second (``org-2``); the others keep their defaults. Rows are counted to show both
engines answered the same.

Usage::

    python bench/queries.py --orgs 100000 --runs 3 --workdir /tmp/coopgraph-bench --markdown
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

PARAMS = {"org": "org-1", "other": "org-2", "record": "org-1"}

OXIGRAPH = r"""
import json, statistics, sys, time
import coopgraph
from coopgraph.library import load_library
folder, runs, params = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
started = time.perf_counter()
g = coopgraph.open(folder)
out = {"open": time.perf_counter() - started, "queries": {}}
for name, q in load_library().items():
    given = {p.name: params[p.name] for p in q.params if p.name in params}
    times, rows = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        rows = sum(1 for _ in g.named(name, given))
        times.append(time.perf_counter() - t)
    out["queries"][name] = {"seconds": statistics.median(times), "rows": rows}
print(json.dumps(out))
"""

RDFLIB = r"""
import json, signal, sys, time
import rdflib
from coopgraph import namespaces as ns
from coopgraph.api import open as open_graph
from coopgraph.library import bindings, load_library
nt, folder, limit, params = sys.argv[1], sys.argv[2], float(sys.argv[3]), json.loads(sys.argv[4])
resolve = open_graph(folder).resolve
started = time.perf_counter()
graph = rdflib.Graph()
graph.parse(nt, format="nt")
out = {"load": time.perf_counter() - started, "triples": len(graph), "queries": {}}

def to_rdflib(term):
    if not hasattr(term, "datatype"):
        return rdflib.URIRef(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    plain = term.datatype.value == ns.XSD + "string"
    return rdflib.Literal(term.value, datatype=None if plain else rdflib.URIRef(term.datatype.value))

class Late(Exception):
    pass

def stop(*_):
    raise Late

signal.signal(signal.SIGALRM, stop)
for name, q in load_library().items():
    given = {p.name: params[p.name] for p in q.params if p.name in params}
    terms = {k: to_rdflib(v) for k, v in bindings(q, given, resolve).items()}
    t = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        rows = sum(1 for _ in graph.query(q.text, initNs=ns.PREFIXES, initBindings=terms))
        out["queries"][name] = {"seconds": time.perf_counter() - t, "rows": rows}
    except Late:
        out["queries"][name] = {"seconds": None, "rows": None}
    except Exception as exc:  # rdflib fails on some valid SPARQL: say so, go on
        out["queries"][name] = {"seconds": None, "rows": None, "error": type(exc).__name__}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
print(json.dumps(out))
"""


def coopgraph(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "coopgraph", *args], check=True, capture_output=True)
    return time.perf_counter() - started


def worker(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"a worker failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rdflib-timeout", type=float, default=120.0)
    parser.add_argument("--workdir", type=Path, default=Path("bench-data"))
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()

    folder = args.workdir / f"synthetic-{args.orgs}"
    if not (folder / "coopgraph.yaml").exists():
        generate(folder, args.orgs)
    env_folder = str(folder)
    build = coopgraph("build", "--force", "--data", env_folder)
    nt = args.workdir / f"synthetic-{args.orgs}.nt"
    if not nt.exists():
        coopgraph("export", "nt", "--ontology", "--data", env_folder, "-o", str(nt))
    params = json.dumps(PARAMS)
    ox = worker(OXIGRAPH, env_folder, str(args.runs), params)
    rd = None if args.skip_rdflib else worker(RDFLIB, str(nt), env_folder, str(args.rdflib_timeout), params)
    result = {"orgs": args.orgs, "build": build, "oxigraph": ox, "rdflib": rd, "cpus": os.cpu_count()}
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result), file=sys.stderr)
    if args.markdown:
        print(f"{args.orgs:,} organizations: `coopgraph build --force` {build:.1f} s; open {ox['open']:.2f} s", end="")
        print(f"; rdflib load {rd['load']:.1f} s ({rd['triples']:,} triples)" if rd else "")
        print(f"\nOxigraph: median of {args.runs} runs. rdflib: one run, stopped at {args.rdflib_timeout:g} s.\n")
        print("| query | rows | coopgraph (Oxigraph) | rdflib SPARQL | rdflib rows | speed-up |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, q in ox["queries"].items():
            r = rd["queries"][name] if rd else {"seconds": None, "rows": None}
            rs = f"{r['seconds']:.2f} s" if r["seconds"] is not None else f"> {args.rdflib_timeout:g} s"
            limit = r["seconds"] if r["seconds"] is not None else args.rdflib_timeout
            speed = f"{'≥ ' if r['seconds'] is None else ''}{limit / max(q['seconds'], 1e-4):,.0f}×" if rd else ""
            if r.get("error"):
                rs, speed = f"fails ({r['error']})", ""
            rrows = "" if r["rows"] is None else f"{r['rows']:,}"
            print(f"| `{name}` | {q['rows']:,} | {q['seconds']:.3f} s | {rs} | {rrows} | {speed} |")


if __name__ == "__main__":
    main()
