"""信息处理费 (国办函〔2020〕109号 第四条, 第五条): tier boundaries computed by hand."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.fees import (
    FeeMethod,
    application_fee,
    fee_by_count,
    fee_by_pages,
    fee_per_application,
)


@pytest.mark.parametrize(
    ("pages", "yuan"),
    [
        (0, 0),
        (1, 0),
        (30, 0),
        (31, 10),  # 1 page × 10
        (100, 700),  # 70 × 10
        (101, 720),  # 700 + 1 × 20
        (200, 2700),  # 700 + 100 × 20
        (201, 2740),  # 2700 + 1 × 40
        (250, 4700),  # 70 × 10 + 100 × 20 + 50 × 40 (spec §5 example)
    ],
)
def test_fee_by_pages(pages: int, yuan: int) -> None:
    assert fee_by_pages(pages) == yuan


@pytest.mark.parametrize(
    ("index", "yuan"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_fee_per_application_by_place_in_the_month(index: int, yuan: int) -> None:
    assert fee_per_application(index) == yuan


@pytest.mark.parametrize(
    ("count", "yuan"),
    [
        (0, 0),
        (10, 0),
        (11, 100),
        (30, 2000),  # 20 × 100
        (31, 2200),  # 2000 + 200
        (40, 4000),  # 2000 + 10 × 200
        (45, 5500),  # 4000 + 5 × 300
    ],
)
def test_fee_by_count_totals_the_month(count: int, yuan: int) -> None:
    assert fee_by_count(count) == yuan


def test_one_method_per_application() -> None:
    assert application_fee(FeeMethod.BY_PAGES, pages=250) == 4700
    assert application_fee(FeeMethod.BY_COUNT, month_index=31) == 200
    with pytest.raises(ValueError, match="只适用一种计收方式"):
        application_fee(FeeMethod.BY_COUNT, month_index=31, pages=250)
    with pytest.raises(ValueError, match="只适用一种计收方式"):
        application_fee(FeeMethod.BY_PAGES, month_index=31, pages=250)


@pytest.mark.parametrize("call", [lambda: fee_by_pages(-1), lambda: fee_per_application(0)])
def test_impossible_quantities_are_rejected(call: Callable[[], int]) -> None:
    with pytest.raises(ValueError):
        call()


@given(st.integers(min_value=0, max_value=5000))
def test_amounts_are_whole_yuan_and_never_decrease(pages: int) -> None:
    assert isinstance(fee_by_pages(pages), int)
    assert fee_by_pages(pages + 1) >= fee_by_pages(pages)
