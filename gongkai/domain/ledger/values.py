"""One cell of an office's ledger read as what it means: a date, a yes/no, a channel, an
applicant type, a 送达方式, an outcome row of table 三. A cell that cannot be read raises
`CellError` with a Chinese message naming the value."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TypeAlias

from gongkai.domain.deadline_model import Channel
from gongkai.domain.identity import IdType
from gongkai.domain.ledger.columns import normalise
from gongkai.domain.lifecycle import ApplicantType, outcomes

CellValue: TypeAlias = str | int | float | bool | dt.date | None


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese and names the value."""


def cell_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number comes back as 13800000000.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*T?\s*\d{1,2}\s*[:：时]\s*\d{1,2}.*)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: CellValue) -> dt.date | None:
    """A date cell: an Excel date, an Excel serial number, or text such as 2025-03-03,
    2025/3/3, 2025.3.3, 2025年3月3日, 20250303 (a time after it is ignored)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _date_from_number(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise CellError(f"“{text}”不是日期（应写作 2025-03-03 或 2025年3月3日）")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(f"“{text}”不是有效日期") from None


def _date_from_number(value: float) -> dt.date:
    if value == int(value) and 19000101 <= value <= 29991231:  # 20250303 typed as a number
        text = str(int(value))
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            raise CellError(f"“{text}”不是有效日期") from None
    # An Excel serial (days since 1899-12-30) between 1954 and 2119; the 1900 leap-year bug only
    # touches serials before 61, far outside this range.
    if 20000 <= value < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raise CellError(f"“{cell_text(value)}”不是日期")


_YES = {"是", "y", "yes", "true", "1", "√", "✓", "已延期", "延期", "有"}
_NO = {"否", "n", "no", "false", "0", "×", "✗", "未延期", "不延期", "无", "未", "没有"}


def parse_bool(value: CellValue) -> bool | None:
    """是否延期: 是/否, Y/N, √/×, 已延期/未延期; empty is None."""
    if isinstance(value, bool):
        return value
    text = normalise(cell_text(value))
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"“{cell_text(value)}”应为“是”或“否”")


def _lookup(text: str, exact: Mapping[str, str], keywords: Sequence[tuple[str, str]]) -> str | None:
    key = normalise(text)
    if key in exact:
        return exact[key]
    for keyword, value in keywords:
        if keyword in key:
            return value
    return None


_CHANNEL_EXACT = {
    **{normalise(c.value): c.value for c in Channel},
    **{normalise(c.label): c.value for c in Channel},
    "邮寄": Channel.MAIL.value,
    "信函": Channel.LETTER.value,
}
# Order matters: "电子邮件" is online (数据电文), "邮寄（需签收）" is mail, "平常信函" a letter.
_CHANNEL_KEYWORDS = (
    ("口头", Channel.ORAL.value),
    ("代为填写", Channel.ORAL.value),
    ("传真", Channel.FAX.value),
    ("当面", Channel.IN_PERSON.value),
    ("现场", Channel.IN_PERSON.value),
    ("窗口", Channel.IN_PERSON.value),
    ("来访", Channel.IN_PERSON.value),
    ("平信", Channel.LETTER.value),
    ("信函", Channel.LETTER.value),
    ("来信", Channel.LETTER.value),
    ("邮寄", Channel.MAIL.value),
    ("挂号", Channel.MAIL.value),
    ("快递", Channel.MAIL.value),
    ("ems", Channel.MAIL.value),
    ("邮政", Channel.MAIL.value),
    ("网", Channel.ONLINE.value),  # 网络、网上申请、互联网、网站
    ("在线", Channel.ONLINE.value),
    ("线上", Channel.ONLINE.value),
    ("平台", Channel.ONLINE.value),
    ("电子邮件", Channel.ONLINE.value),
    ("邮箱", Channel.ONLINE.value),
    ("email", Channel.ONLINE.value),
)


def parse_channel(value: CellValue) -> str:
    """申请方式 (条例第二十九条、第三十一条): 网络/网上申请 → online, 当面 → in_person, 邮寄 → mail,
    信函 → letter, 传真 → fax, 口头 → oral."""
    text = cell_text(value)
    found = _lookup(text, _CHANNEL_EXACT, _CHANNEL_KEYWORDS)
    if found is None:
        choices = "、".join(c.label for c in Channel)
        raise CellError(f"不能识别的申请方式“{text}”（可填：{choices}，或网络、当面、邮寄、信函）")
    return found


_APPLICANT_EXACT = {
    **{normalise(t.value): t.value for t in ApplicantType},
    **{normalise(t.label): t.value for t in ApplicantType},
    **dict.fromkeys(("个人", "公民", "公民个人", "群众"), ApplicantType.NATURAL.value),
    **dict.fromkeys(("企业", "公司", "企业法人"), ApplicantType.BIZ.value),
    **dict.fromkeys(("科研院所", "研究机构", "研究院", "研究所"), ApplicantType.RESEARCH.value),
    **dict.fromkeys(("公益组织", "公益机构", "基金会"), ApplicantType.NGO.value),
    **dict.fromkeys(("律师事务所", "律所", "律师", "法律援助中心"), ApplicantType.LEGAL.value),
    **dict.fromkeys(("其他", "其他单位", "社会团体"), ApplicantType.OTHER_ORG.value),
}
_APPLICANT_KEYWORDS = (
    ("律师", ApplicantType.LEGAL.value),
    ("律所", ApplicantType.LEGAL.value),
    ("法律服务", ApplicantType.LEGAL.value),
    ("科研", ApplicantType.RESEARCH.value),
    ("研究", ApplicantType.RESEARCH.value),
    ("公益", ApplicantType.NGO.value),
    ("企业", ApplicantType.BIZ.value),
    ("公司", ApplicantType.BIZ.value),
    ("自然人", ApplicantType.NATURAL.value),
    ("个人", ApplicantType.NATURAL.value),
    ("公民", ApplicantType.NATURAL.value),
)
# The 2019 format's second column: it cannot be split into the five columns of 2021.
_APPLICANT_AMBIGUOUS = {
    normalise(t) for t in ("法人或其他组织", "法人或者其他组织", "法人", "单位")
}


def parse_applicant_type(value: CellValue) -> str:
    """申请人类型, one of the six columns of table 三 (国办公开办函〔2021〕30号): 自然人, 商业企业,
    科研机构, 社会公益组织, 法律服务机构, 其他组织; 企业 → 商业企业, 律师事务所 → 法律服务机构."""
    text = cell_text(value)
    if normalise(text) in _APPLICANT_AMBIGUOUS:
        raise CellError(
            f"“{text}”不能确定属于表三的哪一列，请改为商业企业、科研机构、社会公益组织、"
            "法律服务机构或其他组织"
        )
    found = _lookup(text, _APPLICANT_EXACT, _APPLICANT_KEYWORDS)
    if found is None:
        choices = "、".join(t.label for t in ApplicantType)
        raise CellError(f"不能识别的申请人类型“{text}”（可填：{choices}）")
    return found


_ID_TYPE_EXACT = {
    **{normalise(t.value): t.value for t in IdType},
    **{normalise(t.label): t.value for t in IdType},
    **dict.fromkeys(("身份证", "二代身份证", "居民身份证号码"), IdType.RESIDENT_ID.value),
    **dict.fromkeys(("营业执照", "信用代码"), IdType.CREDIT_CODE.value),
    "其他": IdType.OTHER.value,
}


def parse_id_type(value: CellValue) -> str | None:
    """证件类型; None for a label not known (the row then says so and uses 其他证件)."""
    return _ID_TYPE_EXACT.get(normalise(cell_text(value)))


_DELIVERY_KEYWORDS = (
    ("当面", "in_person"),
    ("现场", "in_person"),
    ("自取", "in_person"),
    ("领取", "in_person"),
    ("直接送达", "in_person"),
    ("电子邮件", "email"),
    ("邮箱", "email"),
    ("email", "email"),
    ("邮寄", "mail"),
    ("快递", "mail"),
    ("挂号", "mail"),
    ("ems", "mail"),
    ("网", "online"),
    ("在线", "online"),
    ("平台", "online"),
)
DELIVERY_METHODS = ("in_person", "mail", "email", "online")


def parse_delivery_method(value: CellValue) -> str:
    """送达方式 as `application_deliver` knows them: in_person, mail, email, online."""
    text = cell_text(value)
    found = _lookup(text, {m: m for m in DELIVERY_METHODS}, _DELIVERY_KEYWORDS)
    if found is None:
        raise CellError(
            f"不能识别的送达方式“{text}”（可填：当面送达、邮寄送达、电子邮件送达、网上送达）"
        )
    return found


# ---------------------------------------------------------------- outcomes

_GROUPS = {"不予公开": "r_deny_", "无法提供": "r_na_", "不予处理": "r_np_", "其他处理": "r_other_"}
_OUTCOME_ALIASES = {
    **dict.fromkeys(("予以公开", "公开", "同意公开", "全部公开", "主动公开"), "r_open"),
    **dict.fromkeys(("撤回", "申请人撤回", "撤回申请", "其他处理其他"), "r_other_other"),
}
# Words that name one outcome within its group; an office's shorthand such as "不予公开-国家秘密"
# or "本机关不掌握" carries one of them.
_OUTCOME_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("r_partial", ("部分公开",)),
    ("r_deny_secret", ("国家秘密", "涉密")),
    ("r_deny_law", ("法律行政法规禁止", "法律法规禁止", "其他法律")),
    ("r_deny_3s1s", ("三安全一稳定", "国家安全", "公共安全", "经济安全", "社会稳定")),
    ("r_deny_3rd", ("第三方", "商业秘密", "个人隐私")),
    ("r_deny_internal", ("内部事务", "内部管理")),
    ("r_deny_process", ("过程性",)),
    ("r_deny_enforce", ("执法案卷",)),
    ("r_deny_query", ("行政查询", "查询事项")),
    ("r_na_notheld", ("不掌握", "不存在", "未制作", "未获取")),
    ("r_na_create", ("另行制作", "没有现成", "加工", "分析")),
    ("r_na_unclear", ("不明确",)),
    ("r_np_petition", ("信访", "举报", "投诉")),
    ("r_np_repeat", ("重复申请",)),
    ("r_np_publication", ("出版物",)),
    ("r_np_excessive", ("大量反复", "反复申请")),
    ("r_np_confirm", ("确认", "重新出具")),
    ("r_other_nocorrect", ("补正",)),
    ("r_other_nofee", ("缴纳费用", "缴费", "收费")),
    ("r_other_other", ("撤回",)),
)


def parse_outcome(value: CellValue) -> str:
    """答复类型 → the row key of table 三: the official label ("不予公开：属于国家秘密"), an
    office's shorthand ("不予公开-国家秘密", "本机关不掌握", "部分公开") or the key itself."""
    text = cell_text(value)
    key = normalise(text)
    if text in _outcome_labels().values():
        return text
    if key in _outcome_labels():
        return _outcome_labels()[key]
    if key in _OUTCOME_ALIASES:
        return _OUTCOME_ALIASES[key]
    prefix = next((p for group, p in _GROUPS.items() if group in key), "")
    found = [
        name
        for name, words in _OUTCOME_KEYWORDS
        if name.startswith(prefix) and any(word in key for word in words)
    ]
    if len(found) == 1:
        return found[0]
    if not found and prefix:
        group = next(group for group, p in _GROUPS.items() if p == prefix)
        raise CellError(f"答复类型“{text}”没有写明是哪一种“{group}”（如{_label(_first(prefix))}）")
    if len(found) > 1:
        names = "、".join(f"“{_label(name)}”" for name in found)
        raise CellError(f"答复类型“{text}”可能是{names}，请写明其中一种")
    raise CellError(
        f"不能识别的答复类型“{text}”（请用年报表三的类型，如予以公开、部分公开、不予公开：属于国家秘密）"
    )


@cache
def _outcome_labels() -> dict[str, str]:
    return {normalise(o.label): o.key for o in outcomes()}


def _first(prefix: str) -> str:
    return next(o.key for o in outcomes() if o.key.startswith(prefix))


def _label(key: str) -> str:
    return next(o.label for o in outcomes() if o.key == key)
