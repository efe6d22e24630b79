"""Lint and type checks run with the suite, so main stays clean."""

from __future__ import annotations

import shutil
import subprocess
import sys

from .conftest import REPO


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True)


def test_ruff_finds_nothing() -> None:
    assert shutil.which("ruff") or run("ruff", "--version").returncode == 0
    check = run("ruff", "check", "src", "tests", "bench", "scripts")
    assert check.returncode == 0, check.stdout
    fmt = run("ruff", "format", "--check", "src", "tests", "bench", "scripts")
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_finds_nothing() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout
