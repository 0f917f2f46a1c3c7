"""A graph N times the size of a built one, for benchmarking the stores (bench/stores.py).

    python bench/synth.py build/graph.trig 100 /work/bench-data/graph-100x.nq [--seed 5]

The ontology and reference graphs are written once; every document graph is written N times,
each copy a new document: every IRI that carries the document's key gets a copy-specific key
(mentions, selectors, assertions, observations, datasets, recommendations, claims, the document
and its named graph), blank nodes are relabelled per copy, and the copy is varied with the
reference data so that copies are not identical and joins fan out as they would over a corpus:

- the provinces and the cities it refers to (mention bodies, assertion subjects/objects, the
  relation triples, observation and claim areas, targets) are swapped for others of the same
  kind by a seeded permutation per copy;
- observation values (`pkg:value`) are scaled by a seeded factor in [0.9, 1.1] per copy.

Copy 0 keeps the original key, places and values, so N = 1 gives back the input graph. Macro-
regions are not permuted: there are only a handful and the statistics queries group by them.
The quoted text of a mention (`oa:exact`) is left as it is, so a copy's quote may not name its
(swapped) entity: fine for timing, not a graph to read.

The output is N-Quads written line by line (1000 copies of the article are ~48 M quads, too
many for an in-memory rdflib graph); the input is parsed once with pyoxigraph.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

ID = "https://w3id.org/policy-kg/id/"
ONT = "https://w3id.org/policy-kg/ont#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
VALUE = f"<{ONT}value>"
DOC_GRAPH = re.compile(rf"<{re.escape(ID)}graph/doc/([^>/]+)>")
FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
PLACE_KINDS = ("Province", "City")  # permuted among themselves; macro-regions stay
DECIMAL = re.compile(r'"(-?\d+(?:\.\d+)?)"\^\^<http://www\.w3\.org/2001/XMLSchema#decimal>')


@dataclass(frozen=True, slots=True)
class Source:
    """The input split into what is written once and the document graphs that are copied."""

    shared: list[tuple[str, str, str, str]]  # N-Quads terms of ontology, reference, …
    docs: dict[str, list[tuple[str, str, str, str]]]  # doc key -> its graph's quads
    places: dict[str, list[str]]  # kind -> the IRIs (N-Triples form) of that kind, sorted


@dataclass(frozen=True, slots=True)
class Written:
    quads: int
    documents: int
    seconds: float


def read_source(path: Path) -> Source:
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise SystemExit(f"{path}: expected .trig or .nq")
    shared: list[tuple[str, str, str, str]] = []
    docs: dict[str, list[tuple[str, str, str, str]]] = {}
    places: dict[str, set[str]] = {kind: set() for kind in PLACE_KINDS}
    kinds = {f"<{ONT}{kind}>": kind for kind in PLACE_KINDS}
    with path.open("rb") as f:
        for q in ox.parse(f, format=fmt):
            terms = (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
            doc = DOC_GRAPH.fullmatch(terms[3])
            if doc:
                docs.setdefault(doc.group(1), []).append(terms)
            else:
                shared.append(terms)
                if terms[1] == RDF_TYPE and terms[2] in kinds:
                    places[kinds[terms[2]]].add(terms[0])
    return Source(shared, docs, {k: sorted(v) for k, v in places.items()})


def copy_terms(source: Source, key: str, copy: int, seed: int) -> dict[tuple[str, str], str]:
    """How each term of document `key`'s graph reads in copy `copy`: a (role, term) -> term map,
    role "v" for the object of pkg:value (scaled), "t" for any other position."""
    rng = random.Random(f"{seed}/{key}/{copy}")  # str seeds are stable across runs
    swap: dict[str, str] = {}
    if copy:
        for kind in PLACE_KINDS:
            iris = source.places[kind]
            shuffled = iris[:]
            rng.shuffle(shuffled)
            swap.update(zip(iris, shuffled, strict=True))
    new_key = key if copy == 0 else f"{key}-syn{copy}"
    scale = Decimal(str(round(rng.uniform(0.9, 1.1), 4))) if copy else Decimal(1)
    old_in, old_end = f"/{key}/", f"/{key}>"
    new_in, new_end = f"/{new_key}/", f"/{new_key}>"
    out: dict[tuple[str, str], str] = {}
    for quad in source.docs[key]:
        for pos, term in enumerate(quad):
            role = "v" if pos == 2 and quad[1] == VALUE else "t"
            if (role, term) in out:
                continue
            if term.startswith("<"):
                new = swap.get(term, term)
                if old_in in new or new.endswith(old_end):
                    new = new.replace(old_in, new_in).replace(old_end, new_end)
            elif term.startswith("_:"):
                new = f"_:c{copy}x{term[2:]}"  # labels are file-scoped in N-Quads
            elif role == "v" and copy and (m := DECIMAL.fullmatch(term)):
                new = _scaled(m.group(1), scale)
            else:
                new = term
            out[(role, term)] = new
    return out


def _scaled(text: str, scale: Decimal) -> str:
    decimals = len(text.partition(".")[2])
    value = (Decimal(text) * scale).quantize(Decimal(1).scaleb(-decimals))
    return f'"{value}"^^<http://www.w3.org/2001/XMLSchema#decimal>'


def lines(source: Source, copies: int, seed: int) -> Iterator[str]:
    """N-Quads text in chunks: the shared graphs, then each copy of each document graph."""
    yield "".join(f"{_shared(s)} {p} {_shared(o)} {g} .\n" for s, p, o, g in source.shared)
    for copy in range(copies):
        for key, quads in source.docs.items():
            t = copy_terms(source, key, copy, seed)
            yield "".join(
                f"{t['t', s]} {t['t', p]} {t['v' if p == VALUE else 't', o]} {t['t', g]} .\n"
                for s, p, o, g in quads)


def _shared(term: str) -> str:
    return f"_:r{term[2:]}" if term.startswith("_:") else term


def synthesise(graph: Path, copies: int, out: Path, seed: int = 5) -> Written:
    """Write the graph `copies` times the size of `graph` to `out` (N-Quads)."""
    start = time.perf_counter()
    source = read_source(graph)
    if not source.docs:
        raise SystemExit(f"{graph}: no document graph (<{ID}graph/doc/…>) to copy")
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    part = out.with_name(out.name + ".part")  # a killed run must not leave a file to reuse
    with part.open("w", encoding="utf-8", buffering=1 << 20) as f:
        for chunk in lines(source, copies, seed):
            f.write(chunk)
            n += chunk.count("\n")
    part.replace(out)
    return Written(n, copies * len(source.docs), time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graph", type=Path, help="a built graph (.trig or .nq)")
    ap.add_argument("copies", type=int, help="N: how many copies of each document graph")
    ap.add_argument("out", type=Path, help="the N-Quads file to write")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    w = synthesise(args.graph, args.copies, args.out, args.seed)
    print(f"{args.out}: {w.quads} quads, {w.documents} document graphs, {w.seconds:.1f} s "
          f"({w.quads / w.seconds:,.0f} quads/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
