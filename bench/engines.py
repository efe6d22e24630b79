#!/usr/bin/env python3
"""Compare RDF store engines on a synthetic coopgraph dataset.

The script generates a deterministic cooperation graph (organizations, projects,
budgets, ``coop:participant`` and the materialized symmetric
``coop:cooperatesWith``), writes it once as N-Triples, then loads it into each
engine in a fresh subprocess and times the SPARQL queries Q1-Q5 there (Q2
and Q5 also in a second shape, Q2b and Q5b):

``rdflib``             rdflib in-memory ``Graph()`` filled with ``Graph.add``
                       from rdflib term objects, queried with rdflib's SPARQL
                       engine (``initBindings`` for bound parameters).
``oxrdflib``           ``rdflib.Graph(store="Oxigraph")`` opened on disk,
                       filled with ``Graph.addN`` in batches, queried through
                       ``Graph.query`` (oxrdflib hands SPARQL to Oxigraph).
``oxrdflib-add``       the same, filled with one ``Graph.add`` per triple.
``pyoxigraph``         ``pyoxigraph.Store(path)`` filled with ``bulk_load`` of
                       the N-Triples file, queried with ``Store.query``
                       (``substitutions=`` for bound parameters).
``pyoxigraph-reopen``  a new process re-opening the store written by
                       ``pyoxigraph`` (timed open, then the queries).
``oxrdflib-store``     a new process opening that same store with pyoxigraph
                       and wrapping it in oxrdflib's ``OxigraphStore``; the
                       queries go through the rdflib ``Graph.query`` API.
``pyoxigraph-extend``  ``pyoxigraph.Store(path)`` filled with ``bulk_extend``
                       of ``Quad`` objects built in Python (no N-Triples file).

``pyoxigraph-reopen`` also runs the bound queries with the parameter given as a
``VALUES`` block at the start of the WHERE group, as a ``VALUES`` block inside
the subquery (Q5), and as an IRI written into the query text, for comparison
with ``substitutions=``.

Peak RSS is the high-water mark (``VmHWM``) of each engine's process through
its load and queries, read by the worker itself; the parent also records
``ru_maxrss`` from ``os.wait4`` (which cannot read below the parent's own size,
see ``run_engine``).

Usage::

    python bench/engines.py --orgs 100000 --runs 3 --out results.json

Only the standard library, rdflib, pyoxigraph and oxrdflib are needed.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import math
import os
import platform
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import FIELDS  # the same research fields as the YAML generator

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

COOP = "https://w3id.org/coopgraph/ns#"
BASE = "https://w3id.org/coopgraph/bench/"
VOCAB = "https://w3id.org/coopgraph/vocab/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"

PREFIXES = f"""PREFIX coop: <{COOP}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <{SCHEMA}>
PREFIX xsd: <{XSD}>
"""

# --------------------------------------------------------------------------
# Synthetic dataset
# --------------------------------------------------------------------------

PLACES = [
    ("Hải Phòng", "Hai Phong"),
    ("Hà Nội", "Hanoi"),
    ("Đà Nẵng", "Da Nang"),
    ("Thành phố Hồ Chí Minh", "Ho Chi Minh City"),
    ("Cần Thơ", "Can Tho"),
    ("Quảng Ninh", "Quang Ninh"),
    ("Thái Bình", "Thai Binh"),
    ("Huế", "Hue"),
    ("Nghệ An", "Nghe An"),
    ("Bắc Ninh", "Bac Ninh"),
    ("Hải Dương", "Hai Duong"),
    ("Khánh Hòa", "Khanh Hoa"),
    ("Lạng Sơn", "Lang Son"),
    ("Đồng Nai", "Dong Nai"),
]
# (type slug, weight, vi pattern, en pattern)
ORG_TYPES = [
    ("university", 18, "Trường Đại học {fv} {pv}", "{pe} University of {fe}"),
    ("research-institute", 22, "Viện Nghiên cứu {fv} {pv}", "{pe} Institute of {fe}"),
    ("enterprise", 30, "Công ty Cổ phần {fv} {pv}", "{pe} {fe} Joint Stock Company"),
    ("government-body", 10, "Sở Khoa học và Công nghệ {pv}", "{pe} Department of Science and Technology"),
    ("association", 8, "Hiệp hội Doanh nghiệp {fv} {pv}", "{pe} {fe} Business Association"),
    ("international-organization", 4, "Tổ chức Hợp tác Quốc tế về {fv}", "International Organization for {fe}"),
    ("programme-network", 5, "Mạng lưới {fv} {pv}", "{pe} {fe} Network"),
    ("other", 3, "Trung tâm Ứng dụng {fv} {pv}", "{pe} Centre for Applied {fe}"),
]
COUNTRIES = [
    ("VN", 70),
    ("JP", 6),
    ("KR", 5),
    ("FR", 3),
    ("DE", 3),
    ("US", 3),
    ("CN", 3),
    ("TH", 2),
    ("LA", 2),
    ("AU", 1),
    ("RU", 1),
    ("BE", 1),
]
CURRENCIES = [
    ("VND", 85, 1e8, 1e11, 1_000_000),
    ("USD", 8, 5e3, 5e6, 1_000),
    ("EUR", 4, 5e3, 5e6, 1_000),
    ("JPY", 3, 1e6, 5e8, 100_000),
]
PROJECT_KINDS = [
    ("Dự án hợp tác nghiên cứu", "Joint research project on"),
    ("Dự án chuyển giao công nghệ", "Technology transfer project on"),
    ("Dự án nâng cao năng lực", "Capacity building project on"),
]

# Participation skew: organization of popularity rank r is drawn with weight
# 1/(r+ZIPF_OFFSET)**ZIPF_EXPONENT; project size k in 2..12 with weight
# SIZE_DECAY**(k-2).
ZIPF_EXPONENT = 0.8
ZIPF_OFFSET = 10
SIZE_DECAY = 0.6
PROJECTS_PER_ORG = 0.6
Q4_THRESHOLD_VND = 50_000_000_000


def generate(n_orgs: int, seed: int) -> dict:
    """Deterministic records: organizations, projects and partner pairs."""
    rng = random.Random(seed)
    type_w = [t[1] for t in ORG_TYPES]
    country_codes = [c[0] for c in COUNTRIES]
    country_w = [c[1] for c in COUNTRIES]
    orgs = []
    for i in range(n_orgs):
        slug, _, vi_pat, en_pat = rng.choices(ORG_TYPES, type_w)[0]
        pv, pe = rng.choice(PLACES)
        fv, fe = rng.choice(FIELDS)
        country = rng.choices(country_codes, country_w)[0]
        vi = vi_pat.format(fv=fv, pv=pv) + f" số {i}"
        en = en_pat.format(fe=fe, pe=pe) + f" No. {i}"
        orgs.append((f"o{i}", vi, en, slug, country))

    weights = [1.0 / (r + ZIPF_OFFSET) ** ZIPF_EXPONENT for r in range(n_orgs)]
    cum = list(itertools.accumulate(weights))
    total = cum[-1]
    by_rank = list(range(n_orgs))
    rng.shuffle(by_rank)  # popularity rank -> organization index
    sizes = list(range(2, 13))
    size_w = [SIZE_DECAY ** (k - 2) for k in sizes]
    cur_w = [c[1] for c in CURRENCIES]

    projects = []
    pairs: set[int] = set()
    n_projects = round(PROJECTS_PER_ORG * n_orgs)
    for j in range(n_projects):
        k = min(rng.choices(sizes, size_w)[0], n_orgs)
        chosen: set[int] = set()
        while len(chosen) < k:
            chosen.add(by_rank[bisect.bisect_left(cum, rng.random() * total)])
        members = tuple(sorted(chosen))
        for a, b in itertools.combinations(members, 2):
            pairs.add(a * n_orgs + b)
        kv, ke = rng.choice(PROJECT_KINDS)
        fv, fe = rng.choice(FIELDS)
        pv, pe = rng.choice(PLACES)
        y1 = rng.randint(2005, 2024)
        y2 = y1 + rng.randint(1, 5)
        start = f"{y1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        end = f"{y2}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        cur, _, lo, hi, step = rng.choices(CURRENCIES, cur_w)[0]
        amount = int(10 ** rng.uniform(math.log10(lo), math.log10(hi)) // step * step)
        amount = max(amount, step)
        vi = f"{kv} {fv.lower()} tại {pv}, giai đoạn {y1}–{y2}, số {j}"
        en = f"{ke} {fe.lower()} in {pe}, {y1}–{y2}, no. {j}"
        projects.append((f"p{j}", vi, en, start, end, str(amount), cur, members))

    pair_list = sorted(pairs)
    degree = [0] * n_orgs
    for x in pair_list:
        a, b = divmod(x, n_orgs)
        degree[a] += 1
        degree[b] += 1
    return {"orgs": orgs, "projects": projects, "pairs": pair_list, "degree": degree, "n": n_orgs}


def emit_rdflib(ds: dict):
    """The dataset's triples as rdflib terms."""
    from rdflib import BNode, Literal, URIRef

    return emit(
        ds,
        iri=URIRef,
        lang=lambda v, tag: Literal(v, lang=tag),
        typed=lambda v, dt: Literal(v, datatype=URIRef(dt)),
        bnode=BNode,
        plain=Literal,
    )


