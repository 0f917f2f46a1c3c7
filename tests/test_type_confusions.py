"""tools/type_confusions.py: the dev splits' type confusions, counted as kg eval pairs them."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import type_confusions  # noqa: E402

from kg.evaluate.mentions import GoldMention, Predicted  # noqa: E402

TEXT = "推动京津冀协同，建设武宿综保区。"


def _gold(name: str, kind: str) -> GoldMention:
    start = TEXT.index(name)
    return GoldMention(start, start + len(name), name, kind, name, "", False)


def _pred(name: str, kind: str) -> Predicted:
    start = TEXT.index(name)
    return Predicted(start, start + len(name), name, kind, None)


def test_only_pairs_of_different_types_are_counted_with_their_context() -> None:
    gold = [_gold("京津冀", "SubRegion"), _gold("武宿综保区", "Platform")]
    preds = [_pred("京津冀", "CityCluster"), _pred("武宿综保区", "Platform")]
    found = list(type_confusions.confusions("doc", TEXT, preds, gold))
    assert [(c.gold_type, c.our_type) for c in found] == [("SubRegion", "CityCluster")]
    assert "推动京津冀协同" in found[0].example
    assert type_confusions.table(found, 1)[1].startswith("1\tSubRegion\tCityCluster\tdoc:2 ")


def test_the_held_out_splits_are_refused(capsys) -> None:
    assert type_confusions.main(["--split", "dev,test2"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kg: error: --split test2:")
