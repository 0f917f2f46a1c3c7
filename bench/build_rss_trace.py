"""How a `kg build`'s memory grows while its documents run: the resident set (RSS) of the build's
process tree (the build and its workers, summed at the same moment), sampled from /proc, against
the documents done so far (the summaries cached in OUT/documents); and the tree's PSS, which
counts a page shared copy-on-write by the build and its forked workers once (the RSS sum counts
it in each).

    python bench/build_rss_trace.py [--documents 200] [--texts DIR] [--jobs 1] [--every 0.5]

The corpus is that of bench/build_sizes.py (the dev reports in turn, shuffled variants past the
first round). Prints one JSON row per sample where the count of documents changed, then the
growth per document between the first tenth of the documents and the end (a straight line
through the samples, MB a document), and the peak of the tree.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_sizes import DEFAULT_TEXTS, corpus, tree_pss_mb, tree_rss_mb, write


def documents_done(out: Path) -> int:
    folder = out / "documents"
    return sum(1 for _ in folder.glob("*.summary.json")) if folder.is_dir() else 0


def slope(points: list[tuple[int, float]]) -> float:
    """The least-squares slope of RSS (MB) over documents."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=200)
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    args = ap.parse_args()
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(args.texts.glob("*.txt"))]
    kg = Path(sys.executable).with_name("kg")
    with tempfile.TemporaryDirectory() as tmp:
        inputs, out = Path(tmp) / "texts", Path(tmp) / "build"
        write(inputs, corpus(texts, args.documents))
        process = subprocess.Popen([str(kg), "build", str(inputs), "--out", str(out),
                                    "--jobs", str(args.jobs)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples: list[tuple[int, float]] = []
        peak, peak_pss, last = 0.0, 0.0, -1
        while process.poll() is None:
            rss, done = tree_rss_mb(process.pid), documents_done(out)
            pss = tree_pss_mb(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            if done != last and rss:
                samples.append((done, rss))
                print(json.dumps({"documents": done, "tree_rss_mb": round(rss, 1),
                                  "tree_pss_mb": round(pss, 1),
                                  "seconds": round(time.monotonic(), 1)}), flush=True)
                last = done
            time.sleep(args.every)
    running = [(d, r) for d, r in samples if args.documents // 10 <= d < args.documents]
    print(json.dumps({"documents": args.documents, "peak_tree_rss_mb": round(peak),
                      "peak_tree_pss_mb": round(peak_pss),
                      "mb_per_document": round(slope(running), 3),
                      "exit": process.returncode}))


if __name__ == "__main__":
    main()
