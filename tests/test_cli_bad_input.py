"""Bad input: one clear line on stderr, exit code 2, no traceback, nothing written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


def run_build(kg_command, tmp_path: Path, *inputs: str) -> subprocess.CompletedProcess:
    out = tmp_path / "out"
    return subprocess.run([*kg_command, "build", *inputs, "--out", str(out)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)


def assert_refused(result: subprocess.CompletedProcess, tmp_path: Path, words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert words in lines[0]
    assert not (tmp_path / "out").exists()


def test_missing_path(kg_command, tmp_path):
    assert_refused(run_build(kg_command, tmp_path, "no-such-file.txt"), tmp_path,
                   "no such file or directory")


def test_empty_file(kg_command, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    assert_refused(run_build(kg_command, tmp_path, "empty.txt"), tmp_path, "empty")


def test_whitespace_only_file(kg_command, tmp_path):
    (tmp_path / "blank.txt").write_text(" \n\n \t\n")
    assert_refused(run_build(kg_command, tmp_path, "blank.txt"), tmp_path, "empty")


def test_binary_file(kg_command, tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_refused(run_build(kg_command, tmp_path, "image.txt"), tmp_path, "binary")


def test_directory_without_text(kg_command, tmp_path):
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "data.csv").write_text("a,b\n")
    assert_refused(run_build(kg_command, tmp_path, "nothing"), tmp_path, "no files to read")


def test_latin1_bytes_that_are_not_chinese_are_refused(kg_command, tmp_path):
    (tmp_path / "latin.txt").write_bytes("Zürich, Genève, Straße, déjà vu".encode("latin-1"))
    assert_refused(run_build(kg_command, tmp_path, "latin.txt"), tmp_path,
                   "does not read as Chinese text in any encoding tried (utf-8: not decodable; "
                   "gb18030: not decodable; big5hkscs: not decodable)")


def test_unknown_option_is_a_usage_error(kg_command, tmp_path):
    result = subprocess.run([*kg_command, "build", "--no-such-option"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert_refused(result, tmp_path, "unrecognized arguments")


@pytest.mark.parametrize("command", ["validate", "stats"])
def test_missing_graph(kg_command, tmp_path, command):
    result = subprocess.run([*kg_command, command, "--graph", "nowhere.trig"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert_refused(result, tmp_path, "no such graph file")


@pytest.mark.parametrize("command", ["query most-mentioned-entities", "stats", "documents"])
def test_no_build_in_the_folder(kg_command, tmp_path, command):
    """No --graph, no --store, no $KG_STORE and no build/: say what to do."""
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    result = subprocess.run([*kg_command, *command.split()], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert_refused(result, tmp_path, "no graph to read: build/store does not exist (run `kg "
                                     "build`, or name the graph with --store oxigraph:PATH")


def test_unparseable_graph(kg_command, tmp_path):
    (tmp_path / "bad.trig").write_text("this is not trig {")
    result = subprocess.run([*kg_command, "validate", "--graph", "bad.trig"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert_refused(result, tmp_path, "cannot parse")


def test_a_utf8_file_without_chinese_is_refused(kg_command, tmp_path):
    (tmp_path / "english.txt").write_text("Regional policy in plain English.")
    assert_refused(run_build(kg_command, tmp_path, "english.txt"), tmp_path, "no Chinese text")


def test_out_naming_an_existing_file_is_a_clear_error(kg_command, tmp_path):
    (tmp_path / "a.txt").write_text("支持广西发展。")
    (tmp_path / "taken").write_text("not a folder")
    result = subprocess.run([*kg_command, "build", "a.txt", "--out", "taken"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "taken" in result.stderr


@pytest.mark.parametrize(("name", "words"), [
    ("scanned.pdf", "the PDF has no text layer (a scanned document?); run OCR on it first"),
    ("old.doc", "the old binary Word format is not read; save it as .docx"),
])
def test_a_file_kg_cannot_read_is_refused_with_what_to_do(kg_command, tmp_path, name, words):
    data = Path(__file__).parent / "data" / "inputs" / "scanned.pdf"
    (tmp_path / name).write_bytes(data.read_bytes() if name.endswith(".pdf")
                                  else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert_refused(run_build(kg_command, tmp_path, name), tmp_path, words)
