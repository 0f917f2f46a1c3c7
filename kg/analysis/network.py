"""The RDF graph projected into networkx graphs (pure functions, no printing).

The projections, all with one attribute contract (nodes: kg/analysis/nodes.py; the views draw
it, kg/analysis/views.py):

- every node: `label_zh`, `label_en`, `cls`, `lat`, `lon` (see nodes.py);
- every edge: `predicate` (local name), `source` ("reference" | "text"), `evidence` (a sentence,
  or None), `weight` (int).

`relation_graph` ties entities (places, corridors, platforms, strategies) by the linkage
relations, by default only those the texts state (`Scope`); `linkage_graph` links places through
the corridors that connect them; `corridor_graph` keeps the corridors as nodes;
`recommendation_graph` links recommendations to the entities they target;
`comention_graph` links entities named in the same sentence; `query_graph` takes the ?s ?p ?o
rows of a SPARQL SELECT. `project` is the one place that picks a named projection and passes
its options (`kg analyze` and `kg viz` both call it). Triples are read with rdflib's triple
patterns rather than SPARQL (no join order to get wrong; see docs/queries.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg import iris
from kg.analysis import NETWORKS
from kg.analysis.nodes import is_place, label, local_name, node_attrs
from kg.sparql.engine_errors import engine_refused
from kg.vocab import OA, PKG

REFERENCE_GRAPH_SUFFIX = "/graph/reference"
COMENTION_WINDOW = 100  # characters, when the document text cannot be read
# A sentence ends after 。！？；!? (with closing quotes) or at a blank line. Single line breaks
# do not end one: the article's lines are wrapped mid-sentence (see extract/sentences.py, which
# splits the normalised text instead).
_SENTENCE_END = re.compile(r"[。！？；!?;][”’」』)）\"]*|\n\s*\n")


def _is_reference(graph_id) -> bool:
    return str(graph_id).endswith(REFERENCE_GRAPH_SUFFIX)


def _union(ds: Dataset) -> Dataset:
    ds.default_union = True
    return ds


def _quote_sentence(ds: Dataset, target) -> str | None:
    """prefix + exact + suffix of the target's quote selector (the sentence), or None."""
    for sel in ds.objects(target, OA.hasSelector):
        exact = ds.value(sel, OA.exact)
        if exact is not None:
            return f"{ds.value(sel, OA.prefix) or ''}{exact}{ds.value(sel, OA.suffix) or ''}"
    return None


def _start(ds: Dataset, target) -> int:
    for sel in ds.objects(target, OA.hasSelector):
        start = ds.value(sel, OA.start)
        if start is not None:
            return int(start)
    return -1


def assertion_sentence(ds: Dataset, s: URIRef, p: URIRef, o: URIRef) -> str | None:
    """The sentence of the first (in text order) pkg:Assertion of the triple, or None."""
    found = []
    for a in ds.subjects(RDF.subject, s):  # start from the bound subject (docs/queries.md)
        if ds.value(a, RDF.predicate) == p and ds.value(a, RDF.object) == o:
            target = ds.value(a, OA.hasTarget)
            if target is not None:
                found.append((_start(ds, target), str(a), target))
    for _, _, target in sorted(found):
        sentence = _quote_sentence(ds, target)
        if sentence:
            return sentence
    return None


@dataclass(frozen=True, slots=True)
class Scope:
    """Which statements a projection reads: the documents' (all, or those of `documents`), and
    the reference data's with `with_reference`."""

    with_reference: bool = True
    documents: frozenset[str] | None = None  # named-graph IRIs of the chosen documents

    def reads(self, graph_id) -> bool:
        if _is_reference(graph_id):
            return self.with_reference
        return self.documents is None or str(graph_id) in self.documents


EVERYTHING = Scope()
TEXTS = Scope(with_reference=False)


