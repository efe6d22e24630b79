#!/usr/bin/env python3
"""Run the whole coopgraph benchmark suite and write one Markdown report (and its JSON).

Usage::

    python bench/suite.py --orgs 1000 10000 100000 --cordis PATH_TO_CORDIS_CSV_FOLDER \\
        --runs 3 --workdir /tmp/cgbench --markdown out.md

Datasets: one synthetic dataset per ``--orgs`` size (``bench/generate.py``, written to
``WORKDIR/synthetic-N`` once and reused), and, with ``--cordis``, the real CORDIS data:
the folder holding ``project.csv``, ``organization.csv``, ``euroSciVoc.csv`` and
``legalBasis.csv`` is imported with ``coopgraph import FOLDER --profile cordis -o
WORKDIR/cordis`` (timed). Big data never lives in the repository: pass its folder.

Every coopgraph measurement runs the real CLI (the ``coopgraph`` script next to this
Python) in a subprocess: wall time with ``time.perf_counter``, the child's peak RSS with
GNU ``/usr/bin/time -f %M`` (``os.wait4`` if it is missing; that figure cannot read
below this process's own size). Each figure is the median of ``--runs`` runs.
``COOPGRAPH_CACHE_DIR`` points into WORKDIR, so no store goes to the user's cache.

Per dataset:

``import``            CORDIS only: ``coopgraph import --profile cordis`` into a fresh folder.
``validate``          ``coopgraph validate DIR --format json`` (exit 1, data errors, still counts).
``cold build``        ``coopgraph build --json`` after removing the dataset's build folder.
``no-op build``       ``coopgraph build --json`` again, nothing changed.
                      With ``--compact``, every build of the run is given ``--compact``.
``one-file edit``     " (edited k)" appended to the first ``en:`` line of the biggest
                      organizations file, then ``coopgraph build``; the file is restored
                      (and built again, untimed) at the end.
``query NAME``        every named query (``coopgraph.library``) as ``coopgraph query --name
                      NAME [--param ...] --format csv -o FILE``; ``org``/``record`` take the
                      organization with the most participations, ``other`` the second one.
``viz``               ``coopgraph viz --focus ORG --depth 2 -o viz.html``.
``render``            ``coopgraph render -o render.png`` (default limit, 2,000 nodes).
``stats``             ``coopgraph stats --format json -o stats.json``.
``export nt / gexf``  ``coopgraph export ntriples|gexf -o FILE``.

References, measured in the same run:

``naive``             what a user would write today, in a worker process: ``yaml.safe_load``
                      (the pure-Python loader) of every YAML file, then an ``rdflib.Graph()``
                      filled with ``Graph.add`` of the same triples coopgraph builds (taken,
                      untimed, from ``validate_dataset`` + ``build_triples`` and turned into
                      rdflib terms inside the timed part), plus the ontology parsed with rdflib.
                      The first run then answers every named query with rdflib's SPARQL
                      (``initNs``/``initBindings``), each stopped after ``--query-timeout``.
``limit``             the practical floor: libyaml alone (``yaml.compose_all`` with
                      ``CSafeLoader`` over every file, gc off) and pyoxigraph
                      ``Store(path).bulk_load`` of the ``coopgraph export ntriples`` file.

Speed-ups are naive time ÷ coopgraph time. The query speed-ups compare like with like:
rdflib's in-process query with coopgraph's in-process query (a worker process per query
opens the store with ``coopgraph.open``, then times the query with every row read, once on
the store just opened and ``WARM_RUNS`` times more: the median of those is set against
rdflib's one run on its graph in memory, and the first is shown beside it), each
stopped after ``--query-timeout``; a query whose ``coopgraph query`` failed is not run again.
The ``coopgraph query`` column is the whole process (interpreter start included): the
≤ 2 s target is judged on it.
The targets are checked on the CORDIS column (on the biggest synthetic dataset when
there is no ``--cordis``). The JSON goes next to the Markdown (same name, ``.json``).
Workers: ``python bench/suite.py --worker naive|inprocess|libyaml|bulkload ARGS`` (internal).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engines import machine_info
from generate import generate

GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
TOP_ORGS = """SELECT ?org (COUNT(DISTINCT ?activity) AS ?n)
WHERE { ?activity coop:participant ?org . ?org a coop:Organization }
GROUP BY ?org ORDER BY DESC(?n) ?org LIMIT 2"""
#: Runs of a named query in its in-process worker after the first (which reads the store's
#: pages from disk); their median is set against rdflib, whose graph is already in memory.
WARM_RUNS = 3
GB = 1e9
MIB = 2**20


# --------------------------------------------------------------------------
# Running a child process
# --------------------------------------------------------------------------


@dataclass
class Run:
    ok: bool
    seconds: float
    rss_mib: float | None
    code: int | None
    stdout: str
    stderr: str
    timed_out: bool = False


@dataclass
class Ctx:
    workdir: Path
    logs: Path
    runs: int
    cli: list[str]
    env: dict[str, str]
    timeout: float
    query_timeout: float
    worker_timeout: float
    naive_memory_gib: float
    #: Runs of the naive reference (its build alone takes minutes on big data).
    naive_runs: int = 1
    #: Seconds per ``coopgraph query`` run (the queries that return every pair can take many minutes).
    query_cap: float | None = None
    #: Options given to every ``coopgraph build`` of the run (``--compact``).
    build_flags: tuple[str, ...] = ()
    counter: int = 0


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _rss_from_time(path: Path) -> float | None:
    """The last line of GNU time's -o file is %M (KiB); earlier lines say how the child ended."""
    try:
        lines = path.read_text().split()
    except OSError:
        return None
    numbers = [x for x in lines if x.isdigit()]
    return int(numbers[-1]) / 1024 if numbers else None


