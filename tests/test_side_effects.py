"""No library code changes what the whole process shares (issue 11): a setting that holds for
every thread and every later caller is made only where this list says why, which is checked on
the source of kg/ and extract/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# call -> the modules allowed to make it, and why (each also says so where it is made)
ALLOWED = {
    "os.umask": {},  # kg/store/atomic.py lets the kernel apply it instead
    "socket.setdefaulttimeout": {},
    "urllib.request.install_opener": {},
    "sys.setrecursionlimit": {"kg/serve/executor.py": "in the forked query child only"},
    "signal.signal": {"kg/serve/executor.py": "in the forked query child only",
                      "kg/serve/server.py": "SIGTERM while serving, put back after"},
    "signal.alarm": {"kg/serve/executor.py": "in the forked query child only"},
    "threading.stack_size": {"kg/serve/server.py": "while serving, put back after"},
    "logging.basicConfig": {},
    "jieba.setLogLevel": {"extract/components/factories.py": "jieba's own logger only"},
    "logging.getLogger().setLevel": {"kg/export/ontology_docs.py": "undoes pyLODE's DEBUG"},
    "sys.setprofile": {},
    "sys.settrace": {},
}
# module-level assignments to another library's settings
ASSIGNED = {"rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS": {
    "kg/serve/executor.py": "in the forked query child only"},
    "jieba.marshal": {"extract/jieba_start.py": "reads jieba's cache whole: the same "
                      "dictionary, for less CPU"}}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{_name(node.func)}()"
    return "?"


def _found() -> list[tuple[str, str]]:
    out = []
    for path in sorted([*ROOT.glob("kg/**/*.py"), *ROOT.glob("extract/**/*.py")]):
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) in ALLOWED:
                out.append((_name(node.func), where))
            if isinstance(node, ast.Assign):
                out += [(_name(t), where) for t in node.targets if _name(t) in ASSIGNED]
    return out


@pytest.mark.parametrize("call, where", _found())
def test_a_process_wide_setting_is_made_only_where_allowed(call, where):
    allowed = {**ALLOWED, **ASSIGNED}[call]
    assert where in allowed, f"{where} calls {call}, which changes it for the whole process"


def test_the_checker_sees_the_calls():
    calls = {call for call, _ in _found()}
    assert {"sys.setrecursionlimit", "threading.stack_size", "jieba.setLogLevel"} <= calls
