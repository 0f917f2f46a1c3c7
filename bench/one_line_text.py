"""A text without line breaks against the same text with them: the whole `kg build`, step by
step, in the same process (issue 10: 2 MB on one line took 289 s and 1 GB).

    python bench/one_line_text.py [--mb 2] [--repeat 1]

The text is the provincial government work reports of ../shared/corpus-dev/gwr-2025 (the
article, repeated, where that is absent), repeated to `--mb` MB of UTF-8; the one-line variant
is the same text with its line breaks removed. Each build is the real one (`build_sources`,
into a temporary folder) and its steps are timed where the build reports them to its progress
output. Prints one JSON line per variant and one with the ratios one-line / with breaks.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from extract.pipeline import Extractor
from kg.build.run import build_sources
from kg.inputs.files import SourceText
from kg.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT.parent / "shared" / "corpus-dev" / "gwr-2025"
ARTICLE = ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt"


class StepTimer(Progress):
    """Progress that prints nothing and notes when each step of the build begins."""

    def __init__(self) -> None:
        super().__init__(enabled=False)
        self.marks: list[tuple[str, float]] = []

    def start(self, documents: int, characters: int) -> None:
        self.marks.append(("extract", time.perf_counter()))
        super().start(documents, characters)

    def step(self, what: str, number: int | None = None) -> None:
        if not self.marks or self.marks[-1][0] != what:
            self.marks.append((what, time.perf_counter()))
        super().step(what, number)

    def durations(self, end: float) -> dict[str, float]:
        ends = [t for _, t in self.marks[1:]] + [end]
        return {name: round(e - t, 2) for (name, t), e in zip(self.marks, ends, strict=True)}


def source_text(mb: float) -> str:
    paths = sorted(REPORTS.glob("*.txt")) or [ARTICLE]
    base = "".join(p.read_text(encoding="utf-8") for p in paths)
    size = int(mb * 1_000_000)
    text = base * (size // len(base.encode("utf-8")) + 1)
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def measure(name: str, text: str, extractor: Extractor) -> dict:
    timer = StepTimer()
    source = SourceText(name, Path(f"{name}.txt"), text, "utf-8")
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        result = build_sources([source], Path(out), extractor, timer)
        end = time.perf_counter()
        graph_mb = (Path(out) / "graph.trig").stat().st_size / 1e6
    doc = result.documents[0]
    # the graph's size: a text without headings is one recommendation section (many actions)
    return {"text": name, "characters": len(text), "line_breaks": text.count("\n"),
            "mentions": result.report["documents"][doc]["mentions"],
            "recommendations_found": result.report["recommendations_per_document"][doc],
            "graph_mb": round(graph_mb, 1), "total_s": round(end - started, 2),
            **timer.durations(end)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=2.0)
    args = ap.parse_args()
    text = source_text(args.mb)
    extractor = Extractor()
    rows = [measure("with-breaks", text, extractor),
            measure("one-line", "".join(text.split("\n")), extractor)]
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    lines, one = rows
    ratios = {k: round(one[k] / lines[k], 2) for k in lines
              if isinstance(lines[k], int | float) and lines[k] > 0}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"one-line / with-breaks": ratios, "peak_rss_mb": round(peak_mb)}))


if __name__ == "__main__":
    main()
