#!/usr/bin/env python3
"""Time ``coopgraph viz`` on generated datasets of growing size, and the pages in Chromium.

For each size the dataset is generated (``bench/generate.py``) and built once, not
timed. Then each run starts a fresh process that opens the built store and writes the
page of two views, the whole network (cut to the page limit, 5,000 nodes) and the
focus on the biggest hub at depth 2, and reports:

``read``     reading organizations, activities and participations from the store;
``view``     applying the filters (``coopgraph.view.make_view``);
``layout``   igraph's Fruchterman-Reingold positions;
``page``     the HTML (payload, template), the layout included again;
``total``    the ``CoopGraph.viz`` call (view, layout and page, read included);
``size``     the page file.

Each page is then opened in headless Chromium (Debian's, with Playwright) from
``file://``, with every network request refused: ``to ready`` is the time from the
start of navigation until the view is interactive (physics stabilized and stopped,
or the precomputed layout drawn), read off ``performance.now()`` in the page.

Medians over ``--runs`` runs. Usage::

    python bench/viz.py --orgs 100 1000 10000 50000 --runs 3 --workdir /tmp/coopgraph-bench --markdown
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

from coopgraph.render.browser import READY, chromium, launch, only

WORKER = r"""
import json, sys, time
from pathlib import Path
import coopgraph
from coopgraph.layout import positions
from coopgraph.network import cooperation
from coopgraph.render import html
from coopgraph.view import make_view
folder, out, focus = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] or None
g = coopgraph.open(folder)
t0 = time.perf_counter()
coop = cooperation(g)
t1 = time.perf_counter()
filters = g.filters(focus=focus, depth=2 if focus else None)
view = make_view(coop, filters, limit=html.DEFAULT_LIMIT)
t2 = time.perf_counter()
positions(view.graph)
t3 = time.perf_counter()
text = html.page(view)
t4 = time.perf_counter()
g.__dict__.pop("cooperation", None)
t5 = time.perf_counter()
page = g.viz(focus=focus, depth=2 if focus else None)
page.save(out)
t6 = time.perf_counter()
print(json.dumps({
    "read": t1 - t0, "view": t2 - t1, "layout": t3 - t2, "page": t4 - t3, "total": t6 - t5,
    "nodes": view.graph.number_of_nodes(), "edges": view.graph.number_of_edges(), "dropped": view.dropped,
    "size_mib": out.stat().st_size / 2**20,
}))
"""


def to_ready(browser, page_path: Path) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    url = page_path.resolve().as_uri()
    context.route("**/*", only(url))
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(READY, timeout=600_000)
    ready = page.evaluate("window.coopgraph.readyAt") / 1000
    context.close()
    return ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, nargs="+", default=[100, 1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("bench-data"))
    parser.add_argument("--chromium", default=chromium())
    parser.add_argument("--out", type=Path, help="Write the results as JSON here.")
    parser.add_argument("--markdown", action="store_true", help="Print a Markdown table.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as pw:
        browser = launch(pw, args.chromium)
        for n in args.orgs:
            folder = args.workdir / f"orgs-{n}"
            if not (folder / "coopgraph.yaml").exists():
                generate(folder, n, seed=0)
            subprocess.run([sys.executable, "-m", "coopgraph", "build", "-d", str(folder)], check=True,
                           capture_output=True)  # fmt: skip
            for label, focus in (("whole network", ""), ("focus org-1, depth 2", "org-1")):
                runs = []
                for i in range(args.runs):
                    out = args.workdir / f"orgs-{n}-{'focus' if focus else 'all'}.html"
                    proc = subprocess.run([sys.executable, "-c", WORKER, str(folder), str(out), focus],
                                          check=True, capture_output=True, text=True)  # fmt: skip
                    run = json.loads(proc.stdout)
                    run["ready"] = to_ready(browser, out)
                    runs.append(run)
                    print(n, label, i, run, file=sys.stderr)
                row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                row.update(orgs=n, view_name=label, runs=args.runs)
                results.append(row)
        browser.close()
    if args.out:
        args.out.write_text(json.dumps({"machine": machine(), "results": results}, indent=2))
    if args.markdown:
        print(f"Machine: {machine()}\n")
        print("| organizations | view | nodes | links | read | view | layout | page (with layout) | `viz` total "
              "| size | to ready in Chromium |")  # fmt: skip
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in results:
            print(
                f"| {r['orgs']:,} | {r['view_name']} | {r['nodes']:,.0f} | {r['edges']:,.0f} | {r['read']:.2f} s | "
                f"{r['view']:.2f} s | {r['layout']:.2f} s | {r['page']:.2f} s | {r['total']:.2f} s | "
                f"{r['size_mib']:.1f} MiB | {r['ready']:.2f} s |"
            )


if __name__ == "__main__":
    main()
