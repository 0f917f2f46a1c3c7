"""The type confusions of the report gold's development splits: gold type vs ours, counted.

    python tools/type_confusions.py --split dev,dev2,dev3 [--examples 3]

A pair is a predicted and a gold mention paired one to one by overlap as `kg eval` pairs them
(kg/evaluate/mentions.py), our class mapped to its gold type by kg/evaluate/gold_types.tsv; a
pair whose types differ is a confusion. The held-out splits (`test`, `test2`) are refused: their
gold is scored only, never read pair by pair (tests/gold/gwr-2025/README.md, issue 12).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.evaluate.mentions import (  # noqa: E402
    COVERED,
    GoldMention,
    Predicted,
    gold_documents,
    pairs,
    predicted,
    read_gold_text,
    read_mention_gold,
)

HELD_OUT = frozenset({"test", "test2"})
GOLD_DIR = ROOT / "tests" / "gold" / "gwr-2025"
TEXTS_DIR = ROOT.parent / "shared" / "corpus-dev" / "gwr-2025"
CONTEXT = 8  # characters shown on each side of an example


@dataclass(frozen=True, slots=True)
class Confusion:
    gold_type: str
    our_type: str
    example: str


def confusions(doc: str, text: str, preds: Sequence[Predicted],
               gold: Sequence[GoldMention]) -> Iterable[Confusion]:
    """The pairs of `kg eval`'s typed score whose types differ, each with its context."""
    covered_pred = [p for p in preds if p.type in COVERED]
    covered_gold = [g for g in gold if g.type in COVERED]
    for i, j in pairs(covered_pred, covered_gold):
        p, g = covered_pred[i], covered_gold[j]
        if p.type != g.type:
            context = text[max(0, g.start - CONTEXT):g.end + CONTEXT].replace("\n", " ")
            example = f"{doc}:{g.start} {g.text} / {p.text} «{context}»"
            yield Confusion(g.type, p.type or "", example)


def table(found: Sequence[Confusion], examples: int) -> list[str]:
    counts = Counter((c.gold_type, c.our_type) for c in found)
    lines = ["count\tgold\tours\texamples"]
    for (gold_type, our_type), n in counts.most_common():
        shown = [c.example for c in found if (c.gold_type, c.our_type) == (gold_type, our_type)]
        lines.append(f"{n}\t{gold_type}\t{our_type}\t{' | '.join(shown[:examples])}")
    lines.append(f"{sum(counts.values())}\tall")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev,dev2,dev3", help="comma-separated dev splits")
    parser.add_argument("--examples", type=int, default=3, help="examples per pair of types")
    parser.add_argument("--gold-dir", type=Path, default=GOLD_DIR)
    parser.add_argument("--texts", type=Path, default=TEXTS_DIR)
    args = parser.parse_args(argv)
    splits = [s for s in args.split.split(",") if s]
    held = sorted(HELD_OUT.intersection(splits))
    if held:
        print(f"kg: error: --split {','.join(held)}: held-out gold is scored only, "
              "never read pair by pair (use kg eval)", file=sys.stderr)
        return 2
    from extract.gazetteer import default
    from extract.pipeline import Extractor
    from kg.errors import InputError

    gaz, extractor = default(), Extractor()
    found: list[Confusion] = []
    try:
        for split in splits:
            for doc, _, path in gold_documents(args.gold_dir, split):
                text = read_gold_text(args.texts, doc, path)
                result = extractor.extract(doc, text, str(args.texts / f"{doc}.txt"))
                found += confusions(doc, text, predicted(result.mentions, gaz),
                                    read_mention_gold(path))
    except InputError as e:
        print(f"kg: error: {e}", file=sys.stderr)
        return 2
    print("\n".join(table(found, args.examples)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
