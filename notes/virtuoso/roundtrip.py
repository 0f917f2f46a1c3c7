"""Does Virtuoso give back every quad of a TriG file exactly (IRIs, lexical forms, datatypes,
language tags, Chinese text)? And what is the default graph of a query?

    /work/venv/bin/python notes/virtuoso/roundtrip.py FILE.trig

Quads with blank nodes are left out of the exact comparison (Virtuoso renames blank nodes).
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

from rdflib import BNode, Dataset
from SPARQLWrapper import JSON, POST, SPARQLWrapper

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]
from compare import Term, json_term, rdflib_term  # noqa: E402

from tests.virtuoso import start_virtuoso  # noqa: E402


def select(url: str, query: str) -> list[dict]:
    sw = SPARQLWrapper(url)
    sw.setMethod(POST)
    sw.setReturnFormat(JSON)
    sw.setQuery(query)
    return sw.query().convert()["results"]["bindings"]


def main() -> None:
    trig = sys.argv[1] if len(sys.argv) > 1 else "/work/main/build/graph.trig"
    ds = Dataset()
    ds.parse(trig, format="trig")
    ours = {str(c.identifier) for c in ds.graphs()} - {"urn:x-rdflib:default"}
    expected: Counter[tuple[Term, ...]] = Counter()
    for s, p, o, g in ds.quads():
        if not any(isinstance(x, BNode) for x in (s, o)):
            expected[(rdflib_term(g), rdflib_term(s), rdflib_term(p), rdflib_term(o))] += 1
    with tempfile.TemporaryDirectory(prefix="virtuoso-rt-") as tmp:
        server = start_virtuoso(Path(tmp))
        try:
            before = select(server.query_url, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
            server.load_trig(trig)
            url = server.query_url
            values = " ".join(f"<{g}>" for g in sorted(ours))
            rows = select(url, f"SELECT ?g ?s ?p ?o {{ VALUES ?g {{ {values} }} "
                               "GRAPH ?g { ?s ?p ?o } FILTER (!isBlank(?s) && !isBlank(?o)) }")
            got = Counter((json_term(r["g"]), json_term(r["s"]), json_term(r["p"]),
                           json_term(r["o"])) for r in rows)
            union = select(url, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
            per_graph = select(url, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } "
                                    "GROUP BY ?g ORDER BY ?g")
            from_ours = select(url, "SELECT (COUNT(*) AS ?n) "
                               + " ".join(f"FROM <{g}>" for g in sorted(ours))
                               + " { ?s ?p ?o }")
        finally:
            server.stop()
    print(f"quads without blank nodes: rdflib {sum(expected.values())}, "
          f"virtuoso {sum(got.values())}, equal: {expected == got}")
    missing, extra = expected - got, got - expected
    kinds = Counter((t[3][2] or "", t[3][3] or "") for t in missing.elements())
    print("missing by (datatype, lang):", dict(kinds))
    for a in list(missing)[:5]:
        print("  rdflib only:", a[1][1], a[2][1], a[3])
    for b in list(extra)[:5]:
        print("  virtuoso only:", b[1][1], b[2][1], b[3])
    print("default graph, empty store:", before[0]["n"]["value"], "triples")
    print("default graph after load:", union[0]["n"]["value"], "triples; quads in file:",
          len(ds), "; FROM each of the file's graphs:", from_ours[0]["n"]["value"])
    for r in per_graph:
        print("  ", r["g"]["value"], r["n"]["value"])


if __name__ == "__main__":
    main()
