"""Running SPARQL with bound parameters.

Parameters are RDF terms, never user text pasted into a query. They are bound the
way Oxigraph plans best (measured in docs/performance.md):

1. as ``substitutions`` (pre-bound variables, which reach into subqueries) when
   the query projects every bound variable (or is an ASK, CONSTRUCT or SELECT *);
2. otherwise as a ``VALUES`` block of terms serialized by Oxigraph, at the start of
   the query's WHERE group, which Oxigraph's ``substitutions`` (like oxrdflib's
   ``initBindings``) cannot do. That block is not pushed into subqueries, so a
   query with subqueries should project its parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from coopgraph.errors import UsageError

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_]\w*")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _where_brace(sparql: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (-1 if none).

    Skips strings, IRIs and comments; the group is the one after the ``WHERE``
    keyword, or the first group when the keyword is left out (``ASK { … }``).

    >>> q = 'PREFIX x: <http://a/{b}> SELECT ?s WHERE { ?s ?p "{" }'
    >>> q[_where_brace(q):][:3]
    '{ ?'
    >>> q = 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }'
    >>> _where_brace(q)
    29
    """
    i, n, depth = 0, len(sparql), 0
    first = -1
    after_where = False
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<":
            m = _IRI.match(sparql, i)
            if m:
                i = m.end()
                continue
        if c == "{":
            if depth == 0 and (after_where or first < 0):
                if after_where:
                    return i
                first = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and (c.isalpha() or c == "_"):
            m = _WORD.match(sparql, i)
            assert m is not None
            if m.group().upper() == "WHERE":
                after_where = True
            i = m.end()
            continue
        i += 1
    return first


def bind(sparql: str, bindings: Mapping[str, Any]) -> str:
    """The query with ``VALUES`` for each bound variable at the start of its WHERE group.

    >>> bind("SELECT ?n WHERE { ?o <http://x/name> ?n }", {"o": ox.NamedNode("http://x/a")})
    'SELECT ?n WHERE { VALUES ?o { <http://x/a> } ?o <http://x/name> ?n }'
    """
    if not bindings:
        return sparql
    brace = _where_brace(sparql)
    if brace < 0:
        raise UsageError("the query has no WHERE group to bind parameters in")
    values = []
    for name, term in bindings.items():
        if not _VAR.match(name):
            raise UsageError(f"'{name}' is not a SPARQL variable name")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise UsageError(f"the value of ?{name} must be an IRI or a literal")
        values.append(f"VALUES ?{name} {{ {term} }}")
    return f"{sparql[: brace + 1]} {' '.join(values)}{sparql[brace + 1 :]}"


_NOT_PROJECTED = "SELECT projection"


def mentions(sparql: str, name: str) -> bool:
    """Whether the query text has the variable ``?name`` (or ``$name``).

    >>> mentions("SELECT ?org WHERE { ?a ?p $org }", "org"), mentions("SELECT ?organization {}", "org")
    (True, False)
    """
    return re.search(rf"[?$]{re.escape(name)}(?![A-Za-z0-9_])", sparql) is not None


def run(store: ox.Store, sparql: str, bindings: Mapping[str, Any], **options: Any) -> Any:
    """Run a query on a store with its parameters bound (see the module docstring).

    A parameter the query does not have is an error: Oxigraph would then join every
    binding after evaluating the query, not before, which can take all the memory.
    """
    if not bindings:
        return store.query(sparql, **options)
    for name, term in bindings.items():
        if not _VAR.match(name):
            raise UsageError(f"'{name}' is not a SPARQL variable name")
        if not mentions(sparql, name):
            raise UsageError(f"the query has no variable ?{name} to bind")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise UsageError(f"the value of ?{name} must be an IRI or a literal")
    substitutions = {ox.Variable(name): term for name, term in bindings.items()}
    try:
        return store.query(sparql, substitutions=substitutions, **options)
    except RuntimeError as exc:
        if _NOT_PROJECTED not in str(exc):
            raise
    return store.query(bind(sparql, bindings), **options)
