"""Load time, memory and the latency of every catalogue query on each store (memory = rdflib,
oxigraph = embedded pyoxigraph, sparql = an `oxigraph serve` server), at the article's size and
on graphs synthesised 100x and 1000x larger (bench/synth.py), with ratios to rdflib in one run.

    python bench/stores.py [--sizes 1,100,1000] [--timeout 30] [--repeat 3] [--data DIR] [--keep]

Each store is measured in its own worker process (so peak RSS is its own); each query runs in a
child forked from the worker (the rdflib graph is shared copy-on-write, the on-disk stores are
reopened), so a pathological query is killed at the timeout and reported as `timeout >Ns`
instead of hanging the run. A query gets one warm-up and `--repeat` timed runs (median); a query
whose warm-up takes longer than --slow seconds is timed by that one run (marked `¹`). Every
store must give the same number of rows per query; mismatches are printed loudly.

rdflib is skipped at a size whose estimated memory (bytes per quad measured at the smaller sizes
of this run, times the quads) exceeds --mem-fraction of the memory available; ratios at that size
are then to embedded Oxigraph, and the table says so. Progress goes to stderr, tables to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import select
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.servers, bench.synth when run as a script

from bench.synth import synthesise  # noqa: E402
from kg.iris import parse as parse_iri  # noqa: E402
from kg.sparql.catalogue import catalogue  # noqa: E402
from kg.store.base import StoreSpec  # noqa: E402
from kg.store.registry import open_store  # noqa: E402
from kg.vocab import ONT_IRI  # noqa: E402

ARTICLE_GRAPH = ROOT / "build" / "graph.trig"
STORES = ("memory", "oxigraph", "sparql")
# Catalogue queries whose parameters have no VALUES default: bound to a real triple of the
# article (the text that puts 山西 in the west, a conflict with the reference data).
BINDINGS = {"answers/evidence-of-triple": {"s": "province/140000", "p": "pkg:partOf",
                                           "o": "pkgid:macro-region/west"}}
FALLBACK_BYTES_PER_QUAD = 2000  # rdflib's cost when no smaller size was measured in this run


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) in bytes, from /proc: no psutil needed."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024
    return out


def mem_available() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0


def queries() -> list[tuple[str, str, dict]]:
    """(name, SPARQL text, bindings) for the whole catalogue."""
    from rdflib import URIRef

    out = []
    for name, path in catalogue().items():
        binds = {}
        for var, text in BINDINGS.get(name, {}).items():
            iri = parse_iri(text)
            binds[var] = iri if iri is not None else URIRef(ONT_IRI + text.removeprefix("pkg:"))
        out.append((name, path.read_text(encoding="utf-8"), binds))
    return out


# --- the worker: one store, one size --------------------------------------------------------

def count_rows(result) -> int:
    if result.type == "ASK":
        return 1
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return len(result.graph)
    return sum(1 for _ in result)


def run_child(open_fn: Callable, text: str, binds: dict, runs: int, slow: float,
              out: int) -> None:
    """In the forked child: warm up, then time `runs` runs, one JSON line per run."""
    store = open_fn()
    for i in range(runs + 1):
        t = time.perf_counter()
        rows = count_rows(store.query(text, binds))
        ms = (time.perf_counter() - t) * 1000
        os.write(out, (json.dumps({"run": i, "ms": ms, "rows": rows}) + "\n").encode())
        if i == 0 and ms > slow * 1000:
            break  # a slow query: its first run is its measurement


def timed_query(open_fn: Callable, text: str, binds: dict, runs: int, timeout: float,
                slow: float) -> dict:
    """Fork, run, collect; kill the child at `timeout` seconds for any single run."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(r)
        code = 0
        try:
            run_child(open_fn, text, binds, runs, slow, w)
        except BaseException as e:  # report, never fall back into the parent's loop
            os.write(w, (json.dumps({"error": f"{type(e).__name__}: {e}"[:300]}) + "\n")
                     .encode())
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    buf, done, res = b"", [], {}
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([r], [], [], max(left, 0))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            res = {"timeout": timeout}
            break
        chunk = os.read(r, 65536)
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            item = json.loads(line)
            if "error" in item:
                res = item
            else:
                done.append(item)
                deadline = time.monotonic() + timeout  # the timeout is per run
    os.close(r)
    os.waitpid(pid, 0)
    if res:
        return res
    timed = done[1:] or done[:1]
    return {"ms": statistics.median(d["ms"] for d in timed), "rows": done[0]["rows"],
            "single": len(done) == 1}