def run(ctx: Ctx, name: str, cmd: list[str], *, timeout: float | None = None, ok_codes: tuple[int, ...] = (0,)) -> Run:
    """Run ``cmd`` (stdout and stderr to WORKDIR/logs), timed, with the child's peak RSS."""
    ctx.counter += 1
    stem = ctx.logs / f"{ctx.counter:04d}-{name.replace('/', '_').replace(' ', '_')}"
    out, err, rss = stem.with_suffix(".out"), stem.with_suffix(".err"), stem.with_suffix(".rss")
    full = [GNU_TIME, "-f", "%M", "-o", str(rss), *cmd] if GNU_TIME else cmd
    limit = timeout or ctx.timeout
    with open(out, "wb") as fo, open(err, "wb") as fe:
        started = time.perf_counter()
        proc = subprocess.Popen(full, stdout=fo, stderr=fe, env=ctx.env, start_new_session=True)
        timer = threading.Timer(limit, _kill_group, (proc.pid,))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)  # blocks: no polling error in the wall time
        seconds = time.perf_counter() - started
        timed_out = not timer.is_alive()
        timer.cancel()
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    peak = _rss_from_time(rss) if GNU_TIME else usage.ru_maxrss / 1024
    stdout = out.read_text("utf-8", "replace")
    stderr = err.read_text("utf-8", "replace")
    if timed_out:
        stderr += f"\n(killed after {limit:g} s)"
    return Run(code in ok_codes and not timed_out, seconds, peak, code, stdout, stderr, timed_out)


def failure(what: str, r: Run) -> dict[str, Any]:
    """Say on stderr that a command failed, with its error text; the result keeps the tail."""
    tail = "\n".join(r.stderr.strip().splitlines()[-15:])
    print(f"  ! {what} failed (exit {r.code}{', timed out' if r.timed_out else ''}):\n{tail}", file=sys.stderr)
    return {"seconds": None, "error": f"exit {r.code}" + (" (timed out)" if r.timed_out else ""), "stderr": tail}


def measure(
    ctx: Ctx,
    what: str,
    cmd: list[str],
    *,
    runs: int | None = None,
    before: Callable[[int], None] | None = None,
    ok_codes: tuple[int, ...] = (0,),
    timeout: float | None = None,
) -> dict[str, Any]:
    """Median wall time and peak RSS of ``runs`` runs of ``cmd``; ``before(i)`` prepares run i."""
    times: list[float] = []
    peaks: list[float] = []
    last: Run | None = None
    for i in range(runs or ctx.runs):
        if before:
            before(i)
        last = run(ctx, what, cmd, timeout=timeout, ok_codes=ok_codes)
        if not last.ok:
            return failure(what, last)
        times.append(last.seconds)
        if last.rss_mib is not None:
            peaks.append(last.rss_mib)
    assert last is not None
    print(f"  {what}: {fmt_s(statistics.median(times))}", file=sys.stderr, flush=True)
    return {
        "seconds": statistics.median(times),
        "times": times,
        "rss_mib": statistics.median(peaks) if peaks else None,
        "max_rss_mib": max(peaks) if peaks else None,
        "stdout": last.stdout,
        "code": last.code,
    }


def coopgraph_cli() -> list[str]:
    script = Path(sys.executable).parent / "coopgraph"
    return [str(script)] if script.exists() else [sys.executable, "-m", "coopgraph"]


# --------------------------------------------------------------------------
# Dataset helpers
# --------------------------------------------------------------------------


def data_files(folder: Path) -> list[Path]:
    """The YAML files coopgraph reads (config first)."""
    from coopgraph.load import CONFIG_NAME, discover

    return [folder / CONFIG_NAME, *discover(folder)]


def remove_build(folder: Path) -> None:
    """Remove the dataset's build folder (under COOPGRAPH_CACHE_DIR, and a stray ``.coopgraph``)."""
    from coopgraph.paths import cache_dir

    for path in (cache_dir(folder), folder / ".coopgraph"):
        shutil.rmtree(path, ignore_errors=True)


def pick_edit_file(folder: Path) -> Path:
    """The biggest organizations file (the biggest data file if none is in an organizations folder)."""
    files = data_files(folder)[1:]
    orgs = [p for p in files if "organizations" in p.relative_to(folder).parts or p.stem == "organizations"]
    return max(orgs or files, key=lambda p: p.stat().st_size)


def edited_text(text: str, tag: str) -> str:
    """``text`` with " (tag)" appended to the value of its first plain or quoted ``en:`` line."""
    import yaml

    before = yaml.load(text, Loader=yaml.CSafeLoader)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        key, sep, value = line.partition("en: ")
        if not sep or key.strip() or not value.strip() or value[0] in "|>&*!":
            continue
        value = value.rstrip()
        if value[0] in "'\"" and len(value) > 1 and value[-1] == value[0]:
            new = value[:-1] + f" ({tag})" + value[-1]
        else:
            new = value + f" ({tag})"
        candidate = "\n".join([*lines[:i], key + sep + new, *lines[i + 1 :]])
        try:
            if yaml.load(candidate, Loader=yaml.CSafeLoader) != before:
                return candidate
        except yaml.YAMLError:
            continue
    raise ValueError("no en: line whose value can be edited")


def top_organizations(ctx: Ctx, folder: Path) -> list[tuple[str, str]]:
    """(id, IRI) of the two organizations with the most participations."""
    r = run(ctx, "top-organizations", [*ctx.cli, "query", TOP_ORGS, "--format", "csv", "-d", str(folder)])
    if not r.ok:
        failure("finding the organization with the most participations", r)
        return []
    rows = list(csv.DictReader(r.stdout.splitlines()))
    return [(row["org"].rsplit("/", 1)[-1], row["org"]) for row in rows]


def query_params(query: Any, top: list[tuple[str, str]]) -> dict[str, str] | None:
    """Values for the parameters without a default; None when one cannot be given."""
    given: dict[str, str] = {}
    for p in query.params:
        if p.default is not None:
            continue
        if not top or p.type not in ("organization", "record"):
            return None
        given[p.name] = top[1][0] if p.name == "other" and len(top) > 1 else top[0][0]
    return given


