"""`kg why SUBJECT PREDICATE OBJECT`: the evidence of one triple, from the graph itself.

Terms may be IRIs, `pkgid:`/`pkg:` prefixed names, kind/key refs (`province/140000`), or labels
(zh or en, preferred or alternative: 山西, Shanxi, 山西省); predicates may be local names
(`partOf`). The rows come from `queries/answers/evidence-of-triple.rq`, so `kg why` and the
catalogue answer alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

import kgdata
from kg import iris
from kg.errors import InputError
from kg.vocab import PKG

QUERY = "answers/evidence-of-triple.rq"
_LABELS = (SKOS.prefLabel, SKOS.altLabel, RDFS.label)


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str  # "text" | "reference"
    doc: str | None
    start: int | None
    end: int | None
    quote: str
    sentence: str | None
    rule: str | None
    confidence: float | None
    contradicts: str | None  # label of the reference object a text statement contradicts


def resolve_entity(ds: Dataset, term: str) -> URIRef:
    """The one entity `term` names; InputError when it names none or several."""
    iri = iris.parse(term.strip())
    if iri is not None:
        return iri
    ds.default_union = True
    label = term.strip()
    found = sorted({s for p in _LABELS for lang in ("zh", "en", None)
                    for s in ds.subjects(p, Literal(label, lang=lang))})
    if not found:
        raise InputError(f"{term!r}: no entity has this label (try its IRI or kind/key)")
    if len(found) > 1:
        raise InputError(f"{term!r} names {len(found)} entities: "
                         + ", ".join(str(f) for f in found[:5]) + " (give the IRI)")
    return found[0]


def resolve_predicate(term: str) -> URIRef:
    if term.startswith(("http://", "https://")):
        return URIRef(term)
    name = term.removeprefix("pkg:")
    try:
        if not name[:1].islower():  # classes are capitalised: not a predicate
            raise AttributeError(name)
        return PKG[name]
    except AttributeError:
        raise InputError(f"{term!r}: not a property of the ontology (e.g. connects, partOf, "
                         "locatedIn, builtOn, comparedWith, listedWith, cooperatesWith, "
                         "about, componentOf)") from None


def label(ds: Dataset, node: URIRef) -> str:
    zh = [o for o in ds.objects(node, SKOS.prefLabel)
          if isinstance(o, Literal) and o.language == "zh"]
    return str(zh[0]) if zh else str(node)


def evidence(ds: Dataset, s: URIRef, p: URIRef, o: URIRef) -> list[Evidence]:
    ds.default_union = True
    query = (kgdata.queries_dir() / QUERY).read_text(encoding="utf-8")
    out = []
    for row in ds.query(query, initBindings={"s": s, "p": p, "o": o}):
        kind, doc, start, end, quote, sentence, rule, conf, contradicts = row
        out.append(Evidence(str(kind), str(doc) if doc else None,
                            int(start) if start is not None else None,
                            int(end) if end is not None else None, str(quote),
                            str(sentence) if sentence is not None else None,
                            str(rule) if rule is not None else None,
                            float(conf) if conf is not None else None,
                            label(ds, contradicts) if contradicts is not None else None))
    return out


def render(ds: Dataset, s: URIRef, p: URIRef, o: URIRef, rows: list[Evidence]) -> str:
    name = p.rsplit("#", 1)[-1]
    lines = [f"{label(ds, s)} {name} {label(ds, o)}", f"  <{s}> pkg:{name} <{o}>"]
    for e in rows:
        if e.kind == "reference":
            lines.append(f"- reference fact (graph/reference): {e.quote}")
            continue
        doc = e.doc.rsplit("/", 1)[-1] if e.doc else "?"
        lines.append(f"- text: {doc} [{e.start}:{e.end}] {e.rule} confidence {e.confidence:.2f}")
        sentence = " ".join((e.sentence or e.quote).split())
        quote = " ".join(e.quote.split())
        lines.append("    " + sentence.replace(quote, f"【{quote}】", 1))
        if e.contradicts:
            lines.append(f"    conflicts with the reference data: {label(ds, s)} {name} "
                         f"{e.contradicts}")
    return "\n".join(lines)
