"""`kg eval`: precision and recall of the distinct entities of a text against a gold list.

A gold row is an entity with its class, canonical label and the surface forms the text uses. A
predicted entity matches a gold one of the same class family when they share a name: the
canonical label, an alias, or a surface form seen in the text. Families are the groups the
quality bar speaks of (a railway and a canal are both corridors).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extract.gazetteer import Gazetteer
from extract.normalize import DASH, translate_chars
from extract.records import ExtractedDocument
from extract.relations import family
from kg.errors import InputError

# The score table keeps the groups the gold was annotated in: ProvincialSubRegion came into the
# ontology after the annotation (tests/gold/lu-li-2025.entities.tsv says so in its notes), which
# counted the seven sub-regions (皖北, 鲁西南 …) among the places, so they are scored in the Place
# row. The relation rules need them apart (extract/relations.py, FAMILIES).
SCORED_AS = {"ProvincialSubRegion": "Place"}
SCOPE = ("MacroRegion", "Province", "City", "Country", "CityCluster", "EconomicBelt",
         "Corridor", "Platform")  # the families the quality bar (≥ 0.95) is about


@dataclass(frozen=True, slots=True)
class GoldEntity:
    cls: str
    label: str
    surfaces: frozenset[str]


@dataclass(frozen=True, slots=True)
class Score:
    family: str
    gold: int
    predicted: int
    matched_gold: int
    matched_predicted: int
    missed: tuple[str, ...]
    spurious: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0


def name_key(text: str) -> str:
    """Names compare without whitespace, with dashes (and the OCR 一 between names) unified."""
    return "".join(translate_chars(text).split()).replace("一", DASH).strip('"“”')


def read_gold(path: Path) -> list[GoldEntity]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        return [GoldEntity(r["class"], r["label_zh"],
                           frozenset(s for s in r["surface_forms"].split("|") if s)) for r in rows]
    except (UnicodeDecodeError, KeyError, AttributeError) as e:
        raise InputError(
            f"{path}: not a gold table (class, label_zh, surface_forms): {e}") from None


def scored_family(cls: str, gaz: Gazetteer) -> str:
    """The row of the score table a class is scored in: its family, merged as SCORED_AS says."""
    fam = family(cls, gaz)
    return SCORED_AS.get(fam, fam)


def predicted_entities(doc: ExtractedDocument, group: Callable[[str], str],
                       gaz: Gazetteer) -> dict[tuple[str, str], set[str]]:
    """(group, identity) -> names; identity is the entity ref, or the surface when unlinked."""
    out: dict[tuple[str, str], set[str]] = {}
    for m in doc.mentions:
        key = (group(m.type), m.ref or name_key(m.text))
        names = out.setdefault(key, set())
        names.add(name_key(m.text))
        if m.ref:
            entry = gaz.entries[m.ref]
            names.add(name_key(entry.label_zh))
            names.update(name_key(a) for a in entry.aliases)
    return out


def evaluate(doc: ExtractedDocument, gold: list[GoldEntity], gaz: Gazetteer,
             by_class: bool = False) -> list[Score]:
    """Scores per class family, or per class (the most specific one) with `by_class`."""

    def group(cls: str) -> str:
        return cls if by_class else scored_family(cls, gaz)

    predicted = predicted_entities(doc, group, gaz)
    scores = []
    # A group the gold does not annotate at all (Industry) cannot be scored.
    families = sorted({group(g.cls) for g in gold})
    for fam in families:
        golds = [g for g in gold if group(g.cls) == fam]
        preds = {k: v for k, v in predicted.items() if k[0] == fam}
        gold_names = [{name_key(g.label)} | {name_key(s) for s in g.surfaces} for g in golds]
        matched_gold = [any(names & p for p in preds.values()) for names in gold_names]
        matched_pred = {k: any(names & gn for gn in gold_names) for k, names in preds.items()}
        scores.append(Score(
            fam, len(golds), len(preds), sum(matched_gold), sum(matched_pred.values()),
            tuple(g.label for g, ok in zip(golds, matched_gold, strict=True) if not ok),
            tuple(sorted(_label(k, gaz) for k, ok in matched_pred.items() if not ok))))
    return scores


def _label(key: tuple[str, str], gaz: Gazetteer) -> str:
    ident = key[1]
    return gaz.entries[ident].label_zh if ident in gaz.entries else ident


def overall(scores: list[Score], families: tuple[str, ...] = SCOPE) -> tuple[float, float]:
    chosen = [s for s in scores if s.family in families]
    gold = sum(s.gold for s in chosen)
    pred = sum(s.predicted for s in chosen)
    return (sum(s.matched_predicted for s in chosen) / pred if pred else 1.0,
            sum(s.matched_gold for s in chosen) / gold if gold else 1.0)
