"""The elements of a 政府信息公开指南 as data: what each is called, whether the guide may be
published without it, and the source that asks for it.

条例第十二条: the guide gives the classification and arrangement of the information held, how to
obtain it (proactive channels and applications), and the disclosure office's name, office
address, office hours, telephone, fax and internet contact. The fees follow 国办函〔2020〕109号;
the remedies (行政复议 within 60 days, 行政诉讼 within 6 months) follow 条例第五十一条, 《行政复议法》
第二十条 and 《行政诉讼法》第四十六条. Beijing's 2019 guides and DB15/T 2091-2021 give the order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class GuideElement:
    key: str
    label: str
    required: bool
    source: str


GUIDE_ELEMENTS: tuple[GuideElement, ...] = (
    GuideElement("name", "机构名称", True, "条例第十二条"),
    GuideElement("address", "办公地址", True, "条例第十二条"),
    GuideElement("office_hours", "办公时间", True, "条例第十二条"),
    GuideElement("phone", "联系电话", True, "条例第十二条"),
    GuideElement("fax", "传真号码", True, "条例第十二条"),
    GuideElement("email", "电子邮箱", True, "条例第十二条（互联网联系方式）"),
    GuideElement("postcode", "邮政编码", False, "信函申请须有（条例第二十九条）"),
    GuideElement("website", "网址", False, "条例第十二条（互联网联系方式）"),
    GuideElement("channels", "申请渠道", True, "条例第十二条、第二十九条"),
    GuideElement("classification", "政府信息的分类和编排体系", True, "条例第十二条"),
    GuideElement("proactive_channels", "主动公开的方式和途径", True, "条例第十二条、第二十三条"),
    GuideElement("procedure", "依申请公开的办理程序和时限", True, "条例第十二条、第三十三条"),
    GuideElement("fees", "收费", True, "条例第四十二条、国办函〔2020〕109号"),
    GuideElement("remedies", "监督和救济", True, "条例第五十一条"),
)

# The remedies must state both time limits; a guide that names the remedies without them leaves
# the applicant unable to act in time (行政复议法第二十条: 60日; 行政诉讼法第四十六条: 6个月).
REMEDY_TIME_LIMITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("行政复议的期限（60日）", ("60日", "六十日", "60天", "六十天")),
    ("行政诉讼的期限（6个月）", ("6个月", "六个月")),
)

# Post is one of the channels: the postcode is needed then (信函 to the office's address).
POSTCODE_CHANNELS = frozenset({"mail", "letter"})


def missing_elements(values: Mapping[str, object]) -> list[str]:
    """The labels of what a guide still lacks before it may be published, in the guide's order."""
    missing = [e.label for e in GUIDE_ELEMENTS if e.required and not _filled(values.get(e.key))]
    channels = values.get("channels") or []
    by_post = isinstance(channels, list) and bool(POSTCODE_CHANNELS & set(channels))
    if by_post and not _filled(values.get("postcode")):
        missing.append("邮政编码（接受信函申请时必填）")
    remedies = str(values.get("remedies") or "")
    if remedies.strip():
        missing += [label for label, forms in REMEDY_TIME_LIMITS if not _mentions(remedies, forms)]
    return missing


def _filled(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def _mentions(text: str, forms: tuple[str, ...]) -> bool:
    compact = text.replace(" ", "")
    return any(form in compact for form in forms)
