"""Country names: English from ISO 3166 (pycountry), Vietnamese from a short table.

The Vietnamese table (``countries_vi.csv``) covers the countries commonly named in
Vietnamese cooperation records; other countries get an English label only.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import pycountry

#: Codes outside ISO 3166-1 that registers use for a country: XK (Kosovo) is the
#: user-assigned code of the European Union, CLDR and many statistical offices.
USER_ASSIGNED = {"XK": "Kosovo"}


def is_country(code: str) -> bool:
    """Whether ``code`` names a country: ISO 3166-1 alpha-2, or a user-assigned code in use.

    >>> is_country("VN"), is_country("XK"), is_country("EL"), is_country("vn")
    (True, True, False, False)
    """
    return code in USER_ASSIGNED or (code == code.upper() and pycountry.countries.get(alpha_2=code) is not None)


def english_name(code: str) -> str:
    """A country's short English name ("Vietnam", not "Viet Nam").

    >>> english_name("VN"), english_name("XK")
    ('Vietnam', 'Kosovo')
    """
    if code in USER_ASSIGNED:
        return USER_ASSIGNED[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise KeyError(code)
    return getattr(country, "common_name", None) or country.name


def country_codes() -> list[str]:
    """Every code ``is_country`` accepts, sorted."""
    return sorted({c.alpha_2 for c in pycountry.countries} | USER_ASSIGNED.keys())


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
