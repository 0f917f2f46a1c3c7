"""Writes kg/inputs/common_chars.txt: the characters that make up nearly all Chinese
text, simplified and traditional, for telling a right decoding from mojibake
(kg/inputs/encoding.py).

    python tools/make_common_chars.py [--coverage 0.995]

Source: the word frequencies of jieba's bundled dictionary (simplified, 349,046 words). Each word
is also converted to traditional characters with OpenCC (standard, Taiwan and Hong Kong variants:
爲/為, 裏/裡, 台/臺 …), whose word-level conversion picks the right character where one simplified
character stands for several traditional ones (发 → 發/髮). For each of the four spellings the
characters are ranked by summed word frequency and kept until they cover `--coverage` of all
character occurrences; the file is the union. Needs the dev extra (opencc).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import jieba
import opencc

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "kg" / "inputs" / "common_chars.txt"
VARIANTS = ("s2t", "s2tw", "s2hk")  # plus the simplified original
PER_LINE = 50


def is_ideograph(ch: str) -> bool:
    return "\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff"


def dictionary_words() -> list[tuple[str, int]]:
    path = Path(jieba.__file__).with_name("dict.txt")
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split()
        words.append((word, int(freq)))
    return words


def char_frequencies(words: list[tuple[str, int]], spelled: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for (_, freq), word in zip(words, spelled, strict=True):
        for ch in word:
            if is_ideograph(ch):
                counts[ch] += freq
    return counts


def covering(counts: Counter[str], coverage: float) -> list[str]:
    """The most frequent characters, in order, until they make up `coverage` of the total."""
    total, running, kept = sum(counts.values()), 0, []
    for ch, n in counts.most_common():
        if running >= coverage * total:
            break
        kept.append(ch)
        running += n
    return kept


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--coverage", type=float, default=0.995)
    args = ap.parse_args()
    words = dictionary_words()
    plain = [w for w, _ in words]
    spellings = {"simplified": plain}
    for config in VARIANTS:
        # One conversion call for the whole list: a line per word keeps the words aligned.
        spellings[config] = opencc.OpenCC(config).convert("\n".join(plain)).split("\n")
    best_rank: dict[str, int] = {}
    sizes = []
    for name, spelled in spellings.items():
        kept = covering(char_frequencies(words, spelled), args.coverage)
        sizes.append(f"{name} {len(kept)}")
        for rank, ch in enumerate(kept):
            best_rank[ch] = min(rank, best_rank.get(ch, rank))
    # Ordered by the best rank a character has in any spelling: a prefix of the file is then
    # the most frequent characters of simplified and traditional text alike.
    ordered = sorted(best_rank, key=lambda ch: (best_rank[ch], ch))
    lines = [
        "# Common Chinese characters, simplified and traditional: written by",
        "# tools/make_common_chars.py from jieba's dictionary frequencies and OpenCC's",
        f"# conversions ({', '.join(VARIANTS)}); each spelling's characters cover "
        f"{args.coverage:.1%} of its text.",
        f"# {len(ordered)} characters ({'; '.join(sizes)}), by their best rank in any "
        "spelling.",
    ]
    lines += ["".join(ordered[i:i + PER_LINE]) for i in range(0, len(ordered), PER_LINE)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(ordered)} characters")


if __name__ == "__main__":
    main()
