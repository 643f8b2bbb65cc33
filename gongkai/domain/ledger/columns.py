"""The columns of an exported ledger, and the fields an imported one can map to its columns, with
the header spellings offices use (申请人/申请人姓名/申请人（单位）名称, 收到日期/受理日期…)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of an exported ledger: `key` names the value, `width` is in Excel characters."""

    key: str
    header: str
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", 6),
    Column("tracking_no", "申请编号", 18),
    Column("applicant_name", "申请人", 18),
    Column("applicant_type", "申请人类型", 12),
    Column("id_type", "证件类型", 12),
    Column("id_number", "证件号码（脱敏）", 22),
    Column("phone", "联系电话", 15),
    Column("address", "通讯地址", 26),
    Column("email", "电子邮箱", 22),
    Column("channel", "申请方式", 14),
    Column("received_on", "收到日期", 12),
    Column("content", "申请内容", 48),
    Column("due_on", "答复期限", 12),
    Column("extended", "是否延期", 9),
    Column("concluded_on", "答复日期", 12),
    Column("outcome", "答复类型", 30),
    Column("delivery_method", "送达方式", 13),
    Column("archived_on", "归档日期", 12),
    Column("status", "状态", 10),
)


@dataclass(frozen=True)
class Field:
    """A value an imported row can give, with the header spellings offices use for it."""

    key: str
    label: str
    required: bool
    headers: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field("tracking_no", "原申请编号", False,
          ("申请编号", "编号", "受理编号", "登记编号", "申请号", "流水号", "案件编号")),
    Field("applicant_name", "申请人", True,
          ("申请人", "申请人姓名", "申请人名称", "申请人（单位）名称", "申请人姓名或名称",
           "申请人姓名（名称）", "姓名", "姓名/名称", "姓名或名称", "申请单位")),
    Field("applicant_type", "申请人类型", True,
          ("申请人类型", "申请人类别", "申请人性质", "申请主体", "主体类型", "申请人身份")),
    Field("id_type", "证件类型", False, ("证件类型", "身份证明类型", "证件名称")),
    Field("id_number", "证件号码", False,
          ("证件号码", "证件号码（脱敏）", "身份证号", "身份证号码", "公民身份号码", "证件号",
           "身份证明号码", "统一社会信用代码")),
    Field("phone", "联系电话", False,
          ("联系电话", "电话", "联系方式", "手机", "手机号码", "电话号码", "申请人电话")),
    Field("address", "通讯地址", False,
          ("通讯地址", "地址", "联系地址", "邮寄地址", "住址", "申请人地址")),
    Field("email", "电子邮箱", False,
          ("电子邮箱", "邮箱", "电子邮件", "email", "e-mail", "申请人邮箱")),
    Field("channel", "申请方式", True,
          ("申请方式", "申请渠道", "申请途径", "提交方式", "受理方式", "申请形式")),
    Field("received_on", "收到日期", True,
          ("收到日期", "收到申请日期", "受理日期", "申请日期", "收到申请时间", "申请时间",
           "登记日期", "收件日期", "受理时间", "收到时间")),
    Field("content", "申请内容", True,
          ("申请内容", "申请公开内容", "申请公开的内容", "申请公开的信息", "申请公开的政府信息",
           "所需政府信息的内容描述", "所需信息内容描述", "申请事项", "内容摘要", "内容")),
    Field("extended", "是否延期", False, ("是否延期", "延期", "是否延期答复", "延期情况")),
    Field("concluded_on", "答复日期", False,
          ("答复日期", "办结日期", "答复时间", "办结时间", "回复日期", "告知日期", "答复告知日期")),
    Field("outcome", "答复类型", False,
          ("答复类型", "答复结果", "处理结果", "答复情况", "办理结果", "处理情况", "答复内容")),
    Field("legal_basis", "法律依据", False, ("法律依据", "答复依据", "依据")),
    Field("delivery_method", "送达方式", False, ("送达方式", "答复送达方式", "送达形式")),
    Field("archived_on", "归档日期", False, ("归档日期", "归档时间")),
)  # fmt: skip
FIELD_LABELS = {f.key: f.label for f in FIELDS}
REQUIRED = tuple(f.key for f in FIELDS if f.required)

_PUNCTUATION = re.compile(r"[\s\-—–_·•:：,，、;；()（）\[\]【】“”\"'‘’《》<>/\\|.。!！?？*＊]+")


def normalise(text: str) -> str:
    """Compare-form of a header or label: NFKC, lower case, no spaces or punctuation."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text)).lower()


_EXACT_HEADERS = {normalise(h): f.key for f in FIELDS for h in f.headers}
_CONTAINED_HEADERS = sorted(
    ((normalise(h), f.key) for f in FIELDS for h in f.headers if len(normalise(h)) >= 3),
    key=lambda item: -len(item[0]),
)


def header_field(header: str) -> str | None:
    """The field a header names: an exact known spelling, else the longest known spelling it
    contains ("申请人联系电话" → phone, "证件号码（脱敏）" → id_number)."""
    text = normalise(header)
    if not text:
        return None
    if text in _EXACT_HEADERS:
        return _EXACT_HEADERS[text]
    for spelling, key in _CONTAINED_HEADERS:
        if spelling in text:
            return key
    return None


def guess_mapping(headers: Sequence[str]) -> dict[str, int]:
    """Field → column index; exact spellings first, so "申请人类型" never takes "申请人"; the
    leftmost column wins when two name the same field."""
    mapping: dict[str, int] = {}
    exact = [_EXACT_HEADERS.get(normalise(h)) for h in headers]
    for index, key in enumerate(exact):
        if key is not None and key not in mapping:
            mapping[key] = index
    for index, header in enumerate(headers):
        key = header_field(header)
        if exact[index] is None and key is not None and key not in mapping:
            mapping[key] = index
    return mapping
