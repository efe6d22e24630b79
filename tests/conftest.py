from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Stores of datasets that live in the repository are built in a temporary cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COOPGRAPH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's, driven by Playwright); the tests that need it fail without it."""
    from coopgraph.render import browser as browser_tools

    if not Path(browser_tools.chromium()).exists():
        pytest.fail(f"headless Chromium is needed at {browser_tools.chromium()}: run scripts/install-chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = browser_tools.launch(pw)
        yield b
        b.close()


@pytest.fixture
def copy_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Copy a dataset of tests/data into a temporary folder whose store is built next to it."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(DATA / name, target, ignore=shutil.ignore_patterns(".coopgraph"))
        monkeypatch.delenv("COOPGRAPH_CACHE_DIR")
        return target

    return copy


def write_files(folder: Path, files: dict[str, str]) -> Path:
    """Create a dataset from a mapping of relative path -> text."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
