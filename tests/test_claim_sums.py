"""extract/claim_sums.py and extract/claim_restated.py: wholes against their parts and figures
stated twice, on made-up sentences (the article's figures: tests/test_claims_gold.py)."""

from __future__ import annotations

from decimal import Decimal

from extract.claim_check import check_claims
from extract.claim_restated import check_restated
from extract.claim_sums import find_sums
from extract.claims import claim_id, find_claims
from extract.records import Mention

NAMES = {"东部地区": "macro-region/east", "中部地区": "macro-region/central",
         "西部地区": "macro-region/west", "东北地区": "macro-region/northeast",
         "河南": "province/410000"}


def _mentions(text: str) -> list[Mention]:
    return sorted((Mention("t", i, i + len(n), n, "Place", ref, "test")
                   for n, ref in NAMES.items()
                   for i in range(len(text)) if text.startswith(n, i)),
                  key=lambda m: m.start)


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch == "。":
            out.append((start, i + 1))
            start = i + 1
    return out + ([(start, len(text))] if start < len(text) else [])


def sums(text: str) -> list[tuple[str, str, str, str, int]]:
    """(kind, stated whole, computed sum, verdict, number of parts) of every sum of `text`."""
    claims = find_claims(text, _mentions(text), _sentences(text))
    return [(c.kind, str(c.value), str(k.computed), k.verdict, len(c.parts))
            for c, k in find_sums(text, claims)]


def test_a_total_against_the_counts_it_is_split_into():
    text = ("全国12183家专精特新企业中，东部地区、中部地区、西部地区、东北地区分别为7877家、"
            "2369家、1315家、422家。")
    assert sums(text) == [("sum_of_parts", "12183", "11983", "does_not_hold", 4)]
    assert sums(text.replace("2369家", "2569家")) == [
        ("sum_of_parts", "12183", "12183", "holds", 4)]


def test_the_sum_claim_has_no_region_and_names_its_parts():
    text = ("66个国家级集群中，东部地区、中部地区、西部地区、东北地区数量分别为"
            "35个、18个、9个、4个。")
    claims = find_claims(text, _mentions(text), _sentences(text))
    [(total, check)] = find_sums(text, claims)
    assert (total.region, total.value, total.unit, check.against) == (
        None, Decimal(66), "个", "same_sentence")
    assert total.quote == text[:-1]  # from the whole's clause to the last part
    assert set(total.parts) == {claim_id(c) for c in claims if c.kind == "value"}


def test_parts_of_an_incomplete_set_of_regions_are_not_summed():
    text = "全国12183家企业中，东部地区、中部地区分别为7877家、2369家。"
    assert sums(text) == []


def test_shares_of_the_four_regions_sum_to_100_within_their_rounding():
    text = "东部地区、中部地区、西部地区、东北地区占比分别为64.7%、21.1%、10.8%、3.5%。"
    # four one-decimal shares may miss 100 by 4 × 0.05
    assert sums(text) == [("shares_sum", "100", "100.1", "holds", 4)]
    assert sums(text.replace("3.5%", "3.7%"))[0][2:4] == ("100.3", "holds_within_rounding")
    assert sums(text.replace("3.5%", "4.5%"))[0][2:4] == ("101.1", "does_not_hold")


def test_two_sets_of_shares_in_one_sentence_are_summed_apart():
    text = ("2024年，东部地区占比高达51.8%，中部地区、西部地区、东北地区占比分别为22.5%、20.7%、"
            "5.0%；东部地区、中部地区、西部地区、东北地区占比分别为64.7%、21.1%、10.8%、3.5%。")
    assert [(s[2], s[3]) for s in sums(text)] == [("100.0", "holds"), ("100.1", "holds")]


def test_shares_with_a_negative_one_are_not_shares_of_a_whole():
    text = "东部地区、中部地区、西部地区、东北地区人才净流入占比分别为13.5%、-6.7%、-4.1%、-2.6%。"
    assert sums(text) == []


def restated(text: str) -> list[tuple[str, str, str | None, bool]]:
    """(stated, verdict, against, names the earlier claim) of every claim of `text`."""
    claims = find_claims(text, _mentions(text), _sentences(text))
    checks = check_restated(claims, check_claims(claims, []), _sentences(text))
    return [(str(c.value), k.verdict, k.against, k.compared_with is not None)
            for c, k in zip(claims, checks, strict=True)]


def test_a_figure_restated_in_a_later_sentence_is_checked_against_the_first():
    text = ("2020—2023年，河南常住人口减少126万人。其他省份也有变化。"
            "2020—2023年，河南常住人口减少128万人。")
    assert restated(text) == [("-126", "unchecked", None, False),
                              ("-128", "does_not_hold", "other_sentence", True)]
    assert restated(text.replace("128万", "126万"))[1][:3] == ("-126", "holds", "other_sentence")


def test_a_restatement_beyond_the_window_is_not_matched():
    filler = "其他省份也有变化。" * 6
    text = f"2020—2023年，河南常住人口减少126万人。{filler}2020—2023年，河南常住人口减少128万人。"
    assert [v for _, v, _, _ in restated(text)] == ["unchecked", "unchecked"]


def test_without_indicator_words_only_the_same_sentence_restates():
    same = "2023年，东部地区仍占全国比重70.8%，但2020—2023年，东部地区仍占全国比重70.8%。"
    assert [v for _, v, _, _ in restated(same)] == ["unchecked", "holds"]
    apart = "2023年，东部地区占比55.1%。2023年，东部地区占比73%。"
    assert [v for _, v, _, _ in restated(apart)] == ["unchecked", "unchecked"]
