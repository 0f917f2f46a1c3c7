"""`kg build` at corpus scale, as ratios to jieba segmenting the same texts in the same run
(machine speed and load cancel out, mostly).

    python bench/build_scale.py [--texts DIR] [--jobs 1,2] [--builds-only | --cold-only]
                                [--out FILE.json]

For the texts of DIR (default: ../shared/corpus-dev/gwr-2025, the 27 provincial reports):
jieba's segmentation of all of them, then real `kg build` subprocesses into a fresh folder: a
cold build per --jobs value, an unchanged rebuild, a rebuild after adding one document and one
after changing one (the builds use the bench's own cache of the shared graphs' files, filled
first by a build of one short text, which is also measured without the cache and with it cold:
the fixed part of a build; `--no-cache` builds the corpus without it). Each figure is seconds,
the peak memory (RSS) of the build process, and the ratio to jieba, and for the builds the CPU
seconds (the build's processes, its workers included) and their ratio to jieba's CPU seconds: on
a shared machine these vary much less than the seconds (`--builds-only` skips the answers;
`--cold-only` the rebuilds too, for alternating runs of two trees). Each cold build's row
carries the load average (1 minute) at its start and end: a build's seconds mean little without
it. Then the answers on that build: `kg query most-mentioned-entities` as a user runs it (a
subprocess: start, imports, the query) on the build's store and on the same graph in memory (the
TriG that `kg export graph` writes from the store), and every catalogue query that reads only
the graph, in one process on the store (the slowest and the sum).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared" / "corpus-dev" / "gwr-2025"
EXTRA = ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt"  # the document added


# This bench's yardstick is the best of a few runs: one run's CPU seconds moved by 30% with the
# load of the shared machine (2.2-2.9 s in four runs).
JIEBA_RUNS = 3


def jieba_seconds(texts: list[str], runs: int = 1) -> tuple[float, float]:
    """Seconds and CPU seconds of jieba segmenting the texts, each the least of `runs`."""
    import jieba

    jieba.initialize()
    timings = []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            jieba.lcut(text)
        timings.append((time.perf_counter() - start, time.process_time() - cpu))
    return min(wall for wall, _ in timings), min(cpu for _, cpu in timings)


def children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes so far, their own
    children (a build's workers) included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def kg_build(inputs: Path, out: Path, jobs: int,
             env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Seconds, peak RSS (MB) and CPU seconds of one `kg build` subprocess (with `env` added
    to the environment). On a machine shared with other work the CPU seconds vary much less
    than the seconds: waiting for a core counts in the one, not the other."""
    kg = Path(sys.executable).with_name("kg")
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run([str(kg), "build", str(inputs), "--out", str(out), "--jobs", str(jobs)],
                          capture_output=True, text=True, env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"kg build failed: {done.stderr}")
    return (seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            children_cpu() - cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--builds-only", action="store_true",
                    help="measure the builds, not the answers on the build")
    ap.add_argument("--cold-only", action="store_true",
                    help="measure the cold builds only (one per --jobs value)")
    ap.add_argument("--no-cache", action="store_true",
                    help="the corpus builds without the cache of the shared graphs' files "
                         "(by default they use the bench's own, filled by the first rows)")
    args = ap.parse_args()
    sources = sorted(args.texts.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    jieba, jieba_cpu = jieba_seconds(texts, JIEBA_RUNS)
    rows = [{"run": "jieba", "seconds": jieba, "cpu_seconds": round(jieba_cpu, 3),
             "characters": sum(map(len, texts))}]
    jieba = (jieba, jieba_cpu)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KG_CACHE_DIR"] = str(Path(tmp) / "cache")  # the bench's own, cold
        rows += fixed_part_rows(Path(tmp), jieba)
        if args.no_cache:
            os.environ["KG_NO_CACHE"] = "1"
        inputs = Path(tmp) / "texts"
        shutil.copytree(args.texts, inputs)
        for jobs in (int(j) for j in args.jobs.split(",")):
            out = Path(tmp) / f"build-{jobs}"
            load = load_now()
            row = measure(f"cold, --jobs {jobs}", kg_build(inputs, out, jobs), jieba)
            rows.append(row | {"load": [load, load_now()]})
        if args.cold_only:
            return print_rows(rows, args.out)
        rows.append(measure("unchanged rebuild", kg_build(inputs, out, jobs), jieba))
        shutil.copy(EXTRA, inputs / EXTRA.name)
        rows.append(measure("one document added", kg_build(inputs, out, jobs), jieba))
        changed = inputs / sources[0].name
        changed.write_text(texts[0] + "\n广西壮族自治区。\n", encoding="utf-8")
        rows.append(measure("one document changed", kg_build(inputs, out, jobs), jieba))
        rows.append({"run": "build folder size", "megabytes": folder_mb(out)})
        rows.append({"run": "store size (OUT/store)", "megabytes": folder_mb(out / "store")})
        if not args.builds_only:
            rows += answer_rows(out, Path(tmp) / "graph.trig", jieba[0])
    print_rows(rows, args.out)


def print_rows(rows: list[dict], out: Path | None) -> None:
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    if out:
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")


def load_now() -> float:
    """The machine's load average over the last minute."""
    return round(os.getloadavg()[0], 1)


# A text of one short sentence: its build is almost all the fixed part every build pays
ONE_SHORT_TEXT = "广西壮族自治区首府南宁市与北部湾城市群相连。\n"


def fixed_part_rows(tmp: Path, jieba: tuple[float, float]) -> list[dict]:
    """A cold build of one short text three ways: without the cache of the shared graphs'
    files (kg/build/cache.py), with it cold (the build fills it) and with it warm."""
    inputs = tmp / "one-short-text"
    inputs.mkdir()
    (inputs / "one.txt").write_text(ONE_SHORT_TEXT, encoding="utf-8")
    rows = []
    for name, env in (("no cache", {"KG_NO_CACHE": "1"}), ("cache cold", {}),
                      ("cache warm", {})):
        timing = kg_build(inputs, tmp / f"one-{name.replace(' ', '-')}", 1, env)
        rows.append(measure(f"one short text, cold build, {name}", timing, jieba))
    return rows


def kg_seconds(*args: str) -> float:
    """Seconds of one `kg` subprocess, which must succeed."""
    kg = Path(sys.executable).with_name("kg")
    start = time.perf_counter()
    done = subprocess.run([str(kg), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"kg {' '.join(args)} failed: {done.stderr}")
    return time.perf_counter() - start


def answer_rows(out: Path, trig: Path, jieba: float) -> list[dict]:
    """The catalogue's latency on the build: from its store, and from its graph in memory."""
    store = f"oxigraph:{out / 'store'}"
    rows = [measure("kg export graph (TriG) from the store",
                    (kg_seconds("export", "graph", "--store", store, "--out", str(trig)), 0),
                    jieba)]
    took = kg_seconds("query", "ASK {}", "--store", store)  # process start, imports, open
    rows.append(measure("kg query 'ASK {}', store (the fixed cost of a command)", (took, 0),
                        jieba))
    for name, where in (("store", ("--store", store)), ("memory", ("--graph", str(trig)))):
        took = kg_seconds("query", "most-mentioned-entities", *where)
        rows.append(measure(f"kg query most-mentioned-entities, {name}", (took, 0), jieba))
    slowest, total = catalogue_seconds(out / "store")
    rows.append(measure(f"slowest catalogue query in process, store ({slowest[0]})",
                        (slowest[1], 0), jieba))
    rows.append(measure("all catalogue queries in process, store", (total, 0), jieba))
    return rows


def catalogue_seconds(store: Path) -> tuple[tuple[str, float], float]:
    """Each catalogue query that reads only the graph, with its test case's parameters, on the
    store opened once: the slowest (name, seconds) and the sum."""
    sys.path.insert(0, str(ROOT))
    from kg.sparql.catalogue import catalogue
    from kg.store.base import StoreSpec
    from kg.store.registry import open_store

    graph_store = open_store(StoreSpec("oxigraph", str(store)))
    times = {}
    for name, path in sorted(catalogue().items()):
        text = path.read_text(encoding="utf-8")
        if "SERVICE" in text:
            continue
        start = time.perf_counter()
        list(graph_store.query(text, case_bindings(name)))
        times[name] = time.perf_counter() - start
    graph_store.close()
    slowest = max(times.items(), key=lambda kv: kv[1])
    return slowest, sum(times.values())


def case_bindings(name: str) -> dict:
    """The parameters the query's test case binds (as `kg why` or `--param` would): a query
    such as evidence-of-triple is asked about one triple, not run open over every triple."""
    from rdflib import URIRef

    case = ROOT / "tests" / "queries" / f"{name.replace('/', '--')}.json"
    if not case.is_file():
        return {}
    bindings = json.loads(case.read_text(encoding="utf-8")).get("bindings", {})
    return {key: URIRef(value) for key, value in bindings.items()}


def measure(run: str, timing: tuple[float, ...], jieba: float | tuple[float, float]) -> dict:
    """A row: seconds and their ratio to jieba's; with a build's timing (seconds, peak RSS,
    CPU seconds) and jieba's (seconds, CPU seconds), the peak and the CPU ratio too."""
    seconds, peak_mb, *cpu = timing
    wall = jieba[0] if isinstance(jieba, tuple) else jieba
    row = {"run": run, "seconds": round(seconds, 3), "x_jieba": round(seconds / wall, 3)}
    if cpu and isinstance(jieba, tuple):
        row |= {"cpu_seconds": round(cpu[0], 3), "cpu_x_jieba": round(cpu[0] / jieba[1], 3)}
    return {**row, "peak_rss_mb_so_far": round(peak_mb)} if peak_mb else row


def folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


if __name__ == "__main__":
    main()
