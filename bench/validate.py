#!/usr/bin/env python3
"""Time ``coopgraph validate`` on generated datasets of growing size.

For each size the dataset is generated once (``bench/generate.py``, not timed), then
each run starts a fresh process that validates it and reports:

``read+check``  reading the YAML and every record-level check (``validate_dataset``
                with ``graph=False``);
``graph``       building the triples and running the SHACL shapes on them;
``total``       both, in-process;
``cli``         the wall time of ``coopgraph validate DIR --format json`` as a user
                runs it (interpreter start and imports included);
``peak RSS``    the high-water mark of the in-process run.

Medians over ``--runs`` runs. Usage::

    python bench/validate.py --orgs 1000 10000 55000 --runs 3 --workdir /tmp/coopgraph-bench --markdown
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

WORKER = r"""
import json, resource, sys, time
from pathlib import Path
from coopgraph.rdf.build import build_lines
from coopgraph.shapes import check_shapes
from coopgraph.validate import validate_dataset
folder = Path(sys.argv[1])
t0 = time.perf_counter()
dataset, report = validate_dataset(folder, graph=False)
t1 = time.perf_counter()
check_shapes(dataset, build_lines(dataset), report)
t2 = time.perf_counter()
print(json.dumps({
    "read_check": t1 - t0, "graph": t2 - t1, "total": t2 - t0,
    "records": len(dataset.records), "files": len(dataset.files),
    "errors": len(report.errors), "warnings": len(report.warnings),
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def run_once(folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", WORKER, str(folder)], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout)
    started = time.perf_counter()
    cli = subprocess.run(
        [sys.executable, "-m", "coopgraph", "validate", str(folder), "--format", "json"], capture_output=True
    )
    result["cli"] = time.perf_counter() - started
    assert cli.returncode in (0, 1), cli.stderr
    return result


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem / 2**20:.0f} GiB, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[1000, 10000, 55000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("bench-data"))
    parser.add_argument("--out", type=Path, help="Write the results as JSON here.")
    parser.add_argument("--markdown", action="store_true", help="Print a Markdown table.")
    args = parser.parse_args()

    rows = []
    for n in args.orgs:
        folder = args.workdir / f"synthetic-{n}"
        if not (folder / "coopgraph.yaml").exists():
            generate(folder, n)
        runs = [run_once(folder) for _ in range(args.runs)]
        row = {"orgs": n, **{k: runs[0][k] for k in ("records", "files", "errors", "warnings")}}
        for key in ("read_check", "graph", "total", "cli", "peak_rss_mib"):
            row[key] = statistics.median(r[key] for r in runs)
        row["runs"] = args.runs
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    if args.out:
        args.out.write_text(json.dumps({"machine": machine(), "rows": rows}, indent=2))
    if args.markdown:
        print(f"Machine: {machine()}. Medians of {args.runs} runs.\n")
        print(
            "| organizations | records | files | read+check | graph (SHACL) | total | `coopgraph validate` | peak RSS |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            print(
                f"| {r['orgs']:,} | {r['records']:,} | {r['files']} | {r['read_check']:.2f} s | {r['graph']:.2f} s "
                f"| {r['total']:.2f} s | {r['cli']:.2f} s | {r['peak_rss_mib']:,.0f} MiB |"
            )


if __name__ == "__main__":
    main()