def document_graphs(ds: Dataset, keys: tuple[str, ...] = (), year: str | None = None
                    ) -> frozenset[str]:
    """The named graphs of the documents with one of `keys` (all when none) issued in `year`
    (dcterms:issued, a date or a year). InputError for a key no document has."""
    from kg.errors import InputError

    ds = _union(ds)
    docs = {local_name(d): d for d in ds.subjects(RDF.type, PKG.Document)}
    unknown = [k for k in keys if k not in docs]
    if unknown:
        raise InputError(f"--doc {unknown[0]}: no such document in the graph (it has "
                         f"{', '.join(sorted(docs)[:5])}{' …' if len(docs) > 5 else ''})")
    chosen = [k for k in (keys or tuple(docs))
              if year is None or str(ds.value(docs[k], DCTERMS.issued) or "").startswith(year)]
    return frozenset(str(iris.graph(f"doc/{k}")) for k in chosen)


def _connects(ds: Dataset, scope: Scope = EVERYTHING) -> dict[URIRef, dict[URIRef, dict]]:
    """corridor → place → {"source", "evidence"} for every pkg:connects triple to a place."""
    out: dict[URIRef, dict[URIRef, dict]] = defaultdict(dict)
    for c, _, x, g in ds.quads((None, PKG.connects, None, None)):
        if not scope.reads(g) or not is_place(ds, x):
            continue
        link = out[c].setdefault(x, {"reference": False, "text": False})
        link["reference" if _is_reference(g) else "text"] = True
    for c, links in out.items():
        for x, link in links.items():
            link["source"] = "reference" if link.pop("reference") else "text"
            link["evidence"] = (assertion_sentence(ds, c, PKG.connects, x)
                                if link.pop("text") else None)
    return out


MEMBERSHIP = (PKG.memberOf, PKG.partOf)


def linkage_graph(ds: Dataset, membership: bool = True,
                  scope: Scope = EVERYTHING) -> nx.MultiGraph:
    """Places linked through the corridors that connect them (and, by default, membership).

    For every corridor that `pkg:connects` two or more places, one edge between each pair of
    them, keyed by the corridor IRI, with `via` (the IRI), `via_label` (its zh label),
    `predicate="connects"`. `source` is "reference" when both connects triples are in
    graph/reference, else "text"; `evidence` is the sentence of a text statement (the
    pkg:Assertion's quote prefix + exact + suffix), None for reference edges.

    With `membership`, a `pkg:memberOf` or `pkg:partOf` triple from a place a corridor links to
    a place containing it is an edge too (key and `predicate` "memberOf"/"partOf", `via` and
    `via_label` None, `source` and `evidence` as above): 长三角城市群 is linked through its
    member provinces, which the corridors reach. The containers' other members are not added.
    `scope` says which statements are read (all by default).
    """
    ds = _union(ds)
    g = nx.MultiGraph(name="linkages")
    for c, links in sorted(_connects(ds, scope).items()):
        if len(links) < 2:
            continue
        via_label = label(ds, c, "zh") or local_name(c)
        for x in links:
            if x not in g:
                g.add_node(str(x), **node_attrs(ds, x))
        for a, b in combinations(sorted(links), 2):
            la, lb = links[a], links[b]
            text = [link for link in (la, lb) if link["source"] == "text"]
            evidence = next((link["evidence"] for link in (la, lb) if link["evidence"]), None)
            g.add_edge(str(a), str(b), key=str(c), via=str(c), via_label=via_label,
                       predicate="connects", source="text" if text else "reference",
                       evidence=evidence, weight=1)
    if membership:
        _add_membership(ds, g, scope)
    return g


def _add_membership(ds: Dataset, g: nx.MultiGraph, scope: Scope) -> None:
    linked = set(g)
    found: dict[tuple[URIRef, URIRef, URIRef], set[str]] = defaultdict(set)
    for p in MEMBERSHIP:
        for s, _, o, graph in ds.quads((None, p, None, None)):
            if scope.reads(graph) and str(s) in linked and s != o and is_place(ds, o):
                found[(s, p, o)].add("reference" if _is_reference(graph) else "text")
    for (s, p, o), sources in sorted(found.items()):
        for x in (s, o):
            if str(x) not in g:
                g.add_node(str(x), **node_attrs(ds, x))
        source = "reference" if "reference" in sources else "text"
        evidence = assertion_sentence(ds, s, p, o) if "text" in sources else None
        g.add_edge(str(s), str(o), key=local_name(p), via=None, via_label=None,
                   predicate=local_name(p), source=source, evidence=evidence, weight=1)


