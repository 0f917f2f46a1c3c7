"""Load test of `kg serve`: `python bench/serve_load.py [--clients 16] [--requests 40]
[--store oxigraph:PATH]`.

1. Computes the answer of each query of the mix in-process (kg/store/, the same store).
2. Starts the real `kg serve` on the store (loopback, a free port).
3. Runs CLIENTS threads; each sends REQUESTS queries (the mix in turn, from a different
   starting point per client) over its own keep-alive connection, POSTed as forms, asking for
   SPARQL JSON, and checks every answer against step 1.

Prints requests per second, latency percentiles and the error count, and writes
bench/results/serve_load-<store kind>.json. No request may fail or be answered wrongly
(exit 1 if one does).
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.sparql.catalogue import catalogue  # noqa: E402
from kg.store.registry import open_store, parse_spec  # noqa: E402

RESULTS = ROOT / "bench" / "results"
# Catalogue queries without parameters (a VALUES default makes some slow in rdflib when run as
# written) and without blank nodes in their rows; 0.03 to 0.7 s each in rdflib.
MIX = ("answers/gdp-share-change", "answers/free-trade-zones-by-region",
       "answers/provinces-in-several-clusters", "answers/recommendations-by-strength",
       "answers/clusters-sharing-a-province", "answers/corridors-mentioned-with-reach",
       "answers/claims-not-holding", "answers/relations-by-rule")

Row = tuple[tuple[str, str, str, str], ...]


@dataclass
class Report:
    clients: int
    requests: int
    seconds: float = 0.0
    per_second: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # failed or wrong answers
    answered: int = 0


def expected_answers(graph: Path, store: str = "memory", names: tuple[str, ...] = MIX
                     ) -> dict[str, Counter]:
    """Each query's rows, computed in this process by the engine the server uses (rdflib and
    Oxigraph write some decimals differently: 0.80 and 0.8), as a multiset (ties in ORDER BY
    may come in any order). The mix has no parameters, so `query` runs the text as written."""
    source = open_store(parse_spec(store, graph))
    queries = catalogue()
    return {name: Counter(_term_row(row) for row in source.query(queries[name].read_text("utf-8")))
            for name in names}


def _term_row(row) -> Row:
    out = []
    for var, term in zip(row.labels, row, strict=True):
        if term is None:
            continue
        kind = "uri" if term.__class__.__name__ == "URIRef" else "literal"
        extra = (term.language or (str(term.datatype) if term.datatype else "")) \
            if kind == "literal" else ""
        out.append((var, kind, str(term), extra))
    return tuple(sorted(out))


def _json_rows(body: bytes) -> Counter:
    rows = Counter()
    for binding in json.loads(body)["results"]["bindings"]:
        rows[tuple(sorted((var, b["type"].replace("typed-literal", "literal"), b["value"],
                           b.get("xml:lang") or b.get("datatype") or "")
                          for var, b in binding.items()))] += 1
    return rows


def run_load(url: str, expected: dict[str, Counter], clients: int, requests: int) -> Report:
    texts = {name: catalogue()[name].read_text("utf-8") for name in expected}
    names = list(expected)
    report = Report(clients, clients * requests)
    latencies: list[float] = []
    lock = threading.Lock()
    parts = urlsplit(url)

    def client(k: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        for i in range(requests):
            name = names[(k + i) % len(names)]
            body = urlencode({"query": texts[name]})
            start = time.perf_counter()
            try:
                conn.request("POST", parts.path, body, {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                data = response.read()
                error = (f"{name}: HTTP {response.status} {data[:200]!r}"
                         if response.status != 200 else
                         None if _json_rows(data) == expected[name] else f"{name}: wrong answer")
            except (OSError, http.client.HTTPException, ValueError) as e:
                error = f"{name}: {type(e).__name__}: {e}"
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                if error:
                    report.errors.append(error)
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report.seconds = round(time.perf_counter() - start, 2)
    report.answered = len(latencies)
    report.per_second = round(len(latencies) / report.seconds, 1)
    ordered = sorted(latencies)
    for p in (50, 90, 99):
        report.latency_ms[f"p{p}"] = round(ordered[min(len(ordered) - 1,
                                                        len(ordered) * p // 100)] * 1000, 1)
    report.latency_ms["max"] = round(ordered[-1] * 1000, 1)
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=ROOT / "build" / "graph.trig")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=40, help="per client")
    ap.add_argument("--store", default="memory",
                    help="what kg serve serves: memory (the --graph file) or oxigraph:PATH "
                         "(filled by kg load)")
    args = ap.parse_args()
    expected = expected_answers(args.graph, args.store)
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", "0",
                               "--graph", str(args.graph), "--store", args.store],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        if not line.startswith("serving "):
            raise SystemExit(f"kg serve did not start: {line!r}")
        url = line.split()[1]
        report = run_load(url, expected, args.clients, args.requests)
    finally:
        server.terminate()
        server.wait()
    print(f"{args.store}: {report.answered}/{report.requests} requests from {report.clients} "
          f"clients in {report.seconds} s: {report.per_second} requests/s; latency ms "
          + ", ".join(f"{k} {v}" for k, v in report.latency_ms.items())
          + f"; {len(report.errors)} errors")
    for e in report.errors[:10]:
        print(f"  {e}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"serve_load-{args.store.split(':')[0]}.json"
    out.write_text(json.dumps({"store": args.store, **asdict(report)}, indent=1) + "\n")
    return 1 if report.errors or report.answered != report.requests else 0


if __name__ == "__main__":
    sys.exit(main())
