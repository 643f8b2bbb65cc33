import datetime as dt

import pytest

from gongkai.domain.fees import fee_by_pages, fee_per_application
from gongkai.domain.plausibility import (
    MAX_FEE_YUAN,
    REGULATIONS_IN_FORCE,
    fee_problem,
    has_visible_text,
    old_receipt_warning,
    receipt_date_problem,
    trim,
)

TODAY = dt.date(2025, 3, 20)


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1990, 1, 1), dt.date(2008, 4, 30)])
def test_a_receipt_before_the_regulations_took_effect_is_refused(day: dt.date) -> None:
    message = receipt_date_problem(day, TODAY)
    assert message is not None and "2008年5月1日" in message


def test_the_first_day_of_the_regulations_and_today_are_plausible() -> None:
    assert receipt_date_problem(REGULATIONS_IN_FORCE, TODAY) is None
    assert receipt_date_problem(TODAY, TODAY) is None


def test_a_receipt_in_the_future_is_refused() -> None:
    assert receipt_date_problem(TODAY + dt.timedelta(days=1), TODAY) == "收到申请日期不能晚于今天"


def test_an_old_receipt_is_warned_about_past_the_limit_only() -> None:
    assert old_receipt_warning(TODAY - dt.timedelta(days=60), TODAY, 60) is None
    warning = old_receipt_warning(TODAY - dt.timedelta(days=61), TODAY, 60)
    assert warning is not None and "61天" in warning and "超过60天" in warning


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u3000",  # ideographic space
        "\u200b\u200c\u200d\u2060\ufeff",  # zero-width space, joiners, word joiner, BOM
        "\u202e\u200f",  # direction marks
        "\x00\x07\n\t",
        "\u0301\u0308",  # combining marks with no base
        "\u2028\u2029",  # line and paragraph separators
    ],
)
def test_invisible_names_are_not_names(text: str) -> None:
    assert not has_visible_text(text)


@pytest.mark.parametrize("text", ["张三", "e\u0301", "\ue000", "\U00031350", "X"])
def test_visible_names_are(text: str) -> None:
    # A private-use character (older systems' rare name characters) and CJK Extension H, which
    # this Python's Unicode database may not know, count as visible.
    assert has_visible_text(text)


def test_trim_removes_invisible_edges_but_keeps_combining_marks() -> None:
    assert trim("\u200b 张三\u3000\ufeff") == "张三"
    assert trim("Jose\u0301 ") == "Jose\u0301"
    assert trim("\u200b") == ""


def test_fees_are_bounded() -> None:
    assert fee_problem(1) is None
    assert fee_problem(MAX_FEE_YUAN) is None
    assert fee_problem(0) is not None
    message = fee_problem(10**30)
    assert message is not None and "国办函〔2020〕109号" in message


def test_the_bound_is_beyond_any_real_fee() -> None:
    # 25,000 pages in one application, or the 100,000th application of a month, still fit.
    assert fee_by_pages(25_000) < MAX_FEE_YUAN
    assert fee_per_application(99_000) < MAX_FEE_YUAN
