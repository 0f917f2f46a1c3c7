"""`kg build` at 1, 10, 100 and 1,000 documents: how its time, memory and store grow.

    python bench/build_sizes.py [--sizes 1,10,100,1000] [--texts DIR] [--jobs 1] [--out FILE.json]

The corpus of size N is the texts of DIR (default: ../shared/corpus-dev/gwr-2025, the 27
provincial reports) taken in turn; past the first round each copy is a variant, its body
paragraphs shuffled by a seeded permutation (its opening lines, which carry the title and the
year, stay first), so every document is new to the build and reads like a report. For each size,
in one run: jieba segmenting those N texts (the baseline), a cold `kg build`, a rebuild after
adding one document and one after changing one, each a subprocess with its peak memory, and the
size of the build's store. The peak is that of the build's whole process tree: the RSS of the
build and of its workers (`--jobs`) summed at the same moment, sampled from /proc every
`SAMPLE_SECONDS`, or the build process's own peak (the kernel's, exact) where that is higher;
a worker's own peak alone would hide the parent's memory, and the parent's its workers'. The
RSS sum counts the pages forked workers share with the build in each of them; the peak of the
tree's PSS (`peak_pss_mb`), which counts them once, is the memory the tree takes (a shared
library's pages that other processes of the machine map too count in part, so it is a little
below the RSS even for one process).
Every time is also given as a ratio to jieba on the same N texts, and each size's cold build
as a ratio to the size before (the slope: 10× the documents should cost at most 10× the time).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from build_scale import jieba_seconds  # the same baseline as the 27-report bench

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared" / "corpus-dev" / "gwr-2025"
KEPT_LINES = 3  # the title, the date and the speaker's line stay where a report has them
SAMPLE_SECONDS = 0.1  # between two samples of the build's process tree


def variant(text: str, seed: int) -> str:
    """The text with its body paragraphs in a seeded order (seed 0: the text itself)."""
    if seed == 0:
        return text
    lines = text.split("\n")
    head, body = lines[:KEPT_LINES], lines[KEPT_LINES:]
    random.Random(seed).shuffle(body)
    return "\n".join(head + body)


def corpus(texts: list[tuple[str, str]], size: int) -> list[tuple[str, str]]:
    """`size` (file name, text) pairs: the texts in turn, variants past the first round."""
    out = []
    for i in range(size):
        name, text = texts[i % len(texts)]
        round_ = i // len(texts)
        out.append((f"{Path(name).stem}-v{round_}.txt", variant(text, round_)))
    return out


def process_tree(root: int) -> list[int]:
    """The process and its descendants, from /proc (Linux): each process's children are in
    /proc/PID/task/TID/children."""
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue  # the task ended meanwhile
    return tree


def proc_kb_field_mb(pid: int, name: str, field: str) -> float:
    """A kB field of /proc/PID/NAME (e.g. status's VmRSS), in MB; 0 if the process ended."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass  # the process ended meanwhile
    return 0.0


def rss_mb(pid: int) -> float:
    return proc_kb_field_mb(pid, "status", "VmRSS")


def tree_rss_mb(root: int) -> float:
    """The RSS of the process and its descendants now, summed (MB). Forked workers share the
    parent's pages until they write them, and each one's RSS counts them again: the sum is an
    upper bound of the memory the tree takes."""
    return sum(rss_mb(pid) for pid in process_tree(root))


def pss_mb(pid: int) -> float:
    """The process's proportional set size: each page shared by n processes counts 1/n."""
    return proc_kb_field_mb(pid, "smaps_rollup", "Pss")


def tree_pss_mb(root: int) -> float:
    """The memory the process tree takes now (MB): its processes' PSS summed, which counts a
    page shared copy-on-write between the build and its workers once."""
    return sum(pss_mb(pid) for pid in process_tree(root))


class TreePeak:
    """Samples a process tree's summed RSS and PSS in a thread until the process is reaped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.peak_pss = pid, 0.0, 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            self.peak_pss = max(self.peak_pss, tree_pss_mb(self.pid))

    def stop(self) -> tuple[float, float]:
        self.done.set()
        self.thread.join()
        return self.peak, self.peak_pss


def kg_build(inputs: Path, out: Path, jobs: int) -> tuple[float, float, float, float]:
    """Seconds, peak memory (MB), CPU seconds and peak PSS (MB) of one `kg build` subprocess
    (its workers included): the peak is the higher of its process tree's sampled RSS sum and
    its own exact peak; the PSS counts the pages its workers share with it once."""
    kg = Path(sys.executable).with_name("kg")
    start = time.perf_counter()
    process = subprocess.Popen([str(kg), "build", str(inputs), "--out", str(out), "--jobs",
                                str(jobs)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreePeak(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    tree_peak, tree_pss = sampler.stop()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"kg build failed: {process.stderr.read().decode()}")
    process.stderr.close()
    return (seconds, max(tree_peak, usage.ru_maxrss / 1024), usage.ru_utime + usage.ru_stime,
            tree_pss)


def write(folder: Path, docs: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs:
        (folder / name).write_text(text, encoding="utf-8")


def folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def row(size: int, run: str, timing: tuple[float, float, float, float],
        jieba: tuple[float, float]) -> dict:
    """A build's row: seconds and CPU seconds, each as a ratio to jieba's, and its peaks."""
    seconds, peak, cpu, pss = timing
    return {"documents": size, "run": run, "seconds": round(seconds, 2),
            "x_jieba": round(seconds / jieba[0], 2), "cpu_seconds": round(cpu, 2),
            "cpu_x_jieba": round(cpu / jieba[1], 2), "peak_rss_mb": round(peak),
            "peak_pss_mb": round(pss)}


def measure_size(texts: list[tuple[str, str]], size: int, jobs: int, tmp: Path) -> list[dict]:
    docs = corpus(texts, size + 1)  # the last one is the document added
    jieba = jieba_seconds([text for _, text in docs[:size]])
    inputs, out = tmp / f"texts-{size}", tmp / f"build-{size}"
    write(inputs, docs[:size])
    rows = [{"documents": size, "run": "jieba", "seconds": round(jieba[0], 2),
             "cpu_seconds": round(jieba[1], 3),
             "characters": sum(len(text) for _, text in docs[:size])},
            row(size, "cold build", kg_build(inputs, out, jobs), jieba)]
    write(inputs, docs[size:])
    rows.append(row(size, "one document added", kg_build(inputs, out, jobs), jieba))
    name, text = docs[0]
    (inputs / name).write_text(text + "\n广西壮族自治区。\n", encoding="utf-8")
    rows.append(row(size, "one document changed", kg_build(inputs, out, jobs), jieba))
    rows.append({"documents": size, "run": "store size", "megabytes": folder_mb(out / "store")})
    return rows


def with_slopes(rows: list[dict]) -> list[dict]:
    """Each cold build's time as a multiple of the previous size's."""
    cold = [r for r in rows if r["run"] == "cold build"]
    for before, after in itertools.pairwise(cold):
        after["x_previous_size"] = round(after["seconds"] / before["seconds"], 2)
        after["cpu_x_previous_size"] = round(after["cpu_seconds"] / before["cpu_seconds"], 2)
        after["documents_ratio"] = round(after["documents"] / before["documents"], 2)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,100,1000")
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(args.texts.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt texts in {args.texts}")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            for r in measure_size(texts, size, args.jobs, Path(tmp)):
                print(json.dumps(r, ensure_ascii=False), flush=True)
                rows.append(r)
            for done in Path(tmp).iterdir():  # a 1,000-document build is gigabytes
                shutil.rmtree(done)
    rows = with_slopes(rows)
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    for r in rows:
        if "x_previous_size" in r:
            print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
