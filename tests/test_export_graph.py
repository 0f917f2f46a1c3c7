"""`kg export graph` (TriG, N-Quads, Turtle, JSON-LD) and `kg docs`, on the article's real build.

Every export is read back and compared with the build's graph.trig: quads per named graph, and
isomorphism (blank nodes included) per named graph.
"""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ARTICLE_KEY, kg_in_process
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

import kgdata
from kg.export.graph import union_graph
from kg.ontology import CONTEXT_IRI, local_context
from kg.store.files import load_dataset, parse_jsonld
from kg.vocab import PKG

GRAPH = "https://w3id.org/policy-kg/id/graph/"
REFERENCE = URIRef(GRAPH + "reference")
SHANXI = "https://w3id.org/policy-kg/id/province/140000"


def run(kg_command, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return kg_in_process(*args, timeout=timeout)


@pytest.fixture(scope="module")
def original(article_graph) -> Dataset:
    """The build's graph.trig read by the memory store's reader (Oxigraph's parser, 0.4 of
    rdflib's CPU seconds; test_stores.py checks it reads what rdflib's parser does). The
    exports are read back by rdflib's own parsers: a reader other than their writer."""
    return load_dataset(article_graph)


def per_graph(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


@pytest.fixture(scope="module")
def exports(kg_command, article_graph, tmp_path_factory) -> dict[str, Path]:
    """Each format exported once with --out; trig with no --format (its default)."""
    out = tmp_path_factory.mktemp("exports")
    paths = {}
    for fmt in ("trig", "nquads", "turtle", "jsonld"):
        paths[fmt] = out / f"graph.{fmt}"
        fmt_args = [] if fmt == "trig" else ["--format", fmt]
        result = run(kg_command, "export", "graph", *fmt_args, "--graph", str(article_graph),
                     "--out", str(paths[fmt]))
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths.values())
    return paths


def assert_same_named_graphs(got: Dataset, original: Dataset) -> None:
    want, have = per_graph(original), per_graph(got)
    assert {name: len(g) for name, g in have.items()} == {name: len(g) for name, g in want.items()}
    assert set(want) == {GRAPH + "ontology", GRAPH + "reference",
                         GRAPH + "doc/" + ARTICLE_KEY}
    for name, g in want.items():
        assert isomorphic(have[name], g), name


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_trig_and_nquads_keep_every_named_graph(exports, original, fmt):
    back = Dataset()
    back.parse(exports[fmt], format=fmt)
    assert_same_named_graphs(back, original)


@pytest.mark.slow
def test_trig_is_the_default_and_binds_the_project_prefixes(exports):
    text = exports["trig"].read_text(encoding="utf-8")
    assert "@prefix pkg: <https://w3id.org/policy-kg/ont#> ." in text
    assert "@prefix qb: <http://purl.org/linked-data/cube#> ." in text
    assert "\n<https://w3id.org/policy-kg/id/graph/reference> {\n" in text


@pytest.mark.slow
def test_turtle_holds_the_union_of_the_named_graphs(exports, original):
    back = Graph().parse(exports["turtle"], format="turtle")
    union = union_graph(original)
    # A relation the text states and the reference data states too (a corridor's connects, a
    # province's partOf) is one triple in the union: fewer triples than quads.
    assert len(back) == len(union) < sum(len(g) for g in per_graph(original).values())
    assert isomorphic(back, union)
    assert "GRAPH" not in exports["turtle"].read_text(encoding="utf-8")[:2000]


def test_the_help_says_turtle_is_a_union(kg_command):
    result = run(kg_command, "export", "--help")
    assert result.returncode == 0
    assert "union of the named graphs" in " ".join(result.stdout.split())


@pytest.fixture(scope="module")
def jsonld(exports) -> dict:
    return json.loads(exports["jsonld"].read_text(encoding="utf-8"))


@pytest.mark.slow
def test_jsonld_round_trips_with_the_local_context(exports, original):
    assert_same_named_graphs(parse_jsonld(exports["jsonld"].read_text(encoding="utf-8")),
                             original)


@pytest.mark.slow
def test_jsonld_names_the_published_context_and_one_object_per_graph(jsonld):
    assert CONTEXT_IRI == "https://w3id.org/policy-kg/context.jsonld"
    assert jsonld["@context"] == CONTEXT_IRI
    assert set(jsonld) == {"@context", "@graph"}
    assert [g["@id"] for g in jsonld["@graph"]] == [
        GRAPH + "doc/" + ARTICLE_KEY, GRAPH + "ontology", GRAPH + "reference"]
    assert all(set(g) == {"@id", "@graph"} for g in jsonld["@graph"])


def keys(node) -> set[str]:
    if isinstance(node, dict):
        return set(node).union(*(keys(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(keys(v) for v in node))
    return set()


@pytest.mark.slow
def test_jsonld_is_compact(jsonld):
    graphs = {g["@id"]: g["@graph"] for g in jsonld["@graph"]}
    shanxi = next(n for n in graphs[str(REFERENCE)] if n["@id"] == SHANXI)
    assert shanxi["@type"] == "Province"
    assert shanxi["prefLabel"] == {"zh": "山西省", "en": "Shanxi"}
    assert shanxi["adcode"] == "140000"
    assert "https://w3id.org/policy-kg/id/macro-region/central" in shanxi["partOf"]
    doc = graphs[GRAPH + "doc/" + ARTICLE_KEY]
    mention = next(n for n in doc if n.get("@type") == "Mention")
    assert {"hasBody", "hasTarget", "confidence", "rule"} <= set(mention)
    position = next(n for n in doc if n.get("@type") == "TextPositionSelector")
    assert position["start"].isdigit() and position["end"].isdigit()  # typed by the context
    observation = next(n for n in doc if n.get("@type") == "Observation" and "value" in n)
    assert observation["unit"] and isinstance(observation["unit"], str)  # @zh by the context
    # No property or class is written as a full IRI: every one has a term or a prefix.
    assert not [k for k in keys(jsonld) if "://" in k]
    assert not [n["@type"] for g in graphs.values() for n in g
                if "://" in str(n.get("@type", ""))]


def test_the_context_file_defines_every_term_of_the_ontology():
    context = local_context()
    doc = json.loads((kgdata.ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))
    assert set(doc) == {"@context"}
    for prefix in ("pkg", "pkgid", "skos", "dcterms", "prov", "qb", "oa", "geo", "owl", "rdfs",
                   "xsd"):
        assert context[prefix].startswith("http"), prefix
    defined = {}
    for term, definition in context.items():
        iri = definition if isinstance(definition, str) else definition["@id"]
        prefix, _, local = iri.partition(":")
        if prefix in context and not local.startswith("//"):
            defined[context[prefix] + local] = term
    # Classes and properties; RegionalStatisticsStructure is an individual (a qb:structure).
    terms = [str(t) for t in dir(PKG) if t != PKG.RegionalStatisticsStructure]
    assert len(terms) > 90 and all(t.startswith("https://w3id.org/policy-kg/ont#") for t in terms)
    assert [t for t in terms if t not in defined] == []
    assert defined[str(PKG.partOf)] == "partOf"
    assert context["start"] == {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"}


@pytest.mark.slow
def test_kg_reads_its_jsonld_export_without_fetching_the_context(kg_command, exports,
                                                                 article_graph):
    from_trig = run(kg_command, "stats", "--json", "--graph", str(article_graph))
    from_jsonld = run(kg_command, "stats", "--json", "--graph", str(exports["jsonld"]))
    assert from_jsonld.returncode == 0, from_jsonld.stderr
    assert json.loads(from_jsonld.stdout) == json.loads(from_trig.stdout)


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "fmt", "message"), [
    ("graph", "csv", "--format csv: export graph writes trig, nquads, turtle, jsonld"),
    ("graph", "jsonl", "--format jsonl: export graph writes trig, nquads, turtle, jsonld"),
    ("mentions", "trig", "--format trig: export mentions writes jsonl, csv"),
])
def test_a_format_the_kind_cannot_take_is_bad_input(kg_command, article_graph, kind, fmt,
                                                    message):
    result = run(kg_command, "export", kind, "--format", fmt, "--graph", str(article_graph))
    assert result.returncode == 2
    assert result.stderr == f"kg: error: {message}\n"
    assert result.stdout == ""


@pytest.mark.slow
def test_out_is_written_whole_or_not_at_all(kg_command, article_graph, tmp_path):
    occupied = tmp_path / "graph.nq"
    occupied.mkdir()  # the rename over it fails after the text is written beside it
    result = run(kg_command, "export", "graph", "--format", "nquads", "--graph",
                 str(article_graph), "--out", str(occupied))
    assert result.returncode == 2 and result.stderr.startswith("kg: error: ")
    assert occupied.is_dir() and not list(occupied.iterdir())
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nq"]  # no temporary file left

    kept = tmp_path / "kept.trig"
    kept.write_text("old", encoding="utf-8")
    broken = tmp_path / "broken.trig"
    broken.write_text("<a> <b> .\n{", encoding="utf-8")
    result = run(kg_command, "export", "graph", "--graph", str(broken), "--out", str(kept))
    assert result.returncode == 2 and "cannot parse" in result.stderr
    assert kept.read_text(encoding="utf-8") == "old"


# --- kg docs -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docs(kg_command, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "docs"
    result = run(kg_command, "docs", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {out}/: index.html, policy.ttl, context.jsonld\n"
    return out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[tuple[str, str]] = []  # (tag, URL) a browser would load
        self.meta: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            self.meta.append(a)
        for attr in ("src", "href") if tag in ("script", "link", "img", "iframe") else ():
            if a.get(attr):
                self.fetched.append((tag, a[attr]))


def section(html: str, fragment: str) -> str:
    start = html.index(f'id="{fragment}"')
    return html[start:html.find('class="property entity"', start + 1)]


@pytest.mark.slow
@pytest.mark.parametrize(("cls", "zh", "en"), [
    ("CityCluster", "城市群", "City cluster"),
    ("Corridor", "通道", "Corridor"),
    ("PolicyRecommendation", "政策建议", "Policy recommendation"),
    ("Province", "省级行政区", "Provincial-level division"),
])
def test_docs_list_the_classes_with_their_zh_and_en_labels(docs, cls, zh, en):
    html = (docs / "index.html").read_text(encoding="utf-8")
    entry = section(html, cls)
    assert f"https://w3id.org/policy-kg/ont#{cls}" in entry
    assert zh in entry and en in entry


@pytest.mark.slow
def test_docs_are_utf8_and_the_chinese_is_intact(docs):
    raw = (docs / "index.html").read_bytes()
    html = raw.decode("utf-8")
    tags = _Tags()
    tags.feed(html)
    assert {"http-equiv": "Content-Type", "content": "text/html; charset=utf-8"} in tags.meta
    assert "区域发展政策知识图谱本体" in html  # the ontology's zh title, as characters
    assert "作为一个城镇化区域统一规划的相邻城市群体" in html
    assert "&#" not in html[html.index("<body"):]


@pytest.mark.slow
def test_docs_fetch_nothing_from_other_hosts(docs):
    tags = _Tags()
    tags.feed((docs / "index.html").read_text(encoding="utf-8"))
    assert tags.fetched  # the inline icons: the parser does see these tags
    remote = [(t, u) for t, u in tags.fetched if u.startswith(("http:", "https:", "//"))]
    assert remote == []
    assert "@import" not in (docs / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_docs_publish_the_ontology_and_the_context_beside_the_page(docs):
    ontology = kgdata.ontology_dir()
    for name in ("policy.ttl", "context.jsonld"):
        assert (docs / name).read_bytes() == (ontology / name).read_bytes()


def test_strip_remote_removes_what_a_browser_would_fetch():
    from kg.export.ontology_docs import strip_remote

    page = ('<head><script src="https://cdn.example.org/x.js"></script>'
            '<link rel="stylesheet" href="//fonts.example.org/css">'
            '<style>@import url("https://fonts.example.org/f.css");p{}</style>'
            '<link rel="icon" href="data:image/png;base64,AA"></head>'
            '<body><a href="https://w3id.org/policy-kg/ont#City">City</a></body>')
    assert strip_remote(page) == ('<head><style>p{}</style>'
                                  '<link rel="icon" href="data:image/png;base64,AA"></head>'
                                  '<body><a href="https://w3id.org/policy-kg/ont#City">City</a>'
                                  '</body>')


@pytest.mark.slow
def test_docs_into_an_existing_folder_keep_its_other_files(kg_command, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "README.txt").write_text("mine", encoding="utf-8")
    (out / "index.html").write_text("stale", encoding="utf-8")
    result = run(kg_command, "docs", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "README.txt").read_text(encoding="utf-8") == "mine"
    assert "城市群" in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folder left

    result = run(kg_command, "docs", "--out", str(out / "README.txt"))
    assert result.returncode == 2
    assert result.stderr == f"kg: error: {out / 'README.txt'}: exists and is not a folder\n"
