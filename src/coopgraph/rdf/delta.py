"""Rebuild after a few files changed: the last store, copied and changed where the records changed.

A cold build makes every triple and bulk-loads them all. When only some files changed
since the last build, the new store starts as a copy of the last one (a RocksDB
checkpoint: hard links, no bytes copied), and only what the changed records make is
taken out and put in:

- a record's own triples (its subject is the record's IRI or one of its parts) are read
  from the store and compared with those the builder makes now;
- the materialized ``coop:cooperatesWith`` of the changed activities is added, and a pair
  is removed only when no other activity still joins the two organizations, and the
  ``coop:partnerCount`` of each organization whose pairs changed is counted again;
- a country node is added or removed when the first or last record using it changes;
- the shapes run only at the nodes next to a changed triple, when every shape reads no
  further than one step from its focus node (``shapes.local_reach``); the results
  elsewhere are kept from the last build.

What the next build needs of this one is its index (``BuildIndex``): which records came
from which file and with which bytes, the sources' languages, the countries in use and
the shapes' results. A record's triples depend on other records only through their kind
(in IRIs) and a cited source's language, so a change of either makes a cold build, as do
new code, ontology, shapes or dataset settings.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from coopgraph import namespaces as ns
from coopgraph.filecache import code_digest
from coopgraph.load import CONFIG_NAME, display_path
from coopgraph.model import Activity, Dataset, Exchange, Organization, Source
from coopgraph.paths import ontology_file, shapes_file
from coopgraph.rdf.build import COOPERATES, PARTICIPANT, PARTNER_COUNT, Builder, lines_digest, organizations_of
from coopgraph.shapes import Reach, ShapeResult, local_reach, run_shapes, watched_lines

#: Above this share of the records changed, a cold build is cheaper than changing the last store.
MAX_CHANGED_SHARE = 0.25
_DEFAULT = ox.DefaultGraph()
_COOPERATES = ox.NamedNode(COOPERATES[1:-1])
_PARTICIPANT = ox.NamedNode(PARTICIPANT[1:-1])
_PARTNER_COUNT = ox.NamedNode(PARTNER_COUNT[1:-1])
_INTEGER = ox.NamedNode(ns.XSD + "integer")
_TYPE = ox.NamedNode(ns.RDF + "type")


@dataclass
class BuildIndex:
    """What a build leaves for the next one to change its store instead of making a new one."""

    #: Code, ontology, shapes and dataset settings: another key means a cold build.
    key: str
    #: Dataset-relative path -> SHA-256 of the file's bytes.
    files: dict[str, str]
    #: Dataset-relative path -> [id, kind] of each record read from that file.
    records: dict[str, list[list[str]]]
    #: Source id -> its language ("" when it has none).
    languages: dict[str, str]
    countries: list[str]
    #: Record id -> ``lines_digest`` of its triples.
    digests: dict[str, str] = field(default_factory=dict)
    shapes: list[ShapeResult] = field(default_factory=list)

    def write(self, path: Path) -> None:
        data = {**vars(self), "shapes": [asdict(r) for r in self.shapes]}  # asdict() would copy it all
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
        os.replace(tmp, path)

    @classmethod
    def read(cls, path: Path) -> BuildIndex | None:
        """The index at ``path``; None when it is missing or not one (then the build is cold)."""
        try:
            data = json.loads(path.read_text("utf-8"))
            data["shapes"] = [ShapeResult(**r) for r in data["shapes"]]
            index = cls(**data)
        except (OSError, ValueError, TypeError, KeyError):
            return None
        return index if isinstance(index.files, dict) and isinstance(index.records, dict) else None


def index_key(dataset: Path, build_format: int) -> str:
    """What every triple and shape result depends on besides the data files."""
    digest = hashlib.sha256(code_digest() + f"build format {build_format}\n".encode())
    for path in (ontology_file(), shapes_file(), dataset / CONFIG_NAME):
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"none")
    return digest.hexdigest()


def file_digests(dataset: Path, files: Iterable[Path]) -> dict[str, str]:
    """Dataset-relative path -> SHA-256 of the bytes, for each readable file."""
    out = {}
    for path in files:
        try:
            out[path.relative_to(dataset).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    return out


def _files_of(model: Dataset) -> dict[str, str]:
    """Path as records show it -> dataset-relative path."""
    return {display_path(path): path.relative_to(model.folder).as_posix() for path in model.files}


def _countries(model: Dataset) -> set[str]:
    codes = {r.country for r in model.of(Organization) if r.country}
    return codes | {r.place.country for r in model.of(Exchange) if r.place and r.place.country}


def make_index(
    key: str, model: Dataset, files: dict[str, str], digests: dict[str, str], shapes: list[ShapeResult]
) -> BuildIndex:
    records: dict[str, list[list[str]]] = defaultdict(list)
    shown = _files_of(model)
    for record in model.records.values():
        records[shown.get(record.pos.path, "")].append([record.id, record.KIND])
    languages = {r.id: r.language or "" for r in model.of(Source)}
    return BuildIndex(key, files, dict(records), languages, sorted(_countries(model)), digests, shapes)


@dataclass
class Delta:
    """The records that changed since the last build, ready to apply to a copy of its store."""

    files: list[str]
    #: Id -> kind of the last build's records that changed or are gone.
    old: dict[str, str]
    #: Id -> N-Triples lines of the records that changed or are new.
    new: dict[str, list[str]]
    #: Record id -> ``lines_digest`` of every record now.
    digests: dict[str, str]

    @property
    def records(self) -> int:
        return len(self.old.keys() | self.new.keys())


def plan(index: BuildIndex, key: str, model: Dataset, digests: dict[str, str]) -> Delta | None:
    """The records that changed since the last build, or None when a cold build is the way.

    ``model`` is valid and ``digests`` are its files' (``file_digests``). Only the records
    of changed files are made again, and those whose lines hash as at the last build are
    unchanged. A record in an unchanged file is unchanged, and so are its triples, unless
    a record it refers to changed kind or a source it cites changed language: then, and
    when a lot changed, the answer is None.
    """
    if index.key != key or local_reach() is None:
        return None
    changed = sorted(path for path in index.files.keys() | digests.keys() if index.files.get(path) != digests.get(path))
    was = {rid: kind for path in changed for rid, kind in index.records.get(path, [])}
    files, changed_set = _files_of(model), set(changed)
    builder = Builder(model)
    made: dict[str, list[str]] = {}
    for record in model.records.values():
        if files.get(record.pos.path) not in changed_set:
            continue
        if record.id in was and was[record.id] != record.KIND:
            return None
        if isinstance(record, Source) and index.languages.get(record.id, record.language or "") != (
            record.language or ""
        ):
            return None
        made[record.id] = builder.record_lines(record)
    now = {rid: lines_digest(lines) for rid, lines in made.items()}
    new = {rid: lines for rid, lines in made.items() if index.digests.get(rid) != now[rid]}
    old = {rid: kind for rid, kind in was.items() if rid not in now or rid in new}
    delta = Delta(changed, old, new, {**index.digests, **now})
    for gone in was.keys() - now.keys():
        delta.digests.pop(gone, None)
    if delta.records > MAX_CHANGED_SHARE * max(len(model.records), 1):
        return None
    return delta


#: A node's triples but the materialized cooperation and partner counts, which activities
#: make, not the node's record.
_OWN = (
    f"PREFIX coop: <{ns.COOP}> SELECT ?s ?p ?o "
    "WHERE { ?s ?p ?o FILTER (?p != coop:cooperatesWith && ?p != coop:partnerCount) }"
)
_PARTNERS = f"PREFIX coop: <{ns.COOP}> SELECT ?s (COUNT(?o) AS ?n) WHERE {{ ?s coop:cooperatesWith ?o }} GROUP BY ?s"


def _own_triples(store: ox.Store, node: ox.NamedNode) -> Iterator[ox.Triple]:
    # A query, not quads_for_pattern: an organization's thousands of pairs stay in Rust.
    rows = store.query(_OWN, substitutions={ox.Variable("s"): node})
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        yield ox.Triple(node, row["p"], row["o"])


def _parse(lines: Iterable[str]) -> set[ox.Triple]:
    text = "".join(lines).encode("utf-8")
    return {quad.triple for quad in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}


def _pairs(orgs: Iterable[str]) -> Iterator[tuple[str, str]]:
    return itertools.combinations(sorted(set(orgs)), 2)


@dataclass
class Applied:
    added: int
    removed: int
    #: The triples taken out and put in.
    changed: set[ox.Triple]


def apply(store: ox.Store, model: Dataset, delta: Delta) -> Applied:
    """Change ``store`` (a copy of the last build's) into the store of ``model``."""
    builder = Builder(model)
    old_iris = {ns.entity_iri(model.config.base, kind, rid): rid for rid, kind in delta.old.items()}
    new_ids = list(delta.new)
    new_iris = [builder.iri_of(rid)[1:-1] for rid in new_ids]

    # The changed records' own triples, as the last build made them and as they are now.
    before: set[ox.Triple] = set()
    old_members: dict[str, set[str]] = defaultdict(set)
    for iri in old_iris:
        node = ox.NamedNode(iri)
        parts = []
        for triple in _own_triples(store, node):
            before.add(triple)
            if triple.predicate == _PARTICIPANT and isinstance(triple.object, ox.NamedNode):
                old_members[iri].add(triple.object.value)
            elif isinstance(triple.object, ox.NamedNode) and triple.object.value.startswith(iri + "/"):
                parts.append(triple.object)
        for part in parts:
            before.update(_own_triples(store, part))
    after = _parse(line for lines in delta.new.values() for line in lines)

    # The cooperation pairs the changed activities made, and make now.
    new_members = {
        builder.iri_of(a.id)[1:-1]: {builder.iri_of(org)[1:-1] for org in organizations_of(a, model)}
        for a in (model.records[rid] for rid in new_ids)
        if isinstance(a, Activity)
    }
    old_pairs = {p for orgs in old_members.values() for p in _pairs(orgs)}
    new_pairs = {p for orgs in new_members.values() for p in _pairs(orgs)}
    gone = old_pairs - new_pairs
    if gone:  # kept where an unchanged activity still joins the two organizations
        changed = set(old_iris) | set(new_iris)
        joined: dict[str, set[str]] = defaultdict(set)
        for activity in model.of(Activity):
            iri = builder.iri_of(activity.id)[1:-1]
            if iri not in changed:
                for org in organizations_of(activity, model):
                    joined[builder.iri_of(org)[1:-1]].add(iri)
        gone = {(a, b) for a, b in gone if not joined.get(a, set()) & joined.get(b, set())}
    for a, b in gone:
        before.add(ox.Triple(ox.NamedNode(a), _COOPERATES, ox.NamedNode(b)))
        before.add(ox.Triple(ox.NamedNode(b), _COOPERATES, ox.NamedNode(a)))
    for a, b in new_pairs - old_pairs:
        after.add(ox.Triple(ox.NamedNode(a), _COOPERATES, ox.NamedNode(b)))
        after.add(ox.Triple(ox.NamedNode(b), _COOPERATES, ox.NamedNode(a)))

    # Countries that records started or stopped using.
    country = ox.NamedNode(ns.coop("Country"))
    in_store = {
        q.subject.value
        for q in store.quads_for_pattern(None, _TYPE, country, _DEFAULT)
        if isinstance(q.subject, ox.NamedNode)
    }
    now = {ns.country_iri(code): code for code in _countries(model)}
    for iri in in_store - now.keys():
        before.update(q.triple for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, _DEFAULT))
    after |= _parse(builder.country_lines(sorted(now[iri] for iri in now.keys() - in_store)))

    removed = 0
    for triple in before - after:
        quad = ox.Quad(triple.subject, triple.predicate, triple.object, _DEFAULT)
        if quad in store:
            store.remove(quad)
            removed += 1
    added = [q for q in (ox.Quad(t.subject, t.predicate, t.object, _DEFAULT) for t in after - before) if q not in store]
    store.extend(added)

    # The partner counts of the organizations whose pairs changed, or that came or went.
    organizations = {iri for iri, rid in old_iris.items() if delta.old[rid] == "organization"}
    organizations |= {
        iri for iri, rid in zip(new_iris, new_ids, strict=True) if model.records[rid].KIND == "organization"
    }
    counts = _recount(store, organizations | {org for pair in gone | (new_pairs - old_pairs) for org in pair}, model)
    return Applied(len(added) + counts.added, removed + counts.removed, before ^ after | counts.changed)


