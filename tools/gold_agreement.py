"""How far two readers of the same reports agree: the ceiling of what a scorer can show.

    python tools/gold_agreement.py REFERENCE_DIR SECOND_DIR [--texts ../shared/corpus-dev/gwr-2025]

Both folders hold report gold written by the guidelines of tests/gold/gwr-2025/README.md
(`<doc>.entities.tsv`, `<doc>.relations.tsv`). The second reader's rows are scored against the
first's exactly as `kg eval` scores the pipeline's (overlapping span, type ignored; typed F1; a
reference name's canonical), so a figure here is what a perfect reader of the second kind would
get from the scorer: where the pipeline's target lies above it, the gap is the readers', not the
rules'.

Relations: a row of the second reader matches one of the first with the same predicate when each
end names the same entity — the same canonical, or a canonical of the first reader's mentions
that overlap the second reader's mentions of that end (two readers may spell an unlisted name
differently); symmetric predicates match either way round.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.relations import SYMMETRIC  # noqa: E402
from kg.errors import InputError  # noqa: E402
from kg.evaluate.entities import name_key  # noqa: E402
from kg.evaluate.mentions import (  # noqa: E402
    Counts,
    GoldMention,
    Predicted,
    read_gold_text,
    read_mention_gold,
    score_document,
)
from kg.evaluate.relations import (  # noqa: E402
    RelationCounts,
    ReportGoldRelation,
    read_report_relation_gold,
)


def as_predicted(rows: Sequence[GoldMention]) -> list[Predicted]:
    """A reader's mentions as the scorer sees a prediction: the type is already a gold type, and
    the canonical stands for the linked entity's label."""
    return [Predicted(g.start, g.end, g.text, g.type, g.canonical) for g in rows]


def _overlapping_canonicals(second: Sequence[GoldMention], first: Sequence[GoldMention]
                            ) -> dict[str, set[str]]:
    """Each second-reader canonical -> the first reader's canonicals of the same spans."""
    out: dict[str, set[str]] = defaultdict(set)
    for s in second:
        out[name_key(s.canonical)].add(name_key(s.canonical))
        for f in first:
            if f.start < s.end and s.start < f.end:
                out[name_key(s.canonical)].add(name_key(f.canonical))
    return out


def _same(a: ReportGoldRelation, b: ReportGoldRelation, same_entity: dict[str, set[str]]) -> bool:
    if a.predicate != b.predicate:
        return False
    subject = same_entity.get(name_key(b.subject), {name_key(b.subject)})
    obj = same_entity.get(name_key(b.object), {name_key(b.object)})
    forward = name_key(a.subject) in subject and name_key(a.object) in obj
    backward = name_key(a.subject) in obj and name_key(a.object) in subject
    return forward or (a.predicate in SYMMETRIC and backward)


def relation_agreement(first: Sequence[ReportGoldRelation], second: Sequence[ReportGoldRelation],
                       same_entity: dict[str, set[str]]) -> RelationCounts:
    """The second reader's rows counted as `kg eval` counts predictions: `gold` the first
    reader's rows, `predicted` the second's, `right` and `found` the matched ones of each."""
    return RelationCounts(
        gold=len(first), predicted=len(second),
        found=sum(any(_same(a, b, same_entity) for b in second) for a in first),
        right=sum(any(_same(a, b, same_entity) for a in first) for b in second))


@dataclass(frozen=True, slots=True)
class DocumentAgreement:
    doc: str
    mentions: Counts
    relations: RelationCounts


def agree(doc: str, first_dir: Path, second_dir: Path, texts: Path) -> DocumentAgreement:
    first_path = first_dir / f"{doc}.entities.tsv"
    second_path = second_dir / f"{doc}.entities.tsv"
    read_gold_text(texts, doc, first_path)  # both written for this version of the text
    read_gold_text(texts, doc, second_path)
    first, second = read_mention_gold(first_path), read_mention_gold(second_path)
    mentions = score_document(as_predicted(second), first)
    relations = relation_agreement(
        read_report_relation_gold(first_dir / f"{doc}.relations.tsv"),
        read_report_relation_gold(second_dir / f"{doc}.relations.tsv"),
        _overlapping_canonicals(second, first))
    return DocumentAgreement(doc, mentions, relations)


def shared_documents(first_dir: Path, second_dir: Path) -> list[str]:
    def docs(d: Path) -> set[str]:
        return {p.name.removesuffix(".entities.tsv") for p in d.glob("*.entities.tsv")}
    return sorted(docs(first_dir) & docs(second_dir))


def _line(name: str, c: Counts, r: RelationCounts) -> str:
    return (f"{name}\t{c.precision:.3f}\t{c.recall:.3f}\t{c.typed_f1:.3f}\t{c.linking:.3f}\t"
            f"{r.precision:.3f}\t{r.recall:.3f}\t{r.gold}\t{r.predicted}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("first", type=Path, help="the reference reader's gold folder")
    parser.add_argument("second", type=Path, help="the second reader's gold folder")
    parser.add_argument("--texts", type=Path, default=ROOT.parent / "shared/corpus-dev/gwr-2025")
    args = parser.parse_args(argv)
    try:
        docs = shared_documents(args.first, args.second)
        if not docs:
            raise InputError(f"{args.first} and {args.second} share no report's gold")
        rows = [agree(d, args.first, args.second, args.texts) for d in docs]
    except InputError as e:
        print(f"gold_agreement: error: {e}", file=sys.stderr)
        return 2
    total, rel = Counts(), RelationCounts()
    print("doc\tmention P\tR\ttyped F1\tlinked\trelation P\tR\tfirst\tsecond")
    for row in rows:
        total.add(row.mentions)
        rel.add(row.relations)
        print(_line(row.doc, row.mentions, row.relations))
    print(_line("all", total, rel))
    return 0


if __name__ == "__main__":
    sys.exit(main())
