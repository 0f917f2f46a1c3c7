"""`kg docs`: HTML documentation of the ontology (pyLODE), to read offline or to publish.

The folder holds `index.html` (pyLODE's page: its CSS and icons are inline), and beside it the
two files the page describes: `policy.ttl` and `context.jsonld`, the JSON-LD context that
`kg export graph --format jsonld` names by https://w3id.org/policy-kg/context.jsonld.
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
import shutil
import sys
import types
from pathlib import Path

import kgdata
from kg.errors import InputError

SITE_FILES = ("policy.ttl", "context.jsonld")
# Tags that make a browser fetch from another host: scripts, stylesheets, icons, images, frames.
_REMOTE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>.*?</script\s*>"
    r"|<(?:link|img|iframe|source)\b[^>]*\b(?:href|src)\s*=\s*[\"']?(?:https?:)?//[^>]*>",
    re.IGNORECASE | re.DOTALL)
_CSS_REMOTE = re.compile(r"@import\s+(?:url\()?[\"']?(?:https?:)?//[^;]*;", re.IGNORECASE)


def _ontpub() -> type:
    try:
        from pylode import OntPub
    except ImportError:
        raise InputError("kg docs needs pyLODE: pip install 'pylode>=3.4'") from None
    except FileNotFoundError:
        # pyLODE 3.4.1 reads its version from a pyproject.toml that its wheel does not ship
        # (RDFLib/pyLODE#260, fixed upstream): give it the installed version instead.
        for name in [m for m in sys.modules if m == "pylode" or m.startswith("pylode.")]:
            del sys.modules[name]
        version = types.ModuleType("pylode.version")
        version.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = version
        from pylode import OntPub
    logging.getLogger().setLevel(logging.WARNING)  # pyLODE's loader turns the root logger to DEBUG
    return OntPub


def strip_remote(html: str) -> str:
    """The page without anything a browser would fetch from another host (links stay links)."""
    return _CSS_REMOTE.sub("", _REMOTE.sub("", html))


def ontology_html(ttl: Path) -> str:
    ontpub = _ontpub()
    from pylode import PylodeError

    try:
        html = ontpub(ttl).make_html()
    except PylodeError as e:
        raise InputError(f"{ttl}: pyLODE cannot document it: {e}") from None
    return strip_remote(html)


def site_files() -> dict[str, str]:
    """File name → text: the page and the files it describes."""
    ontology = kgdata.ontology_dir()
    files = {"index.html": ontology_html(ontology / "policy.ttl")}
    files.update({name: (ontology / name).read_text(encoding="utf-8") for name in SITE_FILES})
    return files


def write_site(files: dict[str, str], out: Path) -> list[Path]:
    """Every file whole or not at all: all are written to a folder beside `out`, then moved in.

    A new `out` is that folder renamed. An existing one keeps its other files; ours replace
    theirs one by one, each by a rename.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    target = out.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        if target.is_dir():
            for name in files:
                (tmp / name).replace(target / name)
        else:
            tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in files]
