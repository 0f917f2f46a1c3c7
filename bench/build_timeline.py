"""Where the seconds of one cold `kg build` go: a timeline of its phases, each with its seconds
and the CPU seconds of the build's process and of its children (the documents' process, the
shared graphs' child, `--jobs` workers), read from /proc at each of the build's progress calls.

    python bench/build_timeline.py [--texts DIR] [--jobs 1] [--no-cache]

The build runs in this process as `kg build` runs it (its documents in a process of their own),
with a `Progress` that records each call instead of drawing a line: the runner's start (until
its first document starts), each document, the wait for the last one, the store's load and the
outputs. The cache of the shared graphs' files is the bench's own, filled by a first build of
one short text (as bench/build_scale.py does), unless `--no-cache`. Prints one JSON row per
phase and the load average before and after; the machine is shared, so compare CPU seconds
and the phases' shares, not seconds across runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.progress import Progress  # noqa: E402

DEFAULT_TEXTS = ROOT.parent / "shared" / "corpus-dev" / "gwr-2025"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def live_children_cpu(parent: int) -> float:
    """CPU seconds of the live descendants of `parent` (from /proc/PID/stat)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12]))
                                  / CLOCK_TICKS)
    below, todo = set(), [parent]
    while todo:
        pid = todo.pop()
        for child, (ppid, _) in stats.items():
            if ppid == pid and child not in below:
                below.add(child)
                todo.append(child)
    return sum(stats[pid][1] for pid in below)


def children_cpu() -> float:
    """CPU seconds of this process's children: the ended (waited for) and the live ones."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + live_children_cpu(os.getpid())


class Timeline(Progress):
    """A Progress that records (what, seconds, own CPU seconds, children's CPU seconds) at each
    call that starts a phase."""

    def __init__(self) -> None:
        super().__init__(enabled=False)
        self.marks: list[tuple[str, float, float, float]] = []
        self.mark("start")

    def mark(self, what: str) -> None:
        self.marks.append((what, time.perf_counter(), time.process_time(), children_cpu()))

    def start(self, documents: int, characters: int) -> None:
        super().start(documents, characters)
        self.mark("runner and shared graphs started")

    def document_started(self, number: int) -> None:
        super().document_started(number)
        self.mark(f"document {number} started")

    def step(self, what: str, number: int | None = None) -> None:
        super().step(what, number)
        if number is None:
            self.mark(what)

    def close(self) -> None:
        self.mark("end")


def phases(marks: list[tuple[str, float, float, float]]) -> list[dict]:
    """One row per phase between two marks; the documents' middle marks merged into one."""
    keep = [m for m in marks if not m[0].startswith("document ") or m[0] in (
        "document 1 started", marks_last_document(marks))]
    rows = []
    for (what, wall, own, kids), (_, wall2, own2, kids2) in itertools.pairwise(keep):
        rows.append({"from": what, "seconds": round(wall2 - wall, 2),
                     "build_cpu": round(own2 - own, 2), "children_cpu": round(kids2 - kids, 2)})
    total = keep[-1][1] - keep[0][1], keep[-1][2] - keep[0][2], keep[-1][3] - keep[0][3]
    rows.append({"from": "total", "seconds": round(total[0], 2),
                 "build_cpu": round(total[1], 2), "children_cpu": round(total[2], 2)})
    return rows


def marks_last_document(marks: list[tuple[str, float, float, float]]) -> str:
    return [m[0] for m in marks if m[0].startswith("document ")][-1]


def build_once(inputs: list[Path], out: Path, jobs: int) -> list[dict]:
    from kg.build.run import build

    timeline = Timeline()
    build(inputs, out, progress=timeline, jobs=jobs)
    return phases(timeline.marks)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KG_CACHE_DIR"] = str(Path(tmp) / "cache")
        if args.no_cache:
            os.environ["KG_NO_CACHE"] = "1"
        else:  # the cache filled, as a user's is after the first build
            short = Path(tmp) / "short.txt"
            short.write_text("广西壮族自治区首府南宁市与北部湾城市群相连。\n", encoding="utf-8")
            build_once([short], Path(tmp) / "warm", 1)
        load = os.getloadavg()[0]
        rows = build_once(sorted(args.texts.glob("*.txt")), Path(tmp) / "build", args.jobs)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    print(json.dumps({"load": [round(load, 1), round(os.getloadavg()[0], 1)]}))


if __name__ == "__main__":
    main()
