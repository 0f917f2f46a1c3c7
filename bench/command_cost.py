"""The fixed cost of a reading command in two source trees, measured alternately (the same
minutes, the same load): the median CPU seconds of `kg query QUERY` on each tree's store, with
the bytecode not kept and kept, each as a ratio to jieba segmenting the texts in the same run.

    python bench/command_cost.py NAME=TREE:STORE NAME=TREE:STORE [--runs 7] [--query 'ASK {}' …]

e.g. `main=/work/main:/tmp/q27/store this=.:/tmp/q27/store`. Each `kg` runs with the tree first
on PYTHONPATH. "Not kept": PYTHONDONTWRITEBYTECODE=1 (as on the project's machines: each
process compiles every kg module); "kept": PYTHONPYCACHEPREFIX, a folder per tree, as an
installed kg runs. The first run of each fills the bytecode and is not counted.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from build_scale import DEFAULT_TEXTS, jieba_seconds


def child_cpu(cmd: list[str], env: dict[str, str]) -> float:
    """The CPU seconds (user and system) of one command, run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def tree_env(tree: Path, bytecode: Path | None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree.resolve()))
    if bytecode is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    return env


def medians(trees: dict[str, tuple[Path, Path]], query: str, runs: int,
            bytecode: Path | None) -> dict[str, float]:
    """Each tree's median CPU seconds for `kg query QUERY`, the trees taking turns."""
    kg = str(Path(sys.executable).with_name("kg"))
    times: dict[str, list[float]] = {name: [] for name in trees}
    for run in range(runs + 1):
        for name, (tree, store) in trees.items():
            env = tree_env(tree, bytecode / name if bytecode else None)
            seconds = child_cpu([kg, "query", query, "--store", f"oxigraph:{store}"], env)
            if run:
                times[name].append(seconds)
    return {name: statistics.median(t) for name, t in times.items()}


def parse_tree(text: str) -> tuple[str, tuple[Path, Path]]:
    name, _, rest = text.partition("=")
    tree, _, store = rest.partition(":")
    if not (name and tree and store):
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=TREE:STORE")
    return name, (Path(tree), Path(store))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="+", type=parse_tree, metavar="NAME=TREE:STORE")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--query", nargs="+", default=["ASK {}", "answers/documents"])
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    args = ap.parse_args()
    trees = dict(args.trees)
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.texts.glob("*.txt"))]
    jieba = jieba_seconds(texts)[1]
    print(f"jieba on {len(texts)} texts: {jieba:.3f} CPU s")
    with tempfile.TemporaryDirectory(prefix="kg-bytecode-") as folder:
        for query in args.query:
            for kept in (False, True):
                cost = medians(trees, query, args.runs, Path(folder) if kept else None)
                cells = ", ".join(f"{name} {s:.3f} CPU s ({s / jieba:.3f}x)"
                                  for name, s in cost.items())
                print(f"{query!r:24} bytecode {'kept' if kept else 'not kept':9} {cells}")


if __name__ == "__main__":
    main()
