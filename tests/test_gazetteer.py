"""The reference tables: complete, consistent, and all loaded."""

from __future__ import annotations

import csv

from conftest import ROOT, shared_input

from extract.gazetteer import spellings

REF = ROOT / "ontology" / "reference"


def count(gaz, cls: str) -> int:
    return sum(1 for e in gaz.entries.values() if e.cls == cls)


def test_all_reference_divisions_and_lists_are_loaded(gaz):
    assert count(gaz, "Province") == 34
    assert count(gaz, "City") == 337
    assert count(gaz, "FreeTradeZone") == 22
    assert count(gaz, "NationalNewArea") == 19
    clusters = {e.label_zh for e in gaz.entries.values() if e.cls == "CityCluster"}
    assert len({n for n in clusters if n.endswith("城市群")}) >= 19


def test_the_shared_tables_are_carried_verbatim():
    shared = shared_input("reference")
    for name in ("provinces.csv", "cities.csv", "city_clusters.csv", "free_trade_zones.csv",
                 "national_new_areas.csv"):
        assert (REF / name).read_bytes() == (shared / name).read_bytes(), name


def test_every_province_has_its_macro_region_and_every_city_its_province(gaz):
    for e in gaz.entries.values():
        parts = [v for p, v in e.facts if p == "partOf"]
        if e.cls == "City":
            assert len([p for p in parts if p.startswith("province/")]) == 1, e.label_zh
        if e.cls == "Province" and e.label_zh not in ("香港特别行政区", "澳门特别行政区", "台湾省"):
            assert any(p.startswith("macro-region/") for p in parts), e.label_zh


def test_curated_tables_have_the_documented_columns():
    header = ["key", "class", "label_zh", "label_en", "aliases_zh", "abbr_zh", "part_of",
              "connects", "located_in", "wikidata_qid", "source"]
    files = sorted((REF / "entities").glob("*.csv"))
    assert len(files) >= 8
    for path in files:
        with path.open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == header, path.name


def test_names_with_a_dash_are_also_matched_with_the_ocr_yi():
    assert spellings("中国—东盟自由贸易区") == {"中国—东盟自由贸易区", "中国一东盟自由贸易区"}
    assert spellings("中国（上海）自由贸易试验区") == {"中国(上海)自由贸易试验区"}


def test_abbreviations_are_unique_per_kind(gaz):
    assert gaz.province_abbr["粤"] == "province/440000"
    assert gaz.province_abbr["琼"] == "province/460000"
    assert gaz.foreign_abbr["老"] == "country/lao"


def test_the_corpus_is_the_shared_article_verbatim():
    name = "lu-li-2025-regional-coordination.zh.txt"
    shared = shared_input("corpus", name)
    assert (ROOT / "corpus" / name).read_bytes() == shared.read_bytes()


def test_every_entry_names_a_file_of_the_product_as_its_source(gaz):
    """Provenance (dcterms:source in the reference graph, `kg why`) names the file the entry
    comes from, from the product's root: a reader can open it in any checkout or install."""
    named = {}
    for e in gaz.entries.values():
        if e.source.startswith("generated: "):  # sub-regions: made from the provinces' rows
            continue
        path = e.source.split(": ", 1)[0]
        named[path] = named.get(path, 0) + 1
    missing = sorted(p for p in named if not (ROOT / p).is_file())
    assert not missing, f"sources that are no file of the product: {missing}"
    assert named["ontology/reference/provinces.csv"] == 34
    assert named["ontology/reference/cities.csv"] == 337
