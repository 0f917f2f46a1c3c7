"""Each catalogue query on a build's store, as a ratio to jieba segmenting the build's texts in
the same run (machine speed and load cancel out, mostly).

    python bench/catalogue_speed.py STORE [--texts DIR] [--repeat 3] [--only NAME …]

STORE is a build's Oxigraph store (e.g. `kg build ../shared/corpus-dev/gwr-2025 --out /tmp/q27`
then /tmp/q27/store); --texts the texts it was built from (default: the 27 reports of
../shared/corpus-dev/gwr-2025). Each query that reads only the graph runs with its test case's
parameters (`case_bindings`, as `kg why` or `--param` bind them) in this process on the store
opened once, the best of --repeat runs, rows read to the end. Then the fixed cost of a command:
`kg query 'ASK {}'` on the store, a subprocess as a user runs it (start, imports, opening), the
best of --repeat. Issue 14's target: each query within 1/20 of jieba (`x_jieba` ≤ 0.05).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from build_scale import DEFAULT_TEXTS, case_bindings, jieba_seconds
from build_steps import best_of

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1 / 20  # of jieba's time on the same texts (issue 14)


def query_seconds(store: Path, names: list[str], repeat: int) -> dict[str, tuple[float, int]]:
    """Each query's best time and its number of rows, on the store opened once."""
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
            seconds, rows = best_of(repeat, lambda t=text, b=bindings:
                                    list(graph_store.query(t, b)))
            timed[name] = (seconds, len(rows))
    finally:
        graph_store.close()
    return timed


def command_seconds(store: Path, repeat: int) -> float:
    """`kg query 'ASK {}'` on the store: what every reading command costs before its work."""
    kg = Path(sys.executable).with_name("kg")

    def ask() -> None:
        subprocess.run([str(kg), "query", "ASK {}", "--store", f"oxigraph:{store}"],
                       check=True, capture_output=True)

    return best_of(repeat, ask)[0]


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
    print(f"jieba on {len(texts)} texts ({sum(map(len, texts)):,} characters): {jieba:.3f} s")
    timed = query_seconds(args.store, args.only, args.repeat)
    print(f"{'query':45} {'seconds':>8} {'x jieba':>8} {'rows':>6}")
    for name, (seconds, rows) in sorted(timed.items(), key=lambda kv: -kv[1][0]):
        mark = "" if seconds / jieba <= TARGET else "  above 1/20"
        print(f"{name:45} {seconds:8.3f} {seconds / jieba:8.3f} {rows:6}{mark}")
    total = sum(s for s, _ in timed.values())
    print(f"{'all, one after the other':45} {total:8.3f} {total / jieba:8.3f}")
    fixed = command_seconds(args.store, args.repeat)
    print(f"{'kg query ASK {} (a subprocess)':45} {fixed:8.3f} {fixed / jieba:8.3f}")


if __name__ == "__main__":
    main()
