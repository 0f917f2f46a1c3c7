from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Read-only inputs beside the repository (development texts, the reference tables as received).
# They are not part of the product: a test that reads them asks `shared_input`, which skips it
# with the reason where they are absent. The article is in the repository (ARTICLE).
SHARED = ROOT.parent / "shared"
ARTICLE = ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt"
# the article's document key, read from its metadata by kg build (kg/build/keys.py)
ARTICLE_KEY = "article-2025-shisiwu-shiqi-zhongguo-quyu-xietiao-fazhan"
DEV_CORPUS = SHARED / "corpus-dev"


def shared_input(*parts: str) -> Path:
    """The path of a read-only input under ../shared/; the calling test is skipped, with the
    reason, where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the read-only inputs of ../shared/ are not on this "
                    "machine")
    return path


POLL = 0.02  # seconds between two looks at a condition: short, so a wait ends soon after it

# The fast subset is `pytest -m "not slow"`. A test is marked `slow` (pyproject.toml registers
# the marker) when it runs a real build, a server, a browser or Virtuoso, or takes over ~2 s.
# These fixtures are such work, so a test that uses one, directly or through another fixture,
# must be marked: collection fails otherwise, before a fast run quietly grows slow.
SLOW_FIXTURES = frozenset({"article_build", "article_graph", "article_validation",
                           "other_policy_graph"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [f"{item.nodeid} (uses {', '.join(sorted(SLOW_FIXTURES & set(item.fixturenames)))})"
                for item in items
                if SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
                and item.get_closest_marker("slow") is None]
    if unmarked:
        raise pytest.UsageError("mark these tests @pytest.mark.slow (tests/conftest.py, "
                                "SLOW_FIXTURES):\n  " + "\n  ".join(unmarked))


def wait_until(condition: Callable[[], object], timeout: float, what: str):
    """Poll `condition` until it returns something true, and return that; fail the test naming
    `what` at the deadline. Tests wait for a state like this, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() >= deadline:
            pytest.fail(f"{what}: not seen within {timeout:g} s")
        time.sleep(POLL)


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
    only reads the outputs: (the finished process, the output folder, with its store and, by
    `--trig`, graph.trig). Do not write into it."""
    out = tmp_path_factory.mktemp("article-build")
    result = subprocess.run([*kg_command, "build", str(ARTICLE), "--out", str(out), "--trig"],
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


def store_nquads(store: Path) -> list[str]:
    """The quads of an Oxigraph store folder (a build's OUT/store) as sorted N-Quads lines."""
    import pyoxigraph as ox

    text = ox.Store.read_only(str(store)).dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(line for line in text.splitlines() if line)


def file_nquads(graph_file: Path) -> list[str]:
    """A TriG (or .nq N-Quads) file's quads as an Oxigraph store holds them (it writes
    xsd:nonNegativeInteger as xsd:integer, and decimals canonically), as sorted N-Quads
    lines."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_QUADS if graph_file.suffix == ".nq" else ox.RdfFormat.TRIG
    store = ox.Store()
    store.bulk_extend(ox.parse(path=graph_file, format=fmt))
    text = store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(line for line in text.splitlines() if line)


def cell(value) -> str | None:
    """A query's value as the catalogue tests compare it: rows are equal when their values are,
    and Oxigraph writes a decimal in its canonical form (0.8) where rdflib keeps the lexical
    form it read (0.80)."""
    if value is None:
        return None
    text = str(value)
    if re.fullmatch(r"-?\d+\.\d+", text):
        text = text.rstrip("0").rstrip(".")
    return text
