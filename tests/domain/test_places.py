"""Finding places in words (gongkai/domain/report/places.py): expected texts written from the
template's labels (国办公开办函〔2021〕30号), not from the code."""

from __future__ import annotations

import pytest

from gongkai.domain.report.places import describe_where
from gongkai.domain.report.schema import FormatVersion, layout

LAY = layout(FormatVersion.V2021)


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("t3.r_open.natural", "表三“（一）予以公开”行“自然人”列"),
        ("t2.licensing.decisions", "表二“行政许可”行“本年处理决定数量”列"),
        ("t2.licensing", "表二“行政许可”行"),
        ("t4.review.total", "表四“行政复议”“总计”"),
        ("s1", "第一部分“总体情况”"),
        ("s5", "第五部分“存在的主要问题及改进情况”"),
        ("s1.proactive", "第一部分“总体情况”“主动公开”"),
        ("publication", "发布时间"),
        ("title", "标题"),
        ("t3", "表三"),
    ],
)
def test_a_place_is_described_as_the_template_names_it(where: str, words: str) -> None:
    assert describe_where(LAY, where) == words


def test_an_unknown_key_is_shown_as_it_is() -> None:
    assert describe_where(LAY, "x9.something") == "x9.something"
