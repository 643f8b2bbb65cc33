"""What a check needs to know that the report itself cannot tell: who the agency is, and thresholds.

The agency's kind matters for a few rules: X-06 applies to 各级人民政府 only (spec.md §1.3, §3.5),
T2-03 to agencies that cannot make 规章 (立法法: only State Council departments and provincial or
districted-city governments can). When the caller does not know, both are guessed from the
agency's name; the guesses are deliberately simple and documented in docs/decisions.md.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from gongkai.domain.report.model import AnnualReport


class AgencyLevel(enum.StrEnum):
    """What kind of organ publishes the report (条例第四条、第四十九条)."""

    DEPARTMENT = "department"  # 县级以上人民政府部门, including a government's general office
    GOVERNMENT = "government"  # 县级以上地方人民政府 (本级政府 report)
    TOWNSHIP = "township"  # 乡、镇人民政府 and 街道办事处
    UNKNOWN = "unknown"


class AdminTier(enum.StrEnum):
    """The administrative tier of the agency's area, which decides who may make 规章 (立法法)."""

    PROVINCIAL = "provincial"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckContext:
    """Facts and thresholds passed into the rules; the defaults are spec.md §3's examples."""

    agency_level: AgencyLevel = AgencyLevel.UNKNOWN  # UNKNOWN: guessed from report.agency
    admin_tier: AdminTier = AdminTier.UNKNOWN  # UNKNOWN: guessed from report.agency
    # T2-04: a 本年收费金额 (万元) this large was almost certainly typed in 元.
    fee_yuan_threshold: Decimal = Decimal(10000)
    # character n-gram Jaccard similarity at or above which texts count as copied.
    similarity_threshold: float = 0.9
    shingle_size: int = 5
    # texts shorter than this (after normalisation) are boilerplate such as "无。".
    min_compared_chars: int = 30


DEFAULT_CONTEXT = CheckContext()

# A remark in brackets after the name ("某镇人民政府（镇名未出现在摘录中）") is not part of it.
_REMARK = re.compile(r"[（(][^（）()]*[）)]")
_TOWNSHIP_NAME = re.compile(r"(镇|乡|苏木)(人民)?政府|街道办事处|街道办$|街道$")
_GOVERNMENT_NAME = re.compile(r"(人民)?政府$")
# Words that end an organ's name: a department, office or committee.
_ORGAN_WORDS = re.compile(r"办公室|办公厅|委员会|管委会|局|厅|署|办|委|中心|部门|处|院|所|站|队")
# Words that contain a place suffix without naming a place (住房和城乡建设局, 市场监督管理局 …).
_NOT_PLACES = re.compile(r"城乡|乡村|乡镇|市场|城市|市政|市容|社区|园区|景区|区域|县域")
_PLACE_SUFFIX = re.compile(
    r"特别行政区|自治区|自治州|自治县|自治旗|地区|街道|苏木|省|市|州|盟|县|区|旗|镇|乡"
)
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_TIER_OF_SUFFIX = {
    "特别行政区": AdminTier.PROVINCIAL,
    "自治区": AdminTier.PROVINCIAL,
    "省": AdminTier.PROVINCIAL,
    "自治州": AdminTier.CITY,
    "地区": AdminTier.CITY,
    "州": AdminTier.CITY,
    "盟": AdminTier.CITY,
    # A 县级市 cannot be told from a 地级市 by its name; reading every 市 as city level errs on the
    # side of no T2-03 warning.
    "市": AdminTier.CITY,
    "自治县": AdminTier.COUNTY,
    "自治旗": AdminTier.COUNTY,
    "县": AdminTier.COUNTY,
    "区": AdminTier.COUNTY,
    "旗": AdminTier.COUNTY,
    "街道": AdminTier.TOWNSHIP,
    "苏木": AdminTier.TOWNSHIP,
    "镇": AdminTier.TOWNSHIP,
    "乡": AdminTier.TOWNSHIP,
}


def _clean_name(agency: str) -> str:
    name = normalize_spaces(agency).replace("(", "（").replace(")", "）")
    return _REMARK.sub("", name)


