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
DEFAULT_REPORT_TEXTS = Path("../shared/corpus-dev/gwr-2025")

def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="precision and recall against the gold annotation")
    p.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    p.add_argument("--text", type=Path, default=DEFAULT_GOLD_TEXT)
    p.add_argument("-v", "--verbose", action="store_true", help="list misses and false hits")
    p.add_argument("--relations", action="store_true",
                   help="score relations against tests/gold/lu-li-2025.relations.tsv instead")
    p.add_argument("--gold-dir", type=Path,
                   help="score mentions span by span against a folder of gold "
                        "(<doc>.entities.tsv and split.tsv), e.g. tests/gold/gwr-2025; with "
                        "--relations, the relations of each document (<doc>.relations.tsv)")
    p.add_argument("--texts", type=Path, default=DEFAULT_REPORT_TEXTS,
                   help="with --gold-dir: the folder of the texts <doc>.txt "
                        f"(default {DEFAULT_REPORT_TEXTS})")
    p.add_argument("--ner", action="store_true",
                   help="add the shipped NER model's names where no rule finds one "
                        "(extract/ner.py; docs/extraction.md, \"A statistical recogniser beside "
                        "the rules\")")
    p.add_argument("--split", help="with --gold-dir: only the documents of this split (dev, test)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from extract.gazetteer import default
    from extract.pipeline import Extractor
    from kg.evaluate.entities import SCOPE, evaluate, overall, read_gold
    from kg.inputs.files import read_sources

    if args.gold_dir is not None:
        return _eval_report_relations(args) if args.relations else _eval_mentions(args)
    if args.split is not None:
        raise InputError("--split needs --gold-dir")
    if not args.gold.is_file():
        raise InputError(f"{args.gold}: no such gold file")
    if not args.text.is_file():
        raise InputError(f"{args.text}: the text to evaluate must be one file")
    source = read_sources([args.text])[0]
    doc = Extractor(ner=args.ner).extract(source.doc, source.text, str(source.path))
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


STRUCTURAL = ("partOf", "memberOf", "locatedIn", "connects")


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
    # a predicate the gold does not annotate (memberOf, cooperatesWith, about on the article)
    # cannot be scored: its predictions are listed above, not counted here
    p, r = overall(scores, tuple(s.family for s in scores if s.gold))
    print(f"{'all (the predicates the gold annotates)':<48}{p:>11.3f}{r:>8.3f}")
    # the structural relations a researcher asks for first (issue 12's target: recall >= 0.6)
    p, r = overall(scores, STRUCTURAL)
    print(f"{'structural (' + ', '.join(STRUCTURAL) + ')':<48}{p:>11.3f}{r:>8.3f}")
    if args.verbose:
        _misses(scores)
    return EXIT_OK


def _eval_mentions(args: argparse.Namespace) -> int:
    from extract.gazetteer import default
    from extract.pipeline import Extractor
    from kg.evaluate.mentions import COVERED, score_folder, totals

    if not args.gold_dir.is_dir():
        raise InputError(f"--gold-dir {args.gold_dir}: no such folder")
    if not args.texts.is_dir():
        raise InputError(f"--texts {args.texts}: no such folder")
    extractor = Extractor(ner=args.ner)
    scores = score_folder(args.gold_dir, args.texts, extractor.extract, default(), args.split)
    print(f"mentions of {', '.join(COVERED)}: overlap precision and recall (type ignored), "
          "typed F1, linking accuracy (in_reference=yes)")
    header = (f"{'document':<28}{'split':<7}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}"
              f"{'typed F1':>10}{'linked':>12}")
    print(header)
    for s in scores:
        print(_mention_row(s.doc, s.split, s.counts))
    print()
    for split, counts in sorted(totals(scores).items(), key=lambda kv: kv[0] == "all"):
        print(_mention_row(f"{split} (all its documents)", "", counts))
    if args.verbose:
        for s in scores:
            _mention_misses(s.doc, s.counts)
    return EXIT_OK


def _eval_report_relations(args: argparse.Namespace) -> int:
    from extract.gazetteer import default
    from extract.pipeline import Extractor
    from kg.evaluate.relations import relation_totals, rule_totals, score_report_folder

    if not args.gold_dir.is_dir():
        raise InputError(f"--gold-dir {args.gold_dir}: no such folder")
    if not args.texts.is_dir():
        raise InputError(f"--texts {args.texts}: no such folder")
    extract = Extractor(ner=args.ner).extract
    scores = score_report_folder(args.gold_dir, args.texts, extract, default(), args.split)
    print("relations scored when both endpoints are gold mentions: precision, recall, "
          "scored predictions per 1,000 characters")
    print(f"{'document':<28}{'split':<7}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'per 1k':>8}"
          f"{'unscored':>10}")
    for s in scores:
        print(_relation_row(s.doc, s.split, s.total, s.chars))
    totals = relation_totals(scores)
    for split, (chars, by_predicate, total) in sorted(totals.items(),
                                                     key=lambda kv: kv[0] == "all"):
        print()
        print(_relation_row(f"{split} (all its documents)", "", total, chars))
        for predicate, counts in sorted(by_predicate.items()):
            print(_relation_row(f"  {predicate}", "", counts, chars))
    _rule_table(rule_totals(scores))
    if args.verbose:
        for s in scores:
            for predicate, counts in sorted(s.by_predicate.items()):
                for title, items in (("missed", counts.missed), ("spurious", counts.spurious)):
                    if items:
                        print(f"{s.doc} {title} {predicate} ({len(items)}): {'; '.join(items)}")
    return EXIT_OK


def _rule_table(by_split: dict) -> None:
    """Each rule's scored triples and their precision per split: which rules earn their place
    (a distinct triple counts for every rule that states it)."""
    for split, by_rule in sorted(by_split.items(), key=lambda kv: kv[0] == "all"):
        print()
        print(f"{'rule (' + split + ')':<36}{'pred':>6}{'right':>7}{'P':>8}{'found':>7}"
              f"{'unscored':>10}")
        for rule, c in sorted(by_rule.items()):
            print(f"  {rule:<34}{c.predicted:>6}{c.right:>7}{c.precision:>8.3f}{c.found:>7}"
                  f"{c.unscored:>10}")


def _relation_row(name: str, split: str, c, chars: int) -> str:
    per_1k = 1000 * c.predicted / chars if chars else 0.0
    return (f"{name:<28}{split:<7}{c.gold:>6}{c.predicted:>6}{c.precision:>8.3f}"
            f"{c.recall:>8.3f}{per_1k:>8.2f}{c.unscored:>10}")


def _mention_row(name: str, split: str, c) -> str:
    return (f"{name:<28}{split:<7}{c.gold:>6}{c.predicted:>6}{c.precision:>8.3f}"
            f"{c.recall:>8.3f}{c.typed_f1:>10.3f}{c.linking:>7.3f} {c.linked:>3}/{c.to_link:<3}")


def _mention_misses(doc: str, c) -> None:
    for title, items in (("missed", c.missed), ("spurious", c.spurious),
                         ("mistyped", c.mistyped), ("mislinked", c.mislinked)):
        if items:
            print(f"{doc} {title} ({len(items)}): {'; '.join(items)}")


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
