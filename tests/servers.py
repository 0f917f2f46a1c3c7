"""Real SPARQL servers for the tests, on 127.0.0.1 and a free port: Oxigraph's own server (the
`oxigraph` command of the PyPI package `oxigraph`, installed with the project)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_command() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the `oxigraph` server command is not installed (pip install oxigraph)")
    return found


@dataclass
class OxigraphServer:
    base: str
    process: subprocess.Popen

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen) -> None:
    """Ask the server to stop; kill it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_oxigraph(location: Path, *, union: bool = True, timeout: float = 120.0
                   ) -> OxigraphServer:
    """`oxigraph serve` on its own folder, by default with the union of the named graphs as
    default graph (as the other stores have it), and wait until it answers a query."""
    for _ in range(2):  # a port picked free can be taken before the server binds it
        with contextlib.suppress(PortTaken):
            return _start_oxigraph_on(free_port(), location, union, timeout)
    return _start_oxigraph_on(free_port(), location, union, timeout)


class PortTaken(RuntimeError):
    """The server exited because another process bound its port first (tests run in parallel)."""


def _start_oxigraph_on(port: int, location: Path, union: bool, timeout: float) -> OxigraphServer:
    process = subprocess.Popen(
        [oxigraph_command(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         *(["--union-default-graph"] if union else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = OxigraphServer(f"http://127.0.0.1:{port}", process)
    ask = f"{server.query_url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = process.stderr.read().decode()[:500]
            if "in use" in said.lower():
                raise PortTaken(said)
            raise RuntimeError(f"oxigraph serve exited: {said}")
        try:
            with urllib.request.urlopen(ask, timeout=2) as response:
                if response.status == 200 and process.poll() is None:  # ours, not another's
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"oxigraph serve did not answer within {timeout} s")


@dataclass
class KgServer:
    """`kg serve` as a real subprocess; `url` is its /sparql endpoint."""

    url: str
    process: subprocess.Popen
    log: Path  # its standard error

    @property
    def base(self) -> str:
        return self.url.removesuffix("/sparql")

    def stop(self) -> None:
        stop(self.process)


def start_kg_serve(command: list[str], args: list[str], log: Path, *,
                   timeout: float = 120.0) -> KgServer:
    """Start `kg serve --port 0 ARGS` and read the URL it prints once the graph is loaded."""
    import re
    import select

    with log.open("wb") as err:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen([*command, "serve", "--port", "0", *args],
                                   stdout=subprocess.PIPE, stderr=err)
    deadline = time.monotonic() + timeout
    line = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            found = re.search(rb"serving (http://\S+/sparql)", line)
            if found:
                return KgServer(found.group(1).decode(), process, log)
        if process.poll() is not None and not ready:
            break
    process.kill()
    process.wait()
    raise RuntimeError(f"kg serve did not start: {line!r} {log.read_text()[:500]}")


def send_graphs(spec, ds, graph_store: str | None = None) -> None:
    """Each named graph of the rdflib Dataset `ds` put into the server of the StoreSpec `spec`
    as `kg load` puts the graphs it read from a file (kg/store/load.py sends each with
    `_send_graph`, as `replace_graph` does): the data set in memory, not parsed back from its
    file (rdflib takes seconds for the article's)."""
    from rdflib import URIRef

    from kg.store.load import replace_graph

    for g in ds.graphs():
        if len(g) and isinstance(g.identifier, URIRef):
            replace_graph(spec, g.identifier, g, graph_store=graph_store)
