"""Writing a command's output: a whole file or nothing, or standard output."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from coopgraph.errors import UsageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_output(output: str | Path, writer: Callable[[IO[bytes]], object]) -> None:
    """Run ``writer`` on ``output`` (``-`` is standard output).

    A file is written beside its target and renamed over it at the end, so a failure
    leaves the old file whole and never a half-written one. A symlink's target is
    replaced, not the link; a device or a pipe is written into, never replaced.
    """
    output = str(output)
    if output == "-":
        writer(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    target = Path(os.path.realpath(output))
    if target.is_dir():
        raise UsageError(f"{output}: is a folder; give a file name")
    if target.exists() and not target.is_file():
        with open(target, "wb") as handle:
            writer(handle)
        return
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"{output}: the folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes(output: str | Path, data: bytes) -> None:
    """Write ``data`` to ``output`` whole or not at all (see ``write_output``)."""
    write_output(output, lambda handle: handle.write(data))
