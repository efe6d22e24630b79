"""A cache of work done per file, so that editing one file of a big dataset only
re-reads that file.

An entry is keyed by a hash of coopgraph's own code, the path shown in messages and
the file's bytes, so any change to one of them is a miss. Entries are pickles that
coopgraph itself wrote into the dataset's build folder; a damaged or unreadable
entry is a miss too, never an error. Entries a run did not use are removed at the
end of the run, so the cache holds one entry per file.

An entry is signed with a key kept in the user's own cache folder, and an entry whose
signature does not match is a miss: a pickle can run code when loaded, and a dataset
folder may come from anyone, with a build folder in it.

New entries wait in memory until ``commit``: a run that finds the dataset invalid
commits nothing, so it leaves no build folder behind.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from coopgraph import __version__

#: Bump when what is cached per file changes shape.
FORMAT = 1


@cache
def code_digest() -> bytes:
    """A hash of coopgraph's own code and tables: new code means new results."""
    digest = hashlib.sha256(f"coopgraph {__version__} format {FORMAT}\n".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
            digest.update(os.fsencode(path.relative_to(package)) + b"\0" + path.read_bytes())
    digest.update(str(getattr(pycountry, "__version__", "")).encode())
    return digest.digest()


@cache
def _signing_key() -> bytes | None:
    """This user's key for signing entries, made once; None if it cannot be kept."""
    from coopgraph.paths import user_cache

    path = user_cache() / "signing-key"
    try:
        return path.read_bytes()
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        return path.read_bytes()
    except FileExistsError:
        return path.read_bytes()  # made by another process meanwhile
    except OSError:
        return None


def _signature(data: bytes) -> bytes:
    key = _signing_key()
    assert key is not None
    return hmac.new(key, data, hashlib.sha256).digest()


def entry_key(shown: str, data: bytes) -> str:
    """The cache key of a file's bytes, shown in messages as ``shown``."""
    digest = hashlib.sha256(code_digest())
    digest.update(os.fsencode(shown) + b"\0")
    digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


class FileCache:
    """Entries in ``folder`` (made when first written); ``folder=None`` caches nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder if _signing_key() is not None else None
        self.used: set[str] = set()
        self.pending: dict[str, bytes] = {}

    def get(self, entry: str) -> Any | None:
        if self.folder is None:
            return None
        self.used.add(entry)
        try:
            data = (self.folder / f"{entry}.pickle").read_bytes()
        except OSError:
            return None
        signature, body = data[:32], data[32:]
        if not hmac.compare_digest(signature, _signature(body)):
            return None  # not written by this user's coopgraph: never unpickled
        enabled = gc.isenabled()
        gc.disable()  # an entry is many small objects that all stay alive: the collector's passes only cost time
        try:
            return pickle.loads(body)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError):
            return None
        finally:
            if enabled:
                gc.enable()

    def put(self, entry: str, value: Any) -> None:
        self.put_bytes(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_bytes(self, entry: str, data: bytes) -> None:
        """Keep an already pickled value, to be written by ``commit``."""
        if self.folder is not None:
            self.used.add(entry)
            self.pending[entry] = data

    def commit(self) -> None:
        """Write the new entries and remove those this run did not use; a folder that
        cannot be written is no error (the cache only saves time)."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for entry, data in self.pending.items():
                fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".entry.", suffix=".tmp")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_signature(data) + data)
                os.replace(tmp, self.folder / f"{entry}.pickle")
            for path in self.folder.glob("*.pickle"):
                if path.stem not in self.used:
                    path.unlink()
        except OSError:
            pass
        self.pending.clear()