@dataclass
class StoreResult:
    store: str
    load_s: float | None = None
    load_note: str = ""
    rss_load: int | None = None  # bytes, peak RSS after loading
    rss_base: int | None = None  # bytes, RSS before loading (the interpreter and imports)
    rss_peak: int | None = None
    queries: dict[str, dict] = field(default_factory=dict)


def worker(store: str, graph: Path, folder: Path, timeout: float, repeat: int,
           slow: float, only: list[str] | None) -> StoreResult:
    res = StoreResult(store, rss_base=status()["VmRSS"])
    restart: Callable[[], None] | None = None
    server = None
    if store == "memory":
        spec = StoreSpec("memory", str(graph))
        mem = open_store(spec)
        t = time.perf_counter()
        mem.dataset()  # rdflib parses the file here
        res.load_s = time.perf_counter() - t

        def open_fn():
            return mem
    elif store == "oxigraph":
        import pyoxigraph as ox

        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        # kg load goes through an rdflib parse of the file (kg/store/load.py), which would make this
        # rdflib's load time again and does not fit in memory at 1000x: bulk load instead.
        st = ox.Store(str(folder))
        st.bulk_load(path=str(graph), format=ox.RdfFormat.N_QUADS)
        st.flush()
        del st
        res.load_s = time.perf_counter() - t
        res.load_note = "pyoxigraph bulk_load"
        spec = StoreSpec("oxigraph", str(folder))

        def open_fn():
            return open_store(spec)
    else:
        from tests.servers import free_port, oxigraph_command

        if not folder.is_dir():
            raise SystemExit(f"{folder}: no Oxigraph store (run the oxigraph worker first)")

        def start():
            nonlocal server
            port = free_port()
            t = time.perf_counter()
            server = subprocess.Popen(
                [oxigraph_command(), "serve", "--location", str(folder), "--bind",
                 f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(int(timeout))],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            url = f"http://127.0.0.1:{port}/query"
            probe = open_store(StoreSpec("sparql", url), timeout=5)
            while True:
                try:
                    probe.query("ASK {}")
                    break
                except Exception:
                    if server.poll() is not None or time.perf_counter() - t > 120:
                        raise SystemExit("oxigraph serve did not start") from None
                    time.sleep(0.05)
            return url, time.perf_counter() - t

        url, res.load_s = start()
        res.load_note = "server start on the bulk-loaded folder"

        def restart_fn():
            nonlocal url
            res.rss_peak = max(res.rss_peak or 0, status(server.pid)["VmHWM"])
            stop_server(server)
            url, _ = start()
        restart = restart_fn

        def open_fn():
            return open_store(StoreSpec("sparql", url), timeout=timeout + 5)
    res.rss_load = status()["VmHWM"]
    log(f"  {store}: loaded in {res.load_s:.1f} s, peak RSS {res.rss_load / 2**20:.0f} MiB")
    for name, text, binds in queries():
        if only and name not in only:
            continue
        q = timed_query(open_fn, text, binds, repeat, timeout, slow)
        res.queries[name] = q
        log(f"  {store} {name}: {fmt_ms(q)}  rows={q.get('rows', '-')}")
        if "timeout" in q and restart is not None:
            restart()  # the server may still be busy with the abandoned query
    if server is not None:
        res.rss_peak = max(res.rss_peak or 0, status(server.pid)["VmHWM"])
        stop_server(server)
    else:
        res.rss_peak = status()["VmHWM"]
    return res


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None:
        return
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the orchestrator -------------------------------------------------------------------------

def fmt_ms(q: dict | None) -> str:
    if q is None:
        return "skipped"
    if "timeout" in q:
        return f"timeout >{q['timeout']:g}s"
    if "error" in q:
        return "error"
    ms = q["ms"]
    text = f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"
    return text + ("¹" if q.get("single") else "")


def ratio(q: dict | None, base: dict | None) -> str:
    if not q or not base or "ms" not in q or "ms" not in base or base["ms"] <= 0:
        return ""
    return f" ({q['ms'] / base['ms']:.2g}×)"


def run_worker(store: str, graph: Path, folder: Path, args) -> StoreResult | None:
    cmd = [sys.executable, __file__, "--worker", store, "--graph", str(graph), "--folder",
           str(folder), "--timeout", str(args.timeout), "--repeat", str(args.repeat),
           "--slow", str(args.slow)]
    if args.only:
        cmd += ["--only", args.only]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        log(f"  {store}: worker failed (exit {proc.returncode})")
        return None
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return StoreResult(**data)


def count_quads(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))


