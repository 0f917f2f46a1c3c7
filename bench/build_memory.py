"""What one document's `kg build` holds in memory, step by step: the resident set (RSS) of this
process after each import and load, and what each step added.

    python bench/build_memory.py [TEXT]  (default: the first report of the dev corpus)

The steps are those of `kg build` on one document, in its order: the imports, the gazetteer,
the extraction pipeline (jieba, spaCy, the automata), the shared graphs (ontology, reference
data), the document's step (extract, graph, validate), then the build writing its store.
Run in a fresh process: the figures are the fixed cost every build pays before its documents.
All in this one process: a build makes the shared graphs in a child process instead
(kg/build/shared.py), so its own process does not hold them (docs/scale.md, "Memory").
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXT = ROOT.parent / "shared" / "corpus-dev" / "gwr-2025" / "gwr-2025-anhui.txt"


def rss_mb() -> float:
    """This process's resident set now, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS in /proc/self/status: Linux only")


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc/self/status: Linux only")


class Steps:
    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.last = rss_mb()
        self.rows.append({"step": "python started", "rss_mb": round(self.last)})

    def done(self, step: str, started: float) -> None:
        gc.collect()
        now = rss_mb()
        self.rows.append({"step": step, "rss_mb": round(now), "added_mb": round(now - self.last),
                          "peak_mb": round(peak_mb()),
                          "seconds": round(time.perf_counter() - started, 2)})
        self.last = now


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("text", nargs="?", type=Path, default=DEFAULT_TEXT)
    args = ap.parse_args()
    steps = Steps()
    t = time.perf_counter()
    import rdflib  # noqa: F401

    steps.done("import rdflib", t)
    t = time.perf_counter()
    from kg.build import run
    from kg.build import steps as build_steps
    from kg.inputs.files import read_sources

    steps.done("import kg.build.run and kg.build.steps (and what they import)", t)
    t = time.perf_counter()
    from extract.pipeline import Extractor

    steps.done("import extract.pipeline (spaCy, jieba)", t)
    t = time.perf_counter()
    from extract import gazetteer

    gaz = gazetteer.default()
    steps.done("the gazetteer", t)
    t = time.perf_counter()
    extractor = Extractor()
    steps.done("Extractor() (its automata, jieba's dictionary, spaCy's pipeline)", t)
    t = time.perf_counter()
    shared = build_steps.corpus_dataset(gaz)
    steps.done("corpus_dataset: the ontology and reference graphs", t)
    t = time.perf_counter()
    from kg import iris
    from kg.build.validate import DocumentValidator

    validator = DocumentValidator(shared.graph(iris.graph("reference")))
    steps.done("DocumentValidator", t)
    t = time.perf_counter()
    sources = read_sources([args.text])
    steps.done("read the text", t)
    t = time.perf_counter()
    result = build_steps.document_step(sources[0], extractor, validator)
    steps.done("document_step (extract, graph, validate)", t)
    del result
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        run.build_sources(sources, Path(out), extractor)
    steps.done("build_sources of that document (the step again, the store, the outputs)", t)
    for row in steps.rows:
        print(json.dumps(row, ensure_ascii=False), file=sys.stdout)


if __name__ == "__main__":
    main()