def csv_rows(path: Path) -> int | None:
    csv.field_size_limit(sys.maxsize)  # a GROUP_CONCAT of thousands of ids is one field
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            return max(0, sum(1 for _ in csv.reader(handle)) - 1)
    except OSError:
        return None


# --------------------------------------------------------------------------
# One dataset
# --------------------------------------------------------------------------


def bench_dataset(ctx: Ctx, label: str, folder: Path, result: dict[str, Any], args: argparse.Namespace) -> None:
    """Every measurement on one dataset, into ``result`` (measures, queries, references, notes)."""
    from coopgraph.library import load_library

    m: dict[str, Any] = result.setdefault("measures", {})
    notes: list[str] = result.setdefault("notes", [])
    out = ctx.workdir / f"out-{label}"
    out.mkdir(parents=True, exist_ok=True)
    d = ["-d", str(folder)]
    files = data_files(folder)
    result["info"].update(files=len(files), yaml_mib=sum(p.stat().st_size for p in files) / MIB)

    m["validate"] = measure(
        ctx, f"{label} validate", [*ctx.cli, "validate", str(folder), "--format", "json"], ok_codes=(0, 1)
    )
    if m["validate"].get("code") == 1:
        notes.append("`coopgraph validate` reported errors (exit 1).")
    cold = [*ctx.cli, "build", "--json", *ctx.build_flags, *d]
    m["cold_build"] = measure(ctx, f"{label} cold build", cold, before=lambda _: remove_build(folder))
    if m["cold_build"]["seconds"] is None:
        notes.append("The build failed: nothing else could be measured on this dataset.")
        return
    manifest = json.loads(m["cold_build"]["stdout"])
    if not manifest.get("rebuilt"):
        notes.append("The cold build did not rebuild the store.")
    result["info"].update(
        records=manifest["records"],
        triples=manifest["triples"],
        ontology_triples=manifest["ontology_triples"],
        warnings=manifest["warnings"],
    )
    m["noop_build"] = measure(ctx, f"{label} no-op build", [*ctx.cli, "build", "--json", *ctx.build_flags, *d])
    if m["noop_build"]["seconds"] is not None and json.loads(m["noop_build"]["stdout"]).get("rebuilt"):
        notes.append("The no-op build rebuilt the store.")
    edit_rebuild(ctx, label, folder, m, notes)

    top = top_organizations(ctx, folder)
    result["focus"] = [{"id": i, "iri": iri} for i, iri in top]
    queries = result.setdefault("queries", {})
    for name, q in load_library().items():
        given = query_params(q, top)
        if given is None:
            queries[name] = {"seconds": None, "error": "no value for a required parameter"}
            continue
        target = out / f"query-{name}.csv"
        cmd = [
            *ctx.cli,
            "query",
            "--name",
            name,
            *[f"--param={k}={v}" for k, v in given.items()],
            "--format",
            "csv",
            "-o",
            str(target),
            *d,
        ]
        timed = measure(ctx, f"{label} query {name}", cmd, timeout=ctx.query_cap)
        queries[name] = {**timed, "params": given, "rows": csv_rows(target)}
    in_process(ctx, label, folder, queries)

    if top:
        m["viz"] = measure(
            ctx,
            f"{label} viz",
            [*ctx.cli, "viz", "--focus", top[0][0], "--depth", "2", "-o", str(out / "viz.html"), *d],
        )
    else:
        notes.append("No organization takes part in an activity: viz --focus was not run.")
    m["render"] = measure(ctx, f"{label} render", [*ctx.cli, "render", "-o", str(out / "render.png"), *d])
    m["stats"] = measure(
        ctx, f"{label} stats", [*ctx.cli, "stats", "--format", "json", "-o", str(out / "stats.json"), *d]
    )
    nt = out / "graph.nt"
    m["export_nt"] = measure(ctx, f"{label} export nt", [*ctx.cli, "export", "ntriples", "-o", str(nt), *d])
    m["export_gexf"] = measure(
        ctx, f"{label} export gexf", [*ctx.cli, "export", "gexf", "-o", str(out / "graph.gexf"), *d]
    )

    if not args.no_naive:
        result["naive"] = naive_reference(ctx, label, folder, queries, top)
    if not args.no_limit:
        result["limit"] = limit_reference(ctx, label, folder, nt if m["export_nt"]["seconds"] is not None else None)


def edit_rebuild(ctx: Ctx, label: str, folder: Path, m: dict[str, Any], notes: list[str]) -> None:
    """Time ``coopgraph build`` after a one-line edit (a new one each run), then restore the file."""
    path = pick_edit_file(folder)
    original = path.read_bytes()
    text = original.decode("utf-8")
    try:
        edits = [edited_text(text, f"edited {i + 1}") for i in range(ctx.runs)]
    except ValueError as exc:
        notes.append(f"One-file edit not measured: {path.name}: {exc}.")
        return
    try:
        m["edit_build"] = measure(
            ctx,
            f"{label} one-file edit",
            [*ctx.cli, "build", "--json", *ctx.build_flags, "-d", str(folder)],
            before=lambda i: path.write_text(edits[i], encoding="utf-8"),
        )
        m["edit_build"]["file"] = str(path.relative_to(folder))
        if m["edit_build"]["seconds"] is not None:
            manifest = json.loads(m["edit_build"]["stdout"])
            if not manifest.get("rebuilt"):
                notes.append("The build after the edit did not rebuild the store.")
            elif manifest.get("changed_records") is None:
                notes.append("The build after the edit made a new store from scratch.")
            else:
                m["edit_build"]["changed_records"] = manifest["changed_records"]
                notes.append(
                    f"The build after the edit changed the last store: {manifest['changed_records']:,} records "
                    f"of `{m['edit_build']['file']}` compared, the others kept."
                )
    finally:
        path.write_bytes(original)
        r = run(ctx, f"{label} restore build", [*ctx.cli, "build", *ctx.build_flags, "-d", str(folder)])
        if not r.ok:
            failure("the build after restoring the edited file", r)


