"""Run every catalogue query (or the given .rq files) on rdflib and on a throw-away Virtuoso loaded
with the same TriG, and compare the rows.

    /work/venv/bin/python notes/virtuoso/compare.py [build/graph.trig] [--queries DIR] [--json OUT]

Each query runs as written (its VALUES defaults left in the text) on rdflib (Dataset,
default_union) and on Virtuoso's /sparql (SPARQLWrapper, JSON results). Rows are compared as
multisets three ways: exact RDF terms (kind, lexical form, datatype, language), `str()` of each
value (what tests/test_queries.py compares), and, for ORDER BY queries, the order too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from rdflib import BNode, Dataset, Literal, URIRef
from SPARQLWrapper import JSON, POST, SPARQLWrapper

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.virtuoso import start_virtuoso  # noqa: E402

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Term = tuple[str, str, str | None, str | None] | None


def rdflib_term(t: object) -> Term:
    if t is None:
        return None
    if isinstance(t, URIRef):
        return ("uri", str(t), None, None)
    if isinstance(t, BNode):
        return ("bnode", "", None, None)
    assert isinstance(t, Literal)
    dt = str(t.datatype) if t.datatype and str(t.datatype) != XSD_STRING else None
    return ("literal", str(t), dt, t.language.lower() if t.language else None)


def json_term(b: dict | None) -> Term:
    if b is None:
        return None
    if b["type"] == "uri":
        return ("uri", b["value"], None, None)
    if b["type"] == "bnode":
        return ("bnode", "", None, None)
    dt = b.get("datatype")
    dt = dt if dt != XSD_STRING else None
    lang = b.get("xml:lang")
    return ("literal", b["value"], dt, lang.lower() if lang else None)


def show(t: Term) -> str:
    if t is None:
        return "UNBOUND"
    kind, value, dt, lang = t
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:b"
    return json.dumps(value, ensure_ascii=False) + (f"@{lang}" if lang else "") + (
        f"^^<{dt}>" if dt else "")


def virtuoso_message(e: Exception) -> str:
    """The first line of Virtuoso's own message out of SPARQLWrapper's exception."""
    text = str(e)
    m = re.search(r"Response:\s*b['\"](.*)", text, re.S)
    if m:
        raw = m.group(1).encode("latin-1", "backslashreplace").decode("unicode_escape")
        text = raw.encode("latin-1", "replace").decode("utf-8", "replace")
    return f"{type(e).__name__}: {text.splitlines()[0][:300]}"


def compare(name: str, text: str, ds: Dataset, endpoint: str) -> dict:
    out: dict = {"query": name}
    t = time.perf_counter()
    try:
        res = ds.query(text)
        variables = [str(v) for v in res.vars]
        a = [tuple(rdflib_term(row[v]) for v in variables) for row in res]
    except Exception as e:  # rdflib's own failure is worth reporting too
        out.update(status="rdflib error", error=f"{type(e).__name__}: {e}")
        return out
    out["rdflib_s"] = round(time.perf_counter() - t, 3)
    sw = SPARQLWrapper(endpoint)
    sw.setMethod(POST)
    sw.setReturnFormat(JSON)
    sw.setQuery(text)
    t = time.perf_counter()
    try:
        data = sw.query().convert()
    except Exception as e:
        out.update(status="virtuoso error", error=virtuoso_message(e), rdflib_rows=len(a))
        return out
    out["virtuoso_s"] = round(time.perf_counter() - t, 3)
    vvars = data["head"]["vars"]
    b = [tuple(json_term(row.get(v)) for v in variables) for row in data["results"]["bindings"]]
    out.update(rdflib_rows=len(a), virtuoso_rows=len(b))
    if vvars != variables:
        out["vars"] = {"rdflib": variables, "virtuoso": vvars}

    def strs(rows: list[tuple[Term, ...]]) -> list[tuple[str | None, ...]]:
        return [tuple(None if x is None else x[1] for x in r) for r in rows]

    exact = Counter(a) == Counter(b)
    as_str = Counter(strs(a)) == Counter(strs(b))
    ordered = "ORDER BY" in text.upper()
    out["exact"] = exact
    out["str_equal"] = as_str
    if ordered:
        out["order_equal"] = strs(a) == strs(b)
    if exact and (not ordered or out["order_equal"]):
        out["status"] = "same"
    elif as_str and (not ordered or out["order_equal"]):
        out["status"] = "same str(), terms differ"
    elif as_str:
        out["status"] = "same rows, order differs"
    else:
        out["status"] = "rows differ"
    if not exact:
        only_a = Counter(a) - Counter(b)
        only_b = Counter(b) - Counter(a)
        out["only_rdflib"] = [[show(x) for x in r] for r in list(only_a.elements())[:8]]
        out["only_virtuoso"] = [[show(x) for x in r] for r in list(only_b.elements())[:8]]
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("trig", nargs="?", default="/work/main/build/graph.trig")
    p.add_argument("--queries", nargs="*", default=None)
    p.add_argument("--json", default=None)
    args = p.parse_args()
    files = ([Path(q) for q in args.queries] if args.queries
             else sorted((ROOT / "queries" / "answers").glob("*.rq")))
    ds = Dataset(default_union=True)
    ds.parse(args.trig, format="trig")
    with tempfile.TemporaryDirectory(prefix="virtuoso-") as tmp:
        server = start_virtuoso(Path(tmp))
        try:
            load = server.load_trig(args.trig)
            print(f"start {server.startup_seconds:.2f} s, load {load:.2f} s", file=sys.stderr)
            results = [compare(f.stem, f.read_text(encoding="utf-8"), ds, server.query_url)
                       for f in files]
        finally:
            server.stop()
    for r in results:
        print(f"{r['query']:40} {r['status']:28} rdflib {r.get('rdflib_rows', '-'):>4} "
              f"virtuoso {r.get('virtuoso_rows', '-'):>4}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
