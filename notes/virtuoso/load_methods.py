"""Time the ways of loading a TriG file into a fresh Virtuoso, and the start-up, a few times over.

    /work/venv/bin/python notes/virtuoso/load_methods.py [FILE.trig] [--runs N]

1. TTLP_MT(file_to_string_output(...), '', g, 256): Virtuoso's own TriG parser (load_trig)
2. the bulk loader: ld_dir on a .trig file, rdf_loader_run()
3. rdflib parses, then one Graph Store Protocol PUT per named graph (N-Triples, digest auth,
   by curl: urllib sends the body before the 401 challenge and Virtuoso drops the connection)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from rdflib import Dataset

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.virtuoso import VirtuosoServer, start_virtuoso  # noqa: E402


def count(server: VirtuosoServer) -> int:
    out = server.isql("SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } "
                      "FILTER (STRSTARTS(STR(?g), 'https://w3id.org/')) };")
    return int(next(line for line in out.splitlines() if line.strip().isdigit()))


def bulk(server: VirtuosoServer, trig: Path) -> float:
    start = time.perf_counter()
    folder = server.workdir / "bulk"
    folder.mkdir()
    shutil.copyfile(trig, folder / "data.trig")
    server.isql(f"ld_dir('{folder}', '*.trig', 'urn:x-default'); rdf_loader_run(); checkpoint;")
    return time.perf_counter() - start


def gsp(server: VirtuosoServer, trig: Path) -> float:
    start = time.perf_counter()
    ds = Dataset()
    ds.parse(trig, format="trig")
    for graph in ds.graphs():
        if len(graph) == 0:
            continue
        body = server.workdir / "graph.nt"
        graph.serialize(body, format="nt", encoding="utf-8")
        url = f"{server.gsp_url}?{urllib.parse.urlencode({'graph-uri': str(graph.identifier)})}"
        code = subprocess.run(
            ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--digest", "-u",
             ":".join(server.credentials), "-X", "PUT", "-H", "Content-Type: application/n-triples",
             "--data-binary", f"@{body}", url], capture_output=True, text=True, check=True).stdout
        assert code in ("200", "201", "204"), code
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("trig", nargs="?", default="/work/main/build/graph.trig")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    trig = Path(args.trig)
    methods = {"TTLP_MT 256": lambda s: s.load_trig(trig), "ld_dir + rdf_loader_run":
               lambda s: bulk(s, trig), "rdflib + GSP PUT per graph": lambda s: gsp(s, trig)}
    starts: list[float] = []
    stops: list[float] = []
    for name, load in methods.items():
        times = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="virtuoso-load-") as tmp:
                server = start_virtuoso(Path(tmp))
                starts.append(server.startup_seconds)
                try:
                    times.append(load(server))
                    n = count(server)
                finally:
                    t = time.perf_counter()
                    server.stop()
                    stops.append(time.perf_counter() - t)
        print(f"{name:28} median {statistics.median(times):.2f} s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)}); quads loaded {n}")
    print(f"start to ready: median {statistics.median(starts):.2f} s, max {max(starts):.2f} s "
          f"over {len(starts)} fresh databases; stop: max {max(stops):.2f} s")


if __name__ == "__main__":
    main()
