"""Corpus scale (issue 14): documents built in parallel give the same bytes as one process,
and a document's graph is validated on its own, with the same violations on both engines."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from rdflib import Graph

from kg import iris
from kg.build.document import document_graph
from kg.build.reference import reference_graph
from kg.build.relations import partition_graph
from kg.build.run import stable_blank_nodes
from kg.build.validate import DocumentValidator
from kg.ontology import ontology_graph
from kg.vocab import PKG
from tests.conftest import shared_input

REPORTS = ("gwr-2025-beijing.txt", "gwr-2025-gansu.txt", "gwr-2025-anhui.txt")
OUTPUTS = ("graph.trig", "mentions.jsonl", "report.json")
TEXT = "广西壮族自治区首府南宁市与北部湾城市群相连，成渝地区双城经济圈和西部陆海新通道也在其中。"


@pytest.fixture(scope="module")
def three_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("three-reports")
    for name in REPORTS:
        shutil.copy(shared_input("corpus-dev", "gwr-2025", name), folder / name)
    return folder


@pytest.fixture(scope="module")
def builds_by_jobs(three_reports, kg_command, tmp_path_factory):
    """The three reports built by the real `kg build` with 1 and with 2 processes."""
    outs = {}
    for jobs in (1, 2):
        out = tmp_path_factory.mktemp(f"jobs-{jobs}")
        done = subprocess.run([*kg_command, "build", str(three_reports), "--out", str(out),
                               "--jobs", str(jobs)], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        outs[jobs] = out
    return outs


@pytest.mark.slow
def test_two_processes_write_the_same_bytes_as_one(builds_by_jobs):
    for name in OUTPUTS:
        one = (builds_by_jobs[1] / name).read_bytes()
        assert one == (builds_by_jobs[2] / name).read_bytes(), name
    trig = (builds_by_jobs[1] / "graph.trig").read_text(encoding="utf-8")
    for name in REPORTS:  # every document is there, not just the same nothing twice
        assert f"graph/doc/{name.removesuffix('.txt')}>" in trig


def test_jobs_below_one_is_refused(kg_command, tmp_path):
    done = subprocess.run([*kg_command, "build", "--jobs", "0", "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "kg: error: --jobs 0: expected 1 or more processes"
    assert not (tmp_path / "o").exists()


def test_the_ontology_blank_nodes_are_named_by_content_not_chance():
    first = set(stable_blank_nodes(ontology_graph()))
    parsed_again = Graph().parse(data=ontology_graph().serialize(format="turtle"),
                                 format="turtle")  # new random blank node names
    assert set(stable_blank_nodes(parsed_again)) == first
    assert len(first) == len(ontology_graph())


@pytest.fixture(scope="module")
def small_document(extractor):
    record = extractor.extract("small", TEXT, "small.txt")
    reference = Graph()
    reference_graph(extractor.gaz, reference)
    partition_graph(reference)
    return document_graph(record, extractor.gaz), reference


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_a_document_graph_is_validated_alone_in_the_context_of_what_it_names(small_document,
                                                                            engine):
    graph, reference = small_document
    validator = DocumentValidator(reference, engine)
    assert validator.validate(graph) == ()
    document = iris.document("small")
    body = next(graph.objects(document, PKG.mentions))
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.remove((document, PKG.mentions, body))  # a mention whose entity the document omits
    found = validator.validate(broken)
    assert {v.shape.split("#")[-1] for v in found} == {"MentionListedShape"}
    assert all(v.message.startswith(f"The mention links {body} ") for v in found)
