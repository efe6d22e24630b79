"""Bad input beyond the data files: damaged stores, odd output targets, full disks.

Problems in the data themselves are the corpus of tests/data/cases (test_validate_corpus).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import coopgraph
from coopgraph.rdf.export import export, syntax
from coopgraph.rdf.store import build
from coopgraph.validate import validate_dataset

from .conftest import DATA


def test_octal_looking_id_keeps_its_digits(tmp_path: Path) -> None:
    shutil.copytree(DATA / "cases" / "_base", tmp_path, dirs_exist_ok=True)
    shutil.copytree(DATA / "cases" / "valid-octal-looking-id", tmp_path, dirs_exist_ok=True)
    model, _ = validate_dataset(tmp_path)
    assert "017" in model.records


def test_damaged_store_is_rebuilt(copy_dataset) -> None:
    folder = copy_dataset("tiny")
    first = build(folder)
    (first.path / "CURRENT").unlink()
    again = build(folder)
    assert again.rebuilt
    assert len(coopgraph.open(folder)) == 140


def test_export_through_a_symlink_replaces_the_file_not_the_link(tmp_path: Path) -> None:
    store = coopgraph.open(DATA / "tiny").store
    real = tmp_path / "real.nt"
    real.write_text("old\n")
    link = tmp_path / "link.nt"
    link.symlink_to(real)
    export(store, syntax("nt"), str(link))
    assert link.is_symlink()
    assert real.read_text("utf-8").count("\n") == 140


def test_export_into_a_pipe_writes_into_it(tmp_path: Path) -> None:
    store = coopgraph.open(DATA / "tiny").store
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    export(store, syntax("nt"), str(fifo))
    reader.join(timeout=30)
    assert fifo.exists() and not fifo.is_file()
    assert received[0].count(b"\n") == 140


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_a_message_not_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coopgraph", "export", "nt", "-o", "/dev/full", "--data", str(DATA / "tiny")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == "error: No space left on device"
    assert Path("/dev/full").is_char_device()
