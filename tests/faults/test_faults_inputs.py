"""`kg build` on odd inputs and output folders (issue 10, items 5 and 7): encodings, files that
are not regular files, huge one-line texts, a bad --out, killed and concurrent builds.

Every build here is the real `kg build` as a subprocess, on texts made from the repository's
article (corpus/), so nothing is skipped when ../shared is absent.
"""

from __future__ import annotations

import json
import os
import pty
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ARTICLE, kg_in_process, store_nquads

BUILD_TIMEOUT = 600  # generous: the shapes alone take seconds, and CI shares 2 cores
QUICK = 60  # a refusal that takes longer than this has not been quick
# Real text in other scripts, for the mojibake-prone cases. Korean: the Constitution of the
# Republic of Korea, Article 1. Japanese: the preamble of the Constitution of Japan.
KOREAN = ("대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, 모든 권력은 국민으로부터 "
          "나온다.")
JAPANESE = ("日本国民は、正当に選挙された国会における代表者を通じて行動し、われらとわれらの子孫の"
            "ために、諸国民との協和による成果と、わが国全土にわたつて自由のもたらす恵沢を確保し")


def run_build(kg_command, cwd: Path, *args: str, timeout: float = BUILD_TIMEOUT
              ) -> tuple[subprocess.CompletedProcess, float]:
    """The finished `kg build` and how long it took (seconds, wall clock)."""
    started = time.monotonic()
    result = subprocess.run([*kg_command, "build", *args], cwd=cwd, capture_output=True,
                            text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return result, time.monotonic() - started


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 2, one line on stderr holding each of `words`, no traceback; returns the line."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: "), lines[0]
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def refusal_baseline(kg_command, cwd: Path) -> float:
    """Seconds `kg build` takes to refuse a missing file: process start and imports, which a
    loaded machine slows down; the refusals below are measured against it."""
    result, took = run_build(kg_command, cwd, "no-such-file.txt", "--out", "unused",
                             timeout=QUICK)
    assert_refused(result, "no such file or directory")
    return took


