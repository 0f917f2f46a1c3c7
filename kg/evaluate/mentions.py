"""`kg eval --gold-dir`: mentions of a text scored span by span against a gold list of mentions.

The gold (tests/gold/gwr-2025/, conventions in its README.md) has one row per mention with its
offsets and a type of its own (MacroRegion, SubRegion, Province, City, County, Town, …). Each of
our classes counts as one gold type (`gold_types.tsv`). Three figures per document:

- **overlap** precision and recall, type ignored: a gold mention of a covered type is found when
  a predicted mention overlaps it; a predicted mention of a covered type is right when it
  overlaps any gold mention (the span 长三角 inside the gold Strategy 长三角一体化发展 is right:
  the annotators put the region inside the strategy's span).
- **typed** F1: predicted and gold mentions paired one to one by overlap (the largest overlap
  first), a pair counting when both have the same type.
- **linking** accuracy: of the gold mentions whose entity is in the reference tables
  (in_reference=yes), the share found AND linked to the entity whose label is the gold's
  canonical name.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from extract.gazetteer import Gazetteer, read_tsv
from extract.records import Mention
from kg.errors import InputError

T = TypeVar("T")

COVERED = ("MacroRegion", "SubRegion", "Province", "City", "County", "Town", "CityCluster",
           "EconomicBelt", "Corridor", "Platform")
GOLD_COLUMNS = ("start", "end", "text", "type", "canonical", "parent", "in_reference")
TYPES_FILE = Path(__file__).with_name("gold_types.tsv")


@dataclass(frozen=True, slots=True)
class GoldMention:
    start: int
    end: int
    text: str
    type: str
    canonical: str
    parent: str
    in_reference: bool


@dataclass(frozen=True, slots=True)
class Predicted:
    """A mention as the scorer sees it: its span, gold type and the label of its entity."""

    start: int
    end: int
    text: str
    type: str | None  # the gold type of its class; None when the class is not scored
    label: str | None  # the linked entity's zh label; None when not linked to a table entry


@dataclass(slots=True)
class Counts:
    """Counts that add up over documents: a split's figures are its documents' sums."""

    gold: int = 0  # gold mentions of the covered types
    predicted: int = 0  # predicted mentions of the covered types
    found: int = 0  # gold mentions overlapped by a prediction
    right: int = 0  # predictions overlapping a gold mention
    typed: int = 0  # one-to-one pairs of the same type
    to_link: int = 0  # gold mentions with in_reference=yes
    linked: int = 0  # … found and linked to the right entity
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    mistyped: list[str] = field(default_factory=list)
    mislinked: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in ("gold", "predicted", "found", "right", "typed", "to_link", "linked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("missed", "spurious", "mistyped", "mislinked"):
            getattr(self, name).extend(getattr(other, name))

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def typed_f1(self) -> float:
        p = self.typed / self.predicted if self.predicted else 1.0
        r = self.typed / self.gold if self.gold else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def linking(self) -> float:
        return self.linked / self.to_link if self.to_link else 1.0


def read_gold_rows(path: Path, columns: Sequence[str], what: str,
                   make: Callable[[dict[str, str]], T]) -> list[T]:
    """The rows of a gold TSV file, each made into a record by `make`; InputError naming the
    file when it is missing, unreadable or lacks one of `columns` (`what` says which table)."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise InputError(f"{path}: not a {what}: no column {', '.join(missing)}")
            return [make(r) for r in reader]
    except FileNotFoundError:
        raise InputError(f"{path}: no such gold file") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as e:
        raise InputError(f"{path}: not a {what}: {e}") from None


def read_mention_gold(path: Path) -> list[GoldMention]:
    return read_gold_rows(path, GOLD_COLUMNS, "mention gold table", lambda r: GoldMention(
        int(r["start"]), int(r["end"]), r["text"], r["type"], r["canonical"], r["parent"] or "",
        r["in_reference"] == "yes"))


