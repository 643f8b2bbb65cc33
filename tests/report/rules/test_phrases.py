"""What the narrative patterns read from a sentence — and what they leave alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.domain.report.rules.phrases import (
    appeal_claims,
    appeals_denied,
    carry_claims,
    fee_amount,
    percent_claims,
    promises_six_parts,
    received_claims,
    says_no_applications,
    section2_claims,
)
from gongkai.domain.report.rules.text import sentences


def one(text: str) -> str:
    [sentence] = sentences(text)
    return sentence.text


@pytest.mark.parametrize(
    ("text", "value", "includes_carry"),
    [
        ("全年共收到政府信息公开申请36件。", 36, False),
        ("本年度新收政府信息公开申请数量为12件。", 12, False),
        ("共收到依申请公开申请8件。", 8, False),
        ("共收到36件政府信息公开申请。", 36, False),
        ("共受理政府信息公开申请38件（含上年结转2件）。", 38, True),
        ("收到申请38件，其中上年结转2件。", 38, True),
    ],
)
def test_it_reads_the_number_of_applications(text: str, value: int, includes_carry: bool) -> None:
    [claim] = received_claims(one(text))
    assert (claim.value, claim.includes_carry) == (value, includes_carry)


@pytest.mark.parametrize(
    "text",
    [
        "其中收到自然人申请33件。",
        "收到网上申请20件。",
        "收到行政复议申请1件。",
        "全年共发布文字、图片、视频等多样化解读15篇。",
        "配备2名工作人员负责政务公开工作。",
        "一、本年新收政府信息公开申请数量",
    ],
)
def test_it_leaves_subsets_and_other_numbers_alone(text: str) -> None:
    assert received_claims(one(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "本年度未收到政府信息公开申请。",
        "全年没有收到公民、法人或其他组织提出的政府信息公开申请。",
        "依申请公开为0件。",
    ],
)
def test_it_reads_that_no_application_came_in(text: str) -> None:
    assert says_no_applications(one(text))


@pytest.mark.parametrize(
    "text", ["未收到申请人补正材料。", "尚未收到该申请的答复。", "收到申请36件。"]
)
def test_no_application_needs_a_clear_sentence(text: str) -> None:
    assert says_no_applications(one(text)) is None


def test_it_reads_carry_overs() -> None:
    claims = carry_claims(one("上年结转政府信息公开申请2件，结转下年度继续办理3件。"))
    assert [(c.kind, c.value) for c in claims] == [("carry_in", 2), ("carry_out", 3)]
    [claim] = carry_claims(one("另有1件结转至下一年度办理。"))
    assert (claim.kind, claim.value) == ("carry_out", 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("因政府信息公开被申请行政复议1件，被提起行政诉讼2件。", [("review", 1), ("suit", 2)]),
        ("发生政府信息公开行政复议案件共3起。", [("review", 3)]),
        ("行政复议和行政诉讼各1件。", []),
        ("行政复议结果维持1件。", []),
    ],
)
def test_it_reads_appeal_counts(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(c.kind, c.value) for c in appeal_claims(one(text))] == expected


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。", {"review", "suit"}),
        ("全年没有发生政府信息公开行政复议案件,行政诉讼1件。", {"review"}),
        ("政府信息公开行政复议、行政诉讼均为0件。", {"review", "suit"}),
        ("未发生行政复议被纠错的情况。", set()),
        ("尚未审结的行政复议1件。", set()),
        ("未经复议直接起诉的行政诉讼1件。", set()),
    ],
)
def test_it_reads_denied_appeals(text: str, kinds: set[str]) -> None:
    assert set(appeals_denied(one(text))) == kinds


def test_it_reads_section_2_counts() -> None:
    found = section2_claims(
        one("全年制发行政规范性文件10件，废止规范性文件2件，现行有效规范性文件27件。")
    )
    assert [(row, role, c.value) for row, role, c in found] == [
        ("normative_documents", "issued", 10),
        ("normative_documents", "abolished", 2),
        ("normative_documents", "in_force", 27),
    ]
    found = section2_claims(one("作出行政处罚决定5件，办理行政许可12件。"))
    assert {(row, c.value) for row, _, c in found} == {("penalty", 5), ("licensing", 12)}
    assert section2_claims(one("清理规范性文件30件，主动公开政府信息68条。")) == []


def test_it_reads_fee_amounts() -> None:
    assert fee_amount(one("全年收取信息处理费200元。")) == (
        Decimal(200),
        "元",
        "收取信息处理费200元",
    )
    assert fee_amount(one("未收取任何信息处理费。")) is None


@pytest.mark.parametrize(
    ("text", "promised"),
    [
        (
            "主要从总体情况,主动公开政府信息情况,收到和处理政府信息公开申请情况,政府信息公开行政复议、"
            "行政诉讼情况,存在的主要问题及改进情况及其他需要报告的事项等六个方面汇报。",
            True,
        ),
        (
            "本年报由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况以及其他需要报告的事项组成。",
            True,
        ),
        ("本报告共分六个部分。", True),
        ("从六个方面推进政务公开标准化规范化。", False),
    ],
)
def test_it_reads_a_promise_of_six_parts(text: str, promised: bool) -> None:
    assert promises_six_parts(one(text)) is promised


def test_it_reads_percentages_with_their_keyword() -> None:
    [claim] = percent_claims(one("予以公开22件，占61.1%。"))
    assert (claim.keyword, claim.count, claim.percent) == ("予以公开", 22, Decimal("61.1"))
    [claim] = percent_claims(one("自然人申请33件,占申请总数的91.7%。"))
    assert claim.keyword == "自然人"


def test_joined_keywords_give_no_percentage() -> None:
    assert percent_claims(one("予以公开和部分公开35件，占97.2%。")) == []
