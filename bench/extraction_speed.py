"""Extraction speed against two baselines measured in the same run.

    python bench/extraction_speed.py [--chars 2000000] [--repeat 3] [--ner]

Baselines: jieba segmenting the same text (what a segment-everything pipeline would cost), and
one Aho-Corasick pass with 10,000 phrases (the floor of any gazetteer matcher). What is timed
is the entity extraction (`Extractor.entities`: normalising, matching, boundaries, linking);
the later steps of a document's record are timed by bench/build_steps.py. The target of the
project is at least 1 M chars/s per core for it. `--ner` also times the extraction with the
NER model beside the rules (`Extractor(ner=True)`, extract/ner.py) and its ratio to jieba.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import ahocorasick
import jieba

from extract.gazetteer import default
from extract.pipeline import Extractor
from extract.sections import body_end

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt",
         *sorted((ROOT.parent / "shared" / "corpus-dev").glob("*.txt"))]


def corpus(chars: int) -> dict[str, str]:
    """Each text repeated up to `chars` characters, and all of them mixed."""
    texts = {}
    for p in TEXTS:
        text = p.read_text(encoding="utf-8")
        texts[p.stem] = text[:body_end(text)]  # a repeated bibliography would be skipped
    out = {name: (t * (chars // len(t) + 1))[:chars] for name, t in texts.items()}
    mixed = "\n\n".join(texts.values())
    out["mixed"] = (mixed * (chars // len(mixed) + 1))[:chars]
    return out


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def phrases_10k() -> list[str]:
    names = sorted(default().surfaces)
    extra = [f"{a}{b}" for a in names[:200] for b in ("城市群", "开发区", "经济带", "新区", "港")]
    pool = names + extra
    i = 0
    while len(pool) < 10_000:
        pool.append(f"{names[i % len(names)]}{i}")
        i += 1
    return pool[:10_000]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--ner", action="store_true", help="also time the rules with the NER model")
    args = ap.parse_args()

    extractor = Extractor()
    with_ner = Extractor(nlp=extractor.nlp, ner=True) if args.ner else None
    jieba.initialize()
    automaton = ahocorasick.Automaton()
    for p in phrases_10k():
        automaton.add_word(p, p)
    automaton.make_automaton()
    extractor.entities("warm-up", TEXTS[0].read_text(encoding="utf-8")[:5000])
    if with_ner is not None:
        with_ner.entities("warm-up", TEXTS[0].read_text(encoding="utf-8")[:5000])

    rows = []
    for name, text in corpus(args.chars).items():
        n = len(text)
        t_ours = best_of(args.repeat,
                         lambda text=text, name=name: extractor.entities(name, text))
        t_jieba = best_of(args.repeat, lambda text=text: sum(1 for _ in jieba.cut(text)))
        t_ac = best_of(args.repeat, lambda text=text: sum(1 for _ in automaton.iter(text)))
        row = {"text": name, "chars": n, "ours_chars_per_s": n / t_ours,
               "jieba_chars_per_s": n / t_jieba, "aho_corasick_10k_chars_per_s": n / t_ac,
               "ours_vs_jieba": t_jieba / t_ours, "ours_vs_aho_corasick": t_ac / t_ours}
        if with_ner is not None:
            t_ner = best_of(args.repeat,
                            lambda text=text, name=name: with_ner.entities(name, text))
            row |= {"ner_chars_per_s": n / t_ner, "ner_vs_jieba": t_jieba / t_ner}
        rows.append(row)
    print(f"{'text':<44}{'ours M/s':>9}{'jieba M/s':>10}{'AC-10k M/s':>11}"
          f"{'×jieba':>8}{'×AC':>7}" + (f"{'+NER M/s':>10}{'×jieba':>8}" if args.ner else ""))
    for r in rows:
        ner = (f"{r['ner_chars_per_s'] / 1e6:>10.3f}{r['ner_vs_jieba']:>8.2f}"
               if "ner_chars_per_s" in r else "")
        print(f"{r['text']:<44}{r['ours_chars_per_s'] / 1e6:>9.2f}"
              f"{r['jieba_chars_per_s'] / 1e6:>10.2f}"
              f"{r['aho_corasick_10k_chars_per_s'] / 1e6:>11.2f}"
              f"{r['ours_vs_jieba']:>8.2f}{r['ours_vs_aho_corasick']:>7.2f}{ner}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
