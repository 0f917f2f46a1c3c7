"""extract/claim_text.py: shares checked against the whole and the parts their own sentence
states, on made-up sentences (the article's figures: tests/test_claims_gold.py)."""

from __future__ import annotations

from decimal import Decimal

from extract.claim_check import check_claims
from extract.claim_text import check_in_text
from extract.claims import find_claims
from extract.records import Mention

NAMES = {"东部地区": "macro-region/east", "中部地区": "macro-region/central",
         "西部地区": "macro-region/west", "东北地区": "macro-region/northeast",
         "北京": "province/110000", "上海": "province/310000"}


def checked(text: str) -> list[tuple[str, str, Decimal | None, str | None]]:
    """(stated value, verdict, computed, against) of every share claim of `text`."""
    mentions = sorted((Mention("t", i, i + len(n), n, "Place", ref, "test")
                       for n, ref in NAMES.items()
                       for i in range(len(text)) if text.startswith(n, i)),
                      key=lambda m: m.start)
    claims = find_claims(text, mentions, [(0, len(text))])
    checks = check_claims(claims, [])
    checks = check_in_text(text, claims, checks, [(m.start, m.ref) for m in mentions])
    return [(str(c.value), k.verdict, k.computed, k.against)
            for c, k in zip(claims, checks, strict=True) if c.kind == "share"]


def test_a_list_of_shares_against_the_list_of_counts_and_the_whole():
    text = ("全国12183家专精特新企业中，东部地区、中部地区、西部地区、东北地区分别为7877家、"
            "2369家、1315家、422家，占比分别为64.7%、21.1%、10.8%、3.5%。")
    assert checked(text) == [
        ("64.7", "holds", Decimal("64.656"), "same_sentence"),
        ("21.1", "does_not_hold", Decimal("19.445"), "same_sentence"),
        ("10.8", "holds", Decimal("10.794"), "same_sentence"),
        ("3.5", "holds", Decimal("3.464"), "same_sentence")]


def test_a_share_against_the_count_before_it_across_semicolons():
    text = ("全国371家独角兽企业中，北京独角兽共66家，数量占比17.8%；"
            "上海独角兽共57家，数量占比19.9%。")
    assert [(v, verdict) for v, verdict, _, _ in checked(text)] == [
        ("17.8", "holds"), ("19.9", "does_not_hold")]


def test_a_regions_share_against_its_count_in_the_list():
    text = ("66个国家级战略性新兴产业集群中，东部地区、中部地区、西部地区、东北地区数量分别为"
            "35个、18个、9个、4个，东部地区占比达53%。")
    assert checked(text) == [("53", "holds", Decimal("53.03"), "same_sentence")]


def test_shares_of_a_whole_without_counts_must_be_whole_numbers_of_it():
    text = ("全国海关特殊监管区域共172个，其中东部地区、中部地区、西部地区、东北地区分别占"
            "55.2%、15.7%、23.8%和5.3%。")
    verdicts = [(v, verdict) for v, verdict, _, _ in checked(text)]
    # 95, 27, 41 of 172 give 55.23, 15.70, 23.84; 5.3% is no whole number of 172 (9 is 5.23)
    assert verdicts == [("55.2", "holds"), ("15.7", "holds"), ("23.8", "holds"),
                        ("5.3", "holds_within_rounding")]
    assert checked(text.replace("5.3%", "5.6%"))[-1][1] == "does_not_hold"


def test_without_a_whole_in_the_sentence_a_share_stays_unchecked():
    text = "北京独角兽共66家，数量占比23%。东部地区、中部地区占比分别为64.7%、21.1%。"
    assert {verdict for _, verdict, _, _ in checked(text)} == {"unchecked"}
    assert {against for _, _, _, against in checked(text)} == {None}


def by_year(text: str) -> list[tuple[str, str, str | None]]:
    """(stated, verdict, against) of every share of `text` after check_by_year."""
    from extract.claim_text import check_by_year

    mentions = sorted((Mention("t", i, i + len(n), n, "Place", ref, "test")
                       for n, ref in NAMES.items()
                       for i in range(len(text)) if text.startswith(n, i)),
                      key=lambda m: m.start)
    sentences = [(0, text.index("。") + 1), (text.index("。") + 1, len(text))]
    claims = find_claims(text, mentions, sentences)
    checks = check_by_year(text, claims, check_claims(claims, []))
    return [(str(c.value), k.verdict, k.against)
            for c, k in zip(claims, checks, strict=True) if c.kind == "share"]


def test_shares_of_a_year_against_the_count_the_sentence_before_states_for_that_year():
    text = ("2020—2023年，试验区数量从103个增加至165个。东部地区、中部地区、西部地区、东北地区"
            "占比分别从2020年的57.3%、22.3%、13.6%、6.85%变化为2023年的37.6%、24.2%、23.0%、"
            "15.2%。")
    # 59, 23, 14 of 103 and 62, 40, 38, 25 of 165; no whole number of 103 is 6.85 % (7: 6.80)
    assert by_year(text) == [("57.3", "holds", "other_sentence"),
                             ("22.3", "holds", "other_sentence"),
                             ("13.6", "holds", "other_sentence"),
                             ("6.85", "does_not_hold", "other_sentence"),
                             ("37.6", "holds", "other_sentence"),
                             ("24.2", "holds", "other_sentence"),
                             ("23.0", "holds", "other_sentence"),
                             ("15.2", "holds", "other_sentence")]


def test_a_share_of_a_year_no_count_states_stays_unchecked():
    text = ("2018—2019年，试验区数量从50个增加至60个。2023年，东部地区、中部地区占比分别为"
            "57.3%、22.3%。")
    assert {verdict for _, verdict, _ in by_year(text)} == {"unchecked"}
