"""The query catalogue: SPARQL files shipped in `queries/` (answers and checks)."""

from __future__ import annotations

from pathlib import Path

import kgdata

KINDS = ("answers", "checks")


def catalogue() -> dict[str, Path]:
    """`answers/<name>` and `checks/<name>` (without `.rq`) -> the file."""
    root = kgdata.queries_dir()
    return {f"{kind}/{p.stem}": p for kind in KINDS
            for p in sorted((root / kind).glob("*.rq"))}


def header(path: Path) -> list[str]:
    """The comment lines that open a query file: its question in zh and en, its parameters."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").rstrip())
    return lines