def prepare_cordis(ctx: Ctx, source: Path, result: dict[str, Any]) -> Path | None:
    """Import the CORDIS CSV folder (timed, each run into a fresh folder); the dataset folder."""
    folder = ctx.workdir / "cordis"
    cmd = [*ctx.cli, "import", str(source), "--profile", "cordis", "-o", str(folder)]
    m = result.setdefault("measures", {})
    m["import"] = measure(ctx, "cordis import", cmd, before=lambda _: shutil.rmtree(folder, ignore_errors=True))
    if m["import"]["seconds"] is None:
        result["notes"].append("The CORDIS import failed: the dataset was skipped.")
        return None
    return folder


def prepare_synthetic(ctx: Ctx, n: int, result: dict[str, Any]) -> Path:
    folder = ctx.workdir / f"synthetic-{n}"
    if (folder / "coopgraph.yaml").exists():
        result["info"]["generated"] = "reused"
    else:
        started = time.perf_counter()
        generate(folder, n)
        result["info"]["generated"] = f"{time.perf_counter() - started:.1f} s"
    return folder


# --------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------


def in_process(ctx: Ctx, label: str, folder: Path, queries: dict[str, Any]) -> None:
    """Each named query's in-process time into ``queries[name]["in_process"]``: one worker process per
    query, killed after ``--query-timeout``; the queries whose command failed are not run again."""
    for name, q in queries.items():
        if q.get("params") is None or q.get("seconds") is None:
            continue
        config_path = ctx.logs / f"inprocess-{label}-{name}.config.json"
        config_path.write_text(json.dumps({"folder": str(folder), "name": name, "params": q["params"]}))
        r = run(ctx, f"{label} in-process {name}", worker_cmd("inprocess", str(config_path)), timeout=ctx.query_timeout)
        if r.timed_out:
            q["in_process"] = {"seconds": None, "timeout": True}
        elif not r.ok:
            q["in_process"] = failure(f"{label} in-process {name}", r)
        else:
            q["in_process"] = json.loads(r.stdout)


