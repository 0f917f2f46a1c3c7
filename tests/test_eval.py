"""The quality bar on the article, against the gold annotation in tests/gold/."""

from __future__ import annotations

from pathlib import Path

from conftest import ARTICLE

from kg.evaluate.entities import SCOPE, evaluate, name_key, overall, read_gold

GOLD = Path(__file__).parent / "gold" / "lu-li-2025.entities.tsv"


def test_precision_and_recall_of_the_named_places_clusters_corridors_and_platforms(
        extractor, gaz):
    doc = extractor.extract("lu-li", ARTICLE.read_text(encoding="utf-8"))
    scores = evaluate(doc, read_gold(GOLD), gaz)
    precision, recall = overall(scores, SCOPE)
    assert precision >= 0.95
    assert recall >= 0.95
    by_family = {s.family: s for s in scores}
    for family in ("Province", "MacroRegion", "CityCluster", "Corridor"):
        assert by_family[family].recall >= 0.95, by_family[family].missed


def test_every_gold_surface_form_occurs_in_the_article():
    text = name_key(ARTICLE.read_text(encoding="utf-8"))
    for entity in read_gold(GOLD):
        for surface in entity.surfaces:
            assert name_key(surface) in text, (entity.label, surface)


def test_near_misses_of_the_gold_list_are_not_extracted(extractor):
    import csv
    rows = list(csv.DictReader((GOLD.parent / "lu-li-2025.nearmisses.tsv").open(encoding="utf-8"),
                               delimiter="\t", quoting=csv.QUOTE_NONE))
    false_ones = [r for r in rows if r["why"].startswith("FALSE")]
    assert false_ones
    for row in false_ones:
        doc = extractor.extract("t", row["context"])
        surfaces = {m.text for m in doc.mentions}
        assert row["false_name"] not in surfaces, row


def test_the_rules_and_the_score_table_share_one_list_of_class_families(gaz):
    from extract.relations import FAMILIES, family
    from kg.evaluate.entities import scored_family

    classes = set(gaz.class_parent) - {"Entity"}
    assert len(classes) > 40
    assert all(family(cls, gaz) in FAMILIES for cls in classes)
    assert family("MetropolitanArea", gaz) == family("StrategicRegion", gaz) == "CityCluster"
    assert family("Railway", gaz) == scored_family("Railway", gaz) == "Corridor"
    # the relation rules list a sub-region with provinces; the gold counted it among the places
    assert family("ProvincialSubRegion", gaz) == "ProvincialSubRegion"
    assert scored_family("ProvincialSubRegion", gaz) == "Place"
    assert family("Place", gaz) == scored_family("Place", gaz) == "Place"
