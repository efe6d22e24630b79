"""The embedded store: build a dataset into an on-disk Oxigraph store, once.

A build validates the dataset, writes its triples into a new store folder, and only
then switches the manifest to it (write, then rename), so an invalid dataset or an
interrupted build never leaves a half-written store behind. The manifest records a
fingerprint of the YAML files, the ontology and the builder: when it matches, there
is nothing to do.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import pickle
import select
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopgraph import __version__
from coopgraph import namespaces as ns
from coopgraph.errors import DataError, UsageError
from coopgraph.filecache import FileCache
from coopgraph.load import can_fork, discover, gc_paused
from coopgraph.model import Dataset
from coopgraph.network import from_records
from coopgraph.paths import cache_dir, ontology_file
from coopgraph.progress import QUIET, Progress
from coopgraph.rdf.build import Builder, build_lines
from coopgraph.rdf.delta import BuildIndex, Delta, apply, file_digests, index_key, make_index, plan, recheck
from coopgraph.report import Report
from coopgraph.shapes import ShapeResult, check_shapes, needs_cooperation, report_results, run_shapes, watched_lines
from coopgraph.validate import validate_dataset

#: Bump when the triples built from the same YAML change.
BUILD_FORMAT = 1
MANIFEST = "manifest.json"
ONTOLOGY_GRAPH = ox.NamedNode(ns.ONTOLOGY)


@dataclass
class Manifest:
    fingerprint: str
    store: str
    triples: int
    ontology_triples: int
    records: int
    files: int
    built_at: str
    seconds: float
    version: str
    #: Warnings of the validation run (``coopgraph validate`` lists them).
    warnings: int = 0
    #: Records and files changed since the last build, when its store was changed
    #: rather than a new one made (None: made from scratch).
    changed_records: int | None = None
    changed_files: int | None = None
    #: Whether the store was compacted once written (``build(compact=True)``).
    compacted: bool = False


@dataclass
class BuildResult:
    manifest: Manifest
    path: Path
    rebuilt: bool


def fingerprint(dataset: Path) -> str:
    """A hash of everything the store is made from: data files, ontology, shapes, builder."""
    digest = hashlib.sha256(index_key(dataset, BUILD_FORMAT).encode())
    digests = file_digests(dataset, discover(dataset))
    for path in sorted(digests):
        digest.update(os.fsencode(path) + b"\0" + digests[path].encode())
    return digest.hexdigest()


def _index_path(cache: Path, store: str) -> Path:
    return cache / f"index-{store}.json"


def read_manifest(cache: Path) -> Manifest | None:
    try:
        data = json.loads((cache / MANIFEST).read_text("utf-8"))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(manifest.store, str) or not manifest.store.startswith("store-"):
        return None
    return manifest if (cache / manifest.store / "CURRENT").is_file() else None


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(cache: Path) -> Iterator[None]:
    """One build at a time per dataset (other processes wait)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(cache / "lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ontology_quads() -> Iterator[ox.Quad]:
    """The ontology's triples, in its own named graph."""
    for triple in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, ONTOLOGY_GRAPH)


class _Pipe:
    """The writing end of the named pipe the loader reads, that never waits on a loader that stopped.

    Opening a pipe waits for its reader, and writing to a full one waits for it to read:
    if the loader failed, the build would wait forever. Here both wait in short steps
    and give up, with the loader's error, once the loader has stopped.
    """

    def __init__(self, path: Path, loader: _Loader) -> None:
        self.loader = loader
        while True:
            try:
                self.fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as exc:  # ENXIO: the loader has not opened it yet
                if exc.errno != errno.ENXIO:
                    raise
                self._check_loader(0.01)
        import fcntl

        with contextlib.suppress(OSError, AttributeError):
            fcntl.fcntl(self.fd, fcntl.F_SETPIPE_SZ, 1 << 20)  # Linux: fewer, larger reads

    def _check_loader(self, seconds: float | None) -> None:
        self.loader.thread.join(seconds)
        if not self.loader.thread.is_alive():
            raise self.loader.error or BrokenPipeError("the store loader stopped reading")

    def write(self, text: str) -> None:
        data = memoryview(text.encode("utf-8"))
        while data:
            try:
                data = data[os.write(self.fd, data) :]
            except BlockingIOError:
                if not select.select([], [self.fd], [], 0.1)[1]:
                    self._check_loader(0)
            except BrokenPipeError:
                self._check_loader(None)
                raise

    def close(self) -> None:
        os.close(self.fd)


