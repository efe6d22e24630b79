#!/usr/bin/env python3
"""Write the screenshots of docs/viz.md: the Hai Phong page in English and Vietnamese.

Each page is written by ``coopgraph viz`` and photographed in headless Chromium
(Debian's, through Playwright), with every network request refused. The English one
shows the tooltip of the Department of Science and Technology. Usage::

    python scripts/screenshots.py [--out docs/images]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from coopgraph.render.browser import NODE_XY, READY, chromium, launch, only


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "images")
    parser.add_argument("--chromium", default=chromium())
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = launch(pw, args.chromium)
        for lang in ("en", "vi"):
            page_file = Path(tmp) / f"haiphong-{lang}.html"
            subprocess.run([sys.executable, "-m", "coopgraph", "viz", "--lang", lang, "-o", str(page_file)], check=True)
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            url = page_file.as_uri()
            context.route("**/*", only(url))
            page = context.new_page()
            page.goto(url)
            page.wait_for_function(READY)
            if lang == "en":
                xy = page.evaluate(NODE_XY, "haiphong-dost")
                page.mouse.move(xy[0], xy[1])
                page.wait_for_selector("#cg-tip:not([hidden])")
            target = args.out / f"haiphong-network-{lang}.png"
            page.screenshot(path=str(target))
            context.close()
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
