"""The two scores of kg/inputs/encoding.py on right and wrong readings of real texts: the numbers
behind MIN_COMMON and MIN_FREQUENT (docs/extraction.md, "Encodings").

    python bench/encoding_scores.py

Texts: every file of ../shared/corpus-dev and the article, each as UTF-8, as GB18030 and, after
OpenCC's s2tw conversion, as Big5; windows of 10 and 50 characters of them; real Korean and
Japanese (the first article of the Constitution of the Republic of Korea, the preamble of the
Constitution of Japan). Needs the dev extra (opencc). Prints one JSON line per kind of reading
with the lowest and highest scores seen.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import opencc

from kg.inputs.encoding import Score, score

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus-dev"
TEXTS = [ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt",
         *sorted(DEV.rglob("*.txt"))]
KOREAN = ("대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, 모든 권력은 국민으로부터 "
          "나온다.")
JAPANESE = ("日本国民は、正当に選挙された国会における代表者を通じて行動し、われらとわれらの子孫の"
            "ために、諸国民との協和による成果と、わが国全土にわたつて自由のもたらす恵沢を確保し")
WINDOW_STEP = 997


def reading(data: bytes, encoding: str) -> Score | None:
    try:
        return score(data.decode(encoding))
    except UnicodeDecodeError:
        return None


def windows(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, max(1, len(text) - size), WINDOW_STEP)]


def main() -> None:
    to_tw = opencc.OpenCC("s2tw")
    seen: dict[str, list[Score | None]] = defaultdict(list)
    for path in TEXTS:
        simplified = path.read_text(encoding="utf-8")
        traditional = to_tw.convert(simplified)
        gb, big5 = simplified.encode("gb18030"), traditional.encode("big5", "replace")
        seen["right: UTF-8"].append(reading(simplified.encode(), "utf-8"))
        seen["right: GB18030"].append(reading(gb, "gb18030"))
        seen["right: Big5 (s2tw)"].append(reading(big5, "big5hkscs"))
        seen["wrong: Big5 read as GB18030"].append(reading(big5, "gb18030"))
        seen["wrong: GB18030 read as Big5"].append(reading(gb, "big5hkscs"))
        for size in (10, 50):
            for piece in windows(simplified, size) + windows(traditional, size):
                s = score(piece)
                if s.scored:
                    seen[f"right: any {size} characters"].append(s)
    for name, data, encoding in (
            ("wrong: Korean (EUC-KR) read as GB18030", KOREAN.encode("euc_kr"), "gb18030"),
            ("wrong: Japanese (EUC-JP) read as Big5", JAPANESE.encode("euc_jp"), "big5hkscs"),
            ("wrong: Japanese (EUC-JP) read as GB18030", JAPANESE.encode("euc_jp"), "gb18030"),
            ("wrong: Japanese in UTF-8", JAPANESE.encode(), "utf-8")):
        seen[name].append(reading(data, encoding))
    for name, scores in seen.items():
        decoded = [s for s in scores if s is not None]
        row: dict = {"reading": name, "texts": len(scores), "not_decodable": len(scores) - len(
            decoded)}
        if decoded:
            row.update({"frequent": [round(min(s.frequent for s in decoded), 3),
                                     round(max(s.frequent for s in decoded), 3)],
                        "common": [round(min(s.common for s in decoded), 3),
                                   round(max(s.common for s in decoded), 3)],
                        "read_as_chinese": sum(s.chinese for s in decoded)})
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