def _recount(store: ox.Store, organizations: set[str], model: Dataset) -> Applied:
    """Make the ``coop:partnerCount`` of ``organizations`` say how many partners the store gives them."""
    live = {ns.entity_iri(model.config.base, "organization", o.id) for o in model.of(Organization)}
    before = {
        q.triple
        for iri in organizations
        for q in store.quads_for_pattern(ox.NamedNode(iri), _PARTNER_COUNT, None, _DEFAULT)
    }
    partners = {}
    for iri in organizations & live:
        rows = store.query(_PARTNERS, substitutions={ox.Variable("s"): ox.NamedNode(iri)})
        assert isinstance(rows, ox.QuerySolutions)
        partners[iri] = next((int(row["n"].value) for row in rows), 0)
    after = {
        ox.Triple(ox.NamedNode(iri), _PARTNER_COUNT, ox.Literal(str(n), datatype=_INTEGER))
        for iri, n in partners.items()
    }
    for triple in before - after:
        store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, _DEFAULT))
    added = [ox.Quad(t.subject, t.predicate, t.object, _DEFAULT) for t in after - before]
    store.extend(added)
    return Applied(len(added), len(before - after), before ^ after)


def touched(changed: Iterable[ox.Triple], reach: Reach) -> set[str]:
    """The nodes whose shape results may differ after ``changed`` triples were taken out or put in."""
    triples = {f"{t} .\n": t for t in changed}
    nodes = set()
    for line in watched_lines(triples):
        triple = triples[line]
        if triple.predicate.value in reach.outward and isinstance(triple.subject, ox.NamedNode):
            nodes.add(triple.subject.value)
        if triple.predicate.value in reach.inward and isinstance(triple.object, ox.NamedNode):
            nodes.add(triple.object.value)
    return nodes


