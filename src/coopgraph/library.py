"""The library of named SPARQL queries: ``.rq`` files whose header says what they ask.

A query file starts with comment lines::

    # title: Partners of an organization by country
    # description: Which countries an organization's partners are in, with counts.
    #   A description may go on over several lines indented like this one.
    # param: org organization - The organization, by id (vast) or IRI
    # param: lang language en Language of the labels

A ``param`` line gives the name, the type, the default (``-``: required) and a
description. Values are turned into RDF terms (an id into its record's IRI, a
number into an ``xsd:integer``...) and bound, never pasted into the text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopgraph import namespaces as ns
from coopgraph.errors import UsageError
from coopgraph.model import ID_RE, LANG_RE

LIBRARY = Path(__file__).parent / "queries"
#: Parameter types and what a value of each becomes.
PARAM_TYPES = ("organization", "record", "iri", "integer", "year", "string", "language")
_HEADER = re.compile(r"#\s*(title|description|param):\s*(.*)")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    params: list[Param] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE."""
        body = re.sub(r"(?m)(^|\s)#[^\n]*", " ", self.text)  # comments, not the # of an IRI
        found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
        return found.group(1).upper() if found else "SELECT"


def parse(name: str, text: str) -> NamedQuery:
    """Read a query file's header.

    >>> q = parse("x", "# title: T\\n# description: D\\n#   more\\n# param: n integer 5 How many\\nSELECT ?n {}")
    >>> q.title, q.description, q.params[0]
    ('T', 'D more', Param(name='n', type='integer', default='5', description='How many'))
    """
    title, description, params = name, [], []
    last = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m:
            last, value = m.group(1), m.group(2).strip()
            if last == "title":
                title = value
            elif last == "description":
                description.append(value)
            else:
                pname, ptype, default, *words = value.split(maxsplit=3) + [""] * 3
                if ptype not in PARAM_TYPES:
                    raise ValueError(f"{name}.rq: parameter {pname} has the unknown type {ptype!r}")
                params.append(Param(pname, ptype, None if default == "-" else default, " ".join(words).strip()))
        elif last == "description" and line.startswith("#  "):
            description.append(line[1:].strip())
    return NamedQuery(name, title, " ".join(description), text, params)


def load_library(folder: Path = LIBRARY) -> dict[str, NamedQuery]:
    """Every named query, by name (the file name without ``.rq``)."""
    return {p.stem: parse(p.stem, p.read_text("utf-8")) for p in sorted(folder.glob("*.rq"))}


def named(name: str) -> NamedQuery:
    """The named query ``name`` (its file alone is read); an unknown name lists the close ones."""
    names = sorted(p.stem for p in LIBRARY.glob("*.rq"))
    if name in names:
        return parse(name, (LIBRARY / f"{name}.rq").read_text("utf-8"))
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else "coopgraph queries lists them"
    raise UsageError(f"no query named '{name}'; {hint}")


#: Finds the IRI of a record from its id, of a kind or of any kind (``None``).
Resolver = Callable[[str, "str | None"], str]


def term(param: Param, value: str, resolve: Resolver) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter value stands for.

    >>> term(Param("org", "organization", None, ""), "vast", lambda i, k: f"https://x.org/{k}/{i}")
    <NamedNode value=https://x.org/organization/vast>
    >>> term(Param("n", "integer", None, ""), "x", lambda i, k: "")
    Traceback (most recent call last):
    coopgraph.errors.UsageError: --param n: 'x' is not a whole number
    """
    where = f"--param {param.name}"
    if param.type in ("organization", "record", "iri"):
        if _is_iri(value):
            return _iri(value, where)
        if param.type == "iri" or not ID_RE.match(value):
            raise UsageError(f"{where}: '{value}' is not an id or an http(s) IRI")
        return ox.NamedNode(resolve(value, "organization" if param.type == "organization" else None))
    if param.type in ("integer", "year"):
        if not _INTEGER.match(value):
            raise UsageError(f"{where}: '{value}' is not a whole number")
        return _integer(value)
    if param.type == "language":
        if not LANG_RE.match(value):
            raise UsageError(f"{where}: '{value}' is not a language code such as vi or en")
        return ox.Literal(value)
    return ox.Literal(value)


def guess_term(name: str, value: str, resolve: Resolver | None) -> ox.NamedNode | ox.Literal:
    """A parameter of a query without a header: an IRI, a whole number, a record's id, or text.

    An id is a record's IRI only when ``resolve`` (the local graph) knows it.

    >>> guess_term("n", "12", None).datatype.value, guess_term("s", "vast", None).value
    ('http://www.w3.org/2001/XMLSchema#integer', 'vast')
    """
    if _is_iri(value):
        return _iri(value, f"--param {name}")
    if _INTEGER.match(value):
        return _integer(value)
    if resolve is not None and ID_RE.match(value):
        try:
            return ox.NamedNode(resolve(value, None))
        except UsageError:
            pass
    return ox.Literal(value)


_INTEGER = re.compile(r"-?[0-9]{1,18}\Z")


def _is_iri(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _iri(value: str, where: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError:
        raise UsageError(f"{where}: '{value}' is not a valid IRI") from None


def _integer(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(ns.XSD + "integer"))


def bindings(query: NamedQuery, values: dict[str, str], resolve: Resolver) -> dict[str, Any]:
    """The terms to bind for ``values`` (from ``--param``), defaults filled in."""
    known = {p.name: p for p in query.params}
    for key in values:
        if key not in known:
            hint = f"its parameters: {', '.join(known)}" if known else "it takes no parameters"
            raise UsageError(f"query '{query.name}' has no parameter '{key}'; {hint}")
    out: dict[str, Any] = {}
    for p in query.params:
        value = values.get(p.name, p.default)
        if value is None:
            raise UsageError(f"query '{query.name}' needs --param {p.name}=… ({p.description})")
        out[p.name] = term(p, value, resolve)
    return out
