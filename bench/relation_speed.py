"""The relation rules' cost as a ratio to the entity extraction of the same texts, in the same
run (machine speed cancels out).

    python bench/relation_speed.py [--repeat 3] [--reports 6]

Texts: the article and the first reports of ../shared/corpus-dev/gwr-2025. For each text, the
best of `repeat` runs of `Extractor.entities` and of `find_relations` over its mentions; the
ratio is the sum of the second over the sum of the first.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from build_steps import best_of  # the same timing as the other build-step bench

from extract.metadata import document_meta
from extract.pipeline import Extractor
from extract.relations import find_relations, home_place

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt"
REPORTS = ROOT.parent / "shared" / "corpus-dev" / "gwr-2025"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reports", type=int, default=6)
    args = parser.parse_args()
    extractor = Extractor()
    texts = [ARTICLE, *sorted(REPORTS.glob("*.txt"))[:args.reports]]
    entities_s = relations_s = 0.0
    for path in texts:
        text = path.read_text(encoding="utf-8")
        seconds, found = best_of(args.repeat, lambda t=text, p=path: extractor.entities(p.stem, t))
        home = home_place(text, document_meta(text, extractor.gaz).title, found.mentions,
                          extractor.gaz)
        entities_s += seconds
        relations_s += best_of(args.repeat, lambda t=text, f=found, h=home: find_relations(
            t, f.mentions, f.sentences, extractor.gaz, h))[0]
    print(f"find_relations / Extractor.entities: {relations_s / entities_s:.3f} "
          f"over {len(texts)} texts")


if __name__ == "__main__":
    main()
