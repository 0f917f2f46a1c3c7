"""What each step of `kg build` costs, as a ratio to the entity extraction of the same text in
the same run (machine speed cancels out).

    python bench/build_steps.py [--repeat 3]

Steps per text: entity extraction (the baseline: `Extractor.entities`, the spaCy pass), then
the other steps of the document's record (`Extractor.extract`): tables, recommendations,
relations, numeric claims; then RDF assembly and SHACL validation. Relations and claims read
the entity pass's mentions, so their cost is what they add to it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from extract.pipeline import Extractor, checked_claims
from extract.recommendations import find_recommendations
from extract.relations import find_relations
from extract.tables import find_tables
from kg.build.steps import assemble
from kg.build.validate import union_graph, validate_graph

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt",
         *sorted((ROOT.parent / "shared" / "corpus-dev").glob("*.txt"))]


def best_of(repeat: int, fn):
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def measure(path: Path, extractor: Extractor, repeat: int) -> dict:
    gaz = extractor.gaz
    text = path.read_text(encoding="utf-8")
    base, found = best_of(repeat, lambda: extractor.entities(path.stem, text))
    tables_t, tables = best_of(repeat, lambda: find_tables(text))
    recs_t, _ = best_of(repeat, lambda: find_recommendations(text))
    rel_t, rels = best_of(repeat, lambda: find_relations(text, found.mentions, found.sentences,
                                                         gaz))
    claims_t, _ = best_of(repeat, lambda: checked_claims(text, found, tables))
    doc = extractor.extract(path.stem, text, str(path))
    asm_t, ds = best_of(repeat, lambda: assemble([doc], gaz))
    val_t, _ = best_of(1, lambda: validate_graph(union_graph(ds)))
    steps = {"tables": tables_t, "recommendations": recs_t, "relations": rel_t,
             "claims": claims_t, "assemble": asm_t, "validate": val_t}
    return {"text": path.stem, "chars": len(text), "extraction_s": round(base, 3),
            "relations": len(rels), **{f"{k}_x": round(v / base, 3) for k, v in steps.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    extractor = Extractor()
    for path in TEXTS:
        print(json.dumps(measure(path, extractor, args.repeat), ensure_ascii=False))


if __name__ == "__main__":
    main()