# The relations the linkage network is made of: how places, corridors, platforms and strategies
# are tied. Comparisons and shared predicates (comparedWith, listedWith) tie nothing.
LINKAGES = ("connects", "partOf", "memberOf", "locatedIn", "builtOn", "cooperatesWith", "about",
            "componentOf")


def relation_graph(ds: Dataset, scope: Scope = TEXTS) -> nx.MultiGraph:
    """Entities tied by the linkage relations (LINKAGES) the chosen statements make: corridors,
    platforms and strategies are nodes like places (`kg analyze ego 中老铁路`).

    One edge per (subject, predicate, object), keyed by the predicate, with `predicate`,
    `source` ("text" when a chosen document states it, else "reference"), `evidence` (the
    sentence of the first text statement, None for reference edges), `weight` (the number of
    chosen documents that state it; 1 for reference edges), `via`/`via_label` None. Reference
    facts (with `scope.with_reference`) are read only between entities the texts already tie
    (the nodes of the text-stated network): they add context to what the texts say (武汉 is in
    湖北, both of which a text links), not the reference data's own network.
    """
    ds = _union(ds)
    found: dict[tuple[URIRef, str, URIRef], set[str]] = defaultdict(set)
    for name in LINKAGES:
        for s, _, o, graph in ds.quads((None, PKG[name], None, None)):
            if s != o and isinstance(o, URIRef) and scope.reads(graph):
                found[(s, name, o)].add(str(graph))
    tied = {x for (s, _, o), graphs in found.items() if not all(map(_is_reference, graphs))
            for x in (s, o)}
    found = {k: v for k, v in found.items() if k[0] in tied and k[2] in tied}
    g = nx.MultiGraph(name="linkages")
    for (s, name, o), graphs in sorted(found.items()):
        for x in (s, o):
            if str(x) not in g:
                g.add_node(str(x), **node_attrs(ds, x))
        texts = [x for x in graphs if not _is_reference(x)]
        if not texts and g.has_edge(str(s), str(o), key=name):
            continue  # the text states it the other way round (o p s); that edge stays
        evidence = assertion_sentence(ds, s, PKG[name], o) if texts else None
        g.add_edge(str(s), str(o), key=name, predicate=name, via=None, via_label=None,
                   source="text" if texts else "reference", evidence=evidence,
                   weight=len(texts) or 1)
    return g


def text_share(g: nx.Graph) -> float:
    """The share of the network's edges that a text states (source "text")."""
    n = g.number_of_edges()
    return sum(1 for *_, d in g.edges(data=True) if d.get("source") == "text") / n if n else 0.0


def corridor_graph(ds: Dataset) -> nx.Graph:
    """Bipartite corridor (bipartite=0) — place (bipartite=1); one edge per pkg:connects triple.

    `source` is "reference" when graph/reference states it (a text may state it too; then
    `evidence` holds the text's sentence), else "text".
    """
    ds = _union(ds)
    g = nx.Graph(name="corridors")
    for c, links in sorted(_connects(ds).items()):
        g.add_node(str(c), **node_attrs(ds, c), bipartite=0)
        for x, link in sorted(links.items()):
            if x not in g:
                g.add_node(str(x), **node_attrs(ds, x), bipartite=1)
            g.add_edge(str(c), str(x), predicate="connects", weight=1, **link)
    return g


