"""Ways to replace named graphs in an Oxigraph store, timed on the same data in the same run: what
`kg load --store oxigraph:PATH` does (a copy of the store, bulk-loaded, swapped in: atomic), and
the alternatives it was chosen over.

    python bench/synth.py build/graph.trig 5 bench/data/graph-5x.nq
    python bench/store_writes.py bench/data/graph-5x.nq [--base FILE] [--repeat 3]

The store to write into is filled first with `--base` (default: the graph file itself, so every
graph is replaced: a corpus reloaded). Each run starts from a fresh copy of that store and runs
in its own child process, whose peak RSS is reported. Variants (`--variants`):

- `swap-bulk`: kg's own code (kg.load.load): checkpoint, clear + bulk load in the copy, swap;
  atomic.
- `swap-load`: the same with one `Store.load` transaction in the copy; atomic.
- `inplace-load`: clear each graph, then one `Store.load`, in the store itself (kg load before
  the swap, under 256 MB): a kill between the clears and the load's commit loses graphs.
- `inplace-bulk`: the same with the bulk loader (kg load before the swap, above 256 MB).
- `update`: one SPARQL Update transaction, `DROP GRAPH … ; INSERT DATA { … }`; atomic.

After each run the store's quads are counted; every variant must give the same count.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg.store.base import StoreSpec
from kg.store.load import load

FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


def graph_names(data: Path) -> list[ox.NamedNode]:
    quads = ox.parse(path=data, format=FORMATS[data.suffix])
    return list(dict.fromkeys(q.graph_name for q in quads))


def swap_bulk(store: Path, data: Path) -> None:
    load(StoreSpec("oxigraph", str(store)), data)


def swap_load(store: Path, data: Path) -> None:
    from kg.store.load import rewrite_oxigraph

    names = graph_names(data)

    def fill(copy: ox.Store) -> None:
        for name in names:
            copy.clear_graph(name)
        copy.load(path=data, format=FORMATS[data.suffix])

    rewrite_oxigraph(store, fill, [n.value for n in names], 0.0, "load into it")


def in_place(bulk: bool) -> Callable[[Path, Path], None]:
    def run(store: Path, data: Path) -> None:
        names = graph_names(data)
        s = ox.Store(str(store))
        for name in names:
            s.clear_graph(name)
        (s.bulk_load if bulk else s.load)(path=data, format=FORMATS[data.suffix])
        s.flush()
    return run


def one_update(store: Path, data: Path) -> None:
    quads = ox.parse(path=data, format=FORMATS[data.suffix])
    drops = " ".join(f"DROP SILENT GRAPH {name} ;" for name in graph_names(data))
    inserts = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                        for q in quads)
    s = ox.Store(str(store))
    s.update(f"{drops}\nINSERT DATA {{\n{inserts}\n}}")
    s.flush()


VARIANTS = {"swap-bulk": swap_bulk, "swap-load": swap_load, "inplace-load": in_place(False),
            "inplace-bulk": in_place(True), "update": one_update}


def in_child(run: Callable[[], int]) -> tuple[float, int, int]:
    """(seconds, peak RSS in MiB, quads after) of `run` in a forked child."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        t = time.perf_counter()
        quads = run()
        os.write(write, pickle.dumps((time.perf_counter() - t, quads)))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    if status != 0 or not data:
        raise RuntimeError(f"the run failed (wait status {status})")
    seconds, quads = pickle.loads(data)
    return seconds, usage.ru_maxrss // 1024, quads


def measure(name: str, base_store: Path, data: Path, work: Path) -> tuple[float, int, int]:
    store = work / name
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(base_store, store)

    def run() -> int:
        VARIANTS[name](store, data)
        return len(ox.Store.read_only(str(store)))

    try:
        return in_child(run)
    finally:
        shutil.rmtree(store, ignore_errors=True)


def fill_base(store: Path, data: Path) -> int:
    """In a child too: the parent never starts RocksDB's threads, which a fork would not copy."""
    ox.Store(str(store)).bulk_load(path=data, format=FORMATS[data.suffix])
    return len(ox.Store.read_only(str(store)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="the graph file to load (.trig or .nq)")
    ap.add_argument("--base", type=Path, help="what the store holds first (default: DATA)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per variant, median (default 3)")
    ap.add_argument("--variants", default=",".join(VARIANTS),
                    help=f"comma-separated, of {', '.join(VARIANTS)}")
    ap.add_argument("--work", type=Path, help="folder for the stores (default: a temp folder "
                    "beside DATA, removed at the end)")
    args = ap.parse_args()
    names = args.variants.split(",")
    work = Path(tempfile.mkdtemp(prefix="store-writes-", dir=args.work or args.data.parent))
    try:
        base_store = work / "base"
        base = args.base or args.data
        _, _, base_quads = in_child(lambda: fill_base(base_store, base))
        print(f"{args.data.name} ({args.data.stat().st_size / 2**20:.0f} MiB) over a store of "
              f"{base_quads:,} quads ({base.name}); median of {args.repeat}, {os.cpu_count()} "
              f"cores, load average {os.getloadavg()[0]:.1f}\n")
        print("| variant | s | peak RSS MiB | quads after |\n|---|---:|---:|---:|")
        for name in names:
            runs = [measure(name, base_store, args.data, work) for _ in range(args.repeat)]
            quads = {q for _, _, q in runs}
            print(f"| {name} | {statistics.median(s for s, _, _ in runs):.2f} | "
                  f"{max(m for _, m, _ in runs):,} | {', '.join(f'{q:,}' for q in quads)} |",
                  flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
