"""Headless Chromium for the pages of ``coopgraph viz``: their tests, benchmark and screenshots.

Debian's ``chromium`` (``scripts/install-chromium``), driven by Playwright from the
``test`` extra; ``COOPGRAPH_CHROMIUM`` names another binary. Nothing is downloaded,
and a page opened through ``only`` can load itself and nothing else.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

# What Chromium needs to start headless as root on a machine with no network.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# True once the page is interactive (physics stopped, or the precomputed layout drawn).
READY = "window.coopgraph && window.coopgraph.ready"
# The position of a node on the screen, for a mouse to hover it: evaluate(NODE_XY, id).
NODE_XY = """(id) => { const n = window.coopgraph.network;
                        const p = n.canvasToDOM(n.getPosition(id));
                        const r = document.querySelector('#cg-network').getBoundingClientRect();
                        return [r.left + p.x, r.top + p.y]; }"""


def chromium() -> str:
    """The Chromium binary: ``COOPGRAPH_CHROMIUM``, else ``chromium`` on the PATH, else Debian's path."""
    return os.environ.get("COOPGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def launch(playwright: Any, executable: str | None = None) -> Any:
    """A headless Chromium browser (Playwright's ``Browser``)."""
    return playwright.chromium.launch(executable_path=executable or chromium(), args=LAUNCH_ARGS)


def only(url: str, refused: list[str] | None = None) -> Callable[[Any], None]:
    """A route handler that lets ``url`` load and aborts every other request (noted in ``refused``)."""

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            if refused is not None:
                refused.append(r.request.url)
            r.abort()

    return route
