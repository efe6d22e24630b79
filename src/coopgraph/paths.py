"""Where things are: the bundled dataset and ontology, the dataset to use, caches."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from coopgraph.errors import UsageError
from coopgraph.load import BUILD_DIR, CONFIG_NAME

_PACKAGE = Path(__file__).resolve().parent
BUNDLED_DATASET = "haiphong"


def _shipped(name: str) -> Path:
    """A top-level folder of the project: inside the wheel, or in a source checkout."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise UsageError(f"the installation is incomplete: no '{name}' folder found")


def ontology_file() -> Path:
    return _shipped("ontology") / "coopgraph.ttl"


def shapes_file() -> Path:
    return _shipped("ontology") / "shapes.ttl"


def context_file() -> Path:
    return _shipped("ontology") / "context.jsonld"


def bundled_dataset() -> Path:
    return _shipped("data") / BUNDLED_DATASET


def resolve_dataset(data: Path | None) -> Path:
    """The dataset to use: ``--data``, else the current folder if it is one, else the bundled one."""
    if data is not None:
        if not data.exists():
            raise UsageError(f"{data}: no such dataset folder")
        if not data.is_dir():
            raise UsageError(f"{data}: a dataset is a folder of YAML files, not a file")
        return data
    if Path(CONFIG_NAME).is_file():
        return Path(".")
    return bundled_dataset()


def user_cache() -> Path:
    """The user's own cache folder for coopgraph (``COOPGRAPH_CACHE_DIR`` if set)."""
    root = os.environ.get("COOPGRAPH_CACHE_DIR")
    return Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coopgraph"


def cache_dir(dataset: Path) -> Path:
    """Where the built store of a dataset lives.

    Next to the data (``DATASET/.coopgraph``), except for the bundled dataset and
    read-only folders, whose stores go to the user's cache; ``COOPGRAPH_CACHE_DIR``
    sends every store there.
    """
    folder = dataset.resolve()
    if (
        not os.environ.get("COOPGRAPH_CACHE_DIR")
        and folder != bundled_dataset().resolve()
        and os.access(folder, os.W_OK)
    ):
        return folder / BUILD_DIR
    root = user_cache()
    key = hashlib.sha256(os.fsencode(folder)).hexdigest()[:16]
    name = folder.name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return Path(root) / f"{name}-{key}"
