"""jieba's dictionaries loaded for less CPU (extract/jieba_start.py): the prefix dictionary read
whole, the same as jieba's own `marshal.load` gives, in the same order; the word-tag table read
from its file, the same as jieba parses (docs/scale.md, "The runner's start")."""

from __future__ import annotations

import marshal
import subprocess
import sys
import textwrap
from pathlib import Path

import jieba

from extract import jieba_start


def test_the_whole_file_reader_gives_what_marshal_load_gives(tmp_path):
    value = ({"经济": 5, "经": 0, "x": 1}, 6)
    path = tmp_path / "cache"
    with path.open("wb") as f:
        jieba_start.WholeFileMarshal.dump(value, f)
    with path.open("rb") as f:
        expected = marshal.load(f)
    with path.open("rb") as f:
        assert jieba_start.WholeFileMarshal.load(f) == expected == value


def test_a_tokenizer_loaded_so_has_jiebas_own_dictionary(monkeypatch):
    monkeypatch.setattr(jieba, "marshal", marshal)  # jieba's own reading, put back after
    own = jieba.Tokenizer()
    own.initialize()
    ours = jieba.Tokenizer()
    jieba_start.initialize(ours)
    assert jieba.marshal is jieba_start.WholeFileMarshal
    assert ours.total == own.total > 0
    assert list(ours.FREQ.items()) == list(own.FREQ.items())
    assert ours.lcut("广西壮族自治区首府南宁市") == own.lcut("广西壮族自治区首府南宁市")


# In a fresh interpreter (this one has jieba.posseg imported): the table as jieba's import
# parses it, then as `import_posseg` gives it with no tags file (it writes one) and with one.
TAGS_SCRIPT = textwrap.dedent("""
    import marshal, sys
    from pathlib import Path
    folder, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "jieba":
        import jieba.posseg
    else:
        from extract.jieba_start import import_posseg
        import_posseg(folder)
        import jieba.posseg
    table = jieba.posseg.dt.word_tag_tab
    (folder / f"table-{mode}").write_bytes(marshal.dumps(list(table.items())))
    print(len(table), [w.flag for w in jieba.posseg.dt.cut("广西壮族自治区首府南宁市")])
""")
ROOT = Path(__file__).resolve().parents[1]


def _tags_run(folder: Path, mode: str) -> str:
    return subprocess.run([sys.executable, "-c", TAGS_SCRIPT, str(folder), mode], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout


def test_the_word_tag_table_read_from_its_file_is_the_one_jieba_parses(tmp_path):
    jiebas = _tags_run(tmp_path, "jieba")
    assert not list(tmp_path.glob("policy-kg-jieba-tags.*"))
    assert _tags_run(tmp_path, "written") == jiebas  # parsed by jieba, then written
    written = list(tmp_path.glob("policy-kg-jieba-tags.*.marshal"))
    assert len(written) == 1 and not list(tmp_path.glob(".*.tmp"))
    assert _tags_run(tmp_path, "read") == jiebas  # read from the file
    tables = {mode: (tmp_path / f"table-{mode}").read_bytes() for mode in ("jieba", "read")}
    assert tables["read"] == tables["jieba"]  # every word, tag and their order
    assert int(jiebas.split()[0]) > 300_000


def test_a_damaged_tags_file_is_not_read(tmp_path):
    path = tmp_path / "tags.marshal"
    path.write_bytes(b"not marshal")
    assert jieba_start.read_tags(path) is None
    assert jieba_start.read_tags(tmp_path / "absent") is None
    jieba_start.write_tags(path, {"经济": "n"})
    assert jieba_start.read_tags(path) == {"经济": "n"}