def recommendation_graph(ds: Dataset) -> nx.Graph:
    """Bipartite pkg:PolicyRecommendation (bipartite=0) — entity (bipartite=1) via pkg:targets.

    A recommendation's `label_zh` is its section number and title ("五.(一).4 不断强化…"), its
    `cls` "PolicyRecommendation", its `lat`/`lon` None. Edges: `predicate="targets"`,
    `source="text"`, `evidence` the recommendation's title, `weight=1`.
    """
    ds = _union(ds)
    g = nx.Graph(name="recommendations")
    for r in sorted(ds.subjects(RDF.type, PKG.PolicyRecommendation)):
        section = str(ds.value(r, PKG.sectionNumber) or "")
        title = str(ds.value(r, DCTERMS.title) or "")
        g.add_node(str(r), label_zh=f"{section} {title}".strip(), label_en="",
                   cls="PolicyRecommendation", lat=None, lon=None, bipartite=0,
                   section=section, title=title)
        for e in sorted(ds.objects(r, PKG.targets)):
            if str(e) not in g:
                g.add_node(str(e), **node_attrs(ds, e), bipartite=1)
            g.add_edge(str(r), str(e), predicate="targets", source="text",
                       evidence=title or None, weight=1)
    return g


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of an original (not normalised) text: ends at 。！？；!? or a blank line."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _document_text(ds: Dataset, doc: URIRef, roots: tuple[Path, ...]) -> str | None:
    """The text the document's evidence offsets count in: the text a build stored for a .docx,
    .pdf or .html input (kg/inputs/stored.py, in the build folder among `roots`), else its
    `dcterms:source` file decoded; None when neither is found, or when the graph records the
    text's hash and the file no longer has it (changed since the build: its offsets would be
    wrong)."""
    from kg.errors import InputError
    from kg.inputs.files import decode
    from kg.inputs.stored import stored_text, text_sha256

    sha = ds.value(doc, PKG.textSha256)
    key = str(doc).rsplit("/", 1)[-1]
    if sha is not None:
        for root in roots:
            text = stored_text(root, key, str(sha))
            if text is not None:
                return text
    source = ds.value(doc, DCTERMS.source)
    if source is None:
        return None
    path = Path(str(source))
    for candidate in [path, *(root / path for root in roots)]:
        if candidate.is_file():
            try:
                text = decode(candidate, candidate.read_bytes())[0]
            except (OSError, InputError):
                return None
            return text if sha is None or text_sha256(text) == str(sha) else None
    return None


def _mentions(ds: Dataset) -> dict[URIRef, list[tuple[int, int, URIRef]]]:
    """document → [(start, end, entity)] of its linked mentions."""
    out: dict[URIRef, list[tuple[int, int, URIRef]]] = defaultdict(list)
    for m in ds.subjects(RDF.type, PKG.Mention):
        body = ds.value(m, OA.hasBody)
        target = ds.value(m, OA.hasTarget)
        if body is None or target is None:
            continue
        doc = ds.value(target, OA.hasSource)
        for sel in ds.objects(target, OA.hasSelector):
            start, end = ds.value(sel, OA.start), ds.value(sel, OA.end)
            if start is not None and end is not None:
                out[doc].append((int(start), int(end), body))
                break
    return out


def comention_graph(ds: Dataset, roots: tuple[Path, ...] | None = None) -> nx.Graph:
    """Entities named in the same sentence; `weight` = the number of such sentences.

    Sentences are not in the graph, so the document's text is read again (`_document_text`):
    the text a build stored for a .docx, .pdf or .html input, else its `dcterms:source` path (as
    given, else relative to each of `roots`, by default the current folder) when its hash is
    still the one the graph records; it is split at 。！？；!? and blank lines; each mention
    falls in the sentence holding its start offset. When the text cannot be read (or has
    changed since the build), each pair of mentions whose starts lie within 100 characters
    (COMENTION_WINDOW) counts once instead of a sentence, and the edge's evidence is None;
    the graph attribute `fallback_documents` lists such documents. Edges: `predicate="comention"`,
    `source="text"`, `evidence` = the first shared sentence, `sentences` = the count.
    """
    ds = _union(ds)
    roots = (Path.cwd(),) if roots is None else roots
    g = nx.Graph(name="comentions", fallback_documents=[])
    pairs: dict[tuple[str, str], dict] = {}
    for doc, mentions in sorted(_mentions(ds).items()):
        mentions.sort()
        text = _document_text(ds, doc, roots)
        groups: list[tuple[str | None, set[URIRef]]] = []
        if text is not None:
            spans = split_sentences(text)
            i = 0
            by_span: dict[int, set[URIRef]] = defaultdict(set)
            for start, _, body in mentions:
                while i < len(spans) - 1 and start >= spans[i][1]:
                    i += 1
                by_span[i].add(body)
            groups = [(" ".join(text[spans[i][0]:spans[i][1]].split()), bodies)
                      for i, bodies in sorted(by_span.items())]
        else:
            g.graph["fallback_documents"].append(str(doc))
            for k, (start, _, body) in enumerate(mentions):
                groups.extend((None, {body, other}) for s, _, other in mentions[k + 1:]
                              if s - start <= COMENTION_WINDOW)
        for sentence, bodies in groups:
            for a, b in combinations(sorted(str(x) for x in bodies), 2):
                edge = pairs.setdefault((a, b), {"weight": 0, "evidence": sentence})
                edge["weight"] += 1
    for (a, b), edge in sorted(pairs.items()):
        for n in (a, b):
            if n not in g:
                g.add_node(n, **node_attrs(ds, URIRef(n)))
        g.add_edge(a, b, predicate="comention", source="text", evidence=edge["evidence"],
                   weight=edge["weight"], sentences=edge["weight"])
    return g