def _make_pipe(path: Path) -> bool:
    """Make a named pipe at ``path``; False where the system or the file system has none."""
    try:
        os.mkfifo(path)
    except (AttributeError, OSError):  # pragma: no cover - Windows, some network file systems
        return False
    return True


def _write_graph(
    model: Dataset, out: Any, progress: Progress, digests: dict[str, str], *, watch: bool = True
) -> tuple[list[str], int]:
    """Write the dataset's graph to ``out`` as Turtle and close it; return the lines the shapes watch and the triples.

    The records' triples go as N-Triples lines (which are Turtle), each line one triple;
    the materialized cooperation as compact Turtle, unless the shapes read it.
    """
    cooperation = needs_cooperation()
    lines = build_lines(model, cooperation=cooperation, progress=progress, digests=digests)
    watched: list[str] = []
    count = 0
    try:
        while chunk := list(itertools.islice(lines, 10_000)):
            out.write("".join(chunk))
            count += len(chunk)
            if watch:
                watched.extend(watched_lines(chunk))
        if not cooperation:
            statements = Builder(model).cooperation_turtle()
            while part := list(itertools.islice(statements, 1_000)):
                out.write("".join(text for text, _ in part))
                count += sum(n for _, n in part)
    finally:
        out.close()
    return watched, count


