"""jieba's dictionary read whole (extract/components/jieba_start.py): the same dictionary as
jieba's own `marshal.load`, in the same order (docs/scale.md, "The runner's start")."""

from __future__ import annotations

import marshal

import jieba

from extract.components import jieba_start


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
