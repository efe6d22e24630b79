"""Writing query results: a table for people, the W3C formats for tools, RDF for graphs.

SELECT and ASK results go out as an aligned text table, Markdown, or the SPARQL 1.1
results formats (JSON, XML, CSV, TSV, written by Oxigraph). CONSTRUCT and DESCRIBE
results go out in any RDF syntax of ``coopgraph export``.
"""

from __future__ import annotations

import unicodedata
from typing import IO, Any

import pyoxigraph as ox

from coopgraph import namespaces as ns
from coopgraph.errors import UsageError
from coopgraph.rdf.export import syntax

TABLE_FORMATS = ("table", "md")
W3C_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RESULT_FORMATS = (*TABLE_FORMATS, *W3C_FORMATS)
#: Widest a table cell gets before it is cut with an ellipsis.
MAX_CELL = 70


def shown(term: Any, base: str | None = None) -> str:
    """A term as a table shows it: a literal's text, an IRI shortened by a known prefix.

    >>> shown(ox.NamedNode("https://w3id.org/coopgraph/ns#Agreement"))
    'coop:Agreement'
    >>> shown(ox.NamedNode("https://x.org/d/organization/vast"), base="https://x.org/d/")
    'organization/vast'
    >>> shown(ox.Literal("Hải Phòng", language="vi"))
    'Hải Phòng'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        if base and iri.startswith(base):
            return iri[len(base) :]
        for prefix, namespace in ns.PREFIXES.items():
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and local.replace("-", "").replace("_", "").isalnum():
                return f"{prefix}:{local}"
        return f"<{iri}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _one_line(text: str) -> str:
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def _width(text: str) -> int:
    """Columns a string takes on a terminal (combining marks take none, wide characters two)."""
    return sum(
        0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in unicodedata.normalize("NFC", text)
    )


def _cut(text: str) -> str:
    text = unicodedata.normalize("NFC", _one_line(text))
    return text if _width(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def table(header: list[str], rows: list[list[str]]) -> str:
    """An aligned text table.

    >>> print(table(["org", "n"], [["vast", "7"], ["haiphong-dost", "16"]]))
    org            n
    -------------  --
    vast           7
    haiphong-dost  16
    """
    cells = [[_cut(c) for c in row] for row in [header, *rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()

    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths), *(line(r) for r in cells[1:])])


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as it is, on one line: HTML, pipes and Markdown's own characters escaped.

    >>> print(escape_markdown("**Sơn** <b>[x](y)</b>"))
    \\*\\*Sơn\\*\\* &lt;b&gt;\\[x\\](y)&lt;/b&gt;
    """
    text = _one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for c in "\\|`[]*_#$~":  # Markdown's own characters (and GitHub's maths and strikethrough): never obeyed
        text = text.replace(c, "\\" + c)
    return text


def markdown(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table whose cells cannot break out: pipes, HTML and new lines are escaped.

    >>> print(markdown(["name"], [["<script>a|b</script>"]]))
    | name |
    | --- |
    | &lt;script&gt;a\\|b&lt;/script&gt; |
    """

    cell = escape_markdown
    out = ["| " + " | ".join(cell(h) for h in header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def write_result(
    result: Any, fmt: str, out: IO[bytes], *, base: str | None = None, hide: frozenset[str] = frozenset()
) -> None:
    """Write a pyoxigraph query result (solutions, boolean or triples) in ``fmt``.

    Tables for people leave out the columns in ``hide`` (a named query's parameters,
    which it projects only so that they reach its subqueries).
    """
    if isinstance(result, ox.QueryTriples):
        write_triples(result, fmt, out)
        return
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown result format '{fmt}'; choose one of: {', '.join(RESULT_FORMATS)}")
    if fmt in W3C_FORMATS:
        result.serialize(out, format=W3C_FORMATS[fmt])
        if fmt in ("csv", "tsv") and isinstance(result, ox.QueryBoolean):
            out.write(b"\n")
        return
    if isinstance(result, ox.QueryBoolean):
        out.write(b"true\n" if bool(result) else b"false\n")
        return
    header = [v.value for v in result.variables if v.value not in hide]
    rows = [[shown(solution[name], base) for name in header] for solution in result]
    text = table(header, rows) if fmt == "table" else markdown(header, rows)
    out.write((text + "\n").encode("utf-8"))


def write_triples(triples: Any, fmt: str, out: IO[bytes]) -> None:
    """Triples of a CONSTRUCT or DESCRIBE in an RDF syntax (``turtle`` for ``table``)."""
    rdf = syntax("turtle" if fmt == "table" else fmt)
    if rdf.name == "jsonld":
        raise UsageError("CONSTRUCT and DESCRIBE results are written as turtle, ntriples, nquads, trig or rdfxml")
    ox.serialize(triples, out, format=rdf.format, prefixes=ns.PREFIXES)
