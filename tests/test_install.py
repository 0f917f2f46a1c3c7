"""A non-editable install carries the ontology, reference tables, queries and corpus."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow  # builds a wheel and installs it into a fresh venv


def test_wheel_contains_the_data_and_runs_without_the_source_tree(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheel_dir), str(ROOT)], check=True, timeout=300)
    wheel = next(wheel_dir.glob("policy_kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("kgdata/ontology/policy.ttl", "kgdata/ontology/context.jsonld",
                     "kgdata/ontology/reference/provinces.csv",
                     "kgdata/ontology/reference/cities.csv", "kgdata/ontology/shapes/entities.ttl",
                     "kgdata/corpus/lu-li-2025-regional-coordination.zh.txt",
                     "extract/patterns/shapes.tsv", "kg/inputs/common_chars.txt",
                     "extract/models/ner-zh/config.cfg", "extract/models/ner-zh/ner/model",
                     "kg/cli.py"):
        assert required in names, required
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, timeout=300)
    # Run from an empty folder with only the installed copy importable (plus the dependencies
    # of this environment): `kg build` must find its data and its default corpus in the wheel.
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import sys, kg, kgdata; assert 'site' in kg.__file__, kg.__file__; "
            "from kg.cli import main; sys.exit(main(['build', '--out', 'out']))")
    result = subprocess.run([sys.executable, "-c", code], cwd=work, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    store = work / "out" / "store"  # the graph: the ontology, the reference data, the corpus
    assert sum(p.stat().st_size for p in store.iterdir() if p.is_file()) > 100_000
    # the NER model (extract/ner.py) ships in the wheel and loads from the installed copy
    code = ("import extract.ner as n; assert 'site' in n.MODEL_DIR.as_posix(), n.MODEL_DIR; "
            "labels = set(n.load_model().get_pipe('ner').labels); "
            "print(labels <= set(n.LABELS), 'Platform' in labels)")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=work, env=env,
                            capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "True True"
