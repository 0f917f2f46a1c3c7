from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTICLE = ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt"
DEV_CORPUS = SHARED / "corpus-dev"


@pytest.fixture(scope="session")
def extractor():
    from extract.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def gaz():
    from extract.gazetteer import default

    return default()


@pytest.fixture(scope="session")
def kg_command() -> list[str]:
    """The installed console script, run as a real subprocess."""
    exe = Path(sys.executable).with_name("kg")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kg.cli"]


@pytest.fixture(scope="session")
def article_build(tmp_path_factory, kg_command) -> tuple[subprocess.CompletedProcess, Path]:
    """The article built once by the real `kg build` (a subprocess), shared by every test that
    only reads the outputs: (the finished process, the output folder). Do not write into it."""
    out = tmp_path_factory.mktemp("article-build")
    result = subprocess.run([*kg_command, "build", str(ARTICLE), "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    return result, out


@pytest.fixture(scope="session")
def article_graph(article_build) -> Path:
    """`graph.trig` of the shared build of the article (which must have succeeded)."""
    result, out = article_build
    assert result.returncode == 0, result.stderr
    return out / "graph.trig"


@pytest.fixture(scope="module")
def other_policy_graph(tmp_path_factory):
    """A second Oxigraph server with tests/data/other-policy-graph.ttl (tests/other_graph.py)."""
    from other_graph import start_other_graph

    server = start_other_graph(tmp_path_factory.mktemp("other-graph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def article_validation(article_graph, kg_command) -> subprocess.CompletedProcess:
    """`kg validate` of the shared build, run once: the shapes take about 15 s on the article."""
    return subprocess.run([*kg_command, "validate", "--graph", str(article_graph)],
                          capture_output=True, text=True, timeout=600)