def neighbourhood_lines(store: ox.Store, nodes: Iterable[str], reach: Reach) -> Iterator[str]:
    """The triples the shapes read around ``nodes``, as N-Triples."""
    outward = [ox.NamedNode(p) for p in sorted(reach.outward)]
    inward = [ox.NamedNode(p) for p in sorted(reach.inward)]
    for iri in nodes:
        node = ox.NamedNode(iri)
        for predicate in outward:
            for quad in store.quads_for_pattern(node, predicate, None, _DEFAULT):
                yield f"{quad.triple} .\n"
        for predicate in inward:
            for quad in store.quads_for_pattern(None, predicate, node, _DEFAULT):
                yield f"{quad.triple} .\n"


def recheck(store: ox.Store, index: BuildIndex, model: Dataset, changed: set[ox.Triple]) -> list[ShapeResult]:
    """The shapes' results on the changed store: the last build's where nothing they read changed, new ones there.

    Results about records that are gone are dropped.
    """
    reach = local_reach()
    assert reach is not None  # plan() made sure
    nodes = touched(changed, reach)
    live = {ns.entity_iri(model.config.base, r.KIND, r.id) for r in model.records.values()}
    kept = [r for r in index.shapes if r.focus not in nodes and r.focus in live]
    fresh = run_shapes(neighbourhood_lines(store, sorted(nodes), reach), focus=sorted(nodes)) if nodes else []
    return sorted(kept + fresh, key=lambda r: (r.focus, r.code, r.path or "", r.message))
