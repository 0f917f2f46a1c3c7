"""Which result format to send: the `format` parameter, else the Accept header (RFC 9110
content negotiation with q-values and wildcards), else the first format offered."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Format:
    media: str  # the Content-Type sent
    name: str  # the short name a client may give as `format=`
    serializer: str  # rdflib's serializer name ("tsv": kg.query.as_tsv)
    also: tuple[str, ...] = ()  # other media types clients ask this format by


# Offered in this order: the first is the default when the client does not care.
RESULTS = (
    Format("application/sparql-results+json", "json", "json", ("application/json",)),
    Format("application/sparql-results+xml", "xml", "xml", ("application/xml",)),
    Format("text/csv", "csv", "csv"),
    Format("text/tab-separated-values", "tsv", "tsv"),
)
GRAPHS = (
    Format("text/turtle", "turtle", "turtle"),
    Format("application/ld+json", "jsonld", "json-ld"),
    Format("application/n-triples", "nt", "nt", ("text/plain",)),
    Format("application/rdf+xml", "rdfxml", "xml"),
)
ALIASES = {"ttl": "turtle", "json-ld": "jsonld", "ntriples": "nt", "n-triples": "nt",
           "rdf": "rdfxml"}


def choose(offered: tuple[Format, ...], accept: str | None, format_param: str | None
           ) -> Format | None:
    """The format to send, or None when the client accepts none of `offered` (406)."""
    if format_param:
        name = format_param.strip().lower()
        name = ALIASES.get(name, name)
        return next((f for f in offered if name in (f.name, f.media, *f.also)), None)
    ranges = parse_accept(accept or "*/*")
    best: tuple[float, int, Format] | None = None
    for order, fmt in enumerate(offered):
        q = max(quality(m, ranges) for m in (fmt.media, *fmt.also))
        if q > 0 and (best is None or q > best[0]):
            best = (q, order, fmt)
    return best[2] if best else None


def parse_accept(header: str) -> list[tuple[str, float]]:
    """`text/csv;q=0.5, */*;q=0.1` -> [("text/csv", 0.5), ("*/*", 0.1)]; bad q-values count 0."""
    out = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        out.append((media.lower(), q))
    return out


def quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range that matches `media` (exact > type/* > */*)."""
    kind = media.split("/")[0]
    found: tuple[int, float] | None = None
    for rng, q in ranges:
        if rng == media:
            rank = 3
        elif rng == f"{kind}/*":
            rank = 2
        elif rng == "*/*":
            rank = 1
        else:
            continue
        if found is None or rank > found[0]:
            found = (rank, q)
    return found[1] if found else 0.0
