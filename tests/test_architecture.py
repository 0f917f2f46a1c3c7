"""The import directions of docs/architecture.md, checked on the source: a test fails when an
import goes the wrong way, before the layering erodes one convenient import at a time."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package -> the kg packages it must never import (kg.cli and kg.commands: see below)
FORBIDDEN = {
    "kg.inputs": ("kg.build", "kg.store", "kg.sparql", "kg.serve", "kg.link", "kg.analysis",
                  "kg.inspect", "kg.export", "kg.evaluate"),
    "kg.store": ("kg.build", "kg.serve", "kg.link", "kg.analysis", "kg.inspect",
                 "kg.export.tables", "kg.export.graph", "kg.evaluate", "kg.inputs"),
    "kg.sparql": ("kg.build", "kg.store", "kg.serve", "kg.link", "kg.analysis", "kg.inspect",
                  "kg.evaluate", "kg.inputs"),
    "kg.build": ("kg.serve", "kg.link", "kg.analysis", "kg.inspect", "kg.export.tables",
                 "kg.evaluate"),
    "kg.inspect": ("kg.build", "kg.serve", "kg.link", "kg.analysis", "kg.evaluate"),
    "kg.export": ("kg.build", "kg.serve", "kg.link", "kg.analysis", "kg.evaluate"),
    "kg.analysis": ("kg.build", "kg.serve", "kg.link", "kg.evaluate"),
    "kg.link": ("kg.build", "kg.serve", "kg.analysis", "kg.inspect", "kg.evaluate"),
    "kg.serve": ("kg.build", "kg.link", "kg.analysis", "kg.inspect", "kg.evaluate"),
}
# an outside library -> the only packages that may import it
HOMES = {
    "SPARQLWrapper": ("kg.store.remote",),
    "networkx": ("kg.analysis",),
    "pyshacl": ("kg.build.validate",),
    "oxrdflib": ("kg.store.oxigraph",),
    "pyoxigraph": ("kg.store", "kg.serve.answer"),
    "matplotlib": ("kg.analysis.plots",),
    "pylode": ("kg.export.ontology_docs",),
    "spacy": ("extract",),
    "jieba": ("extract.components", "extract.slugs",  # slugs: a title's words for its key
              "extract.jieba_start"),  # its dictionaries loaded for less CPU
    "pypinyin": ("extract.slugs",),  # the open-world keys kg.iris mints IRIs from
    "ahocorasick": ("extract.matching",),
    "pypdfium2": ("kg.inputs.pdf",),
    "docx": ("kg.inputs.docx", "kg.inputs.numbering"),
    "trafilatura": ("kg.inputs.html",),
    "lxml": ("kg.inputs.html",),
}


def modules() -> dict[str, Path]:
    out = {}
    for package in ("kg", "extract", "kgdata"):
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = path
    return out


@cache  # each module is asked about by many tests; parse it once
def imports(name: str, path: Path) -> frozenset[str]:
    """Every module `name` imports, absolute, at any depth of the file (lazy imports count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return frozenset(found)


ALL = modules()


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.mark.parametrize("name", sorted(n for n in ALL if n.startswith("extract")))
def test_extract_never_imports_rdflib_or_kg(name):
    bad = {m for m in imports(name, ALL[name]) if within(m, "rdflib") or within(m, "kg")}
    assert not bad, f"{name} imports {sorted(bad)}: extract turns text into plain records"


@pytest.mark.parametrize("name", sorted(n for n in ALL if within(n, "kg")
                                        and not within(n, "kg.cli")
                                        and not within(n, "kg.commands")))
def test_library_code_never_imports_the_command_line(name):
    bad = {m for m in imports(name, ALL[name]) if within(m, "kg.cli") or within(m, "kg.commands")}
    assert not bad, f"{name} imports {sorted(bad)}: commands sit on the library, not under it"


@pytest.mark.parametrize("name", sorted(n for n in ALL if any(within(n, p) for p in FORBIDDEN)))
def test_packages_import_downwards(name):
    package = next(p for p in FORBIDDEN if within(name, p))
    bad = {m for m in imports(name, ALL[name]) for f in FORBIDDEN[package] if within(m, f)}
    assert not bad, f"{name} imports {sorted(bad)}, which {package} must not (architecture.md)"


@pytest.mark.parametrize("library", sorted(HOMES))
def test_each_outside_library_has_one_home(library):
    users = {n for n, p in ALL.items() if any(within(m, library) for m in imports(n, p))}
    strays = {u for u in users if not any(within(u, home) for home in HOMES[library])}
    assert users, f"nothing imports {library}: drop it from HOMES and pyproject"
    assert not strays, f"{sorted(strays)} import {library}, whose home is {HOMES[library]}"


@cache
def top_level_names(path: Path) -> frozenset[str]:
    """The names a module defines or imports at its top level (what `from it import x` finds)."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:  # `A = …` and `A, B = …`
                parts = target.elts if isinstance(target, ast.Tuple) else [target]
                names |= {t.id for t in parts if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return frozenset(names)


# The scripts that import the library without being part of it
SCRIPTS = {".".join(p.relative_to(ROOT).with_suffix("").parts): p
           for folder in ("bench", "tools", "tests") for p in (ROOT / folder).rglob("*.py")}


@pytest.mark.parametrize("name", sorted(ALL) + sorted(SCRIPTS))
def test_every_import_of_our_own_code_resolves(name):
    """A module moved without its importers updated fails here, not when a user runs the one
    command or benchmark that imports it lazily (`kg viz` once imported the old `kg.network`,
    bench/view_load.py the old `kg.views`)."""
    path = ALL.get(name) or SCRIPTS[name]
    ours = [m for m in imports(name, path) if m.split(".")[0] in ("kg", "extract", "kgdata")]
    missing = []
    for module in ours:
        parent, _, attr = module.rpartition(".")
        if module in ALL or attr == "*" or (parent in ALL and attr in top_level_names(ALL[parent])):
            continue
        missing.append(module)
    assert not missing, f"{name} imports {sorted(missing)}, which do not exist"


def test_the_checker_sees_imports():
    """The checks above pass vacuously if `imports` finds nothing: it must find these."""
    assert "kg.store.base" in imports("kg.store.registry", ALL["kg.store.registry"])
    assert "kg.build.run" in imports("kg.commands.build", ALL["kg.commands.build"])
    assert "extract.records" in imports("extract.pipeline", ALL["extract.pipeline"])
