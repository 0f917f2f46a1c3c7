from __future__ import annotations

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
