"""Each catalogue query on a build's store, as a ratio to jieba segmenting the build's texts in
the same run (machine speed and load cancel out, mostly).

    python bench/catalogue_speed.py STORE [--texts DIR] [--repeat 3] [--only NAME …]

STORE is a build's Oxigraph store (e.g. `kg build ../shared/corpus-dev/gwr-2025 --out /tmp/q27`
then /tmp/q27/store); --texts the texts it was built from (default: the 27 reports of
../shared/corpus-dev/gwr-2025). Each query that reads only the graph runs with its test case's
parameters (`case_bindings`, as `kg why` or `--param` bind them) in this process on the store
opened once, the best of --repeat runs, rows read to the end. Then the fixed cost of a command:
`kg query 'ASK {}'` on the store, a subprocess as a user runs it (start, imports, opening), the
best of --repeat; where PYTHONDONTWRITEBYTECODE is set (it is on the project's machines), once
more with the bytecode kept, as an installed kg runs. Issue 14's target: each query within 1/20
of jieba (`x_jieba` ≤ 0.05).
Each is given in seconds and in CPU seconds (the process's own, or the subprocess's), each as a
ratio to jieba's of the same kind: on a machine shared with other work the CPU ratio is the
steadier one (waiting for a core counts in seconds only).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from build_scale import DEFAULT_TEXTS, case_bindings, children_cpu, jieba_seconds

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1 / 20  # of jieba's time on the same texts (issue 14)


Timing = tuple[float, float]  # seconds, CPU seconds


def best_of(repeat: int, fn: Callable, cpu_clock: Callable[[], float] = time.process_time):
    """The least seconds and the least CPU seconds of `repeat` runs, and the last result."""
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), cpu_clock()
        result = fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, cpu_clock() - cpu_start)
    return (wall, cpu), result


def query_seconds(store: Path, names: list[str], repeat: int) -> dict[str, tuple[Timing, int]]:
    """Each query's best times and its number of rows, on the store opened once."""
    sys.path.insert(0, str(ROOT))
    from kg.sparql.catalogue import catalogue
    from kg.store.base import StoreSpec
    from kg.store.registry import open_store

    graph_store = open_store(StoreSpec("oxigraph", str(store)))
    timed = {}
    try:
        for name, path in sorted(catalogue().items()):
            text = path.read_text(encoding="utf-8")
            if "SERVICE" in text or (names and name not in names):
                continue
            bindings = case_bindings(name)
            timing, rows = best_of(repeat, lambda t=text, b=bindings:
                                   list(graph_store.query(t, b)))
            timed[name] = (timing, len(rows))
    finally:
        graph_store.close()
    return timed


def command_seconds(store: Path, repeat: int, bytecode: Path | None = None) -> Timing:
    """`kg query 'ASK {}'` on the store: what every reading command costs before its work.
    With `bytecode`, Python keeps the modules' compiled bytecode there (PYTHONPYCACHEPREFIX),
    as an installed kg has it, whatever PYTHONDONTWRITEBYTECODE says; a first run fills it."""
    kg = Path(sys.executable).with_name("kg")
    env = dict(os.environ)
    if bytecode is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)

    def ask() -> None:
        subprocess.run([str(kg), "query", "ASK {}", "--store", f"oxigraph:{store}"],
                       check=True, capture_output=True, env=env)

    if bytecode is not None:
        ask()
    return best_of(repeat, ask, children_cpu)[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=[], metavar="NAME",
                    help="only these catalogue names (answers/…, checks/…)")
    args = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.texts.glob("*.txt"))]
    jieba = jieba_seconds(texts)
    print(f"jieba on {len(texts)} texts ({sum(map(len, texts)):,} characters): {jieba[0]:.3f} s, "
          f"{jieba[1]:.3f} CPU s")
    timed = query_seconds(args.store, args.only, args.repeat)
    print(f"{'query':45} {'seconds':>8} {'x jieba':>8} {'CPU s':>8} {'x jieba':>8} {'rows':>6}")
    for name, (timing, rows) in sorted(timed.items(), key=lambda kv: -kv[1][0][1]):
        mark = "" if timing[1] / jieba[1] <= TARGET else "  above 1/20"
        print(f"{name:45} {ratios(timing, jieba)} {rows:6}{mark}")
    total = tuple(sum(timing[i] for timing, _ in timed.values()) for i in (0, 1))
    print(f"{'all, one after the other':45} {ratios(total, jieba)}")
    fixed = command_seconds(args.store, args.repeat)
    print(f"{'kg query ASK {} (a subprocess)':45} {ratios(fixed, jieba)}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):  # each process compiles every kg module
        with tempfile.TemporaryDirectory(prefix="kg-bytecode-") as bytecode:
            fixed = command_seconds(args.store, args.repeat, Path(bytecode))
        print(f"{'  the same, its bytecode kept':45} {ratios(fixed, jieba)}")


def ratios(timing: Timing, jieba: Timing) -> str:
    """Seconds and CPU seconds, each with its ratio to jieba's."""
    return (f"{timing[0]:8.3f} {timing[0] / jieba[0]:8.3f} "
            f"{timing[1]:8.3f} {timing[1] / jieba[1]:8.3f}")

if __name__ == "__main__":
    main()