def read_split(gold_dir: Path) -> dict[str, str]:
    """doc key -> `dev` or `test`, from the gold folder's split.tsv."""
    path = gold_dir / "split.tsv"
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return {r["doc"]: r["split"]
                    for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; the gold folder needs a split.tsv") from None
    except (OSError, UnicodeDecodeError, KeyError) as e:
        raise InputError(f"{path}: not a split table (doc, split): {e}") from None


@lru_cache(maxsize=1)
def _type_table() -> dict[str, str]:
    return {row[0]: row[1] for row in read_tsv(TYPES_FILE)}


def gold_type(cls: str, gaz: Gazetteer) -> str | None:
    """The gold type our class counts as: its own, or its nearest listed ancestor's."""
    table = _type_table()
    lineage = gaz.lineage(cls) if cls in gaz.class_parent else [cls]
    return next((table[c] for c in lineage if c in table), None)


def predicted(mentions: Iterable[Mention], gaz: Gazetteer) -> list[Predicted]:
    out = []
    for m in mentions:
        ref = getattr(m, "ref", None) or getattr(m, "iri", None)
        label = gaz.entries[ref].label_zh if ref in gaz.entries else None
        out.append(Predicted(m.start, m.end, m.text, gold_type(m.type, gaz), label))
    return out


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def pairs(preds: Sequence[Predicted], golds: Sequence[GoldMention]
           ) -> list[tuple[int, int]]:
    """One-to-one pairs (prediction, gold) by overlap, the largest overlap first."""
    candidates = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if _overlaps(p.start, p.end, g.start, g.end):
                overlap = min(p.end, g.end) - max(p.start, g.start)
                candidates.append((-overlap, p.start, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, _, i, j in sorted(candidates):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def score_document(preds: Sequence[Predicted], gold: Sequence[GoldMention]) -> Counts:
    covered_gold = [g for g in gold if g.type in COVERED]
    covered_pred = [p for p in preds if p.type in COVERED]
    c = Counts(gold=len(covered_gold), predicted=len(covered_pred))
    for g in covered_gold:
        if any(_overlaps(p.start, p.end, g.start, g.end) for p in covered_pred):
            c.found += 1
        else:
            c.missed.append(f"{g.text} ({g.type}, {g.start})")
    for p in covered_pred:
        if any(_overlaps(p.start, p.end, g.start, g.end) for g in gold):
            c.right += 1
        else:
            c.spurious.append(f"{p.text} ({p.type}, {p.start})")
    for i, j in pairs(covered_pred, covered_gold):
        p, g = covered_pred[i], covered_gold[j]
        if p.type == g.type:
            c.typed += 1
        else:
            c.mistyped.append(f"{p.text}: {p.type} for {g.type} ({p.start})")
    _score_links(c, preds, gold)
    return c


def _score_links(c: Counts, preds: Sequence[Predicted], gold: Sequence[GoldMention]) -> None:
    for g in gold:
        if not g.in_reference:
            continue
        c.to_link += 1
        over = [p for p in preds if _overlaps(p.start, p.end, g.start, g.end)]
        best = max(over, key=lambda p: min(p.end, g.end) - max(p.start, g.start), default=None)
        if best is not None and best.label == g.canonical:
            c.linked += 1
        else:
            got = best.label if best is not None else "not found"
            c.mislinked.append(f"{g.text} -> {got} for {g.canonical} ({g.start})")


@dataclass(frozen=True, slots=True)
class DocumentScore:
    doc: str
    split: str
    counts: Counts


def gold_documents(gold_dir: Path, split: str | None = None) -> list[tuple[str, str, Path]]:
    """(doc key, split, gold file) of the gold folder, in split.tsv's order."""
    splits = read_split(gold_dir)
    if split is not None and split not in set(splits.values()):
        raise InputError(f"--split {split}: {gold_dir / 'split.tsv'} has no such split "
                         f"(it has {', '.join(sorted(set(splits.values())))})")
    out = []
    for doc, part in splits.items():
        if split is not None and part != split:
            continue
        path = gold_dir / f"{doc}.entities.tsv"
        if not path.is_file():
            raise InputError(f"{path}: no such gold file (split.tsv names {doc})")
        out.append((doc, part, path))
    return out


def score_folder(gold_dir: Path, texts_dir: Path, extract, gaz: Gazetteer,
                 split: str | None = None) -> list[DocumentScore]:
    """Each gold document's text (`texts_dir/<doc>.txt`) extracted by `extract(doc, text,
    path)` and scored."""
    scores = []
    for doc, part, path in gold_documents(gold_dir, split):
        text = read_gold_text(texts_dir, doc, path)
        gold = read_mention_gold(path)
        result = extract(doc, text, str(texts_dir / f"{doc}.txt"))
        scores.append(DocumentScore(doc, part, score_document(predicted(result.mentions, gaz),
                                                              gold)))
    return scores


def read_gold_text(texts_dir: Path, doc: str, gold_path: Path) -> str:
    """The text `texts_dir/<doc>.txt` the gold file was written for, its offsets checked."""
    text_path = texts_dir / f"{doc}.txt"
    try:
        text = text_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{text_path}: no such text for the gold {gold_path.name} "
                         "(--texts names the folder of the texts)") from None
    _check_offsets(gold_path, read_mention_gold(gold_path), text)
    return text


def _check_offsets(path: Path, gold: Sequence[GoldMention], text: str) -> None:
    """A gold row whose offsets do not give its text was written for another version of the
    text: scoring against it would be meaningless."""
    for g in gold:
        if text[g.start:g.end] != g.text:
            raise InputError(f"{path}: row {g.start}-{g.end} {g.text!r} does not match the text "
                             f"({text[g.start:g.end]!r}); is it the same version of the text?")


def totals(scores: Sequence[DocumentScore]) -> dict[str, Counts]:
    """The sums per split, and `all`."""
    out: dict[str, Counts] = {}
    for s in scores:
        for key in (s.split, "all"):
            out.setdefault(key, Counts()).add(s.counts)
    return out
