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
#: Braces, and words that are not part of a variable, a prefixed name or a longer word.
_TOKEN = re.compile(r"[{}]|(?<![\w?$:])[A-Za-z_]\w*")
#: A SPARQL variable's name (VARNAME): letters, digits, ``_``, ``·`` and the combining marks.
_VARIABLE = re.compile(r"[?$]([\w\u00b7\u0300-\u036f\u203f\u2040]+)")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _blanked(sparql: str) -> str:
    """The query with its comments, strings and IRIs turned to spaces (same length, same indices).

    >>> _blanked('SELECT ?s WHERE { ?s <http://a/?q> "?x" } # ?y')
    'SELECT ?s WHERE { ?s                    }     '
    """
    pieces: list[str] = []
    i = last = 0
    n = len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            j = n if end < 0 else end
        elif c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            j = min(j + len(quote), n)
        elif c == "<" and (m := _IRI.match(sparql, i)):
            j = m.end()
        else:
            i += 1
            continue
        pieces += [sparql[last:i], " " * (j - i)]
        i = last = j
    pieces.append(sparql[last:])
    return "".join(pieces)


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
    code = _blanked(sparql)
    depth, first = 0, -1
    after_where = False
    for m in _TOKEN.finditer(code):
        token = m.group()
        if token == "{":
            if depth == 0 and after_where:
                return m.start()
            if depth == 0 and first < 0:
                first = m.start()
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and token.upper() == "WHERE":
            after_where = True
    return first


def variables(sparql: str) -> set[str]:
    """The names of the variables of a query (``?name`` or ``$name``), not counting comments, strings and IRIs.

    >>> sorted(variables('SELECT ?org $n WHERE { ?org <http://x/?q> "?s" } # ?t'))
    ['n', 'org']
    """
    return set(_VARIABLE.findall(_blanked(sparql)))


def _check(sparql: str, bindings: Mapping[str, Any]) -> None:
    """Refuse bindings that are not RDF terms of variables the query has.

    A variable the query does not have would be joined only after the whole query
    is evaluated (Oxigraph's substitutions, like a VALUES block), which on big data
    can take all the memory.
    """
    names = variables(sparql)
    for name, term in bindings.items():
        if not _VAR.match(name):
            raise UsageError(f"'{name}' is not a SPARQL variable name")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise UsageError(f"the value of ?{name} must be an IRI or a literal")
        if name not in names:
            raise UsageError(f"the query has no variable ?{name} to bind")


def bind(sparql: str, bindings: Mapping[str, Any]) -> str:
    """The query with ``VALUES`` for each bound variable at the start of its WHERE group.

    >>> bind("SELECT ?n WHERE { ?o <http://x/name> ?n }", {"o": ox.NamedNode("http://x/a")})
    'SELECT ?n WHERE { VALUES ?o { <http://x/a> } ?o <http://x/name> ?n }'
    """
    if not bindings:
        return sparql
    _check(sparql, bindings)
    brace = _where_brace(sparql)
    if brace < 0:
        raise UsageError("the query has no WHERE group to bind parameters in")
    values = [f"VALUES ?{name} {{ {term} }}" for name, term in bindings.items()]
    return f"{sparql[: brace + 1]} {' '.join(values)}{sparql[brace + 1 :]}"


_NOT_PROJECTED = "SELECT projection"
#: Query texts, with the names they bind, for which Oxigraph refused ``substitutions`` (a bound
#: variable not projected): they go straight to ``VALUES``, without parsing the query twice.
_UNPROJECTED: set[tuple[str, frozenset[str]]] = set()


def run(store: ox.Store, sparql: str, bindings: Mapping[str, Any], **options: Any) -> Any:
    """Run a query on a store with its parameters bound (see the module docstring)."""
    if not bindings:
        return store.query(sparql, **options)
    _check(sparql, bindings)
    key = (sparql, frozenset(bindings))
    if key not in _UNPROJECTED:
        substitutions = {ox.Variable(name): term for name, term in bindings.items()}
        try:
            return store.query(sparql, substitutions=substitutions, **options)
        except RuntimeError as exc:
            if _NOT_PROJECTED not in str(exc):
                raise
        if len(_UNPROJECTED) >= 1024:
            _UNPROJECTED.clear()
        _UNPROJECTED.add(key)
    return store.query(bind(sparql, bindings), **options)
