"""igraph, imported without its plotting back ends.

``import igraph`` imports ``matplotlib.pyplot`` for igraph's own drawing code (0.7 s
here, most of the cost of a ``viz`` page's layout), which coopgraph never uses: the
layout, the centralities and the communities are igraph's C core. While igraph is
imported here, matplotlib is hidden, so igraph takes it as not installed; matplotlib
itself stays importable afterwards, for the images. When matplotlib is already
imported, igraph is imported as usual (it costs nothing more then).

>>> ig = igraph()
>>> ig.Graph(n=3, edges=[(0, 1), (1, 2)]).degree()
[1, 2, 1]
"""

from __future__ import annotations

import sys
from typing import Any

_HIDDEN = ("matplotlib", "matplotlib.pyplot")


def igraph() -> Any:
    """The ``igraph`` module (imported once, without matplotlib unless it is already loaded)."""
    if "igraph" in sys.modules or "matplotlib" in sys.modules:
        import igraph as ig

        return ig
    hidden = [name for name in _HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # None here makes an import raise ImportError
    try:
        import igraph as ig
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]
    return ig
