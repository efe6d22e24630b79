#!/usr/bin/env python3
"""Time ``coopgraph render`` and ``coopgraph stats`` (and the network exports) on generated datasets.

For each size the dataset is generated (``bench/generate.py``) and built once, not
timed. Then each run starts a fresh process that opens the built store, reads the
network once (``read``, as ``viz`` does) and times, on the whole network:

``render``   the network image: the view cut to the image limit (2,000 nodes), the
             layout, the names placed, written as PNG (``png``) and as SVG (``svg``);
``chart``    the ``years`` chart as PNG (the counts of the view included);
``stats``    ``coopgraph.stats.compute`` on the whole network, as the sum of its parts:
             ``betweenness`` (exact up to 1,000 organizations, then 200 pivots),
             ``louvain`` (communities), and ``counts`` (degrees, components and the
             tables by country, type, kind and year); ``components`` alone is shown too;
``gexf``     the network graph with its attributes, written as GEXF.

Medians over ``--runs`` runs. Usage::

    python bench/briefing.py --orgs 1000 10000 50000 --runs 3 --workdir /tmp/coopgraph-bench --markdown
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from validate import machine

WORKER = r"""
import json, sys, time
from pathlib import Path
import coopgraph
from coopgraph import metrics
from coopgraph.network import cooperation
from coopgraph.render import graphfiles, image
from coopgraph.stats import compute
from coopgraph.view import make_view
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
g = coopgraph.open(folder)
t = {}
start = time.perf_counter()
coop = cooperation(g)
g.__dict__["cooperation"] = coop
t["read"] = time.perf_counter() - start

start = time.perf_counter()
picture = g.render()
png = image.image_bytes(picture.figure, "png")
t["png"] = time.perf_counter() - start
start = time.perf_counter()
image.image_bytes(picture.figure, "svg")
t["svg_only"] = time.perf_counter() - start
t["nodes"] = picture.view.graph.number_of_nodes()
t["edges"] = picture.view.graph.number_of_edges()
t["labels"] = len(picture.figure.axes[0].texts)

start = time.perf_counter()
image.image_bytes(g.render("years").figure, "png")
t["chart"] = time.perf_counter() - start

view = make_view(coop, g.filters())
t["all_nodes"] = view.graph.number_of_nodes()
t["all_edges"] = view.graph.number_of_edges()
start = time.perf_counter()
metrics.betweenness(view.graph)
t["betweenness"] = time.perf_counter() - start
start = time.perf_counter()
metrics.communities(view.graph)
t["louvain"] = time.perf_counter() - start
start = time.perf_counter()
metrics.components(view.graph)
t["components"] = time.perf_counter() - start
start = time.perf_counter()
compute(view, centrality=False)
t["counts"] = time.perf_counter() - start
t["stats"] = t["counts"] + t["betweenness"] + t["louvain"]  # what compute(view) runs, without running it twice

start = time.perf_counter()
graphfiles.write(graphfiles.network_graph(view), "gexf", str(out))
t["gexf"] = time.perf_counter() - start
print(json.dumps(t))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("bench-data"))
    parser.add_argument("--out", type=Path, help="Write the results as JSON here.")
    parser.add_argument("--markdown", action="store_true", help="Print a Markdown table.")
    args = parser.parse_args()
    results = []
    for n in args.orgs:
        folder = args.workdir / f"orgs-{n}"
        if not (folder / "coopgraph.yaml").exists():
            generate(folder, n, seed=0)
        subprocess.run([sys.executable, "-m", "coopgraph", "build", "-d", str(folder)], check=True,
                       capture_output=True)  # fmt: skip
        runs = []
        for i in range(args.runs):
            out = args.workdir / f"orgs-{n}.gexf"
            proc = subprocess.run([sys.executable, "-c", WORKER, str(folder), str(out)],
                                  check=True, capture_output=True, text=True)  # fmt: skip
            run = json.loads(proc.stdout)
            runs.append(run)
            print(n, i, run, file=sys.stderr)
        row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        row.update(orgs=n, runs=args.runs)
        results.append(row)
    if args.out:
        args.out.write_text(json.dumps({"machine": machine(), "results": results}, indent=2))
    if args.markdown:
        print(f"Machine: {machine()}\n")
        print("| organizations | network (nodes, links) | read | `render` PNG (nodes, names) | + SVG | chart "
              "| betweenness | Louvain | components | `stats` total | GEXF |")  # fmt: skip
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in results:
            print(
                f"| {r['orgs']:,} | {r['all_nodes']:,.0f}, {r['all_edges']:,.0f} | {r['read']:.2f} s | "
                f"{r['png']:.2f} s ({r['nodes']:,.0f}, {r['labels']:,.0f}) | {r['svg_only']:.2f} s | "
                f"{r['chart']:.2f} s | {r['betweenness']:.2f} s | {r['louvain']:.2f} s | {r['components']:.2f} s | "
                f"{r['stats']:.2f} s | {r['gexf']:.2f} s |"
            )


if __name__ == "__main__":
    main()
