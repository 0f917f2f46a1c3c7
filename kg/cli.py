"""The `kg` command line: thin wrappers that map errors to exit codes.

0 success; 1 the graph is invalid; 2 bad input or usage (one line on stderr, no traceback);
3 an internal error (a bug: one line on stderr naming the log file that holds the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from extract.gazetteer import GazetteerError
from kg.inputs.files import InputError

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
LOG_DIR_ENV = "KG_LOG_DIR"  # where a crash's traceback goes (default: the temporary folder)
DEFAULT_OUT = Path("build")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.trig"
DEFAULT_GOLD = Path("tests/gold/lu-li-2025.entities.tsv")
DEFAULT_RELATION_GOLD = Path("tests/gold/lu-li-2025.relations.tsv")
DEFAULT_GOLD_TEXT = Path("corpus/lu-li-2025-regional-coordination.zh.txt")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too, but prints usage noise
        raise UsageError(f"{self.prog}: {message}")


def default_inputs() -> list[Path]:
    import kgdata

    local = Path("corpus")
    return [local if local.is_dir() else kgdata.packaged_corpus_dir()]


def cmd_build(args: argparse.Namespace) -> int:
    from kg.build.outdir import check_out_dir
    from kg.inputs.files import read_sources
    from kg.progress import Progress

    # Bad --out and bad inputs are refused before the pipeline is even imported (seconds).
    check_out_dir(args.out)
    sources = read_sources(args.inputs or default_inputs())
    from kg.build.run import build_sources

    result = build_sources(sources, args.out, progress=Progress())
    report = result.report
    docs = report["documents"]
    print(f"built {args.out}/graph.trig from {len(docs)} document(s): "
          f"{sum(d['mentions'] for d in docs.values())} mentions, "
          f"{sum(report['entities_per_class'].values())} distinct entities "
          f"({len(report['unlinked'])} unlinked mentions)")
    for cls, n in sorted(report["entities_per_class"].items(), key=lambda kv: -kv[1]):
        print(f"  {cls:<36}{n:>5}")
    for w in report["warnings"]:
        print(f"warning: {w}", file=sys.stderr)
    if not result.validation.conforms:
        print(result.validation.summary(), file=sys.stderr)
        return EXIT_INVALID
    print(result.validation.summary())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.build.validate import run_checks, union_graph, validate_graph

    ds = _dataset(args)
    result = validate_graph(union_graph(ds))
    print(result.summary(), file=sys.stdout if result.conforms else sys.stderr)
    failed = [c for c in run_checks(ds) if c.rows]
    for check in failed:
        print(f"check {check.name}: {len(check.rows)} row(s), e.g. {' '.join(check.rows[0])}",
              file=sys.stderr)
    if not failed:
        print("The check queries (queries/checks/) find nothing.")
    return EXIT_OK if result.conforms and not failed else EXIT_INVALID


def cmd_stats(args: argparse.Namespace) -> int:
    from kg.inspect.stats import stats

    s = stats(_dataset(args))
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{s['triples']} triples in {s['named_graphs']} named graphs")
    print(f"{'class':<36}{'entities':>9}{'mentions':>10}")
    for row in s["per_class"]:
        print(f"{row['class']:<36}{row['entities']:>9}{row['mentions']:>10}")
    print(f"\n{'document':<44}{'entities':>9}{'mentions':>10}")
    for row in s["per_document"]:
        print(f"{row['doc']:<44}{row['entities']:>9}{row['mentions']:>10}")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from extract.gazetteer import default
    from extract.pipeline import Extractor
    from kg.evaluate.entities import SCOPE, evaluate, overall, read_gold
    from kg.inputs.files import read_sources

    if not args.gold.is_file():
        raise InputError(f"{args.gold}: no such gold file")
    if not args.text.is_file():
        raise InputError(f"{args.text}: the text to evaluate must be one file")
    source = read_sources([args.text])[0]
    doc = Extractor().extract(source.doc, source.text, str(source.path))
    if args.relations:
        return _eval_relations(args, doc)
    gold = read_gold(args.gold)
    scores = evaluate(doc, gold, default())
    _score_table("class", evaluate(doc, gold, default(), by_class=True))
    print()
    _score_table("family", scores)
    p, r = overall(scores)
    print(f"{'in scope':<36}{'':>12}{p:>11.3f}{r:>8.3f}   ({', '.join(SCOPE)})")
    if args.verbose:
        _misses(scores)
    return EXIT_OK


def _eval_relations(args: argparse.Namespace, doc) -> int:
    from extract.gazetteer import default
    from extract.relations import find_relations
    from kg.evaluate.entities import overall
    from kg.evaluate.relations import read_relation_gold, score_relations

    gold_path = args.gold if args.gold != DEFAULT_GOLD else DEFAULT_RELATION_GOLD
    if not gold_path.is_file():
        raise InputError(f"{gold_path}: no such gold file")
    gaz = default()
    relations = find_relations(doc.text, doc.mentions, doc.sentences, gaz)
    scores = score_relations(relations, read_relation_gold(gold_path), gaz)
    _score_table("predicate", scores)
    p, r = overall(scores, tuple(s.family for s in scores))
    print(f"{'all':<36}{'':>12}{p:>11.3f}{r:>8.3f}")
    if args.verbose:
        _misses(scores)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from kg.export.graph import export_format, serialize
    from kg.export.tables import as_csv, as_jsonl, export_rows

    fmt = export_format(args.kind, args.format)
    if args.kind == "graph":
        text = serialize(_dataset(args), fmt)
    else:
        columns, rows = export_rows(_dataset(args), args.kind)
        text = (as_csv if fmt == "csv" else as_jsonl)(columns, rows)
    if args.out is None:
        sys.stdout.write(text)
    else:
        _write_atomic(args.out, text)
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from kg.sparql.query import parse_param, render, resolve, run

    query = resolve(args.query)
    params = dict(parse_param(p) for p in args.param)
    sys.stdout.write(render(run(_store(args), query, params), args.format))
    return EXIT_OK


def cmd_why(args: argparse.Namespace) -> int:
    from kg.inspect.why import evidence, render, resolve_entity, resolve_predicate

    ds = _dataset(args)
    s, o = resolve_entity(ds, args.subject), resolve_entity(ds, args.object)
    p = resolve_predicate(args.predicate)
    rows = evidence(ds, s, p, o)
    if not rows:
        print(f"the graph does not state this triple: <{s}> <{p}> <{o}>", file=sys.stderr)
        return EXIT_INVALID
    print(render(ds, s, p, o, rows))
    return EXIT_OK


def cmd_claims(args: argparse.Namespace) -> int:
    from kg.export.tables import as_csv, as_jsonl
    from kg.inspect import claims

    ds = _dataset(args)
    rows = claims.recompute(ds)
    counts = claims.summary(rows)
    if args.verdict:
        rows = [r for r in rows if r.check and r.check.verdict == args.verdict]
    records = claims.as_records(rows, claims.labels(ds))
    if args.format == "table":
        sys.stdout.write(claims.table(records, counts))
    else:
        sys.stdout.write((as_csv if args.format == "csv" else as_jsonl)(claims.COLUMNS, records))
    return EXIT_OK


def cmd_plot(args: argparse.Namespace) -> int:
    from kg.analysis import plots

    font = plots.cjk_font()  # before the graph is read: no CJK font, no work
    ds = _dataset(args)
    if args.picture == "targets":
        matrix = plots.target_matrix(ds)
        if not matrix.cols:
            raise InputError(f"{args.graph}: no policy recommendation targets a place")
        fig = plots.plot_target_heatmap(matrix, font)
    else:
        changes = plots.indicator_changes(ds)
        if not changes:
            raise InputError(f"{args.graph}: no indicator has values for two years")
        fig = plots.plot_indicator_changes(changes, font)
    for path in plots.save(fig, args.out, args.picture, args.format):
        print(path)
    return EXIT_OK


ANALYSES = ("centrality", "communities", "bridges", "path", "ego", "export")
_ARITY = {"centrality": 0, "communities": 0, "bridges": 0, "path": 2, "ego": 1, "export": 0}


def cmd_analyze(args: argparse.Namespace) -> int:
    from kg.analysis import measures as analysis
    from kg.analysis import network

    want = _ARITY[args.what]
    if len(args.terms) != want:
        raise InputError(f"analyze {args.what} takes {want} name(s), got {len(args.terms)}"
                         + (": kg analyze path A B" if args.what == "path" else "")
                         + (": kg analyze ego NODE" if args.what == "ego" else ""))
    if (args.top is not None and args.top < 1) or args.radius < 0:
        raise InputError("--top must be at least 1 and --radius at least 0")
    fmt = args.format or ("graphml" if args.what == "export" else "table")
    allowed = analysis.EXPORT_FORMATS if args.what == "export" else ("table", "csv")
    if fmt not in allowed:
        raise InputError(f"--format {fmt}: analyze {args.what} writes {', '.join(allowed)}")
    if args.what == "export" and args.out is None:
        raise InputError("analyze export needs --out PATH")
    ds = _dataset(args)
    if args.network == "linkages":
        g = network.linkage_graph(ds, membership=not args.corridors_only)
    elif args.network == "comentions":  # the texts' paths are relative to the build's folder
        g = network.comention_graph(ds, (Path.cwd(), args.graph.resolve().parent.parent))
        for doc in g.graph["fallback_documents"]:
            print(f"warning: {doc}: text not found; co-mentions within "
                  f"{network.COMENTION_WINDOW} characters instead of sentences", file=sys.stderr)
    else:
        g = network.recommendation_graph(ds)
    if args.what == "export":
        for path in analysis.export(g, fmt, args.out):
            print(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")
        return EXIT_OK
    if args.what == "path":
        cols, rows = analysis.path(ds, g, *args.terms, network=args.network)
    elif args.what == "ego":
        cols, rows = analysis.ego(ds, g, args.terms[0], args.radius, args.network, args.top)
    else:
        cols, rows = getattr(analysis, args.what)(g, args.top)
    sys.stdout.write((analysis.table if fmt == "table" else analysis.as_csv)(cols, rows))
    return EXIT_OK


_PROJECTIONS = {"linkages": "linkage_graph", "recommendations": "recommendation_graph",
                "comentions": "comention_graph"}
VIEWS = tuple(_PROJECTIONS)


def _view_arg(value: str) -> str:
    if value in VIEWS or (value.startswith("query:") and len(value) > len("query:")):
        return value
    raise argparse.ArgumentTypeError(
        f"invalid view {value!r} (choose from {', '.join(VIEWS)} or query:FILE)")


def cmd_viz(args: argparse.Namespace) -> int:
    from kg.analysis.views import query_graph, render_view

    if args.view.startswith("query:"):
        qfile = Path(args.view.removeprefix("query:"))
        if not qfile.is_file():
            raise InputError(f"{qfile}: no such query file")
        try:
            sparql = qfile.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{qfile}: not UTF-8 text") from None
        ds = _dataset(args)
        try:
            g = query_graph(ds, sparql)
        except ValueError as e:
            raise InputError(f"{qfile}: {e}") from None
        title = f"{qfile.name} ({args.graph.name})"
    else:
        try:
            from kg import network  # the projections (kg/network.py
        except ImportError:
            raise InputError(f"--view {args.view}: kg/network.py (the projections) is not "
                             "installed; use --view query:FILE") from None
        ds = _dataset(args)
        g = getattr(network, _PROJECTIONS[args.view])(ds)
        title = f"{args.view} ({args.graph.name})"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(args.out, render_view(g, title, layout=args.layout, physics=args.physics))
    print(f"wrote {args.out}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
          f"({args.view}, {args.layout} layout)")
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    from kg.store.load import load
    from kg.store.stores import parse_spec

    if args.store is None and not os.environ.get("KG_STORE"):
        raise InputError("kg load needs --store oxigraph:PATH or --store sparql:URL")
    spec = parse_spec(args.store, args.graph)
    loaded = load(spec, args.graph, graph_store=args.graph_store, update=args.update,
                  timeout=args.timeout, wait=_wait(args))
    for g in loaded:
        print(f"  {g.graph}  {g.triples} triples")
    print(f"loaded {sum(g.triples for g in loaded)} triples in {len(loaded)} named graphs "
          f"from {args.graph} into {spec}")
    return EXIT_OK


def cmd_link(args: argparse.Namespace) -> int:
    from decimal import Decimal

    from extract.gazetteer import default
    from kg.link import link
    from kg.link.match import Index
    from kg.sparql.query import as_table
    from kg.store.http import max_answer_bytes
    from kg.store.load import replace_graph
    from kg.store.stores import parse_spec

    name = link.check_name(args.name) if args.name else None
    if args.review:
        sys.stdout.write(as_table(link.review(_store(args), Decimal(str(args.below)), name)))
        return EXIT_OK
    if not args.endpoint:
        raise InputError("kg link needs --endpoint URL (or --review)")
    endpoint = link.check_endpoint(args.endpoint)
    spec = parse_spec(args.store, args.graph)
    if spec.kind == "memory" and not Path(spec.location).is_file():
        raise InputError(f"{spec.location}: no such graph file (run `kg build` first)")
    max_answer = max_answer_bytes(args.max_answer_mb)
    _store(args).close()  # an Oxigraph store must exist: checked before the endpoint is asked
    found = link.link(endpoint, link.read_query(args.query), name or link.default_name(endpoint),
                      Index.of(default()), timeout=args.timeout, max_answer=max_answer)
    if not found.matches:  # an empty link graph would replace an earlier one with nothing
        print(f"{found.candidates} entities read from {endpoint}: no links found; nothing "
              "written")
        return EXIT_OK
    replace_graph(spec, found.iri, found.graph, graph_store=args.graph_store, update=args.update,
                  timeout=args.timeout, wait=_wait(args))
    if args.out:
        _write_atomic(args.out, found.graph.serialize(format="turtle"))
    below = sum(m.confidence < Decimal(str(args.below)) for m in found.matches)
    by_id = sum(bool({"wikidata", "adcode"} & set(m.matched_by)) for m in found.matches)
    for m in sorted(found.matches, key=lambda m: (-m.confidence, m.ours)):
        print(f"{m.confidence}  {m.ours:<40} {m.theirs}  {'+'.join(m.matched_by)}"
              + (f"  (also {', '.join(m.alternatives)})" if m.alternatives else ""))
    print(f"{found.candidates} entities read from {endpoint}: {len(found.matches)} linked "
          f"({by_id} by identifier, {len(found.matches) - by_id} by name only), {below} below "
          f"{args.below:g} to review (kg link --review)")
    print(f"wrote <{found.iri}> into {spec}" + (f" and {args.out}" if args.out else ""))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.serve.server import Settings, serve
    from kg.store.stores import parse_spec

    settings = Settings(args.host, args.port, args.timeout, args.max_rows, args.allow_update,
                        frozenset(args.allow_service), args.client_timeout, args.max_connections,
                        _wait(args))
    return serve(parse_spec(args.store, args.graph), settings)


def _store(args: argparse.Namespace):
    """The store the command reads (kg/stores.py): --store, $KG_STORE, or the --graph file."""
    from kg.store.http import max_answer_bytes
    from kg.store.stores import DEFAULT_MAX_ANSWER, open_store, parse_spec

    limit = max_answer_bytes(args.max_answer_mb) if "max_answer_mb" in args else DEFAULT_MAX_ANSWER
    return open_store(parse_spec(args.store, args.graph), args.timeout, limit, wait=_wait(args))


def _wait(args: argparse.Namespace) -> float:
    if args.wait < 0:
        raise InputError(f"--wait {args.wait:g}: expected 0 or more seconds")
    return args.wait


def _dataset(args: argparse.Namespace):
    return _store(args).dataset()


def cmd_docs(args: argparse.Namespace) -> int:
    from kg.export.ontology_docs import site_files, write_site

    paths = write_site(site_files(), args.out)
    print(f"wrote {args.out}/: {', '.join(p.name for p in paths)}")
    return EXIT_OK


def _write_atomic(path: Path, text: str) -> None:
    from kg.store.atomic import write_text_atomic

    write_text_atomic(path, text)


def _misses(scores: list) -> None:
    for s in scores:
        if s.missed:
            print(f"missed {s.family}: {'、'.join(s.missed)}")
        if s.spurious:
            print(f"spurious {s.family}: {'、'.join(s.spurious)}")


def _score_table(title: str, scores: list) -> None:
    print(f"{title:<36}{'gold':>6}{'pred':>6}{'precision':>11}{'recall':>8}")
    for s in scores:
        print(f"{s.family:<36}{s.gold:>6}{s.predicted:>6}{s.precision:>11.3f}{s.recall:>8.3f}")


def _add_max_answer(p: argparse.ArgumentParser, what: str) -> None:
    from kg.store.http import DEFAULT_MAX_ANSWER_MB

    p.add_argument("--max-answer-mb", type=float, default=float(DEFAULT_MAX_ANSWER_MB),
                   metavar="MB", help=f"{what}; a larger one is refused (default "
                                      f"{DEFAULT_MAX_ANSWER_MB})")


def _add_store_args(p: argparse.ArgumentParser,
                    timeout_help: str = "seconds to wait for a remote store (default 60)",
                    timeout: float = 60.0) -> None:
    p.add_argument("--graph", type=Path, default=DEFAULT_GRAPH,
                   help="the built graph file (default: build/graph.trig)")
    p.add_argument("--store", metavar="STORE",
                   help="where the graph is: memory (the --graph file, default), oxigraph:PATH "
                        "or sparql:URL; default $KG_STORE")
    p.add_argument("--timeout", type=float, default=timeout, help=timeout_help)
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="oxigraph: wait up to this long for a store another kg process is "
                        "using (being written; to write: being read) instead of stopping at "
                        "once (default 0)")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kg", description="A knowledge graph of Chinese regional-development policy.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    b = sub.add_parser("build", help="extract entities from texts and write a validated graph")
    b.add_argument("inputs", nargs="*", type=Path, help="text files or folders (default: corpus/)")
    b.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: build/)")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="check a built graph against the SHACL shapes")
    _add_store_args(v)
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("stats", help="entities and mentions per class and per document")
    _add_store_args(s)
    s.add_argument("--json", action="store_true", help="print JSON instead of a table")
    s.set_defaults(func=cmd_stats)

    x = sub.add_parser("export", help="a table of the graph for pandas or R, or the whole graph "
                       "as TriG, N-Quads, Turtle or JSON-LD")
    x.add_argument("kind", choices=["mentions", "relations", "observations", "claims",
                                   "recommendations", "graph"])
    x.add_argument("--format", choices=["jsonl", "csv", "trig", "nquads", "turtle", "jsonld"],
                   help="tables: jsonl (default) or csv; graph: trig (default), nquads, turtle "
                        "(the union of the named graphs: Turtle cannot name graphs) or jsonld "
                        "(compact, @context https://w3id.org/policy-kg/context.jsonld)")
    _add_store_args(x)
    x.add_argument("--out", type=Path, help="write here instead of standard output")
    x.set_defaults(func=cmd_export)

    q = sub.add_parser("query", help="run a catalogue query, a .rq file or inline SPARQL")
    q.add_argument("query", help="a .rq file, a catalogue name (answers/…, checks/…) or SPARQL")
    _add_store_args(q, "seconds to wait for a remote store; one deadline for all the SERVICE "
                       "calls of the query (default 60)")
    _add_max_answer(q, "memory and oxigraph stores: the largest answer (MB) read from a "
                       "SERVICE endpoint")
    q.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a variable: an IRI, kind/key, a number or text (repeatable)")
    q.set_defaults(func=cmd_query)

    w = sub.add_parser("why", help="the evidence of a triple: sentence, offsets, rule, source")
    w.add_argument("subject", help="IRI, kind/key (province/140000) or label (山西)")
    w.add_argument("predicate", help="property: connects, partOf, locatedIn, builtOn …")
    w.add_argument("object", help="IRI, kind/key or label")
    _add_store_args(w)
    w.set_defaults(func=cmd_why)

    c = sub.add_parser("claims", help="the text's numeric claims, rechecked against the tables")
    _add_store_args(c)
    c.add_argument("--verdict", choices=["holds", "holds_within_rounding", "does_not_hold",
                                         "unchecked"], help="list only claims with this verdict")
    c.add_argument("--format", choices=["table", "csv", "jsonl"], default="table")
    c.set_defaults(func=cmd_claims)

    g = sub.add_parser("plot", help="pictures: recommendation targets, indicator changes")
    g.add_argument("picture", choices=["targets", "changes"],
                   help="targets: recommendation × place heatmap; changes: indicator changes")
    _add_store_args(g)
    g.add_argument("--out", type=Path, default=DEFAULT_OUT / "plots",
                   help="output folder (default: build/plots/)")
    g.add_argument("--format", choices=["png", "svg", "both"], default="both")
    g.set_defaults(func=cmd_plot)

    a = sub.add_parser("analyze", help="network measures: centrality, communities, bridges, "
                       "path, ego; or export the network (GraphML, GEXF, CSV)")
    a.add_argument("what", choices=ANALYSES)
    a.add_argument("terms", nargs="*", help="path: two places; ego: one node (label, kind/key "
                   "or IRI)")
    a.add_argument("--network", choices=["linkages", "recommendations", "comentions"],
                   default="linkages")
    _add_store_args(a)
    a.add_argument("--format", help="table or csv; for export: graphml, gexf or csv")
    a.add_argument("--top", type=int, help="only the first N rows")
    a.add_argument("--radius", type=int, default=1, help="ego: hops from the node (default 1)")
    a.add_argument("--out", type=Path, help="export: the file to write (csv: PATH-nodes.csv and "
                   "PATH-edges.csv)")
    a.add_argument("--corridors-only", action="store_true",
                   help="linkages: leave out the memberOf/partOf edges")
    a.set_defaults(func=cmd_analyze)

    z = sub.add_parser("viz", help="an interactive HTML view of the graph (works offline)")
    z.add_argument("--view", type=_view_arg, default="linkages",
                   help="linkages, recommendations, comentions, or query:FILE (a SPARQL SELECT "
                        "returning ?s ?p ?o; default: linkages)")
    z.add_argument("--layout", choices=["spring", "geo"], default="spring")
    z.add_argument("--physics", action="store_true", help="let the nodes move (small graphs)")
    z.add_argument("--out", type=Path, default=DEFAULT_OUT / "view.html")
    _add_store_args(z)
    z.set_defaults(func=cmd_viz)

    ld = sub.add_parser("load", help="put a built graph into a store (named graphs kept)")
    _add_store_args(ld)
    ld.add_argument("--graph-store", metavar="URL",
                    help="sparql: the server's Graph Store Protocol URL (default: …/store "
                         "beside an Oxigraph-style …/query)")
    ld.add_argument("--update", metavar="URL", help="sparql: load by SPARQL Update here instead")
    ld.set_defaults(func=cmd_load)

    d = sub.add_parser("docs", help="HTML documentation of the ontology (pyLODE), offline")
    d.add_argument("--out", type=Path, default=DEFAULT_OUT / "docs",
                   help="output folder (default: build/docs/): index.html, policy.ttl, "
                        "context.jsonld")
    d.set_defaults(func=cmd_docs)

    k = sub.add_parser("link", help="link our entities to another graph's (a SPARQL endpoint); "
                       "--review lists the uncertain links")
    k.add_argument("--endpoint", metavar="URL", help="the other graph's SPARQL endpoint")
    k.add_argument("--query", type=Path, help="candidate query returning ?entity with ?label "
                   "and/or ?id (default: queries/link/candidates.rq)")
    k.add_argument("--name", help="the link graph: …/graph/links/NAME (default: from the URL)")
    k.add_argument("--out", type=Path, help="also write the link graph here, as Turtle")
    k.add_argument("--review", action="store_true", help="list the stored links below --below")
    k.add_argument("--below", type=float, default=0.9, help="review threshold (default 0.9)")
    k.add_argument("--graph-store", metavar="URL", help="sparql: where to PUT the link graph")
    k.add_argument("--update", metavar="URL", help="sparql: write by SPARQL Update here instead")
    _add_store_args(k, "seconds for everything asked of the endpoint, one deadline (default 60)")
    _add_max_answer(k, "the largest answer (MB) read from the endpoint")
    k.set_defaults(func=cmd_link)

    sv = sub.add_parser("serve", help="a SPARQL endpoint (/sparql) and query page (/) over HTTP",
                        description="Serve the graph, read-only, on 127.0.0.1 (docs/serve.md).")
    _add_store_args(sv, "seconds a query may run before it is stopped (default 30)", 30.0)
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default loopback)")
    sv.add_argument("--port", type=int, default=7878, help="default 7878; 0 picks a free port")
    sv.add_argument("--allow-update", action="store_true", help="apply SPARQL Update (memory: "
                    "in this process only, the graph file is not written)")
    sv.add_argument("--max-rows", type=int, default=10_000,
                    help="cut results to this many rows or triples (default 10000)")
    sv.add_argument("--allow-service", action="append", default=[], metavar="URL",
                    help="a SERVICE IRI queries may call (repeatable; default none)")
    sv.add_argument("--client-timeout", type=float, default=10.0, metavar="SECONDS",
                    help="seconds a client has to send each request; an idle connection is "
                         "closed after them (default 10)")
    sv.add_argument("--max-connections", type=int, default=64, metavar="N",
                    help="connections served at once; past it the one waiting longest for its "
                         "request is closed, or new ones wait (default 64)")
    sv.set_defaults(func=cmd_serve)

    e = sub.add_parser("eval", help="precision and recall against the gold annotation")
    e.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    e.add_argument("--text", type=Path, default=DEFAULT_GOLD_TEXT)
    e.add_argument("-v", "--verbose", action="store_true", help="list misses and false hits")
    e.add_argument("--relations", action="store_true",
                   help="score relations against tests/gold/lu-li-2025.relations.tsv instead")
    e.set_defaults(func=cmd_eval)
    return p


def run(argv: Sequence[str] | None, handlers: dict[type, Callable[[Exception], int]]) -> int:
    try:
        args = parser().parse_args(argv)
        return args.func(args)
    except tuple(handlers) as e:
        return next(h(e) for t, h in handlers.items() if isinstance(e, t))


def _bad_input(e: Exception) -> int:
    print(f"kg: error: {e}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _os_error(e: Exception) -> int:
    """A file the command had to write or read could not be (e.g. --out names a file)."""
    assert isinstance(e, OSError)
    where = f"{e.filename}: " if e.filename else ""
    print(f"kg: error: {where}{e.strerror or e}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _usage(e: Exception) -> int:
    print(f"{e} (see: kg --help)", file=sys.stderr)  # the message names the (sub)command
    return EXIT_BAD_INPUT


def _interrupted(e: Exception) -> int:
    print("kg: interrupted", file=sys.stderr)
    return 130


def _internal_error(e: Exception) -> int:
    """The last resort: a bug. The user gets one line and the path of the traceback, which is
    what a bug report needs; a traceback on the terminal would look like their mistake."""
    import tempfile
    import traceback

    what = f"{type(e).__name__}: {_first_line(e)}"
    try:
        fd, log = tempfile.mkstemp(prefix="kg-error-", suffix=".log",
                                   dir=os.environ.get(LOG_DIR_ENV) or None)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"kg {' '.join(sys.argv[1:])}\n\n")
            f.write("".join(traceback.format_exception(e)))
        where = f"the traceback is in {log}"
    except OSError as log_error:
        where = f"the traceback could not be written ({log_error.strerror})"
    print(f"kg: internal error: {what} ({where}; please report it)", file=sys.stderr)
    return EXIT_INTERNAL


def _first_line(e: Exception) -> str:
    lines = str(e).strip().splitlines()
    return lines[0] if lines else "(no message)"


def main(argv: Sequence[str] | None = None) -> int:
    # Order matters: the first handler whose type matches wins, so Exception comes last.
    return run(argv, {UsageError: _usage, InputError: _bad_input, GazetteerError: _bad_input,
                      KeyboardInterrupt: _interrupted, BrokenPipeError: lambda e: EXIT_OK,
                      OSError: _os_error, Exception: _internal_error})


if __name__ == "__main__":
    sys.exit(main())