def table(size: int, quads: int, results: dict[str, StoreResult | None], skipped: str,
          synth_s: float | None) -> str:
    mem, ox, srv = (results.get(s) for s in STORES)
    base_name = "rdflib" if mem else "oxigraph"
    base = mem or ox
    lines = [f"### {size}× the article: {quads:,} quads"
             + (f" (synthesised in {synth_s:.1f} s)" if synth_s is not None else ""), ""]
    if skipped:
        lines += [f"rdflib skipped: {skipped}. Ratios below are to embedded Oxigraph.", ""]
    lines += ["| store | load s | quads/s | × " + base_name + " | peak RSS MiB | how |",
              "|---|---:|---:|---:|---:|---|"]
    for label, r in (("rdflib (memory)", mem), ("oxigraph (embedded)", ox),
                     ("oxigraph serve (sparql)", srv)):
        if r is None or r.load_s is None:
            lines.append(f"| {label} | skipped | | | | |")
            continue
        x = f"{r.load_s / base.load_s:.2g}×" if base and base.load_s else ""
        rss = (r.rss_peak or 0) / 2**20
        how = r.load_note or "rdflib Dataset.parse"
        # the server opens the folder the embedded store was bulk-loaded into: no quads/s
        rate = "–" if r.store == "sparql" else f"{quads / r.load_s:,.0f}"
        lines.append(f"| {label} | {r.load_s:.2f} | {rate} | {x} | {rss:,.0f} | {how} |")
    if mem and mem.rss_load and mem.rss_base:
        per = (mem.rss_load - mem.rss_base) / quads
        lines += ["", f"rdflib memory: {per:,.0f} bytes per quad (peak RSS after the parse "
                      f"minus RSS before it)."]
    ox_head = f"oxigraph ms (× {base_name})" if mem else "oxigraph ms"
    lines += ["", f"| query | rdflib ms | {ox_head} | server ms (× {base_name}) | rows |",
              "|---|---:|---:|---:|---:|"]
    names = sorted({n for r in results.values() if r for n in r.queries})
    mismatches = []
    for name in names:
        qs = {s: (results[s].queries.get(name) if results.get(s) else None) for s in STORES}
        b = qs["memory"] or qs["oxigraph"]
        rows = {s: q["rows"] for s, q in qs.items() if q and "rows" in q}
        if len(set(rows.values())) > 1:
            mismatches.append(f"{name}: {rows}")
        row_text = "/".join(str(v) for v in dict.fromkeys(rows.values())) or "-"
        if len(set(rows.values())) > 1:
            row_text = "**MISMATCH** " + ", ".join(f"{s} {v}" for s, v in rows.items())
        lines.append(f"| {name} | {fmt_ms(qs['memory']) if mem else 'skipped'} "
                     f"| {fmt_ms(qs['oxigraph'])}{ratio(qs['oxigraph'], b) if mem else ''} "
                     f"| {fmt_ms(qs['sparql'])}{ratio(qs['sparql'], b)} | {row_text} |")
    lines.append("")
    for store, label in (("oxigraph", "embedded Oxigraph"), ("sparql", "the server")):
        if store == "oxigraph" and not mem:
            continue
        pairs = [(q.queries[n]["ms"], base.queries[n]["ms"]) for n in names
                 if (q := results.get(store)) and base and "ms" in q.queries.get(n, {})
                 and "ms" in base.queries.get(n, {})]
        if pairs:
            med = statistics.median(a / b for a, b in pairs)
            lines.append(f"Median over the {len(pairs)} queries both answered: {label} "
                         f"{med:.2g}× {base_name}.  ")
    if mismatches:
        for m in mismatches:
            log(f"!!! ROW COUNT MISMATCH at {size}×: {m}")
    return "\n".join(lines) + "\n"


