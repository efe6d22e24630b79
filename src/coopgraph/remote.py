"""Remote triple stores: queries over the SPARQL 1.1 Protocol, graphs replaced over the
SPARQL 1.1 Graph Store HTTP Protocol.

Credentials come from the environment, never from the command line (where other
users of the machine can read them): ``COOPGRAPH_ENDPOINT_TOKEN`` (sent as a bearer
token), or ``COOPGRAPH_ENDPOINT_USER`` and ``COOPGRAPH_ENDPOINT_PASSWORD`` (basic
authentication). Failures (refused, timed out, an HTTP error) become one
``RemoteError`` line; requests that may be repeated safely are retried.
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pyoxigraph as ox

from coopgraph import namespaces as ns
from coopgraph.errors import RemoteError
from coopgraph.query import bind

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
#: Waits between attempts, in seconds: three attempts in all.
BACKOFF = (0.5, 2.0)


def _headers(accept: str, content_type: str | None = None) -> dict[str, str]:
    headers = {"Accept": accept, "User-Agent": "coopgraph"}
    if content_type:
        headers["Content-Type"] = content_type
    token = os.environ.get("COOPGRAPH_ENDPOINT_TOKEN")
    user = os.environ.get("COOPGRAPH_ENDPOINT_USER")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif user is not None:
        password = os.environ.get("COOPGRAPH_ENDPOINT_PASSWORD", "")
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return headers


def _check_url(url: str) -> None:
    try:
        scheme = urllib.parse.urlsplit(url).scheme
    except ValueError as exc:
        raise RemoteError(f"{url}: not a usable URL ({exc})") from None
    if scheme not in ("http", "https"):
        raise RemoteError(f"{url}: an endpoint is an http:// or https:// URL")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would turn a POST into a GET and carry the credentials to another host."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        raise RemoteError(f"{req.full_url}: HTTP {code}: the endpoint moved to {newurl}; use that URL")


_OPENER = urllib.request.build_opener(_NoRedirects)


def request(method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float, retries: int) -> bytes:
    """One HTTP exchange; connection failures and 5xx answers are tried again ``retries`` times."""
    _check_url(url)
    for attempt in range(retries + 1):
        try:
            req = urllib.request.Request(url, data=body, headers=headers, method=method)
        except ValueError as exc:
            raise RemoteError(f"{url}: not a usable URL ({exc})") from None
        try:
            with _OPENER.open(req, timeout=timeout) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", errors="replace").strip().splitlines()
            message = f"{url}: HTTP {exc.code} {exc.reason}" + (f": {detail[0]}" if detail else "")
            if exc.code < 500 or attempt == retries:
                raise RemoteError(message) from None
        except (http.client.InvalidURL, ValueError) as exc:
            raise RemoteError(f"{url}: not a usable URL ({exc})") from None
        except http.client.HTTPException as exc:
            message = f"{url}: the answer is not HTTP ({type(exc).__name__})"
            if attempt == retries:
                raise RemoteError(message) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                message = f"{url}: no answer within {timeout:g} s"
            else:
                message = f"{url}: {getattr(reason, 'strerror', None) or reason}"
            if attempt == retries:
                raise RemoteError(message) from None
        time.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
    raise AssertionError("unreachable")


def with_prefixes(sparql: str) -> str:
    """The query with the predeclared prefixes written out, for an endpoint that lacks them."""
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in ns.PREFIXES.items()]
    return "\n".join([*lines, sparql])


def query(
    url: str, sparql: str, bindings: dict[str, Any], *, kind: str, timeout: float = 60.0, retries: int = 2
) -> Any:
    """Run a query on a SPARQL endpoint; the result has the same types as a local one.

    Parameters are bound as a ``VALUES`` block of RDF terms (see ``coopgraph.query``).
    """
    text = with_prefixes(bind(sparql, bindings) if bindings else sparql)
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    accept = N_TRIPLES if graph else RESULTS_JSON
    body = urllib.parse.urlencode({"query": text}).encode()
    data = request("POST", url, body, _headers(accept, "application/x-www-form-urlencoded"), timeout, retries)
    try:
        if graph:
            return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(
            f"{url}: the answer is not {'N-Triples' if graph else 'SPARQL JSON results'}: {exc}"
        ) from None


def put_graph(url: str, graph: str, ntriples: bytes, *, timeout: float = 300.0, retries: int = 2) -> None:
    """Replace the named graph ``graph`` at a Graph Store Protocol endpoint, in one request.

    PUT replaces the graph whole or not at all, and may be repeated safely.
    """
    target = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({'graph': graph})}"
    request("PUT", target, ntriples, _headers("*/*", N_TRIPLES), timeout, retries)
