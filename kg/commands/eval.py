"""`kg eval`: precision and recall against the gold annotation."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import EXIT_OK, InputError

if TYPE_CHECKING:  # the pipeline is imported only when the command runs (it takes seconds)
    from extract.records import ExtractedDocument

DEFAULT_GOLD = Path("tests/gold/lu-li-2025.entities.tsv")
DEFAULT_RELATION_GOLD = Path("tests/gold/lu-li-2025.relations.tsv")
DEFAULT_GOLD_TEXT = Path("corpus/lu-li-2025-regional-coordination.zh.txt")

def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="precision and recall against the gold annotation")
    p.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    p.add_argument("--text", type=Path, default=DEFAULT_GOLD_TEXT)
    p.add_argument("-v", "--verbose", action="store_true", help="list misses and false hits")
    p.add_argument("--relations", action="store_true",
                   help="score relations against tests/gold/lu-li-2025.relations.tsv instead")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from extract.gazetteer import default
    from extract.pipeline import Extractor
    from kg.evaluate.entities import SCOPE, evaluate, overall, read_gold
    from kg.inputs.files import read_sources

    if not args.gold.is_file():
        raise InputError(f"{args.gold}: no such gold file")
    if not args.text.is_file():
        raise InputError(f"{args.text}: the text to evaluate must be one file")
    source = read_sources([args.text])[0]
    doc = Extractor().extract(source.doc, source.text, str(source.path))
    if args.relations:
        return _eval_relations(args, doc)
    gold = read_gold(args.gold)
    scores = evaluate(doc, gold, default())
    _score_table("class", evaluate(doc, gold, default(), by_class=True))
    print()
    _score_table("family", scores)
    p, r = overall(scores)
    print(f"{'in scope':<36}{'':>12}{p:>11.3f}{r:>8.3f}   ({', '.join(SCOPE)})")
    if args.verbose:
        _misses(scores)
    return EXIT_OK


def _eval_relations(args: argparse.Namespace, doc: ExtractedDocument) -> int:
    from extract.gazetteer import default
    from kg.evaluate.entities import overall
    from kg.evaluate.relations import read_relation_gold, score_relations

    gold_path = args.gold if args.gold != DEFAULT_GOLD else DEFAULT_RELATION_GOLD
    if not gold_path.is_file():
        raise InputError(f"{gold_path}: no such gold file")
    gaz = default()
    scores = score_relations(doc.relations, read_relation_gold(gold_path), gaz)
    _score_table("predicate", scores)
    p, r = overall(scores, tuple(s.family for s in scores))
    print(f"{'all':<36}{'':>12}{p:>11.3f}{r:>8.3f}")
    if args.verbose:
        _misses(scores)
    return EXIT_OK


def _misses(scores: list) -> None:
    for s in scores:
        if s.missed:
            print(f"missed {s.family}: {'、'.join(s.missed)}")
        if s.spurious:
            print(f"spurious {s.family}: {'、'.join(s.spurious)}")


def _score_table(title: str, scores: list) -> None:
    print(f"{title:<36}{'gold':>6}{'pred':>6}{'precision':>11}{'recall':>8}")
    for s in scores:
        print(f"{s.family:<36}{s.gold:>6}{s.predicted:>6}{s.precision:>11.3f}{s.recall:>8.3f}")
