"""信息处理费 under 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号, spec §5).

Two methods, both 超额累进 (excess-progressive), and one per application (第三条):

- 按件计收 (第四条): by the applicant's cumulative number of applications in one natural month;
- 按量计收 (第五条): by the pages of one application.

Amounts are whole yuan (`int`): every rate in the tables is a whole number of yuan.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SOURCE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


class FeeMethod(StrEnum):
    """第三条: the agency picks one method per application, never both."""

    BY_COUNT = "by_count"  # 按件计收, 第四条
    BY_PAGES = "by_pages"  # 按量计收, 第五条

    @property
    def label(self) -> str:
        return "按件计收" if self is FeeMethod.BY_COUNT else "按量计收"


@dataclass(frozen=True)
class Band:
    """Units `first`…`last` (inclusive; `last is None`: no upper bound) cost `rate` yuan each."""

    first: int
    last: int | None
    rate: int


# 第四条 (按件计收), per application by its place in the applicant's month: 1–10 free, 11–30
# 100 元/件, then bands of 10 each adding 100 元/件 (31–40 → 200, 41–50 → 300, …; spec §5 [D]).
COUNT_BANDS: tuple[Band, ...] = (Band(1, 10, 0), Band(11, 30, 100))
COUNT_OPEN_FROM = 31
COUNT_OPEN_BAND_SIZE = 10
COUNT_OPEN_BAND_STEP = 100

# 第五条 (按量计收), per application: each page is charged at the rate of its own band.
PAGE_BANDS: tuple[Band, ...] = (
    Band(1, 30, 0),
    Band(31, 100, 10),
    Band(101, 200, 20),
    Band(201, None, 40),
)


def fee_per_application(month_index: int) -> int:
    """Fee in yuan for the applicant's `month_index`-th application of the natural month
    (1-based, cumulative; 国办函〔2020〕109号第四条)."""
    if month_index < 1:
        raise ValueError("month_index starts at 1")
    if month_index >= COUNT_OPEN_FROM:
        bands_above = (month_index - COUNT_OPEN_FROM) // COUNT_OPEN_BAND_SIZE + 1
        return COUNT_BANDS[-1].rate + bands_above * COUNT_OPEN_BAND_STEP
    return next(b.rate for b in COUNT_BANDS if b.last is None or month_index <= b.last)


def fee_by_count(applications_in_month: int) -> int:
    """Total yuan for `applications_in_month` applications by one applicant in one natural month,
    all charged 按件 (第四条)."""
    if applications_in_month < 0:
        raise ValueError("applications_in_month must be >= 0")
    return sum(fee_per_application(i) for i in range(1, applications_in_month + 1))


def fee_by_pages(pages: int) -> int:
    """Yuan for one application of `pages` pages (第五条): 250 pages → 70×10 + 100×20 + 50×40 =
    4,700 元."""
    if pages < 0:
        raise ValueError("pages must be >= 0")
    total = 0
    for band in PAGE_BANDS:
        top = pages if band.last is None else min(pages, band.last)
        if top >= band.first:
            total += (top - band.first + 1) * band.rate
    return total


def application_fee(method: FeeMethod, *, month_index: int = 0, pages: int = 0) -> int:
    """Fee for one application by the single method chosen for it (第三条): `month_index` is
    used for 按件计收, `pages` for 按量计收, and giving the other is an error."""
    if method is FeeMethod.BY_COUNT:
        if pages:
            raise ValueError("按件计收不按页数计费（第三条：每件申请只适用一种计收方式）")
        return fee_per_application(month_index)
    if month_index:
        raise ValueError("按量计收不按件数计费（第三条：每件申请只适用一种计收方式）")
    return fee_by_pages(pages)