def mention_rows(out: Path) -> list[dict]:
    lines = (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def article_paragraphs(*openings: str) -> str:
    """The article's paragraphs that begin with `openings`, joined by line breaks."""
    paragraphs = ARTICLE.read_text(encoding="utf-8").splitlines()
    found = [next(p for p in paragraphs if p.startswith(o)) for o in openings]
    return "\n".join(found) + "\n"


def one_line(text: str) -> str:
    return "".join(text.split("\n"))


# --- encodings ---------------------------------------------------------------------------------

# Two paragraphs of the article naming provinces spelled alike in both scripts (浙江, 海南,
# 新疆, 青海 …) beside ones that are not (广东 → 廣東, 宁夏 → 寧夏).
PROVINCE_PARAGRAPHS = ("浙粤苏琼人口持续聚集", "2023年,全国人口自然增长率")


@pytest.mark.slow
def test_big5_traditional_text_is_decoded_as_big5_and_builds(kg_command, tmp_path):
    opencc = pytest.importorskip("opencc", reason="opencc (the dev extra) makes the text")
    simplified = article_paragraphs(*PROVINCE_PARAGRAPHS)
    traditional = opencc.OpenCC("s2tw").convert(simplified)  # Taiwan's standard characters
    assert "廣東" in traditional and "寧夏" in traditional
    data = traditional.encode("big5")  # strict: every character is in Big5
    (tmp_path / "big5.txt").write_bytes(data)

    result = kg_in_process("build", "big5.txt", "--out", "out", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "big5.txt: decoded as big5hkscs (traditional Chinese" in result.stderr
    assert "kg build:" not in result.stderr  # no progress output when stderr is not a terminal
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert any("decoded as big5hkscs" in w for w in report["warnings"])
    decoded = data.decode("big5hkscs")
    rows = mention_rows(tmp_path / "out")
    assert all(decoded[r["start"]:r["end"]] == r["text"] for r in rows)
    # the provinces spelled alike in both scripts are found, and nothing else: every mention is
    # a linked place (mojibake would give none, or names read into random characters)
    assert {r["text"] for r in rows if r["type"] == "Province"} == {
        "浙江", "海南", "上海", "北京", "天津", "河北", "福建", "新疆", "青海", "安徽", "湖北",
        "四川", "河南"}
    assert all(r["iri"] is not None for r in rows)
    # bare 京津冀 names the area (gold revision 2, R5), not the cluster
    assert {r["type"] for r in rows} == {"Province", "MacroRegion", "AreaCompound"}


@pytest.mark.parametrize(("name", "data"), [
    # EUC-KR's Hangul sits where GB2312 has its common characters: as GB18030 it decodes
    # without an error into ordinary characters in random order
    ("korean-euc-kr", KOREAN.encode("euc_kr")),
    # EUC-JP decodes as GB18030 and as Big5, into kana and rare characters
    ("japanese-euc-jp", JAPANESE.encode("euc_jp")),
    ("japanese-shift-jis", JAPANESE.encode("shift_jis")),
    # GB18030 bytes read as Latin-1 and saved as UTF-8: valid UTF-8, and GB18030 reads it too
    ("double-encoded", "支持广西、云南建设沿边开放平台。".encode("gb18030").decode("latin-1")
     .encode("utf-8")),
    ("utf-8-japanese", JAPANESE.encode("utf-8")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_text_that_reads_as_chinese_in_no_encoding_is_refused(kg_command, tmp_path, name, data):
    (tmp_path / f"{name}.txt").write_bytes(data)
    result, _ = run_build(kg_command, tmp_path, f"{name}.txt", "--out", "out")
    assert_refused(result, f"{name}.txt: does not read as Chinese text in any encoding tried",
                   "utf-8:", "gb18030:", "big5hkscs:")
    assert not (tmp_path / "out").exists()


def test_encodings_tell_right_from_mojibake_on_short_texts():
    """Short texts are where a guess goes wrong: each reads in its own encoding only."""
    from kg.errors import EncodingRefused
    from kg.inputs.encoding import decode_chinese

    opencc = pytest.importorskip("opencc", reason="opencc (the dev extra) makes the text")
    simplified = "支持广西、云南建设沿边开放平台"
    traditional = opencc.OpenCC("s2tw").convert(simplified)
    for n in (2, 4, 8, len(simplified)):
        assert decode_chinese(simplified[:n].encode("gbk")).encoding == "gb18030"
        assert decode_chinese(traditional[:n].encode("big5")).encoding == "big5hkscs"
        assert decode_chinese(simplified[:n].encode("utf-8")).encoding == "utf-8"
    # Microsoft's Big5 has the euro sign, which Big5-HKSCS lacks
    with_euro = f"{traditional}（€）"
    assert decode_chinese(with_euro.encode("cp950")).text == with_euro
    assert decode_chinese(with_euro.encode("cp950")).encoding == "cp950"
    with pytest.raises(EncodingRefused, match="does not read as Chinese"):
        decode_chinese(KOREAN.encode("euc_kr"))
    # four bytes that are 常场 in GBK and 都部 in Big5: both read as Chinese, neither is guessed
    with pytest.raises(EncodingRefused, match="reads as Chinese in gb18030 and big5hkscs alike"):
        decode_chinese("常场".encode("gbk"))
    with pytest.raises(EncodingRefused, match="UTF-16 and UTF-32 need a byte order mark"):
        decode_chinese(simplified.encode("utf-16-le"))


@pytest.mark.slow
def test_utf16_with_a_bom_builds_and_a_symlink_to_it_is_read(kg_command, tmp_path):
    text = "\ufeff推动广东省发展，支持云南建设。\n"
    (tmp_path / "le.txt").write_bytes(text.encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes(text.encode("utf-16-be"))
    (tmp_path / "linked.txt").symlink_to(tmp_path / "le.txt")

    result = kg_in_process("build", "linked.txt", "be.txt", "--out", "out", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "linked.txt: decoded as utf-16-le" in result.stderr
    assert "be.txt: decoded as utf-16-be" in result.stderr
    rows = mention_rows(tmp_path / "out")
    # offsets count the BOM, as in a UTF-8 file with one: text[3:6] is 广东省
    by_doc = {doc: [(r["start"], r["end"], r["text"]) for r in rows if r["doc"] == doc]
              for doc in ("linked", "be")}
    assert by_doc["linked"] == by_doc["be"] == [(3, 6, "广东省"), (11, 13, "云南")]
    assert all(text[s:e] == t for s, e, t in by_doc["be"])


# --- files that are not regular files ------------------------------------------------------------

def test_fifo_device_and_socket_are_refused_at_once(kg_command, tmp_path):
    baseline = refusal_baseline(kg_command, tmp_path)
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would wait for a writer forever
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "socket.txt"))
        for name, kind in (("pipe.txt", "a FIFO"), ("/dev/null", "a character device"),
                           ("socket.txt", "a socket")):
            result, took = run_build(kg_command, tmp_path, name, "--out", "out", timeout=QUICK)
            assert_refused(result, f"{name}: {kind}", "only regular files are read")
            assert took < baseline + 1.0, (name, took, baseline)
    assert not (tmp_path / "out").exists()


# --- the output folder -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def large_text(tmp_path_factory) -> Path:
    """2 MB of the article without line breaks: extracting it takes far longer than a refusal."""
    text = one_line(ARTICLE.read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("large") / "large.txt"
    path.write_text(text * (2_000_000 // len(text.encode("utf-8")) + 1), encoding="utf-8")
    return path


def test_bad_out_is_refused_before_extraction(kg_command, tmp_path, large_text):
    baseline = refusal_baseline(kg_command, tmp_path)
    (tmp_path / "taken").write_text("a file, not a folder")
    cases = (("taken", "--out taken: a file is in the way"),
             ("taken/sub", f"--out taken/sub: cannot be created, {tmp_path / 'taken'} is a file"))
    for out, message in cases:
        result, took = run_build(kg_command, tmp_path, str(large_text), "--out", out,
                                 timeout=QUICK)
        assert_refused(result, message)
        assert took < baseline + 2.0, (out, took, baseline)
    assert (tmp_path / "taken").read_text() == "a file, not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_out_in_a_folder_without_write_permission_is_refused(kg_command, tmp_path, large_text):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result, _ = run_build(kg_command, tmp_path, str(large_text), "--out", "locked/out",
                          timeout=QUICK)
    assert_refused(result, f"--out locked/out: {locked} is not writable")


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.glob(".build-*"))


@pytest.mark.slow
def test_a_killed_build_leaves_nothing_after_the_next_build(kg_command, tmp_path):
    (tmp_path / "first.txt").write_text("推动广东省发展。\n", encoding="utf-8")
    (tmp_path / "second.txt").write_text("支持广西、云南建设沿边开放平台。\n", encoding="utf-8")
    out = tmp_path / "out"
    result, _ = run_build(kg_command, tmp_path, "first.txt", "--out", "out")
    assert result.returncode == 0, result.stderr
    before = {name: (out / name).read_bytes() for name in ("mentions.jsonl", "report.json")}
    store_before = store_nquads(out / "store")

    # killed while it writes its outputs into the staging folder
    build = subprocess.Popen([*kg_command, "build", "second.txt", "--out", "out"], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while build.poll() is None and not staging_folders(out):
            time.sleep(0.005)  # polls for the staging folder: the moment to kill
        build.send_signal(signal.SIGKILL)
    finally:
        build.wait(timeout=QUICK)
    assert build.returncode == -signal.SIGKILL, "the build ended before it was killed"
    assert staging_folders(out), "the killed build left no staging folder"
    assert {name: (out / name).read_bytes() for name in before} == before
    assert store_nquads(out / "store") == store_before

    result, _ = run_build(kg_command, tmp_path, "second.txt", "--out", "out")

    assert result.returncode == 0, result.stderr  # the dead build's lock is gone with it
    assert staging_folders(out) == []
    assert [r["text"] for r in mention_rows(out)] == ["广西", "云南"]


@pytest.mark.slow
def test_a_second_build_into_the_same_folder_is_refused(kg_command, tmp_path):
    (tmp_path / "a.txt").write_text("推动广东省发展。\n", encoding="utf-8")
    out = tmp_path / "out"
    lock = out / ".kg-build.lock"
    first = subprocess.Popen([*kg_command, "build", "a.txt", "--out", "out"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # the lock file names its holder once the lock is taken
        while first.poll() is None and not (lock.exists() and
                                            lock.read_text().strip() == str(first.pid)):
            time.sleep(0.005)
        assert first.poll() is None, "the first build ended without ever holding the lock"

        second, _ = run_build(kg_command, tmp_path, "a.txt", "--out", "out", timeout=QUICK)

        assert_refused(second, f"--out out: another kg build (process {first.pid}) is writing "
                               "into this folder")
        _, stderr = first.communicate(timeout=BUILD_TIMEOUT)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, stderr  # the refused build took nothing from the first one
    assert [r["text"] for r in mention_rows(out)] == ["广东省"]
    assert staging_folders(out) == []


# --- one-line texts and progress -----------------------------------------------------------------

def test_a_text_without_line_breaks_is_cut_at_sentence_ends_with_the_same_result(extractor):
    """A text without line breaks used to be one chunk, whatever its size."""
    from extract.pipeline import Extractor, chunks

    text = one_line(ARTICLE.read_text(encoding="utf-8"))
    pieces = list(chunks(text, 1000))
    assert len(pieces) >= len(text) // 1000
    # the last piece is the bibliography, which has no sentence end to cut at
    assert all(len(piece) <= 1000 for piece, _ in pieces[:-1])
    assert all(piece[-1] in "。！？!?”’」』)）\"" for piece, _ in pieces[:-1])
    assert "".join(piece for piece, _ in pieces) == text
    whole = Extractor(nlp=extractor.nlp, chunk_size=len(text)).extract("a", text)
    cut = Extractor(nlp=extractor.nlp, chunk_size=300).extract("a", text)
    assert cut.mentions == whole.mentions
    assert cut.sentences == whole.sentences


def run_on_a_terminal(command: list[str], cwd: Path) -> tuple[int, str]:
    """Runs `command` with stderr on a pseudo-terminal: (exit code, all it wrote there)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    written = bytearray()
    try:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the process closed the terminal
                break
            if not chunk:
                break
            written += chunk
    finally:
        os.close(leader)
        process.wait(timeout=BUILD_TIMEOUT)
    return process.returncode, written.decode("utf-8", "replace")


@pytest.mark.slow
def test_a_one_line_text_builds_with_progress_on_a_terminal(kg_command, tmp_path, extractor):
    text = one_line(ARTICLE.read_text(encoding="utf-8"))
    (tmp_path / "one-line.txt").write_text(text, encoding="utf-8")

    code, terminal = run_on_a_terminal(
        [*kg_command, "build", "one-line.txt", "--out", "out"], tmp_path)

    assert code == 0, terminal
    assert "kg build: extracting document 1 of 1, " in terminal
    assert f"of {len(text) / 1e6:.2f} M characters" in terminal
    assert "characters/s" in terminal
    assert "kg build: validating the graph against the shapes" in terminal
    assert terminal.endswith("\r\x1b[K")  # the status line is erased at the end
    expected = extractor.extract("one-line", text).mentions
    # linked to a reference entry (an open-world name has a minted IRI, and no ref)
    assert [(r["start"], r["end"], r["iri"] is not None and not r["open_world"])
            for r in mention_rows(tmp_path / "out")
            ] == [(m.start, m.end, m.ref is not None) for m in expected]


def test_progress_draws_each_new_step_at_once_and_a_running_one_at_most_twice_a_second():
    import io

    from kg.progress import INTERVAL, Progress

    now = [100.0]
    out = io.StringIO()
    progress = Progress(out, enabled=True, clock=lambda: now[0])
    progress.start(documents=2, characters=3_000_000)
    progress.document_started(1)
    for _ in range(10):  # ten chunks within one interval: no redraw
        now[0] += INTERVAL / 20
        progress.chars_done(100_000)
    now[0] += INTERVAL
    progress.chars_done(100_000)
    progress.step("relations", 1)
    progress.step("relations", 2)  # the same step within the interval: not drawn
    progress.step("validating the graph against the shapes")
    progress.close()
    assert out.getvalue().split("\r\x1b[K") == [
        "",
        "kg build: extracting document 1 of 2, 0.00 M of 3.00 M characters, 0.00 M characters/s",
        ("kg build: extracting document 1 of 2, 1.10 M of 3.00 M characters, 1.47 M characters/s, "
         "about 1 s left"),
        "kg build: relations (document 1 of 2)",
        "kg build: validating the graph against the shapes",
        ""]
    silent = io.StringIO()
    quiet = Progress(silent, enabled=False)
    quiet.start(1, 10)
    quiet.document_started(1)
    quiet.step("writing the outputs")
    quiet.close()
    assert silent.getvalue() == ""
