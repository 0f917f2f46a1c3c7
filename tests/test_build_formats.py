"""`kg build` end to end on a folder of every format (the LibreOffice and Chromium fixtures of
tests/data/inputs/ beside .txt files): the documents' nodes say where their text came from, the
extracted texts are stored beside the graph and the evidence offsets point into them, `kg why`
shows the sentence of a document read from Word, the co-mention projection reads the stored
text (never the .docx or .pdf bytes, never a .txt changed since the build), and `kg documents`
lists the documents with their counts, by type and year."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import kg_in_process
from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.analysis import network
from kg.inputs.stored import FOLDER, text_file_name
from kg.vocab import PKG

pytestmark = pytest.mark.slow  # one real build of four small files (about 25 s on 2 cores)

DATA = Path(__file__).parent / "data" / "inputs"
DOCUMENTS = Path(__file__).parent / "data" / "documents"
FILES = ("report.docx", "report.pdf", "cms-page.html")
# a plain-text notice in the report genre: its metadata makes its key, its text is its own
NOTICE = ("2024年云南省人民政府工作报告\n\n各位代表：\n\n"
          "现在，我代表省人民政府，向大会报告政府工作，请予审议。\n"
          "推动昆明和曼谷加强合作。支持云南与老挝共建中老铁路经济走廊。\n")


@pytest.fixture(scope="module")
def build(tmp_path_factory, kg_command):
    root = tmp_path_factory.mktemp("formats")
    inputs = root / "in"
    inputs.mkdir()
    for name in FILES:
        shutil.copy(DATA / name, inputs / name)
    (inputs / "yunnan.txt").write_text(NOTICE, encoding="utf-8")
    for path in DOCUMENTS.glob("*.txt"):  # four small documents of three years and two types
        shutil.copy(path, inputs / path.name)
    out = root / "out"
    # relative paths, as a user types them: dcterms:source is "in/<file>"
    result = kg_in_process("build", "in", "--out", "out", "--trig", cwd=root, timeout=600)
    assert result.returncode == 0, result.stderr
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    ds.default_union = True
    return root, out, ds


def documents(ds: Dataset) -> dict[str, URIRef]:
    """Source file name -> document node."""
    return {Path(str(ds.value(d, DCTERMS.source))).name: d
            for d in ds.subjects(RDF.type, PKG.Document)}


def test_every_format_is_a_document_with_its_reader_and_hashes(build):
    _, _, ds = build
    docs = documents(ds)
    plain = [p.name for p in DOCUMENTS.glob("*.txt")]
    assert sorted(docs) == sorted([*FILES, "yunnan.txt", *plain])
    expected = {"report.docx": "docx/python-docx-", "report.pdf": "pdf/pypdfium2-",
                "cms-page.html": "html/trafilatura-", "yunnan.txt": "text/"}
    for name, prefix in expected.items():
        node = docs[name]
        assert str(ds.value(node, PKG.reader)).startswith(prefix)
        data = (DATA / name).read_bytes() if name in FILES else NOTICE.encode("utf-8")
        assert str(ds.value(node, PKG.sourceSha256)) == hashlib.sha256(data).hexdigest()


def test_extracted_texts_are_stored_and_the_evidence_points_into_them(build):
    _, out, ds = build
    docs = documents(ds)
    stored = sorted(p.name for p in (out / FOLDER).iterdir())
    keys = {name: str(node).rsplit("/", 1)[-1] for name, node in docs.items()}
    shas = {name: str(ds.value(node, PKG.textSha256)) for name, node in docs.items()}
    # the three extracted texts, none for the .txt (it is its own text)
    assert stored == sorted(text_file_name(keys[n], shas[n]) for n in FILES)
    rows = [json.loads(line) for line in (out / "mentions.jsonl").open(encoding="utf-8")]
    for name in FILES:
        text = (out / FOLDER / text_file_name(keys[name], shas[name])).read_text(
            encoding="utf-8")
        mine = [r for r in rows if r["doc"] == keys[name]]
        assert mine, f"no mentions from {name}"
        for r in mine:
            assert text[r["start"]:r["end"]] == r["text"]


def test_two_files_with_the_same_metadata_get_keys_suffixed_by_their_hashes(build):
    _, _, ds = build
    docs = documents(ds)
    docx, pdf = (str(docs[n]).rsplit("/", 1)[-1] for n in ("report.docx", "report.pdf"))
    # the report states its genre (摘要) and title but no year
    stem = "article-undated-shisiwu-shiqi-zhongguo-quyu-xietiao-fazhan"
    assert docx == f"{stem}-{hashlib.sha256((DATA / 'report.docx').read_bytes()).hexdigest()[:6]}"
    assert pdf == f"{stem}-{hashlib.sha256((DATA / 'report.pdf').read_bytes()).hexdigest()[:6]}"
    assert str(documents(ds)["yunnan.txt"]).endswith("/doc/gwr-2024-yunnan")


def stored(out: Path, ds: Dataset, name: str) -> tuple[str, str]:
    """(document key, stored extracted text) of the input file `name`."""
    node = documents(ds)[name]
    key = str(node).rsplit("/", 1)[-1]
    sha = str(ds.value(node, PKG.textSha256))
    return key, (out / FOLDER / text_file_name(key, sha)).read_text(encoding="utf-8")


def test_kg_why_shows_the_sentence_of_a_document_read_from_word_and_pdf(build, kg_command):
    root, out, ds = build
    result = kg_in_process("why", "吉林", "partOf", "东北地区", "--graph",
                           str(out / "graph.trig"), cwd=root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for name in ("report.docx", "report.pdf"):
        key, text = stored(out, ds, name)
        head = re.compile(rf"- text: {re.escape(key)} \[(\d+):(\d+)\]")
        found = [(m, lines[i + 1]) for i, ln in enumerate(lines) if (m := head.match(ln))]
        assert found, f"no evidence from {name}:\n{result.stdout}"
        for m, sentence in found:
            assert f"【{text[int(m.group(1)):int(m.group(2))]}】" in sentence


def test_comentions_read_the_stored_text_of_a_docx_pdf_and_html(build):
    _, out, ds = build
    g = network.project(ds, "comentions", roots=network.text_roots(out / "graph.trig"))
    assert g.graph["fallback_documents"] == []
    # an edge's evidence is its sentence with the line breaks as spaces: compared without
    plain = [NOTICE, *(p.read_text(encoding="utf-8") for p in DOCUMENTS.glob("*.txt"))]
    texts = ["".join(t.split()) for t in [*(stored(out, ds, n)[1] for n in FILES), *plain]]
    evidence = [d["evidence"] for _, _, d in g.edges(data=True)]
    assert evidence and all(e is not None for e in evidence)
    for e in evidence:
        assert any("".join(e.split()) in t for t in texts), e


def test_comentions_fall_back_when_a_txt_changed_since_the_build(build, tmp_path):
    _, out, ds = build
    changed = tmp_path / "in"
    changed.mkdir()
    for path in DOCUMENTS.glob("*.txt"):  # the other texts as they were built
        shutil.copy(path, changed / path.name)
    (changed / "yunnan.txt").write_text("全然不同的一句。" + NOTICE, encoding="utf-8")
    g = network.project(ds, "comentions", roots=(tmp_path, out.resolve()))
    assert [str(d).rsplit("/", 1)[-1] for d in g.graph["fallback_documents"]] == [
        "gwr-2024-yunnan"]


def kg_documents(kg_command, out: Path, *args: str) -> subprocess.CompletedProcess:
    return kg_in_process("documents", "--graph", str(out / "graph.trig"), *args)


def test_kg_documents_lists_every_document_with_its_counts(build, kg_command):
    _, out, ds = build
    result = kg_documents(kg_command, out, "--json")
    assert result.returncode == 0, result.stderr
    rows = {r["doc"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(rows) == {str(d).rsplit("/", 1)[-1] for d in documents(ds).values()}
    # the counts are the records' as the build reported them: mentions.jsonl has one line a
    # mention (linked or not), report.json counts the rest per document
    lines = [json.loads(line) for line in (out / "mentions.jsonl").open(encoding="utf-8")]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for key, row in rows.items():
        assert row["mentions"] == sum(1 for m in lines if m["doc"] == key and m["iri"])
        assert row["relations"] == sum(report["relations_per_document"].get(key, {}).values())
        assert row["recommendations"] == report["recommendations_per_document"].get(key, 0)
        assert row["claims"] == report["claims_per_document"].get(key, 0)
    assert rows["gwr-2024-yunnan"]["relations"] > 0  # 中老铁路 connects 云南 and 老挝
    assert sum(row["claims"] for row in rows.values()) > 0  # the report's (PDF and Word)
    assert rows["gwr-2024-yunnan"] | {"mentions": 0, "relations": 0} == {
        "doc": "gwr-2024-yunnan", "type": "government-work-report", "year": 2024,
        "place": "云南省", "issuer": "云南省人民政府", "title": "2024年云南省人民政府工作报告",
        "mentions": 0, "relations": 0, "recommendations": 0, "claims": 0}


def test_kg_documents_filters_by_type_and_years(build, kg_command):
    _, out, _ = build
    result = kg_documents(kg_command, out, "--type", "government-work-report", "--year", "2025")
    assert result.returncode == 0, result.stderr
    keys = [line.split()[0] for line in result.stdout.splitlines()[1:-1]]
    assert keys == ["gwr-2025-jiangxi", "gwr-2025-zhejiang"]
    assert result.stdout.splitlines()[-1] == "2 document(s)"
    result = kg_documents(kg_command, out, "--from", "2024", "--to", "2024", "--json")
    assert sorted(json.loads(line)["doc"] for line in result.stdout.splitlines()) == [
        "gwr-2024-shanghai", "gwr-2024-yunnan",
        "notice-national-2024-changsanjiao-diqu-xietong-fazhan-shishifangan-tongzhi"]


@pytest.mark.parametrize(("args", "message"), [
    (("--type", "report"), "--type report: not a document type"),
    (("--from", "2025", "--to", "2024"), "the first year is after the last"),
    (("--year", "2024", "--from", "2020"), "give either --year or --from/--to"),
])
def test_kg_documents_refuses_bad_filters_in_one_line(build, kg_command, args, message):
    _, out, _ = build
    result = kg_documents(kg_command, out, *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("kg: error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1
