"""Country names: English from ISO 3166 (pycountry), Vietnamese from a short table.

The Vietnamese table (``countries_vi.csv``) covers the countries commonly named in
Vietnamese cooperation records; other countries get an English label only.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def _vietnamese_names() -> dict[str, str]:
    text = resources.files("coopgraph").joinpath("countries_vi.csv").read_text("utf-8")
    return {row["code"]: row["name_vi"] for row in csv.DictReader(text.splitlines())}


def vietnamese_name(code: str) -> str | None:
    """The Vietnamese name of a country, when the table has it.

    >>> vietnamese_name("FI"), vietnamese_name("ZW")
    ('Phần Lan', None)
    """
    return _vietnamese_names().get(code)