def emit(ds: dict, iri, lang, typed, bnode, plain):
    """Yield the dataset's triples built with the given term constructors."""
    o_base = BASE + "organization/"
    p_base = BASE + "project/"
    t_base = VOCAB + "organization-type/"
    c_base = VOCAB + "country/"
    a, label = iri(RDF_TYPE), iri(RDFS_LABEL)
    c_org, c_proj, c_money = iri(COOP + "Organization"), iri(COOP + "Project"), iri(SCHEMA + "MonetaryAmount")
    p_otype, p_country = iri(COOP + "organizationType"), iri(COOP + "country")
    p_start, p_end, p_budget = iri(COOP + "startDate"), iri(COOP + "endDate"), iri(COOP + "budget")
    p_part, p_coop = iri(COOP + "participant"), iri(COOP + "cooperatesWith")
    p_value, p_cur = iri(SCHEMA + "value"), iri(SCHEMA + "currency")
    x_date, x_dec = XSD + "date", XSD + "decimal"
    orgs = ds["orgs"]
    for oid, vi, en, slug, country in orgs:
        s = iri(o_base + oid)
        yield s, a, c_org
        yield s, label, lang(vi, "vi")
        yield s, label, lang(en, "en")
        yield s, p_otype, iri(t_base + slug)
        yield s, p_country, iri(c_base + country)
    for pid, vi, en, start, end, amount, cur, members in ds["projects"]:
        s = iri(p_base + pid)
        b = bnode("budget-" + pid)
        yield s, a, c_proj
        yield s, label, lang(vi, "vi")
        yield s, label, lang(en, "en")
        yield s, p_start, typed(start, x_date)
        yield s, p_end, typed(end, x_date)
        yield s, p_budget, b
        yield b, a, c_money
        yield b, p_value, typed(amount, x_dec)
        yield b, p_cur, plain(cur)
        for m in members:
            yield s, p_part, iri(o_base + orgs[m][0])
    n = ds["n"]
    for x in ds["pairs"]:
        i, j = divmod(x, n)
        oi, oj = iri(o_base + orgs[i][0]), iri(o_base + orgs[j][0])
        yield oi, p_coop, oj
        yield oj, p_coop, oi