class _Loader:
    """Fills a new on-disk store from Turtle in a thread, compacting it if asked; ``result`` waits for it."""

    def __init__(self, folder: Path, triples: Path, *, compact: bool = False) -> None:
        self.ontology = 0
        self.error: BaseException | None = None
        self.compact = compact
        self.thread = threading.Thread(target=self._run, args=(folder, triples), name="coopgraph-store-load")
        self.thread.start()

    def _run(self, folder: Path, triples: Path) -> None:
        try:
            store = ox.Store(str(folder))
            store.bulk_load(path=str(triples), format=ox.RdfFormat.TURTLE)
            store.bulk_extend(ontology_quads())
            store.flush()
            if self.compact:
                store.optimize()
            self.ontology = sum(1 for _ in store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
            del store
        except BaseException as exc:  # handed to the caller by result()
            self.error = exc

    def result(self, *, wait_only: bool = False) -> int:
        """The ontology's triples, once the store is written; raise what loading raised."""
        self.thread.join()
        if self.error is not None and not wait_only:
            raise self.error
        return self.ontology


@dataclass
class _Made:
    """What a build made besides its store: counts, and what the next build needs."""

    triples: int
    ontology: int
    shapes: list[ShapeResult]
    #: Record id -> ``lines_digest`` of its triples.
    digests: dict[str, str]
    #: The network the views read (``coopgraph.network.from_records``), pickled.
    views: bytes


class _ShapesJob:
    """The graph rules checked in a forked process while this one writes the triples.

    pySHACL is Python, and takes seconds on a big graph: in a process of its own it runs
    on the core that the store's loader leaves idle part of the time, instead of after
    the triples. The child inherits the dataset (fork), makes its graph's lines itself
    and sends back only the results. Where processes cannot be forked, or threads run
    (forking them is not safe), ``start`` gives None and the shapes run here.
    """

    def __init__(self, model: Dataset) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe(duplex=False)
        self.process = context.Process(target=_shapes_child, args=(model, child), name="coopgraph-shapes", daemon=True)
        self.process.start()
        child.close()

    @classmethod
    def start(cls, model: Dataset) -> _ShapesJob | None:
        return cls(model) if can_fork() else None

    def result(self) -> list[ShapeResult]:
        """The results, once the child sends them; what the child raised is raised here."""
        try:
            status, value = self.conn.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(f"checking the graph rules stopped (exit code {self.process.exitcode})") from None
        finally:
            self.conn.close()
        self.process.join()
        if status == "error":
            raise value
        return list(value)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _shapes_child(model: Dataset, conn: Any) -> None:
    gc.disable()  # the dataset is shared with the parent until written to: a pass would copy it all
    try:
        conn.send(("ok", run_shapes(build_lines(model, cooperation=needs_cooperation()))))
    except BaseException as exc:  # handed to the parent by result()
        try:
            conn.send(("error", exc))
        except Exception:
            conn.send(("error", RuntimeError(f"checking the graph rules failed: {exc!r}")))
    finally:
        conn.close()


def _cold(model: Dataset, report: Report, tmp: Path, progress: Progress, *, compact: bool = False) -> _Made:
    """Make every triple and load them all into a new store at ``tmp/store``; check the shapes meanwhile."""
    # The triples go through a named pipe as they are made (the graph is never held as text
    # in memory), and Oxigraph bulk-loads them from it in Rust without the GIL: the store
    # fills while the triples are made, and a forked process checks the shapes meanwhile.
    # Where there are no named pipes, they go to a file that is loaded once written.
    progress.stage("building triples", len(model.records))
    digests: dict[str, str] = {}
    source = tmp / "triples.ttl"
    job = _ShapesJob.start(model)  # before the loader's thread starts
    loader = None
    try:
        if _make_pipe(source):
            loader = _Loader(tmp / "store", source, compact=compact)
            out: Any = _Pipe(source, loader)
        else:
            out = open(source, "w", encoding="utf-8")  # noqa: SIM115 - _write_graph closes it
        with gc_paused():
            watched, triples = _write_graph(model, out, progress, digests, watch=job is None)
        loader = loader or _Loader(tmp / "store", source, compact=compact)
        progress.stage("checking graph rules, loading the store")
        with gc_paused():
            views = _views(model)  # while Oxigraph loads the store, in Rust without the GIL
            if job is None:
                shapes = check_shapes(model, watched, report)
            else:
                shapes = job.result()
                report_results(model, shapes, report)
        del watched
        ontology = loader.result()
    except BaseException:
        if job is not None:
            job.stop()
        if loader is not None:
            loader.result(wait_only=True)
        raise
    source.unlink()
    return _Made(triples, ontology, shapes, digests, views)


def _views(model: Dataset) -> bytes:
    """The network the views read, made from the records and pickled for the views' cache."""
    return pickle.dumps(from_records(model), protocol=pickle.HIGHEST_PROTOCOL)


def views_entry(manifest: Manifest) -> str:
    """The views' cache entry of the network of ``manifest``'s store."""
    return f"{manifest.store}-{manifest.fingerprint[:16]}"


def _update(
    last: Path,
    manifest: Manifest,
    index: BuildIndex,
    model: Dataset,
    delta: Delta,
    report: Report,
    tmp: Path,
    *,
    compact: bool = False,
) -> _Made:
    """Copy the last store to ``tmp/store`` and change it where ``delta`` says; check the shapes there."""
    ox.Store.read_only(str(last)).backup(str(tmp / "store"))
    store = ox.Store(str(tmp / "store"))
    try:
        with gc_paused():
            applied = apply(store, model, delta)
            shapes = recheck(store, index, model, applied.changed)
        store.flush()
        if compact:
            store.optimize()
    finally:
        del store
    report_results(model, shapes, report)
    triples = manifest.triples + applied.added - applied.removed
    with gc_paused():
        views = _views(model)
    return _Made(triples, manifest.ontology_triples, shapes, delta.digests, views)


def build(dataset: Path, *, force: bool = False, compact: bool = False, progress: Progress = QUIET) -> BuildResult:
    """Build the dataset's store unless it is up to date; raise DataError if invalid.

    Nothing is written before the dataset has been validated, so an invalid
    dataset leaves no build folder behind, and the current store stays current.
    When a few files changed since the last build, its store is copied and changed
    where they changed (``coopgraph.rdf.delta``); ``force`` makes a new one from scratch.

    ``compact`` merges the store's files once it is written (Oxigraph's ``optimize``):
    on big data the queries run up to twice as fast, for a few seconds more of the
    build (docs/performance.md). A store that is up to date but not compacted is then
    copied and compacted; a compacted one is kept.
    """
    cache = cache_dir(dataset)
    current = fingerprint(dataset)
    manifest = read_manifest(cache)
    if kept := _kept(manifest, current, force, compact):
        return BuildResult(kept, cache / kept.store, rebuilt=False)
    # The collector stays paused to the end: the records and lines stay alive until then,
    # and each of its passes over them cost about a second on CORDIS (two or three a build).
    with gc_paused():
        return _build(dataset, cache, current, force, compact, progress)


def _kept(manifest: Manifest | None, current: str, force: bool, compact: bool) -> Manifest | None:
    """``manifest`` if its store is the one to keep: made from these files, and compacted if asked."""
    if manifest is None or manifest.fingerprint != current or force or (compact and not manifest.compacted):
        return None
    return manifest


def _build(dataset: Path, cache: Path, current: str, force: bool, compact: bool, progress: Progress) -> BuildResult:
    started = time.perf_counter()
    created = not cache.exists()
    model, report = validate_dataset(dataset, graph=False, progress=progress)
    if not report.valid:
        raise DataError(report)
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{cache}: cannot create the build folder: {exc.strerror}") from None
    with _locked(cache):
        manifest = read_manifest(cache)
        if kept := _kept(manifest, current, force, compact):
            return BuildResult(kept, cache / kept.store, rebuilt=False)  # built meanwhile
        key = index_key(dataset, BUILD_FORMAT)
        digests = file_digests(dataset, model.files)
        last = None if force or manifest is None else BuildIndex.read(_index_path(cache, manifest.store))
        delta = plan(last, key, model, digests) if last is not None else None
        name = f"store-{time.time_ns():020d}-{current[:12]}"  # sorts by age
        tmp = Path(tempfile.mkdtemp(dir=cache, prefix=f"{name}.", suffix=".tmp"))
        try:
            made = None
            if delta is not None and manifest is not None and last is not None:
                if delta.files:
                    progress.stage(f"updating the store: {delta.records} records in {len(delta.files)} files")
                else:
                    progress.stage("compacting the store")
                try:
                    made = _update(cache / manifest.store, manifest, last, model, delta, report, tmp, compact=compact)
                except OSError:  # the last store is gone or damaged: make a new one
                    shutil.rmtree(tmp / "store", ignore_errors=True)
                    delta = None
            if made is None:
                made = _cold(model, report, tmp, progress, compact=compact)
            if not report.valid:
                raise DataError(report)
            if fingerprint(dataset) == current:
                make_index(key, model, digests, made.digests, made.shapes).write(_index_path(cache, name))
            else:
                # The files changed while read: ``digests`` may be of bytes this store was not
                # made from. With no index, the next build is a cold one, from the files as they are.
                current = "changed-during-build"
            target = cache / name
            os.replace(tmp / "store", target)
            shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            _index_path(cache, name).unlink(missing_ok=True)
            if created:
                shutil.rmtree(cache, ignore_errors=True)
            raise
        manifest = Manifest(
            fingerprint=current,
            store=name,
            triples=made.triples,
            ontology_triples=made.ontology,
            records=len(model.records),
            files=len(model.files),
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            seconds=round(time.perf_counter() - started, 3),
            version=__version__,
            warnings=len(report.warnings),
            changed_records=None if delta is None else delta.records,
            changed_files=None if delta is None else len(delta.files),
            compacted=compact,
        )
        # The first view after the build loads the network made from the records instead
        # of reading it out of the store: seconds on big data (see ``CoopGraph.cooperation``).
        views = FileCache(cache / "views")
        views.put_bytes(views_entry(manifest), made.views)
        views.commit()
        _write_atomic(cache / MANIFEST, json.dumps(asdict(manifest), indent=2))
        # Keep the previous store: a reader may be opening it right now.
        stores = sorted(p.name for p in cache.glob("store-*") if not p.name.endswith(".tmp"))
        for old in stores[:-2]:
            shutil.rmtree(cache / old, ignore_errors=True)
        for index in cache.glob("index-store-*.json"):
            if index.name[len("index-") : -len(".json")] not in stores[-2:]:
                index.unlink(missing_ok=True)
        return BuildResult(manifest, target, rebuilt=True)


def open_store(dataset: Path) -> tuple[ox.Store, Manifest]:
    """The dataset's store, read-only, built first when needed.

    A store that cannot be opened (removed by a concurrent build, damaged) is
    built again once.
    """
    result = build(dataset)
    try:
        return ox.Store.read_only(str(result.path)), result.manifest
    except OSError:
        result = build(dataset, force=True)
        return ox.Store.read_only(str(result.path)), result.manifest
