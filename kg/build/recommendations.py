"""A document's policy recommendations (extract/recommendations.py) in its named graph: one
pkg:PolicyRecommendation per group, item or sub-point, one pkg:Action per verb + object, each
with the same evidence (document, offsets, exact text) as a mention."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from extract.gazetteer import Gazetteer
from extract.recommendations import Action, Recommendation
from extract.records import Mention
from kg import iris
from kg.build.evidence import TYPE, add_target, target_of
from kg.build.ntriples import Sink, TripleSink
from kg.build.open_world import entity_of, is_open_world
from kg.vocab import PKG


def add_action(g: TripleSink, doc_iri: URIRef, node: URIRef, text: str, a: Action) -> None:
    g.add((node, TYPE, PKG.Action))
    g.add((node, PKG.verb, Literal(a.verb, lang="zh")))
    g.add((node, PKG.actionObject, Literal(a.object, lang="zh")))
    g.add((node, PKG.strength, Literal(a.strength)))
    add_target(g, node, doc_iri, a.start, a.end, text[a.start:a.end])


def _linked(m: Mention) -> URIRef | None:
    return iris.entity(m.ref) if m.ref else None


def own_mentions(r: Recommendation, children: Sequence[Recommendation],
                 mentions: Sequence[Mention], starts: Sequence[int] | None = None
                 ) -> list[Mention]:
    """The mentions inside `r` but inside none of its `children` (which hold their own), in
    text order. `mentions` are sorted by start, and `starts` are their starts (computed when
    not given): the mentions inside `r` are found by bisection, not by a scan of the document's
    mentions per recommendation."""
    starts = [m.start for m in mentions] if starts is None else starts
    inside = mentions[bisect_left(starts, r.start):bisect_left(starts, r.end)]
    return [m for m in inside if m.end <= r.end
            and not any(c.start <= m.start and m.end <= c.end for c in children)]


def own_targets(r: Recommendation, children: Sequence[Recommendation],
                mentions: Sequence[Mention], starts: Sequence[int] | None = None,
                entity: Callable[[Mention], URIRef | None] = _linked) -> list[URIRef]:
    """The entities (`entity` of a mention, None for none) of `own_mentions`, each once, in
    text order."""
    found = (entity(m) for m in own_mentions(r, children, mentions, starts))
    return list(dict.fromkeys(node for node in found if node is not None))


def recommendation_graph(doc_key: str, text: str, recommendations: Sequence[Recommendation],
                         mentions: Iterable[Mention], g: Sink,
                         gaz: Gazetteer | None = None) -> Sink:
    """Adds the recommendations of the document `doc_key` (read from `text` by
    find_recommendations) to `g`, the document's named graph. Recommendations are numbered from
    1 in text order, their actions from 1 in text order, so that identifiers stay stable while
    the text does. `mentions` are the document's; each targets the entities named inside it:
    the linked ones, and with `gaz` the open-world ones too."""
    def entity(m: Mention) -> URIRef | None:
        if m.ref:
            return iris.entity(m.ref)
        return entity_of(m, gaz) if gaz is not None and is_open_world(m, gaz) else None

    doc_iri = iris.document(doc_key)
    mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    starts = [m.start for m in mentions]
    children_of: dict[str, list[Recommendation]] = {}
    for r in recommendations:
        if r.parent is not None:
            children_of.setdefault(r.parent, []).append(r)
    nodes = {r.id: iris.recommendation(doc_key, n)
             for n, r in enumerate(recommendations, start=1)}
    for n, r in enumerate(recommendations, start=1):
        node = nodes[r.id]
        g.add((node, RDF.type, PKG.PolicyRecommendation))
        g.add((node, PKG.sectionNumber, Literal(r.number)))
        g.add((node, PKG.level, Literal(r.level)))
        if r.title:
            g.add((node, DCTERMS.title, Literal(r.title, lang="zh")))
        if r.parent is not None:
            g.add((node, PKG.parent, nodes[r.parent]))
        if r.strength is not None:
            g.add((node, PKG.strength, Literal(r.strength)))
        g.add((node, DCTERMS.isPartOf, doc_iri))
        span = add_target(g, node, doc_iri, r.start, r.end, text[r.start:r.end])
        for i, a in enumerate(r.actions, start=1):
            action = iris.action(doc_key, n, i)
            g.add((node, PKG.hasAction, action))
            add_action(g, doc_iri, action, text, a)
        targeted: dict[URIRef, None] = {}
        for m in own_mentions(r, children_of.get(r.id, []), mentions, starts):
            body = entity(m)
            if body is None:  # not in the graph as a mention (kg/build/evidence.py)
                continue
            targeted.setdefault(body)
            # the innermost section holding the mention: entities-in-section joins on this
            g.add((target_of(iris.mention(m.doc, m.start, m.end)), DCTERMS.isPartOf, span))
        for body in targeted:
            g.add((node, PKG.targets, body))
    return g