def query_graph(ds: Any, sparql: str) -> nx.MultiDiGraph:
    """A projection from a SPARQL SELECT over `ds` that returns ?s ?p ?o.

    Rows whose ?s, ?p or ?o is not an IRI are skipped; repeated rows add to the edge's
    `weight`. Nodes get the attribute contract (nodes.py); an edge is `source="reference"` when
    the reference graph states it, and has no evidence. Raises ValueError for a query that does
    not parse or is not a SELECT of ?s ?p ?o.
    """
    ds.default_union = True
    try:
        result = ds.query(sparql)
    except Exception as e:  # only the engine's refusal of the query; a bug goes on as it is
        if not engine_refused(e):
            raise
        raise ValueError(f"the query does not parse: {str(e).splitlines()[0]}") from e
    names = [str(v) for v in (result.vars or [])]
    if result.type != "SELECT" or not {"s", "p", "o"} <= set(names):
        raise ValueError("the query must be a SELECT returning ?s ?p ?o")
    reference = ds.graph(iris.graph("reference"))
    g = nx.MultiDiGraph()
    edges: dict[tuple[str, str, str], dict] = {}
    for row in result:
        s, p, o = row.s, row.p, row.o
        if not (isinstance(s, URIRef) and isinstance(o, URIRef) and isinstance(p, URIRef)):
            continue
        for node in (s, o):
            if str(node) not in g:
                g.add_node(str(node), **node_attrs(ds, node))
        key = (str(s), str(p), str(o))
        if key in edges:
            edges[key]["weight"] += 1
            continue
        edges[key] = {"predicate": local_name(p), "evidence": None, "weight": 1,
                      "source": "reference" if (s, p, o) in reference else "text"}
    for (s, _, o), d in edges.items():
        g.add_edge(s, o, **d)
    return g


def text_roots(graph_file: Path) -> tuple[Path, ...]:
    """Where the documents' texts are: the current folder and the folder `kg build` ran in when
    it wrote `graph_file` into its `--out` folder (that folder's parent), which a
    `dcterms:source` path may be relative to, and the `--out` folder itself, which holds the
    texts extracted from other formats."""
    out = graph_file.resolve().parent
    return (Path.cwd(), out.parent, out)


def project(ds: Dataset, name: str, *, membership: bool = True,
            roots: tuple[Path, ...] | None = None, scope: Scope = TEXTS,
            places_only: bool = False) -> nx.Graph:
    """The projection named `name` (one of NETWORKS) with its options: for linkages, `scope`
    (which statements: by default what the texts say) and `places_only` (places linked through
    the corridors that connect them, with `membership` edges too, rather than every entity the
    linkage relations tie); `roots` for comentions (where the texts are; see `text_roots`).
    The one dispatch: every command that projects the graph calls it."""
    if name == "linkages":
        if places_only:
            return linkage_graph(ds, membership=membership, scope=scope)
        return relation_graph(ds, scope)
    if name == "recommendations":
        return recommendation_graph(ds)
    if name == "comentions":
        return comention_graph(ds, roots)
    raise ValueError(f"unknown network {name!r} (expected one of {', '.join(NETWORKS)})")


def fallback_warnings(g: nx.Graph) -> list[str]:
    """One line per document whose text was not found for the co-mention projection."""
    return [f"{doc}: text not found; co-mentions within {COMENTION_WINDOW} characters instead "
            "of sentences" for doc in g.graph.get("fallback_documents", ())]