def worker_cmd(kind: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", kind, *args]


def naive_reference(
    ctx: Ctx, label: str, folder: Path, queries: dict[str, Any], top: list[tuple[str, str]]
) -> dict[str, Any]:
    """yaml.safe_load + rdflib Graph.add (median of runs), rdflib SPARQL on the first run."""
    params = {name: q["params"] for name, q in queries.items() if q.get("params") is not None}
    builds: list[dict[str, Any]] = []
    answers: dict[str, Any] = {}
    for i in range(ctx.naive_runs):
        result_path = ctx.logs / f"naive-{label}-{i}.json"
        config = {
            "folder": str(folder),
            "result": str(result_path),
            "params": params if i == 0 else {},
            "iris": dict(top),
            "timeout": ctx.query_timeout,
            "memory_gib": ctx.naive_memory_gib,
        }
        config_path = ctx.logs / f"naive-{label}-{i}.config.json"
        config_path.write_text(json.dumps(config))
        r = run(ctx, f"{label} naive", worker_cmd("naive", str(config_path)), timeout=ctx.worker_timeout)
        try:
            got = json.loads(result_path.read_text())
        except (OSError, ValueError):
            got = {"status": "no result"}
        got["rss_mib"] = r.rss_mib
        if not r.ok or got.get("status") != "ok":
            failure(f"{label} naive reference ({got.get('status')} in {got.get('current')})", r)
            if not r.ok:
                got["status"] = f"{got.get('status')}; exit {r.code}{' (killed)' if r.timed_out else ''}"
        if i == 0:
            answers = got.get("queries", {})
            if r.timed_out and got.get("current", "").startswith("query "):
                answers[got["current"][6:]] = {"seconds": None, "timeout": True}
        if got.get("build_seconds") is None:
            return {"seconds": None, "error": got.get("status"), "queries": answers, "runs": [*builds, got]}
        builds.append(got)
    print(f"  {label} naive build: {fmt_s(statistics.median(b['build_seconds'] for b in builds))}", file=sys.stderr)
    return {
        "seconds": statistics.median(b["build_seconds"] for b in builds),
        "yaml_seconds": statistics.median(b["yaml_seconds"] for b in builds),
        "add_seconds": statistics.median(b["add_seconds"] for b in builds),
        "ontology_seconds": statistics.median(b["ontology_seconds"] for b in builds),
        "triples": builds[0]["triples"],
        "rss_mib": builds[0]["rss_mib"],
        "queries": answers,
        "runs": builds,
    }


def limit_reference(ctx: Ctx, label: str, folder: Path, nt: Path | None) -> dict[str, Any]:
    """libyaml parse alone and pyoxigraph bulk_load of the N-Triples, medians of runs."""
    out: dict[str, Any] = {}
    for kind, args in (("libyaml", [str(folder)]), ("bulkload", [str(nt), str(ctx.workdir / "bulkload-store")])):
        if kind == "bulkload" and nt is None:
            out[kind] = {"seconds": None, "error": "no N-Triples export"}
            continue
        runs = []
        for _ in range(ctx.runs):
            r = run(ctx, f"{label} {kind}", worker_cmd(kind, *args), timeout=ctx.worker_timeout)
            if not r.ok:
                runs = []
                out[kind] = failure(f"{label} {kind}", r)
                break
            runs.append({**json.loads(r.stdout), "rss_mib": r.rss_mib})
        if runs:
            out[kind] = {
                **runs[0],
                "seconds": statistics.median(x["seconds"] for x in runs),
                "times": [x["seconds"] for x in runs],
            }
            print(f"  {label} {kind}: {fmt_s(out[kind]['seconds'])}", file=sys.stderr)
    shutil.rmtree(ctx.workdir / "bulkload-store", ignore_errors=True)
    return out


# --------------------------------------------------------------------------
# Workers (run as: suite.py --worker KIND ARGS)
# --------------------------------------------------------------------------


class QueryTimeout(BaseException):
    """Raised by SIGALRM; a BaseException so that no ``except Exception`` in rdflib swallows it."""


def _alarm(*_: Any) -> None:
    raise QueryTimeout


def worker_naive(config_path: str) -> None:
    """Time yaml.safe_load + rdflib Graph.add, then rdflib SPARQL on the named queries."""
    cfg = json.loads(Path(config_path).read_text())
    state: dict[str, Any] = {"status": "running", "current": "preparing", "queries": {}}
    result = Path(cfg["result"])

    def save(current: str) -> None:
        state["current"] = current
        result.write_text(json.dumps(state))

    if cfg["memory_gib"]:
        limit = int(cfg["memory_gib"] * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        naive_build_and_query(cfg, state, save)
        state["status"] = "ok"
    except MemoryError:
        state["status"] = f"out of memory (limit {cfg['memory_gib']:.0f} GiB)"
    save(state["current"])


def naive_build_and_query(cfg: dict[str, Any], state: dict[str, Any], save: Callable[[str], None]) -> None:
    import pyoxigraph as ox
    import rdflib
    import yaml

    from coopgraph import namespaces as ns
    from coopgraph.library import bindings, load_library
    from coopgraph.paths import ontology_file
    from coopgraph.rdf.build import build_triples
    from coopgraph.validate import validate_dataset

    folder = Path(cfg["folder"])
    xsd_string = ns.XSD + "string"

    def plain(t: Any) -> tuple[str, ...]:
        if isinstance(t, ox.NamedNode):
            return ("u", t.value)
        if isinstance(t, ox.BlankNode):
            return ("b", t.value)
        dt = t.datatype.value
        return ("l", t.value, t.language or "", "" if t.language or dt == xsd_string else dt)

    # Untimed: the triples coopgraph builds, as plain tuples (what the user's own code would know).
    started = time.perf_counter()
    dataset, _ = validate_dataset(folder, graph=False)
    triples = [(plain(t.subject), plain(t.predicate), plain(t.object)) for t in build_triples(dataset)]
    files = [folder / "coopgraph.yaml", *dataset.files]
    del dataset
    gc.collect()
    state.update(prep_seconds=time.perf_counter() - started, triples=len(triples), files=len(files))
    save("yaml.safe_load")

    def term(t: tuple[str, ...]) -> Any:
        if t[0] == "u":
            return rdflib.URIRef(t[1])
        if t[0] == "b":
            return rdflib.BNode(t[1])
        return rdflib.Literal(t[1], lang=t[2] or None, datatype=rdflib.URIRef(t[3]) if t[3] else None)

    started = time.perf_counter()
    for path in files:
        with open(path, encoding="utf-8") as handle:
            yaml.safe_load(handle)
    parsed = time.perf_counter()
    save("rdflib add")
    graph = rdflib.Graph()
    for s, p, o in triples:
        graph.add((term(s), term(p), term(o)))
    added = time.perf_counter()
    graph.parse(str(ontology_file()), format="turtle")
    done = time.perf_counter()
    del triples
    state.update(
        yaml_seconds=parsed - started,
        add_seconds=added - parsed,
        ontology_seconds=done - added,
        build_seconds=done - started,
        graph_triples=len(graph),
    )
    save("queries")

    def to_rdflib(t: Any) -> Any:
        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return rdflib.Literal(t.value, datatype=None if dt == xsd_string else rdflib.URIRef(dt))

    iris = cfg["iris"]
    signal.signal(signal.SIGALRM, _alarm)
    for name, q in load_library().items():
        if name not in cfg["params"]:
            continue
        save(f"query {name}")
        terms = {k: to_rdflib(v) for k, v in bindings(q, cfg["params"][name], lambda i, _k: iris[i]).items()}
        started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, cfg["timeout"])
        try:
            rows = sum(1 for _ in graph.query(q.text, initNs=ns.PREFIXES, initBindings=terms))
            state["queries"][name] = {"seconds": time.perf_counter() - started, "rows": rows}
        except QueryTimeout:
            state["queries"][name] = {"seconds": None, "timeout": True}
        except Exception as exc:  # rdflib fails on some valid SPARQL: say so, go on
            state["queries"][name] = {"seconds": None, "error": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    save("done")


def worker_inprocess(config_path: str) -> None:
    """One named query in this process: ``coopgraph.open``, then the query timed with every row read; prints JSON."""
    import coopgraph

    cfg = json.loads(Path(config_path).read_text())
    graph = coopgraph.open(cfg["folder"])
    times = []
    for _ in range(1 + WARM_RUNS):
        started = time.perf_counter()
        rows = sum(1 for _ in graph.named(cfg["name"], cfg["params"]))
        times.append(time.perf_counter() - started)
    print(json.dumps({"seconds": statistics.median(times[1:]), "first_seconds": times[0], "rows": rows}))


def worker_libyaml(folder: str) -> None:
    """libyaml's composer over every file, gc off; prints JSON."""
    import yaml

    texts = [p.read_text("utf-8") for p in data_files(Path(folder))]
    gc.disable()
    started = time.perf_counter()
    nodes = sum(1 for text in texts for _ in yaml.compose_all(text, Loader=yaml.CSafeLoader))
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "files": len(texts), "documents": nodes}))


