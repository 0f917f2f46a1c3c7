"""Writes extract/patterns/script_chars.tsv: the most frequent characters that are written only
in simplified Chinese, and those written only in traditional Chinese, for telling a text's
script (extract/metadata.py: dcterms:language zh-Hans or zh-Hant).

    python tools/make_script_chars.py [--count 400]

Source: jieba's dictionary frequencies (as tools/make_common_chars.py) and OpenCC's word-level
conversion to traditional (s2t): a character the conversion changes is simplified-only (发 → 發,
髮); the characters it becomes are traditional-only, ranked by the frequency of the simplified
words they come from. Needs the dev extra (opencc).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import opencc
from make_common_chars import dictionary_words, is_ideograph

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "extract" / "patterns" / "script_chars.tsv"


def script_only(count: int) -> tuple[list[str], list[str]]:
    words = dictionary_words()
    converted = opencc.OpenCC("s2t").convert("\n".join(w for w, _ in words)).split("\n")
    simplified: Counter[str] = Counter()
    traditional: Counter[str] = Counter()
    for (word, freq), trad in zip(words, converted, strict=True):
        if len(word) != len(trad):
            continue
        for s, t in zip(word, trad, strict=True):
            if s != t and is_ideograph(s) and is_ideograph(t):
                simplified[s] += freq
                traditional[t] += freq
    # a character both scripts write (e.g. 干 is simplified for 乾 and traditional itself) is
    # no evidence of either
    both = set(simplified) & set(traditional)
    return ([c for c, _ in simplified.most_common() if c not in both][:count],
            [c for c, _ in traditional.most_common() if c not in both][:count])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=400)
    args = ap.parse_args()
    simplified, traditional = script_only(args.count)
    lines = ["# script\tcharacters (most frequent first): written by tools/make_script_chars.py",
             f"zh-Hans\t{''.join(simplified)}", f"zh-Hant\t{''.join(traditional)}"]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(simplified)} + {len(traditional)} characters")


if __name__ == "__main__":
    main()
