"""Identifiers of things: `<base><kind>/<key>`; the base is configurable (POLICY_KG_ID_BASE)."""

from __future__ import annotations

import re

from rdflib import URIRef

from kg.bases import DEFAULT_ID_BASE, id_base  # noqa: F401 (the names kg.iris has always had)


def parse(term: str) -> URIRef | None:
    """An IRI written as `<…>`, `http(s)://…`, `pkgid:kind/key` or `kind/key`; None otherwise."""
    if term.startswith("<") and term.endswith(">"):
        return URIRef(term[1:-1])
    if term.startswith(("http://", "https://")):
        return URIRef(term)
    if term.startswith("pkgid:"):
        return entity(term.removeprefix("pkgid:"))
    if re.fullmatch(r"[a-z-]+/[A-Za-z0-9./-]+", term):
        return entity(term)
    return None


def entity(ref: str) -> URIRef:
    """`province/440000` -> the entity's IRI."""
    return URIRef(id_base() + ref)


def open_world(kind: str, cls: str, name: str) -> URIRef:
    """The entity a name of class `cls` recognised by its shape stands for, in no reference
    table: `<kind>/name/<pinyin>-<hash>` (extract/slugs.py `open_world_key`, which the relation
    rules use as the entity's key)."""
    from extract.slugs import open_world_key  # its tables cost every reading command 0.1 s

    return entity(open_world_key(kind, cls, name))


def document(doc_key: str) -> URIRef:
    return URIRef(f"{id_base()}doc/{doc_key}")


def mention(doc_key: str, start: int, end: int) -> URIRef:
    return URIRef(f"{id_base()}mention/{doc_key}/{start}-{end}")


def dataset(doc_key: str, n: int) -> URIRef:
    """The n-th statistics table (from 1, in text order) of a document, as a qb:DataSet."""
    return URIRef(f"{id_base()}dataset/{doc_key}/table-{n}")


def observation(doc_key: str, n: int, i: int) -> URIRef:
    """The i-th observation (from 1, in reading order) of the n-th table of a document."""
    return URIRef(f"{dataset(doc_key, n)}/observation/{i}")


def recommendation(doc_key: str, n: int) -> URIRef:
    """The n-th policy recommendation (from 1, in text order) of a document."""
    return URIRef(f"{id_base()}recommendation/{doc_key}/{n}")


def action(doc_key: str, n: int, i: int) -> URIRef:
    """The i-th action (from 1, in text order) of the n-th recommendation of a document."""
    return URIRef(f"{recommendation(doc_key, n)}/action/{i}")


def assertion(doc_key: str, n: int) -> URIRef:
    """The n-th relation (from 1, in text order) a document states, as a pkg:Assertion."""
    return URIRef(f"{id_base()}assertion/{doc_key}/{n}")


def partition(key: str) -> URIRef:
    """An exclusive split of the country into macro-regions (a skos:Collection)."""
    return URIRef(f"{id_base()}partition/{key}")


def claim(doc_key: str, n: int) -> URIRef:
    """The n-th numeric claim (from 1, in text order) of a document."""
    return URIRef(f"{id_base()}claim/{doc_key}/{n}")


def graph(name: str) -> URIRef:
    """Named graphs: `ontology`, `reference`, `doc/<key>`."""
    return URIRef(f"{id_base()}graph/{name}")
