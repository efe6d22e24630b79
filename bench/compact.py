"""Compacting the store (``coopgraph build --compact``): what it costs the build, what it gives the queries.

    python bench/compact.py --data DATASET [--runs 3] [--query-timeout 60] [--markdown FILE] [--json FILE]

DATASET is a coopgraph dataset folder; for CORDIS, the folder that
``coopgraph import --profile cordis`` wrote. Everything runs in fresh processes:

- the cold ``coopgraph build`` (its build folder removed first), with and without
  ``--compact``, the two kinds of run taking turns; wall time, and peak RSS where GNU
  time is installed;
- ``coopgraph build --compact`` of a store that is up to date but not compacted;
- every named query in-process on each store, as ``bench/suite.py`` times them: the
  store opened, the query run once and then three times more with every row read, the
  median of the three; a query still running after ``--query-timeout`` is stopped.

The stores are built under a scratch folder (``COOPGRAPH_CACHE_DIR``), removed at the
end: the dataset's own build folder is left as it was. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import suite  # the suite's runner, dataset helpers and in-process query worker


def remove_build(folder: Path) -> None:
    """Remove the dataset's build folder under the scratch ``COOPGRAPH_CACHE_DIR``, never the dataset's own."""
    from coopgraph.paths import cache_dir

    shutil.rmtree(cache_dir(folder), ignore_errors=True)


def cold_builds(ctx: suite.Ctx, folder: Path) -> dict[str, list[dict[str, Any]]]:
    """``ctx.runs`` cold builds each way, taking turns; each run's seconds and peak RSS."""
    out: dict[str, list[dict[str, Any]]] = {"plain": [], "compact": []}
    for i in range(ctx.runs):
        for kind in ("plain", "compact"):
            remove_build(folder)
            flags = ["--compact"] if kind == "compact" else []
            r = suite.run(ctx, f"cold build {kind} {i + 1}", [*ctx.cli, "build", "--json", *flags, "-d", str(folder)])
            if not r.ok:
                raise SystemExit(f"the {kind} cold build failed: {r.stderr.strip()[-2000:]}")
            if json.loads(r.stdout)["compacted"] is not (kind == "compact"):
                raise SystemExit(f"the {kind} cold build says compacted: {json.loads(r.stdout)['compacted']}")
            out[kind].append({"seconds": r.seconds, "rss_mib": r.rss_mib})
            print(f"  cold build {kind} {i + 1}: {suite.fmt_s(r.seconds)}", file=sys.stderr, flush=True)
    return out


def query_times(ctx: suite.Ctx, folder: Path, label: str, top: list[tuple[str, str]]) -> dict[str, Any]:
    """Each named query's in-process time on the dataset's current store."""
    from coopgraph import library

    queries: dict[str, Any] = {}
    for name, q in sorted(library.load_library().items()):
        params = suite.query_params(q, top)
        if params is None:
            continue
        queries[name] = {"params": params, "seconds": 0.0}  # ``in_process`` runs those with seconds set
    suite.in_process(ctx, label, folder, queries)
    for name, q in queries.items():
        timing = q.get("in_process") or {}
        shown = "stopped" if timing.get("timeout") else suite.fmt_s(timing.get("seconds"))
        print(f"  {label} {name}: {shown}", file=sys.stderr, flush=True)
    return {name: q.get("in_process") for name, q in queries.items()}


def median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    builds = result["cold_builds"]
    lines = [
        "# Compacting the store: the build's cost and the queries' gain",
        "",
        f"Command: `python bench/compact.py --data {result['data']} --runs {result['runs']}`",
        "",
        f"Machine: {m.get('cpu_model')}, {m.get('nproc')} cores, {m.get('mem_total_gib')} GiB RAM; "
        f"Python {m.get('python')}; pyoxigraph {m.get('pyoxigraph')}, coopgraph {m.get('coopgraph')}.",
        "",
        "| build | median | runs | peak RSS (median) |",
        "| --- | ---: | --- | ---: |",
    ]
    for kind, title in (("plain", "cold `coopgraph build`"), ("compact", "cold `coopgraph build --compact`")):
        runs = builds[kind]
        rss = median([r["rss_mib"] for r in runs])
        lines.append(
            f"| {title} | {suite.fmt_s(median([r['seconds'] for r in runs]))} | "
            + " / ".join(suite.fmt_s(r["seconds"]) for r in runs)
            + f" | {f'{rss:,.0f} MiB' if rss is not None else '–'} |"
        )
    up = result["compact_up_to_date"]
    lines += [
        f"| `coopgraph build --compact` of the up-to-date plain store | {suite.fmt_s(up['seconds'])} | 1 | – |",
        "",
        "Named queries in-process (the median of three runs after a first one; every row read):",
        "",
        "| query | rows | plain store | compacted store | plain ÷ compacted |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, plain in result["queries"]["plain"].items():
        compact = result["queries"]["compact"].get(name)
        a = (plain or {}).get("seconds")
        b = (compact or {}).get("seconds")

        def cell(t: dict[str, Any] | None) -> str:
            if t and t.get("timeout"):
                return "stopped"
            return suite.fmt_s(t["seconds"]) if t and t.get("seconds") is not None else "fails"

        rows = (plain or {}).get("rows", (compact or {}).get("rows"))
        shown = f"{rows:,}" if rows is not None else "–"
        ratio = f"{a / b:.2f}×" if a and b else "–"
        lines.append(f"| `{name}` | {shown} | {cell(plain)} | {cell(compact)} | {ratio} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the dataset folder")
    parser.add_argument("--runs", type=int, default=3, help="cold builds each way (default 3)")
    parser.add_argument("--query-timeout", type=float, default=60.0, help="seconds per query worker (default 60)")
    parser.add_argument("--markdown", type=Path, help="write the table here")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    folder = args.data.resolve()
    logs = Path(tempfile.mkdtemp(prefix="coopgraph-compact-"))
    os.environ["COOPGRAPH_CACHE_DIR"] = str(logs / "cache")  # read by coopgraph.paths here and in children
    print(f"logs and stores: {logs}", file=sys.stderr, flush=True)
    ctx = suite.Ctx(
        workdir=logs,
        logs=logs,
        runs=args.runs,
        cli=suite.coopgraph_cli(),
        env=dict(os.environ),
        timeout=3600,
        query_timeout=args.query_timeout,
        worker_timeout=3600,
        naive_memory_gib=0,
    )
    result: dict[str, Any] = {"data": str(args.data), "runs": args.runs, "machine": suite.machine()}
    try:
        result["cold_builds"] = cold_builds(ctx, folder)
        remove_build(folder)
        if suite.run(ctx, "plain build", [*ctx.cli, "build", "-d", str(folder)]).ok is False:
            raise SystemExit("the plain build failed")
        top = suite.top_organizations(ctx, folder)
        result["top"] = top
        queries = {"plain": query_times(ctx, folder, "plain", top)}
        compact = [*ctx.cli, "build", "--json", "--compact", "-d", str(folder)]
        r = suite.run(ctx, "compact the up-to-date store", compact)
        if not r.ok or not json.loads(r.stdout)["compacted"]:
            raise SystemExit(f"compacting the up-to-date store failed: {r.stderr.strip()[-2000:]}")
        result["compact_up_to_date"] = {"seconds": r.seconds}
        queries["compact"] = query_times(ctx, folder, "compact", top)
        result["queries"] = queries
    finally:
        remove_build(folder)
    text = markdown(result)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