def worker_bulkload(nt: str, store_path: str) -> None:
    """pyoxigraph bulk_load of the N-Triples file into a new on-disk store; prints JSON."""
    import pyoxigraph as ox

    shutil.rmtree(store_path, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(store_path)
    store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    seconds = time.perf_counter() - started
    triples = len(store)
    del store
    shutil.rmtree(store_path, ignore_errors=True)
    print(json.dumps({"seconds": seconds, "triples": triples, "nt_mib": Path(nt).stat().st_size / MIB}))


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def fmt_s(v: float | None) -> str:
    if v is None:
        return "–"
    if v < 0.1:
        return f"{v:.3f} s"
    if v < 10:
        return f"{v:.2f} s"
    return f"{v:.1f} s" if v < 100 else f"{v:,.0f} s"


def fmt_x(v: float | None, lower_bound: bool = False) -> str:
    if v is None:
        return "–"
    return f"{'≥ ' if lower_bound else ''}{v:,.1f}×" if v < 10 else f"{'≥ ' if lower_bound else ''}{v:,.0f}×"


def seconds(x: dict[str, Any] | None) -> float | None:
    return None if not x else x.get("seconds")


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b <= 0 else a / b


def query_speedups(ds: dict[str, Any], timeout: float) -> dict[str, tuple[float | None, bool, str]]:
    """Per query: (rdflib ÷ coopgraph, both in-process; is it a lower bound; the rdflib cell)."""
    answers = (ds.get("naive") or {}).get("queries", {})
    out = {}
    for name, q in ds.get("queries", {}).items():
        a = answers.get(name)
        own = seconds(q.get("in_process"))
        if a is None:
            out[name] = (None, False, "–")
        elif a.get("timeout"):
            out[name] = (ratio(timeout, own), True, f"> {timeout:g} s")
        elif a.get("error"):
            out[name] = (None, False, f"fails: {a['error'].split(':')[0]}")
        else:
            out[name] = (ratio(a["seconds"], own), False, fmt_s(a["seconds"]))
    return out


def summary_rows(ds: dict[str, Any], timeout: float) -> dict[str, tuple[Any, str]]:
    """Each row's (value, cell) for one dataset, by row key."""
    m = ds.get("measures", {})
    info = ds.get("info", {})
    naive, limit = ds.get("naive") or {}, ds.get("limit") or {}
    cold = seconds(m.get("cold_build"))
    rss = (m.get("cold_build") or {}).get("rss_mib")
    qs = {n: q["seconds"] for n, q in ds.get("queries", {}).items() if q.get("seconds") is not None}
    speed = {n: s for n, s in query_speedups(ds, timeout).items() if s[0] is not None}
    slowest = max(qs, key=lambda n: qs[n]) if qs else None
    weakest = min(speed, key=lambda n: speed[n][0]) if speed else None
    floor = None
    if seconds(limit.get("libyaml")) is not None and seconds(limit.get("bulkload")) is not None:
        floor = limit["libyaml"]["seconds"] + limit["bulkload"]["seconds"]

    def cell(x: dict[str, Any] | None) -> tuple[Any, str]:
        if x is None:
            return None, "–"
        return x.get("seconds"), fmt_s(x.get("seconds")) if x.get("seconds") is not None else f"fails ({x['error']})"

    triples = info.get("triples")
    rows: dict[str, tuple[Any, str]] = {
        "records": (info.get("records"), f"{info['records']:,}" if "records" in info else "–"),
        "files": (info.get("files"), f"{info['files']:,} ({info['yaml_mib']:,.1f} MiB)" if "files" in info else "–"),
        "triples": (triples, f"{triples:,} (+{info['ontology_triples']:,})" if triples is not None else "–"),
        "import": cell(m.get("import")),
        "validate": cell(m.get("validate")),
        "cold_build": cell(m.get("cold_build")),
        "cold_rss": (rss, f"{rss:,.0f} MiB" if rss is not None else "–"),
        "noop_build": cell(m.get("noop_build")),
        "edit_build": cell(m.get("edit_build")),
        "edit_ratio": (ratio(seconds(m.get("edit_build")), cold), "–"),
        "query_slowest": (qs.get(slowest), f"{fmt_s(qs[slowest])} (`{slowest}`)" if slowest else "–"),
        "query_over": (
            sum(1 for s in qs.values() if s > 2) if qs else None,
            f"{sum(1 for s in qs.values() if s > 2)} of {len(qs)}" if qs else "–",
        ),
        "viz": cell(m.get("viz")),
        "render": cell(m.get("render")),
        "stats": cell(m.get("stats")),
        "export_nt": cell(m.get("export_nt")),
        "export_gexf": cell(m.get("export_gexf")),
        "naive": (naive.get("seconds"), fmt_s(naive.get("seconds")) if naive.get("seconds") else "–"),
        "naive_parts": (
            None,
            f"{fmt_s(naive['yaml_seconds'])} + {fmt_s(naive['add_seconds'])} + {fmt_s(naive['ontology_seconds'])}"
            if naive.get("seconds")
            else naive.get("error") or "–",
        ),
        "build_speedup": (ratio(naive.get("seconds"), cold), fmt_x(ratio(naive.get("seconds"), cold))),
        "query_speedup": (
            speed[weakest][0] if weakest else None,
            f"{fmt_x(speed[weakest][0], speed[weakest][1])} (`{weakest}`)" if weakest else "–",
        ),
        "libyaml": cell(limit.get("libyaml")),
        "bulkload": cell(limit.get("bulkload")),
        "floor": (floor, fmt_s(floor)),
        "over_floor": (ratio(cold, floor), fmt_x(ratio(cold, floor))),
    }
    edit = rows["edit_ratio"][0]
    rows["edit_ratio"] = (edit, f"{edit:.2f}" if edit is not None else "–")
    if weakest and speed[weakest][1] and speed[weakest][0] < 20:
        rows["query_speedup"] = (None, rows["query_speedup"][1])  # a lower bound under the target: cannot judge
    return rows


# (key, label, target text, test on the value)
ROWS: list[tuple[str, str, str, Callable[[Any], bool] | None]] = [
    ("records", "records", "", None),
    ("files", "YAML files (size)", "", None),
    ("triples", "triples (+ ontology)", "", None),
    ("import", "`coopgraph import --profile cordis`", "", None),
    ("validate", "`coopgraph validate`", "≤ 30 s", lambda v: v <= 30),
    ("cold_build", "cold `coopgraph build`", "≤ 30 s", lambda v: v <= 30),
    ("cold_rss", "cold build peak RSS", "≤ 3 GB", lambda v: v * MIB <= 3 * GB),
    ("noop_build", "no-op `coopgraph build`", "≤ 1 s", lambda v: v <= 1),
    ("edit_build", "build after a one-file edit", "", None),
    ("edit_ratio", "one-file edit ÷ cold build", "≤ 1/3", lambda v: v <= 1 / 3),
    ("query_slowest", "slowest named query (`coopgraph query`)", "≤ 2 s each", lambda v: v <= 2),
    ("query_over", "named queries over 2 s", "0", lambda v: v == 0),
    ("viz", "`coopgraph viz --focus ORG --depth 2`", "≤ 5 s", lambda v: v <= 5),
    ("render", "`coopgraph render` (PNG)", "≤ 15 s", lambda v: v <= 15),
    ("stats", "`coopgraph stats --format json`", "≤ 60 s", lambda v: v <= 60),
    ("export_nt", "`coopgraph export ntriples`", "", None),
    ("export_gexf", "`coopgraph export gexf`", "", None),
    ("naive", "naive build: `yaml.safe_load` + rdflib `Graph.add`", "", None),
    ("naive_parts", "  of which safe_load + add (+ ontology)", "", None),
    ("build_speedup", "cold build speed-up over naive", "≥ 5×", lambda v: v >= 5),
    ("query_speedup", "smallest query speed-up over rdflib SPARQL", "≥ 20× each", lambda v: v >= 20),
    ("libyaml", "limit: libyaml `compose_all` alone", "", None),
    ("bulkload", "limit: pyoxigraph `bulk_load` of the N-Triples", "", None),
    ("floor", "limit: libyaml + bulk_load", "", None),
    ("over_floor", "cold build ÷ limit", "", None),
]


def verdict(test: Callable[[Any], bool] | None, value: Any) -> str:
    if test is None:
        return ""
    if value is None:
        return "not measured"
    return "✅ met" if test(value) else "❌ not met"


def markdown(results: dict[str, Any]) -> str:
    machine, settings, datasets = results["machine"], results["settings"], results["datasets"]
    labels = list(datasets)
    target = results["target_dataset"]
    timeout = settings["query_timeout"]
    lines = [
        "# coopgraph benchmark suite",
        "",
        f"Command: `{results['command']}`",
        "",
        f"Machine: {machine.get('cpu_model', '?')}, {machine['cpu_count']} cores ({machine['nproc']} usable), "
        f"{machine.get('mem_total_gib', '?')} GiB RAM; Python {machine['python']}; coopgraph {machine['coopgraph']}, "
        f"pyoxigraph {machine['pyoxigraph']}, rdflib {machine['rdflib']}, networkx {machine['networkx']}, "
        f"igraph {machine['igraph']}, PyYAML {machine['pyyaml']} (libyaml {machine['libyaml']}).",
        "",
        f"Median of {settings['runs']} run(s), wall time of the whole CLI process (interpreter start included; "
        f"`coopgraph queries` alone takes {fmt_s(results.get('cli_startup'))}). Peak RSS from "
        f"{'GNU time' if GNU_TIME else 'os.wait4'}. rdflib queries: one run each, stopped after {timeout:g} s. "
        "Speed-up = reference time ÷ coopgraph time; for the queries, rdflib's in-process time ÷ coopgraph's "
        f"(in a fresh process with the store open: the median of {WARM_RUNS} runs after a first one, "
        "which is shown beside it and reads the store's pages from disk). Targets are checked on the "
        f"**{target}** column.",
        "",
    ]
    rows = {label: summary_rows(datasets[label], timeout) for label in labels}
    lines.append("| measurement | " + " | ".join(labels) + f" | target ({target}) | met |")
    lines.append("| --- | " + " | ".join("---:" for _ in labels) + " | --- | --- |")
    for key, name, goal, test in ROWS:
        if key == "import" and not any(datasets[lbl].get("measures", {}).get("import") for lbl in labels):
            continue
        cells = [rows[label][key][1] for label in labels]
        met = verdict(test, rows[target][key][0]) if target else ""
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {goal} | {met} |")
    for label in labels:
        if datasets[label].get("queries"):
            lines += ["", *query_table(label, datasets[label], timeout, label == target)]
    notes = [(label, n) for label in labels for n in datasets[label].get("notes", [])]
    for label in labels:
        for key, x in {**datasets[label].get("measures", {}), **datasets[label].get("limit", {})}.items():
            if x and x.get("error"):
                notes.append((label, f"{key}: {x['error']}: {x.get('stderr', '')}".strip()))
        naive = datasets[label].get("naive") or {}
        if naive.get("error"):
            notes.append((label, f"naive reference: {naive['error']}"))
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"- {label}: " + n.replace("\n", " ⏎ ") for label, n in notes]
    return "\n".join(lines) + "\n"


