from hypothesis import given
from hypothesis import strategies as st

from extract.normalize import normalise, translate_chars
from extract.sentences import split_sentences

PIECES = [*"区域协调发展东部地区一—－ＡＢ１（）\n 。,\t", "\n\n",
          "推动区域协调发展是实现共同富裕的内在要求"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@given(TEXT)
def test_every_normalised_character_maps_back_to_its_original(text):
    n = normalise(text)
    assert len(n.text) <= len(text)
    previous = -1
    for i, ch in enumerate(n.text):
        o = n.offsets.to_original(i)
        assert translate_chars(text[o]) == ch
        assert o > previous  # order is kept
        previous = o


@given(TEXT)
def test_spans_map_to_original_spans_that_read_the_same_without_whitespace(text):
    n = normalise(text)
    for start in range(0, len(n.text), 3):
        end = min(len(n.text), start + 4)
        o_start, o_end = n.offsets.span_to_original(start, end)
        original = "".join(translate_chars(text[o_start:o_end]).split())
        assert original == "".join(n.text[start:end].split())


def test_pdf_whitespace_inside_a_sentence_is_removed_but_headings_stay_apart():
    prose = ("推动区域协调发展是实现共同富裕的内在要求"
             "也是推进中国式现代化的重要内容和关键支撑还是开放")
    text = f"一、引言\n\n{prose}\n\n格局深刻演进,协调发 展"
    n = normalise(text)
    assert n.text == f"一、引言\n\n{prose}格局深刻演进,协调发展"


def test_full_width_forms_and_dashes_are_unified_one_for_one():
    n = normalise("中国（上海）ＧＤＰ2020－2023")
    assert n.text == "中国(上海)GDP2020—2023"
    assert n.offsets.to_original(len(n.text) - 1) == len(n.text) - 1


def test_sentences_end_at_chinese_punctuation_and_line_breaks():
    text = "东部地区增长。西部地区呢？\n表1 标题\n最后一句"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "东部地区增长。", "西部地区呢？", "表1 标题", "最后一句"]