def guess_agency_level(agency: str | None) -> AgencyLevel:
    """Guess the kind of organ from its name.

    镇/乡/苏木 + (人民)政府 and 街道(办事处) → TOWNSHIP; a name ending in (人民)政府 → GOVERNMENT
    (so 宛城区人民政府办公室 and 某市人民政府国有资产监督管理委员会 are departments); any other
    name with an organ word (局、办公室、委员会 …) → DEPARTMENT; otherwise UNKNOWN.
    """
    if not agency:
        return AgencyLevel.UNKNOWN
    name = _clean_name(agency)
    if _TOWNSHIP_NAME.search(name):
        return AgencyLevel.TOWNSHIP
    if _GOVERNMENT_NAME.search(name):
        return AgencyLevel.GOVERNMENT
    if _ORGAN_WORDS.search(name):
        return AgencyLevel.DEPARTMENT
    return AgencyLevel.UNKNOWN


def _place_part(name: str) -> str:
    """The place names before the organ: 南阳市宛城区 of 南阳市宛城区住房和城乡建设局."""
    name = _NOT_PLACES.sub("", name)
    government = name.find("政府")
    if government >= 0:
        return name[:government].removesuffix("人民")
    organ = _ORGAN_WORDS.search(name)
    return name[: organ.start()] if organ else name


def guess_admin_tier(agency: str | None) -> AdminTier:
    """Guess the administrative tier from the lowest place unit in the agency's name.

    The last place suffix before the organ decides: 省/自治区 → provincial, 市/州/盟/地区 →
    city (北京、上海、天津、重庆 → provincial), 县/区/旗 → county, 镇/乡/街道 → township.
    Examples: 宛城区人民政府办公室 → county; 南阳市人民政府 → city;
    西咸新区太平镇人民政府 → township.
    """
    if not agency:
        return AdminTier.UNKNOWN
    place = _place_part(_clean_name(agency))
    suffixes = list(_PLACE_SUFFIX.finditer(place))
    if not suffixes:
        return AdminTier.UNKNOWN
    last = suffixes[-1]
    if last.group() == "市" and place[: last.end()] in _MUNICIPALITIES:
        return AdminTier.PROVINCIAL
    return _TIER_OF_SUFFIX[last.group()]


# The title names the agency before the year: 宛城区人民政府办公室2024年政府信息公开工作年度报告.
_TITLE_AGENCY = re.compile(r"^(?P<agency>.+?)(?:关于)?(?:19|20)\d{2}年")


def agency_name(report: AnnualReport) -> str | None:
    """The agency as the parser read it, else the part of the title before the year."""
    if report.agency:
        return report.agency
    match = _TITLE_AGENCY.match(normalize_spaces(report.title or ""))
    return match.group("agency") if match else None


def normalize_spaces(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


# How a report without a name refers to itself: "现结合我镇实际", "本县…".
_SELF_REFERENCE = re.compile(r"[我本](镇|乡|街道|县|区|旗)")
_SELF_TIER = {"镇": AdminTier.TOWNSHIP, "乡": AdminTier.TOWNSHIP, "街道": AdminTier.TOWNSHIP}


def guess_tier_from_text(text: str) -> AdminTier:
    """For a report that names no agency: the tier of the place it calls 我镇/本县/我区 ….

    Only the first self-reference counts; 我市/我省 are not read (a county department may
    write 我市 about its city).
    """
    match = _SELF_REFERENCE.search(text)
    if match is None:
        return AdminTier.UNKNOWN
    return _SELF_TIER.get(match.group(1), AdminTier.COUNTY)


def _opening_text(report: AnnualReport) -> str:
    return report.preamble + "".join(section.text for section in report.sections[:2])


def agency_level_of(report: AnnualReport, context: CheckContext) -> AgencyLevel:
    """The context's level when the caller knows it, else guessed from the agency's name, else
    (no name at all) TOWNSHIP for a report that calls itself 我镇/我乡/我街道."""
    if context.agency_level is not AgencyLevel.UNKNOWN:
        return context.agency_level
    name = agency_name(report)
    if name is not None:
        return guess_agency_level(name)
    if guess_tier_from_text(_opening_text(report)) is AdminTier.TOWNSHIP:
        return AgencyLevel.TOWNSHIP
    return AgencyLevel.UNKNOWN


def admin_tier_of(report: AnnualReport, context: CheckContext) -> AdminTier:
    """The context's tier when the caller knows it, else guessed from the agency's name, else
    (no name at all) from how the text refers to itself."""
    if context.admin_tier is not AdminTier.UNKNOWN:
        return context.admin_tier
    name = agency_name(report)
    if name is not None:
        return guess_admin_tier(name)
    return guess_tier_from_text(_opening_text(report))
