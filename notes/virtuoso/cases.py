"""The query test (tests/test_queries.py) against Virtuoso: every catalogue query on the test's own
data (the `reference` and `article` datasets built as the test's fixture builds them), with the
case's bindings, compared with the case's expected rows.

    /work/venv/bin/python notes/virtuoso/cases.py [--json OUT] [--dump DIR]

rdflib runs the query as the test does (kg.query.prepare, initBindings). Virtuoso gets one text:
the file as written, a case binding replacing the VALUES default of its variable, or, for a
variable without a VALUES block, a `VALUES (...) { (...) }` put first in the outer WHERE.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, URIRef
from SPARQLWrapper import JSON, POST, SPARQLWrapper

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(Path(__file__).parent)]
from compare import virtuoso_message  # noqa: E402

from kg.queries import catalogue  # noqa: E402
from kg.query import prepare  # noqa: E402
from tests.virtuoso import start_virtuoso  # noqa: E402

CASES = ROOT / "tests" / "queries"


def build_datasets() -> dict[str, Dataset]:
    """As tests/test_queries.py's `graphs` fixture builds them."""
    from conftest import ARTICLE

    from extract.gazetteer import default
    from extract.pipeline import Extractor
    from extract.tables import find_tables
    from kg import iris
    from kg.build import assemble
    from kg.reference import reference_graph
    from kg.relation_graph import partition_graph

    gaz = default()
    reference = Dataset(default_union=True)
    partition_graph(reference_graph(gaz, reference.graph(iris.graph("reference"))))
    doc = Extractor().extract("lu-li", ARTICLE.read_text(encoding="utf-8"), str(ARTICLE))
    article = assemble([doc], gaz, {"lu-li": find_tables(doc.text)})
    article.default_union = True
    return {"reference": reference, "article": article}


def inline(text: str, params: dict[str, URIRef]) -> str:
    """The query text with the parameters written into it (for a remote endpoint)."""
    rest = dict(params)
    for name in list(rest):
        block = re.compile(r"VALUES\s+\?" + name + r"\s*\{[^}]*\}")
        if block.search(text):
            text = block.sub(f"VALUES ?{name} {{ {rest.pop(name).n3()} }}", text, count=1)
    if rest:
        names = " ".join(f"?{n}" for n in rest)
        terms = " ".join(t.n3() for t in rest.values())
        values = f"\n  VALUES ({names}) {{ ({terms}) }}"
        text = re.sub(r"\bWHERE\s*\{", lambda m: m.group(0) + values, text, count=1)
    return text


def rows_of(data: dict) -> list[list[str | None]]:
    variables = data["head"]["vars"]
    return [[(row[v]["value"] if v in row else None) for v in variables]
            for row in data["results"]["bindings"]]


def numeric(text: str | None) -> object:
    """A number's value (Virtuoso keeps xsd:decimal as a value: "0.80" comes back as "0.8")."""
    if text is not None and re.fullmatch(r"-?\d+(\.\d+)?", text):
        return Decimal(text).normalize()
    return text


def run_case(name: str, path: Path, ds: Dataset, endpoint: str) -> dict:
    case = json.loads((CASES / f"{name.replace('/', '--')}.json").read_text(encoding="utf-8"))
    params = {k: URIRef(v) for k, v in case.get("bindings", {}).items()}
    raw = path.read_text(encoding="utf-8")
    expected = case["expected"]
    out: dict = {"query": name, "data": case["data"], "expected_rows": len(expected)}
    text, bindings = prepare(raw, params)
    got = [[str(v) if v is not None else None for v in row]
           for row in ds.query(text, initBindings=bindings)]
    out["rdflib_matches_case"] = got == expected
    sw = SPARQLWrapper(endpoint)
    sw.setMethod(POST)
    sw.setReturnFormat(JSON)
    sw.setQuery(inline(raw, params))
    start = time.perf_counter()
    try:
        rows = rows_of(sw.query().convert())
    except Exception as e:
        out.update(status="error", error=virtuoso_message(e))
        return out
    out["virtuoso_s"] = round(time.perf_counter() - start, 3)
    out["virtuoso_rows"] = len(rows)

    def key(r: list[str | None]) -> list[str]:
        return [x if x is not None else "\0" for x in r]

    if rows == expected:
        out["status"] = "pass"
    elif sorted(rows, key=key) == sorted(expected, key=key):
        out["status"] = "same rows, other order"
    elif [[numeric(x) for x in r] for r in rows] == [[numeric(x) for x in r] for r in expected]:
        out["status"] = "pass if numbers by value"
        out["first_difference"] = next([a, b] for a, b in zip(rows, expected, strict=True)
                                       if a != b)
    else:
        out["status"] = "FAIL"
        exp = [tuple(r) for r in expected]
        got_t = [tuple(r) for r in rows]
        out["missing"] = [list(r) for r in exp if r not in got_t][:8]
        out["extra"] = [list(r) for r in got_t if r not in exp][:8]
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--json", default=None)
    p.add_argument("--dump", default=None, help="also write the datasets as TriG here")
    p.add_argument("--use", default=None, help="a folder of .rq files that replace the "
                   "catalogue's files of the same name (rewrites)")
    p.add_argument("names", nargs="*")
    args = p.parse_args()
    queries = catalogue()
    if args.use:
        for f in Path(args.use).glob("*.rq"):
            for name in [n for n in queries if n.split("/")[-1] == f.stem]:
                queries[name] = f
    names = args.names or sorted(queries)
    datasets = build_datasets()
    results = []
    with tempfile.TemporaryDirectory(prefix="virtuoso-cases-") as tmp:
        for data, ds in datasets.items():
            trig = Path(args.dump or tmp) / f"{data}.trig"
            trig.parent.mkdir(parents=True, exist_ok=True)
            ds.serialize(trig, format="trig")
            server = start_virtuoso(Path(tmp) / data)
            try:
                load = server.load_trig(trig)
                print(f"{data}: start {server.startup_seconds:.2f} s, load {load:.2f} s",
                      file=sys.stderr)
                for name in names:
                    case = CASES / f"{name.replace('/', '--')}.json"
                    if json.loads(case.read_text(encoding="utf-8"))["data"] == data:
                        results.append(run_case(name, queries[name], ds, server.query_url))
            finally:
                server.stop()
    results.sort(key=lambda r: r["query"])
    for r in results:
        print(f"{r['query']:45} {r['data']:9} {r['status']:22} expected {r['expected_rows']:>3} "
              f"virtuoso {r.get('virtuoso_rows', '-'):>3} rdflib ok {r['rdflib_matches_case']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
