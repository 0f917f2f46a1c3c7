"""A document's named graph: its metadata, and each mention as a Web Annotation with evidence."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from extract.gazetteer import Gazetteer
from extract.normalize import fold_lookalikes
from extract.records import ExtractedDocument, Mention
from kg import iris
from kg.build.ntriples import Sink, TripleSink
from kg.build.open_world import add_open_world_entity, entity_of, is_open_world
from kg.vocab import OA, PKG


def _issued(date: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return Literal(date, datatype=XSD.date)
    return Literal(date, datatype=XSD.gYear)


def confidence(value: float) -> Literal:
    return decimal(Decimal(f"{value:.2f}"))


def decimal(value: Decimal | str) -> Literal:
    """An xsd:decimal in its canonical lexical form (30 is written 30.0): the form rdflib's
    Turtle and TriG writers give it, so a graph exported again equals the build's, which writes
    document graphs as N-Triples."""
    text = format(Decimal(str(value)), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


# rdflib's Namespace makes a new URIRef at every attribute read, and the evidence of every
# mention, cell, action, relation and claim reads these: made once (a tenth of a document's
# graph-making time).
HAS_TARGET, HAS_SOURCE, HAS_SELECTOR = OA.hasTarget, OA.hasSource, OA.hasSelector
SPECIFIC_RESOURCE, POSITION_SELECTOR, QUOTE_SELECTOR = (
    OA.SpecificResource, OA.TextPositionSelector, OA.TextQuoteSelector)
START, END, EXACT, PREFIX, SUFFIX = OA.start, OA.end, OA.exact, OA.prefix, OA.suffix
OFFSET = XSD.nonNegativeInteger
TYPE, HAS_BODY = RDF.type, OA.hasBody


def target_of(node: URIRef) -> URIRef:
    """The target (oa:SpecificResource) that `add_target` gives `node`."""
    return URIRef(f"{node}/target")


def add_target(g: TripleSink, node: URIRef, doc_iri: URIRef, start: int, end: int,
               exact: str, prefix: str = "", suffix: str = "") -> URIRef:
    """Points `node` at the span start..end of the document: the evidence of a mention, and of
    a table cell read as an observation. The target and selectors are named after `node`.
    `prefix` and `suffix` (oa:prefix, oa:suffix) complete the quote to its sentence."""
    target = target_of(node)
    position = URIRef(f"{node}/position")
    quote = URIRef(f"{node}/quote")
    g.add((node, HAS_TARGET, target))
    g.add((target, TYPE, SPECIFIC_RESOURCE))
    g.add((target, HAS_SOURCE, doc_iri))
    g.add((target, HAS_SELECTOR, position))
    g.add((target, HAS_SELECTOR, quote))
    g.add((position, TYPE, POSITION_SELECTOR))
    g.add((position, START, Literal(start, datatype=OFFSET)))
    g.add((position, END, Literal(end, datatype=OFFSET)))
    g.add((quote, TYPE, QUOTE_SELECTOR))
    g.add((quote, EXACT, Literal(exact)))
    if prefix:
        g.add((quote, PREFIX, Literal(prefix)))
    if suffix:
        g.add((quote, SUFFIX, Literal(suffix)))
    return target


def add_mention(g: TripleSink, doc_iri: URIRef, m: Mention, body: URIRef) -> URIRef:
    node = iris.mention(m.doc, m.start, m.end)
    g.add((node, TYPE, PKG.Mention))
    g.add((node, HAS_BODY, body))
    add_target(g, node, doc_iri, m.start, m.end, m.text)
    g.add((node, PKG.rule, Literal(m.rule)))
    g.add((node, PKG.confidence, confidence(m.confidence)))
    return node


def mention_graph(doc: ExtractedDocument, gaz: Gazetteer, g: Sink) -> Sink:
    """Adds the document's metadata and its mentions to `g` (its named graph). A name no
    reference entry matches is an open-world entity (kg/build/open_world.py), stated here with
    the facts its name gives; the build report lists these names."""
    node = iris.document(doc.doc)
    g.add((node, TYPE, PKG.Document))
    g.add((node, DCTERMS.source, Literal(doc.path)))
    # A title is required; when the text states none, the file name stands in (no language tag).
    # look-alike characters folded: the title is searched for and read, not an offset's quote
    title = (Literal(fold_lookalikes(doc.meta.title), lang="zh") if doc.meta.title
             else Literal(Path(doc.path).stem))
    g.add((node, DCTERMS.title, title))
    for author in doc.meta.authors:
        g.add((node, DCTERMS.creator, Literal(author, lang="zh")))
    if doc.meta.date:
        g.add((node, DCTERMS.issued, _issued(doc.meta.date)))
    for m in doc.mentions:
        if m.ref is None and not is_open_world(m, gaz):
            continue
        body = entity_of(m, gaz)
        if m.ref is None:
            add_open_world_entity(g, body, m)
        add_mention(g, node, m, body)
        g.add((node, PKG.mentions, body))
    return g