def orchestrate(args) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(data).free
    log(f"disk free in {data}: {free / 2**30:.0f} GiB; memory available "
        f"{mem_available() / 2**30:.1f} GiB")
    print(f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"{os.cpu_count()} cores, {mem_available() / 2**30:.0f} GiB available, "
          f"Python {platform.python_version()}; command: "
          f"`python bench/stores.py {' '.join(sys.argv[1:])}`\n")
    per_quad: list[float] = []
    for size in sizes:
        graph = data / f"graph-{size}x.nq"
        synth_s = None
        if graph.exists() and not args.fresh:
            log(f"{size}×: reusing {graph}")
        else:
            need = size * 12_000_000  # ~11.5 MB of N-Quads per copy of the article
            if shutil.disk_usage(data).free < 3 * need:  # the file and an Oxigraph store
                log(f"{size}×: not enough disk in {data} (need ~{3 * need / 2**30:.0f} GiB)")
                continue
            log(f"{size}×: synthesising {graph}")
            written = synthesise(Path(args.graph), size, graph)
            synth_s = written.seconds
        quads = count_quads(graph)
        log(f"{size}×: {quads:,} quads")
        results: dict[str, StoreResult | None] = {}
        skipped = ""
        estimate = (max(per_quad) if per_quad else FALLBACK_BYTES_PER_QUAD) * quads
        budget = mem_available() * args.mem_fraction
        if "memory" in args.stores and estimate > budget:
            skipped = (f"estimated {estimate / 2**30:.1f} GiB for {quads:,} quads at "
                       f"{estimate / quads:,.0f} B/quad (measured at the smaller sizes) exceeds "
                       f"{args.mem_fraction:.0%} of the {budget / args.mem_fraction / 2**30:.1f} "
                       "GiB available")
            log(f"{size}×: rdflib skipped: {skipped}")
        folder = data / f"oxigraph-{size}x"
        for store in STORES:
            if store not in args.stores or (store == "memory" and skipped):
                continue
            log(f"{size}×: {store}")
            results[store] = run_worker(store, graph, folder, args)
        mem = results.get("memory")
        if mem and mem.rss_load and mem.rss_base:
            per_quad.append((mem.rss_load - mem.rss_base) / quads)
        print(table(size, quads, results, skipped, synth_s), flush=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            if size > 1:
                graph.unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,100,1000", help="copies of the article, e.g. 1,100")
    ap.add_argument("--stores", default=",".join(STORES))
    ap.add_argument("--graph", default=str(ARTICLE_GRAPH), help="the article's built graph")
    ap.add_argument("--data", default=str(ROOT / "bench" / "data"),
                    help="where the synthesised graphs and stores go (git-ignored)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per query run")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs after the warm-up")
    ap.add_argument("--slow", type=float, default=5.0,
                    help="a warm-up longer than this (s) is the query's only run")
    ap.add_argument("--mem-fraction", type=float, default=0.6)
    ap.add_argument("--only", default="", help="comma-separated catalogue names")
    ap.add_argument("--fresh", action="store_true", help="synthesise even if the file exists")
    ap.add_argument("--keep", action="store_true", help="keep the big files and stores")
    ap.add_argument("--worker", choices=STORES, help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        only = args.only.split(",") if args.only else None
        res = worker(args.worker, Path(args.graph), Path(args.folder), args.timeout,
                     args.repeat, args.slow, only)
        print(json.dumps(res.__dict__))
        return
    args.stores = args.stores.split(",")
    orchestrate(args)


if __name__ == "__main__":
    main()