def query_table(label: str, ds: dict[str, Any], timeout: float, judged: bool) -> list[str]:
    speed = query_speedups(ds, timeout)
    answers = (ds.get("naive") or {}).get("queries", {})
    focus = ", ".join(f"`{f['id']}`" for f in ds.get("focus", []))
    lines = [
        f"Named queries on **{label}** (parameters: {focus or 'none found'}; ≠: rdflib's rows differ):",
        "",
        "| query | rows | `coopgraph query` | in-process | rdflib SPARQL | rdflib rows | speed-up |"
        + (" met |" if judged else ""),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |" + (" --- |" if judged else ""),
    ]
    for name, q in ds.get("queries", {}).items():
        x, lower, rd = speed.get(name, (None, False, "–"))
        own = fmt_s(q["seconds"]) if q.get("seconds") is not None else f"fails ({q.get('error')})"
        rows = "–" if q.get("rows") is None else f"{q['rows']:,}"
        rd_rows = answers.get(name, {}).get("rows")
        rd_cell = "–" if rd_rows is None else f"{rd_rows:,}" + (" ≠" if q.get("rows") not in (None, rd_rows) else "")
        inside = q.get("in_process") or {}
        inside_cell = (
            fmt_s(inside["seconds"])
            + (f" (first {fmt_s(inside['first_seconds'])})" if inside.get("first_seconds") is not None else "")
            if inside.get("seconds") is not None
            else f"> {timeout:g} s"
            if inside.get("timeout")
            else "–"
        )
        row = f"| `{name}` | {rows} | {own} | {inside_cell} | {rd} | {rd_cell} | {fmt_x(x, lower)} |"
        if judged:
            fast = verdict(lambda v: v <= 2, q.get("seconds"))
            fast_x = "not measured" if x is None or (lower and x < 20) else verdict(lambda v: v >= 20, x)
            row += f" ≤ 2 s {fast}; ≥ 20× {fast_x} |"
        lines.append(row)
    return lines


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import yaml

    info = machine_info()
    for name, dist in (
        ("networkx", "networkx"),
        ("igraph", "igraph"),
        ("coopgraph", "coopgraph"),
        ("pyyaml", "pyyaml"),
    ):
        try:
            info[name] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            info[name] = None
    info["libyaml"] = "yes" if yaml.__with_libyaml__ else "no"
    return info


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, nargs="*", default=[], help="synthetic dataset sizes (organizations)")
    parser.add_argument("--cordis", type=Path, help="folder with CORDIS's project.csv, organization.csv...")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement, median reported (default 3)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cgbench"), help="datasets, stores and logs")
    parser.add_argument("--markdown", type=Path, help="write the report here (and the JSON next to it)")
    parser.add_argument("--query-timeout", type=float, default=300, help="seconds per rdflib query (default 300)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per coopgraph command (default 3600)")
    parser.add_argument(
        "--worker-timeout", type=float, default=4 * 3600, help="seconds per reference worker process (default 4 h)"
    )
    parser.add_argument(
        "--naive-memory",
        type=float,
        default=None,
        help="address-space limit of the naive worker, GiB (default 3/4 of RAM; 0: none)",
    )
    parser.add_argument("--query-cap", type=float, help="seconds per coopgraph query (default: --timeout)")
    parser.add_argument("--naive-runs", type=int, help="runs of the naive reference's build (default: --runs)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive (rdflib) reference")
    parser.add_argument("--no-limit", action="store_true", help="skip the libyaml / bulk_load reference")
    parser.add_argument("--compact", action="store_true", help="give every coopgraph build --compact")
    parser.add_argument("--worker", choices=("naive", "inprocess", "libyaml", "bulkload"), help=argparse.SUPPRESS)
    parser.add_argument("worker_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.worker and not args.orgs and not args.cordis:
        parser.error("give --orgs and/or --cordis")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if any(n < 2 for n in args.orgs):
        parser.error("--orgs sizes must be at least 2")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        workers = {
            "naive": worker_naive,
            "inprocess": worker_inprocess,
            "libyaml": worker_libyaml,
            "bulkload": worker_bulkload,
        }
        workers[args.worker](*args.worker_args)
        return 0
    workdir = args.workdir.resolve()
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    os.environ["COOPGRAPH_CACHE_DIR"] = str(workdir / "cache")  # read by coopgraph.paths here and in children
    info = machine()
    memory = args.naive_memory if args.naive_memory is not None else 0.75 * info.get("mem_total_gib", 0)
    ctx = Ctx(
        workdir=workdir,
        logs=logs,
        runs=args.runs,
        cli=coopgraph_cli(),
        env=dict(os.environ),
        timeout=args.timeout,
        query_timeout=args.query_timeout,
        worker_timeout=args.worker_timeout,
        naive_memory_gib=memory,
        naive_runs=args.naive_runs or args.runs,
        query_cap=args.query_cap,
        build_flags=("--compact",) if args.compact else (),
    )
    results: dict[str, Any] = {
        "command": " ".join(["python", *sys.argv]),
        "machine": info,
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "worker_args"},
        "datasets": {},
    }
    print(f"machine: {json.dumps(info)}", file=sys.stderr)
    startup = measure(ctx, "coopgraph queries (start-up)", [*ctx.cli, "queries"])
    results["cli_startup"] = startup["seconds"]
    plan: list[tuple[str, Callable[[dict[str, Any]], Path | None]]] = [
        (f"synthetic-{n:,}", lambda r, n=n: prepare_synthetic(ctx, n, r)) for n in sorted(args.orgs)
    ]
    if args.cordis:
        plan.append(("CORDIS", lambda r: prepare_cordis(ctx, args.cordis.resolve(), r)))
    for label, prepare in plan:
        print(f"== {label}", file=sys.stderr, flush=True)
        ds: dict[str, Any] = {"info": {}, "notes": []}
        results["datasets"][label] = ds
        folder = prepare(ds)
        if folder is not None:
            ds["info"]["folder"] = str(folder)
            bench_dataset(ctx, label.replace(",", ""), folder, ds, args)
        for x in ds.get("measures", {}).values():
            x.pop("stdout", None)
        for x in ds.get("queries", {}).values():
            x.pop("stdout", None)
        save(results, args.markdown)
    results["target_dataset"] = "CORDIS" if args.cordis else (list(results["datasets"]) or [None])[-1]
    text = markdown(results)
    save(results, args.markdown, text)
    print(text)
    return 0


def save(results: dict[str, Any], path: Path | None, text: str | None = None) -> None:
    """Write the JSON (after every dataset, so a long run keeps what it measured) and the Markdown."""
    if path is None:
        return
    path.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    if text is not None:
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