def _nt_escape(v: str) -> str:
    return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def write_ntriples(ds: dict, path: Path) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        buf = []
        for s, p, o in emit(
            ds,
            iri=lambda v: "<" + v + ">",
            lang=lambda v, tag: '"' + _nt_escape(v) + '"@' + tag,
            typed=lambda v, dt: '"' + _nt_escape(v) + '"^^<' + dt + ">",
            bnode=lambda v: "_:" + v,
            plain=lambda v: '"' + _nt_escape(v) + '"',
        ):
            buf.append(f"{s} {p} {o} .\n")
            if len(buf) >= 100_000:
                f.writelines(buf)
                count += len(buf)
                buf.clear()
        f.writelines(buf)
        count += len(buf)
    return count


def pick_focus_org(ds: dict, target_degree: int = 50) -> int:
    """The organization whose partner count is closest to target_degree."""
    deg = ds["degree"]
    return min(range(len(deg)), key=lambda i: (abs(deg[i] - target_degree), i))


# --------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------

QUERIES = {
    "Q1": ("count triples", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", False),
    "Q2": (
        "top 20 organizations by distinct partners, English label",
        PREFIXES
        + """SELECT ?org ?label (COUNT(DISTINCT ?partner) AS ?partners) WHERE {
  ?org coop:cooperatesWith ?partner ;
       rdfs:label ?label .
  FILTER(LANG(?label) = "en")
}
GROUP BY ?org ?label
ORDER BY DESC(?partners) ?org
LIMIT 20""",
        False,
    ),
    "Q2b": (
        "the same top 20, grouped in a subquery before the labels are joined",
        PREFIXES
        + """SELECT ?org ?label ?partners WHERE {
  {
    SELECT ?org (COUNT(DISTINCT ?partner) AS ?partners) WHERE {
      ?org coop:cooperatesWith ?partner .
    }
    GROUP BY ?org
    ORDER BY DESC(?partners) ?org
    LIMIT 20
  }
  ?org rdfs:label ?label .
  FILTER(LANG(?label) = "en")
}
ORDER BY DESC(?partners) ?org""",
        False,
    ),
    "Q3": (
        "partners of one organization with labels (bound ?org)",
        PREFIXES
        + """SELECT ?org ?partner ?en ?vi WHERE {
  ?org coop:cooperatesWith ?partner .
  OPTIONAL { ?partner rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?partner rdfs:label ?vi FILTER(LANG(?vi) = "vi") }
}
ORDER BY ?partner""",
        True,
    ),
    "Q4": (
        "projects with a VND budget above a threshold, by value, LIMIT 100",
        PREFIXES
        + f"""SELECT ?project ?label ?value WHERE {{
  ?project coop:budget ?budget .
  ?budget schema:value ?value ;
          schema:currency "VND" .
  FILTER(?value > {Q4_THRESHOLD_VND})
  ?project rdfs:label ?label .
  FILTER(LANG(?label) = "en")
}}
ORDER BY DESC(?value) ?project
LIMIT 100""",
        False,
    ),
    "Q5": (
        "two-hop neighbourhood of one organization, DISTINCT subquery first (bound ?org)",
        PREFIXES
        + """SELECT ?org ?n2 ?label WHERE {
  {
    SELECT DISTINCT ?org ?n2 WHERE {
      ?org coop:cooperatesWith ?n1 .
      ?n1 coop:cooperatesWith ?n2 .
      FILTER(?n2 != ?org)
    }
  }
  ?n2 rdfs:label ?label .
  FILTER(LANG(?label) = "en")
}""",
        True,
    ),
    "Q5b": (
        "the same neighbourhood as one flat SELECT DISTINCT, no subquery (bound ?org)",
        PREFIXES
        + """SELECT DISTINCT ?org ?n2 ?label WHERE {
  ?org coop:cooperatesWith ?n1 .
  ?n1 coop:cooperatesWith ?n2 .
  FILTER(?n2 != ?org)
  ?n2 rdfs:label ?label .
  FILTER(LANG(?label) = "en")
}""",
        True,
    ),
}

# A bound variable that the SELECT clause does not project.
UNPROJECTED_CHECK = (
    PREFIXES
    + """SELECT ?partner WHERE {
  ?org coop:cooperatesWith ?partner .
}"""
)


# --------------------------------------------------------------------------
# Worker side (one engine per process)
# --------------------------------------------------------------------------


class StepTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise StepTimeout()


def _proc_status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _mib(kib):
    return None if kib is None else round(kib / 1024, 1)


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


class Worker:
    def __init__(self, engine: str, cfg: dict, result_path: Path):
        self.engine, self.cfg, self.result_path = engine, cfg, Path(result_path)
        self.state = {
            "engine": engine,
            "status": "running",
            "current": None,
            "load": None,
            "open": None,
            "queries": {},
            "checks": {},
            "memory": {},
        }
        self.deadline = None
        self.pending: dict | None = None
        signal.signal(signal.SIGALRM, _alarm)
        threading.Thread(target=self._watchdog, daemon=True).start()

    # progress is saved after each step so the parent can report a hard kill
    def save(self):
        tmp = self.result_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, ensure_ascii=False, indent=1))
        os.replace(tmp, self.result_path)

    def _watchdog(self):
        # Native code that never returns to the interpreter cannot be
        # interrupted by SIGALRM; record the timeout and leave.
        while True:
            time.sleep(1)
            d = self.deadline
            if d is not None and time.monotonic() > d + 15:
                self.state["status"] = f"hard timeout in {self.state['current']}"
                if self.pending is not None:
                    self.pending["median_s"] = "timeout"
                    self.pending["note"] = "the query did not return to Python; the process was ended"
                self.save()
                os._exit(124)

    def timed(self, label: str, fn, limit: float):
        self.state["current"] = label
        self.save()
        self.deadline = time.monotonic() + limit
        signal.setitimer(signal.ITIMER_REAL, limit)
        t0 = time.perf_counter()
        try:
            value = fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.deadline = None
        return time.perf_counter() - t0, value

    def mark_memory(self, label: str):
        self.state["memory"][label] = {
            "rss_mib": _mib(_proc_status_kib("VmRSS")),
            "hwm_mib": _mib(_proc_status_kib("VmHWM")),
            "ru_maxrss_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        }

    # --- engines -----------------------------------------------------------

    def run(self):
        self.mark_memory("start")
        getattr(self, "setup_" + self.engine.replace("-", "_"))()
        self.state["current"] = None
        self.mark_memory("loaded")
        self.save()
        if self.state.get("loaded", True):
            self.run_queries()
            self.mark_memory("queried")
            self.run_checks()
            if self.engine == "pyoxigraph-reopen":
                self.run_binding_styles()
        self.mark_memory("end")
        self.state["status"] = "ok" if self.state["status"] == "running" else self.state["status"]
        self.state["current"] = None
        self.save()

    def _records(self):
        t0 = time.perf_counter()
        ds = generate(self.cfg["orgs"], self.cfg["seed"])
        self.state["generate_s"] = round(time.perf_counter() - t0, 3)
        self.mark_memory("records")
        return ds

    def _load_python(self, label, fill):
        try:
            dt, n = self.timed(label, fill, self.cfg["load_timeout"])
            self.state["load"] = {"seconds": round(dt, 3), "triples": n}
        except StepTimeout:
            self.state["load"] = {
                "seconds": "timeout",
                "limit_s": self.cfg["load_timeout"],
                "triples_added": self.progress,
            }
            self.state["loaded"] = False
            self.state["status"] = "load timeout"

    def setup_rdflib(self):
        import rdflib
        from rdflib import Graph

        ds = self._records()
        self.graph = Graph()
        self._load_python("load (Graph.add)", self._fill_one_by_one(ds))
        self.kind = "rdflib"
        self.rdflib = rdflib

    def _fill_one_by_one(self, ds):
        """A loader that adds the triples to ``self.graph`` one ``Graph.add`` at a time."""
        self.progress = 0

        def fill():
            g = self.graph
            for t in emit_rdflib(ds):
                g.add(t)
                self.progress += 1
            return self.progress

        return fill

    def _open_oxrdflib(self):
        from rdflib import Graph

        path = Path(self.cfg["workdir"]) / f"store-{self.engine}"
        if path.exists():
            shutil.rmtree(path)
        g = Graph(store="Oxigraph")
        g.open(str(path), create=True)
        return g, path

    def setup_oxrdflib(self):

        ds = self._records()
        self.graph, path = self._open_oxrdflib()
        self.progress = 0
        batch = self.cfg["batch"]

        def fill():
            g = self.graph
            quads = []
            for s, p, o in emit_rdflib(ds):
                quads.append((s, p, o, g))
                if len(quads) >= batch:
                    g.addN(quads)
                    self.progress += len(quads)
                    quads = []
            g.addN(quads)
            self.progress += len(quads)
            return self.progress

        self._load_python(f"load (Graph.addN, batches of {batch})", fill)
        self.state["store_bytes"] = _dir_size(path)
        self.kind = "oxrdflib"

    def setup_oxrdflib_add(self):

        ds = self._records()
        self.graph, path = self._open_oxrdflib()
        self._load_python("load (Graph.add)", self._fill_one_by_one(ds))
        self.state["store_bytes"] = _dir_size(path)
        self.kind = "oxrdflib"

    def setup_pyoxigraph(self):
        import pyoxigraph as ox

        path = Path(self.cfg["workdir"]) / "store-pyoxigraph"
        if path.exists():
            shutil.rmtree(path)

        def load():
            store = ox.Store(str(path))
            store.bulk_load(path=self.cfg["ntriples"], format=ox.RdfFormat.N_TRIPLES)
            return store

        try:
            dt, self.store = self.timed("load (bulk_load)", load, self.cfg["load_timeout"])
            self.state["load"] = {"seconds": round(dt, 3)}
        except StepTimeout:
            self.state["load"] = {"seconds": "timeout", "limit_s": self.cfg["load_timeout"]}
            self.state["loaded"] = False
            self.state["status"] = "load timeout"
            return
        self.state["store_bytes"] = _dir_size(path)
        self.kind = "pyoxigraph"
        self.ox = ox

    def _reopen(self):
        import pyoxigraph as ox

        path = Path(self.cfg["workdir"]) / "store-pyoxigraph"
        if not path.exists():
            raise SystemExit(f"{path} does not exist: run the pyoxigraph engine first")
        size = _dir_size(path)
        dt, store = self.timed("open", lambda: ox.Store(str(path)), self.cfg["timeout"])
        self.state["open"] = {"seconds": round(dt, 4)}
        self.state["store_bytes_at_open"] = size
        # first access after the open (pays for reading the store's metadata)
        dt2, _ = self.timed(
            "first read", lambda: next(iter(store.quads_for_pattern(None, None, None)), None), self.cfg["timeout"]
        )
        self.state["open"]["first_read_seconds"] = round(dt2, 4)
        self.ox = ox
        return store

    def setup_pyoxigraph_reopen(self):
        self.store = self._reopen()
        self.kind = "pyoxigraph"

    def setup_oxrdflib_store(self):
        from oxrdflib import OxigraphStore
        from rdflib import Graph
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        store = self._reopen()
        self.graph = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
        self.kind = "oxrdflib"

    def setup_pyoxigraph_extend(self):
        import pyoxigraph as ox

        ds = self._records()
        path = Path(self.cfg["workdir"]) / "store-pyoxigraph-extend"
        if path.exists():
            shutil.rmtree(path)
        store = ox.Store(str(path))
        default = ox.DefaultGraph()

        def fill():
            store.bulk_extend(
                ox.Quad(s, p, o, default)
                for s, p, o in emit(
                    ds,
                    iri=ox.NamedNode,
                    lang=lambda v, tag: ox.Literal(v, language=tag),
                    typed=lambda v, dt: ox.Literal(v, datatype=ox.NamedNode(dt)),
                    bnode=ox.BlankNode,
                    plain=ox.Literal,
                )
            )
            store.flush()
            return None

        try:
            dt, _ = self.timed("load (bulk_extend + flush)", fill, self.cfg["load_timeout"])
            self.state["load"] = {"seconds": round(dt, 3)}
        except StepTimeout:
            self.state["load"] = {"seconds": "timeout", "limit_s": self.cfg["load_timeout"]}
            self.state["loaded"] = False
            self.state["status"] = "load timeout"
            return
        dt, n = self.timed("len(store)", lambda: len(store), self.cfg["timeout"])
        self.state["checks"]["len_store"] = {"len": n, "seconds": round(dt, 3)}
        self.state["store_bytes"] = _dir_size(path)
        self.store, self.kind, self.ox = store, "pyoxigraph", ox

    # --- queries -------------------------------------------------------------

    def execute(self, sparql: str, bindings: dict):
        """Run a query and materialize every row; returns the raw rows."""
        if self.kind == "pyoxigraph":
            ox = self.ox
            subs = {ox.Variable(k): ox.NamedNode(v) for k, v in bindings.items()}
            return list(self.store.query(sparql, substitutions=subs or None))
        from rdflib import URIRef

        init = {k: URIRef(v) for k, v in bindings.items()}
        return list(self.graph.query(sparql, initBindings=init))

    def row_values(self, rows):
        out = []
        for r in rows:
            if self.kind == "pyoxigraph":
                out.append([None if t is None else t.value for t in r])
            else:
                out.append([None if t is None else str(t) for t in r])
        return out

    def run_queries(self):
        runs, limit = self.cfg["runs"], self.cfg["timeout"]
        for name, (desc, sparql, bound) in QUERIES.items():
            bindings = {"org": self.cfg["focus_org_iri"]} if bound else {}
            entry = {"description": desc, "times": []}
            self.state["queries"][name] = entry
            self.pending = entry
            for i in range(runs):
                try:
                    dt, rows = self.timed(
                        f"{name} run {i + 1}",
                        lambda sparql=sparql, bindings=bindings: self.execute(sparql, bindings),
                        limit,
                    )
                except StepTimeout:
                    entry["median_s"] = "timeout"
                    entry["limit_s"] = limit
                    break
                except Exception as e:
                    entry["median_s"] = "error"
                    entry["error"] = f"{type(e).__name__}: {e}"
                    break
                entry["times"].append(round(dt, 4))
                if i == 0:
                    values = self.row_values(rows)
                    entry["rows"] = len(values)
                    entry["first_row"] = values[0] if values else None
                    entry["digest"] = hashlib.sha1(
                        json.dumps(sorted(values, key=lambda r: [str(x) for x in r]), ensure_ascii=False).encode()
                    ).hexdigest()[:12]
                self.save()
            else:
                entry["median_s"] = round(statistics.median(entry["times"]), 4)
                entry["first_s"] = entry["times"][0]
            self.save()
        self.pending = None

    def run_binding_styles(self):
        """The bound queries again, with the parameter given in other ways."""
        iri = self.cfg["focus_org_iri"]
        styles: dict[str, dict] = {}
        self.state["binding_styles"] = styles
        jobs = []
        for name, (_, sparql, bound) in QUERIES.items():
            if not bound:
                continue
            at = sparql.index("WHERE {") + len("WHERE {")
            values = sparql[:at] + f"\n  VALUES ?org {{ <{iri}> }}" + sparql[at:]
            inline = (
                sparql.replace("SELECT ?org ", "SELECT ")
                .replace("SELECT DISTINCT ?org ", "SELECT DISTINCT ")
                .replace("?org", f"<{iri}>")
            )
            styles[name] = {}
            jobs += [(name, "iri_inlined", inline), (name, "values_first", values)]
            if sparql.count("SELECT") > 1:  # also inside the innermost WHERE group
                at = sparql.rindex("WHERE {") + len("WHERE {")
                inner = sparql[:at] + f"\n  VALUES ?org {{ <{iri}> }}" + sparql[at:]
                jobs.append((name, "values_in_subquery", inner))
        # VALUES in front of a subquery may not come back within the timeout
        # (and cannot always be interrupted): run those last.
        jobs.sort(key=lambda job: job[1] == "values_first" and job[2].count("SELECT") > 1)
        for name, style, text in jobs:
            entry = styles[name][style] = {"times": []}
            self.pending = entry
            for i in range(self.cfg["runs"]):
                try:
                    dt, rows = self.timed(
                        f"{name} {style} run {i + 1}", lambda text=text: self.execute(text, {}), self.cfg["timeout"]
                    )
                except StepTimeout:
                    entry["median_s"] = "timeout"
                    break
                entry["times"].append(round(dt, 4))
                entry["rows"] = len(rows)
                self.save()
            else:
                entry["median_s"] = round(statistics.median(entry["times"]), 4)
            self.save()
        self.pending = None

    def run_checks(self):
        """Bound parameter on a variable that the SELECT does not project."""
        iri = self.cfg["focus_org_iri"]
        label = (
            "pyoxigraph Store.query(substitutions=...)"
            if self.kind == "pyoxigraph"
            else f"{self.kind} Graph.query(initBindings=...)"
        )
        try:
            _, rows = self.timed(
                "unprojected binding check", lambda: self.execute(UNPROJECTED_CHECK, {"org": iri}), self.cfg["timeout"]
            )
            self.state["checks"]["unprojected_binding"] = {
                "api": label,
                "outcome": "ok",
                "rows": len(rows),
                "expected_rows": self.cfg["focus_org_degree"],
            }
        except StepTimeout:
            self.state["checks"]["unprojected_binding"] = {"api": label, "outcome": "timeout"}
        except Exception as e:
            self.state["checks"]["unprojected_binding"] = {
                "api": label,
                "outcome": "raises",
                "error": f"{type(e).__name__}: {e}",
            }
        if self.engine == "oxrdflib-store":
            # the rdflib triple API over the bulk-loaded store
            from rdflib import URIRef

            g = self.graph
            dt, n = self.timed(
                "rdflib API: objects()",
                lambda: sum(1 for _ in g.objects(URIRef(iri), URIRef(COOP + "cooperatesWith"))),
                self.cfg["timeout"],
            )
            dt2, n2 = self.timed("rdflib API: len()", lambda: len(g), self.cfg["timeout"])
            self.state["checks"]["rdflib_api"] = {
                "objects_cooperatesWith": n,
                "objects_s": round(dt, 4),
                "len": n2,
                "len_s": round(dt2, 3),
            }
        self.save()


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------

ENGINES = [
    "rdflib",
    "oxrdflib",
    "oxrdflib-add",
    "pyoxigraph",
    "pyoxigraph-reopen",
    "oxrdflib-store",
    "pyoxigraph-extend",
]
ENGINE_LABELS = {
    "rdflib": "rdflib Graph() + add, rdflib SPARQL",
    "oxrdflib": 'oxrdflib Graph(store="Oxigraph") on disk + addN',
    "oxrdflib-add": 'oxrdflib Graph(store="Oxigraph") on disk + add',
    "pyoxigraph": "pyoxigraph Store(path) + bulk_load",
    "pyoxigraph-reopen": "pyoxigraph re-open of that store (new process)",
    "oxrdflib-store": "oxrdflib OxigraphStore over that store (new process)",
    "pyoxigraph-extend": "pyoxigraph Store(path) + bulk_extend of Python Quads",
}


def machine_info() -> dict:
    info = {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["mem_total_gib"] = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    for lib in ("rdflib", "pyoxigraph", "oxrdflib"):
        try:
            info[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            info[lib] = None
    return info


def run_engine(engine: str, cfg_path: Path, workdir: Path, hard_limit: float) -> dict:
    result_path = workdir / f"result-{engine}.json"
    if result_path.exists():
        result_path.unlink()
    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--worker",
        engine,
        "--config",
        str(cfg_path),
        "--result",
        str(result_path),
    ]
    log = open(workdir / f"log-{engine}.txt", "w")  # noqa: SIM115 - handed to Popen, closed below
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    killed = False
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - t0 > hard_limit and not killed:
            proc.kill()
            killed = True
        time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    log.close()
    wall = time.monotonic() - t0
    try:
        res = json.loads(result_path.read_text())
    except (OSError, ValueError):
        res = {"engine": engine, "status": "no result"}
    if killed:
        res["status"] = f"killed after {hard_limit:.0f} s in {res.get('current')}"
    elif proc.returncode != 0 and res.get("status") in (None, "running"):
        tail = (workdir / f"log-{engine}.txt").read_text()[-2000:]
        res["status"] = f"exit code {proc.returncode} in {res.get('current')}"
        res["log_tail"] = tail
    # ru_maxrss (KiB on Linux) of the child keeps the high-water mark of the
    # forked copy of this process across exec, so it never reads below this
    # process's own size; the worker's final VmHWM is exact for its own
    # address space and is preferred when the worker got to the end.
    res["ru_maxrss_mib"] = round(rusage.ru_maxrss / 1024, 1)
    # peak_rss_mib covers the load and the queries Q1-Q5b; the extra checks
    # that follow (len(), other binding styles) are in peak_rss_end_mib.
    mem = res.get("memory", {})
    end_hwm = (mem.get("end") or {}).get("hwm_mib")
    queried_hwm = (mem.get("queried") or {}).get("hwm_mib")
    res["peak_rss_end_mib"] = end_hwm if end_hwm is not None else res["ru_maxrss_mib"]
    res["peak_rss_mib"] = queried_hwm if queried_hwm is not None else res["peak_rss_end_mib"]
    res["process_wall_s"] = round(wall, 2)
    res["label"] = ENGINE_LABELS[engine]
    return res


def fmt_s(v):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def markdown(results: dict) -> str:
    d = results["dataset"]
    lines = [
        f"Dataset: {d['orgs']:,} organizations, {d['projects']:,} projects, "
        f"{d['participations']:,} participations, {d['partner_pairs']:,} partner pairs, "
        f"**{d['triples']:,} triples** (N-Triples {d['ntriples_mib']} MiB, written in "
        f"{fmt_s(d['ntriples_write_s'])} s; records generated in {fmt_s(d['generate_s'])} s).",
        "",
        "| engine | load s | open s | peak RSS MiB | store MiB | " + " | ".join(f"{q} s" for q in QUERIES) + " |",
        "| --- | ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in QUERIES) + " |",
    ]
    for engine, r in results["engines"].items():
        load = (r.get("load") or {}).get("seconds")
        opn = (r.get("open") or {}).get("seconds")
        store = r.get("store_bytes", r.get("store_bytes_at_open"))
        cells = [
            f"{engine}",
            fmt_s(load),
            fmt_s(opn),
            f"{r.get('peak_rss_mib', '–')}",
            "–" if store is None else f"{store / 1024**2:.0f}",
        ]
        for q in QUERIES:
            e = r.get("queries", {}).get(q)
            cells.append("–" if e is None else fmt_s(e.get("median_s")))
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"Query times: median of {results['runs']} runs; timeout {results['timeout_s']} s per run.")
    # row counts agreement
    lines.append("")
    lines.append("| query | " + " | ".join(results["engines"]) + " |")
    lines.append("| --- | " + " | ".join("---:" for _ in results["engines"]) + " |")
    for q in QUERIES:
        cells = []
        for r in results["engines"].values():
            e = r.get("queries", {}).get(q, {})
            cells.append(f"{e.get('rows', '–')} rows ({e.get('digest', '–')})" if "rows" in e else "–")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    bs = (results["engines"].get("pyoxigraph-reopen") or {}).get("binding_styles")
    if bs:
        lines.append("")
        lines.append("Bound ?org given in other ways (pyoxigraph-reopen, median s, rows):")
        lines.append("")
        lines.append(
            "| query | substitutions= | VALUES first in WHERE | VALUES in the subquery | IRI written in the query |"
        )
        lines.append("| --- | ---: | ---: | ---: | ---: |")
        main_q = results["engines"]["pyoxigraph-reopen"].get("queries", {})
        for q, st in bs.items():
            m = main_q.get(q, {})
            cells = [f"{fmt_s(m.get('median_s'))} ({m.get('rows', '–')})"]
            for style in ("values_first", "values_in_subquery", "iri_inlined"):
                e = st.get(style)
                cells.append("–" if e is None else f"{fmt_s(e.get('median_s'))} ({e.get('rows', '–')})")
            lines.append(f"| {q} | " + " | ".join(cells) + " |")
    lines.append("")
    for engine, r in results["engines"].items():
        c = r.get("checks", {}).get("unprojected_binding")
        if c:
            detail = c.get("error") or f"{c.get('rows')} rows (expected {c.get('expected_rows')})"
            lines.append(f"- {engine}: {c['api']} on an unprojected variable → {c['outcome']}: {detail}")
        if r.get("status") not in ("ok", None):
            lines.append(f"- {engine}: status {r.get('status')}")
    return "\n".join(lines)


def main_parent(args):
    info = machine_info()
    root = Path(args.workdir or tempfile.gettempdir())
    workdir = Path(tempfile.mkdtemp(prefix="coopgraph-bench-", dir=root))
    print(f"work folder: {workdir}", file=sys.stderr)
    try:
        t0 = time.perf_counter()
        ds = generate(args.orgs, args.seed)
        gen_s = time.perf_counter() - t0
        nt = workdir / "dataset.nt"
        t0 = time.perf_counter()
        n_triples = write_ntriples(ds, nt)
        nt_s = time.perf_counter() - t0
        focus = pick_focus_org(ds)
        dataset = {
            "orgs": len(ds["orgs"]),
            "projects": len(ds["projects"]),
            "participations": sum(len(p[7]) for p in ds["projects"]),
            "partner_pairs": len(ds["pairs"]),
            "cooperatesWith_triples": 2 * len(ds["pairs"]),
            "organizations_with_partners": sum(1 for x in ds["degree"] if x),
            "max_partners": max(ds["degree"]),
            "triples": n_triples,
            "ntriples_mib": round(nt.stat().st_size / 1024**2, 1),
            "generate_s": round(gen_s, 3),
            "ntriples_write_s": round(nt_s, 3),
            "seed": args.seed,
            "focus_org": ds["orgs"][focus][0],
            "focus_org_partners": ds["degree"][focus],
            "q4_threshold_vnd": Q4_THRESHOLD_VND,
        }
        print(f"dataset: {json.dumps(dataset)}", file=sys.stderr)
        del ds
        cfg = {
            "orgs": args.orgs,
            "seed": args.seed,
            "runs": args.runs,
            "timeout": args.timeout,
            "load_timeout": args.load_timeout,
            "batch": args.batch,
            "ntriples": str(nt),
            "workdir": str(workdir),
            "focus_org_iri": BASE + "organization/" + dataset["focus_org"],
            "focus_org_degree": dataset["focus_org_partners"],
        }
        cfg_path = workdir / "config.json"
        cfg_path.write_text(json.dumps(cfg))
        results = {
            "machine": info,
            "dataset": dataset,
            "runs": args.runs,
            "timeout_s": args.timeout,
            "load_timeout_s": args.load_timeout,
            "queries": {k: {"description": v[0], "sparql": v[1], "bound_org": v[2]} for k, v in QUERIES.items()},
            "unprojected_check_sparql": UNPROJECTED_CHECK,
            "command": " ".join([os.path.basename(sys.executable), *sys.argv]),
            "engines": {},
        }
        for engine in args.engines:
            print(f"running {engine} ...", file=sys.stderr, flush=True)
            res = run_engine(engine, cfg_path, workdir, args.engine_timeout)
            results["engines"][engine] = res
            load = (res.get("load") or {}).get("seconds")
            print(
                f"  {engine}: status={res.get('status')} load={load} "
                f"peak={res['peak_rss_mib']} MiB wall={res['process_wall_s']} s",
                file=sys.stderr,
                flush=True,
            )
            if args.out:
                Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2))
        if args.out:
            Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2))
        print(markdown(results))
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--orgs", type=int, default=10_000, help="number of organizations")
    ap.add_argument("--seed", type=int, default=20250101, help="random seed")
    ap.add_argument("--runs", type=int, default=3, help="runs per query (median reported)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per query run")
    ap.add_argument("--load-timeout", type=float, default=1800, help="seconds for a load")
    ap.add_argument(
        "--engine-timeout", type=float, default=5400, help="hard limit for one engine's process, in seconds"
    )
    ap.add_argument("--batch", type=int, default=10_000, help="quads per oxrdflib addN call")
    ap.add_argument("--engines", nargs="+", default=ENGINES, choices=ENGINES)
    ap.add_argument("--out", help="write the results as JSON here")
    ap.add_argument("--workdir", help="parent folder of the temporary work folder")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    ap.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    ap.add_argument("--config", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        cfg = json.loads(Path(args.config).read_text())
        Worker(args.worker, cfg, Path(args.result)).run()
        return
    order = [e for e in ENGINES if e in args.engines]
    if any(e in order for e in ("pyoxigraph-reopen", "oxrdflib-store")) and "pyoxigraph" not in order:
        ap.error("pyoxigraph-reopen and oxrdflib-store need the pyoxigraph engine")
    args.engines = order
    main_parent(args)


if __name__ == "__main__":
    main()
