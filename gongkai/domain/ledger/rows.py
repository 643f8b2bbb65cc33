"""One row of an office's ledger read into an application as `application_register` and the
import of a conclusion need it. Every problem is collected and named by its field; nothing
raises for a bad row."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gongkai.domain.identity import IdType, normalize_id, validate_id
from gongkai.domain.ledger.values import (
    CellError,
    CellValue,
    cell_text,
    parse_applicant_type,
    parse_bool,
    parse_channel,
    parse_date,
    parse_delivery_method,
    parse_id_type,
    parse_outcome,
)
from gongkai.domain.lifecycle import ApplicantType
from gongkai.domain.plausibility import REGULATIONS_IN_FORCE, has_visible_text

# 条例（2007年）施行之日: no application under the 条例 can have been received before it.
EARLIEST = REGULATIONS_IN_FORCE
# Stored as the 证件号码 of an imported row whose ledger kept none (证件类型 "其他证件").
ID_NOT_RECORDED = "台账未载"


@dataclass(frozen=True)
class Problem:
    """What is wrong (or worth a warning) in one row; `field` is None for the row as a whole."""

    field: str | None
    message: str


@dataclass(frozen=True)
class LedgerRow:
    """One application as the ledger states it, ready to register."""

    source_no: str
    applicant_name: str
    applicant_type: str
    id_type: str
    id_number: str
    phone: str
    address: str
    email: str
    channel: str
    received_on: dt.date
    content: str
    extended: bool
    concluded_on: dt.date | None
    outcome: str
    legal_basis: str
    delivery_method: str
    archived_on: dt.date | None

    @property
    def concluded(self) -> bool:
        return self.concluded_on is not None


@dataclass(frozen=True)
class RowCheck:
    row: LedgerRow | None  # None when there is any problem
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


_LIMITS = {"applicant_name": 200, "phone": 40, "address": 300, "email": 254, "legal_basis": 300}


class _Reader:
    """Reads one row's cells, collecting a problem per cell that cannot be read."""

    def __init__(self, cells: Mapping[str, CellValue]) -> None:
        self.cells = cells
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def text(self, name: str) -> str:
        value = cell_text(self.cells.get(name))
        if name in _LIMITS and len(value) > _LIMITS[name]:
            self.problems.append(Problem(name, f"内容过长（最多{_LIMITS[name]}个字符）"))
        return value

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            self.problems.append(Problem(name, "不能为空"))
        elif not has_visible_text(value):
            # Zero-width or control characters only: as empty as a blank cell.
            self.problems.append(Problem(name, "只有空白或不可见字符，等于没有填写"))
        return value

    def parsed(
        self, name: str, parse: Callable[[CellValue], str], *, required: bool = False
    ) -> str:
        if not (self.required(name) if required else self.text(name)):
            return ""
        try:
            return parse(self.cells.get(name))
        except CellError as exc:
            self.problems.append(Problem(name, str(exc)))
            return ""

    def date(self, name: str) -> dt.date | None:
        try:
            return parse_date(self.cells.get(name))
        except CellError as exc:
            self.problems.append(Problem(name, str(exc)))
            return None

    def flag(self, name: str) -> bool:
        try:
            return bool(parse_bool(self.cells.get(name)))
        except CellError as exc:
            self.problems.append(Problem(name, str(exc)))
            return False


def check_row(cells: Mapping[str, CellValue], *, today: dt.date) -> RowCheck:
    """Read one ledger row (field → cell value) the way `application_register` and the import
    of a conclusion need it; every problem is named, none raises."""
    read = _Reader(cells)
    name = read.required("applicant_name")
    applicant_type = read.parsed("applicant_type", parse_applicant_type, required=True)
    channel = read.parsed("channel", parse_channel, required=True)
    received_on = _received_on(read, today)
    content = read.required("content")
    id_type, id_number = _identity(read, applicant_type)
    phone, address, email = read.text("phone"), read.text("address"), read.text("email")
    if not (phone or address or email):
        read.problems.append(
            Problem(
                None, "缺少联系方式：联系电话、通讯地址、电子邮箱至少填一项（条例第二十九条第二款）"
            )
        )
    if "*" in phone:  # an export of this system masks phones (mask_phone)
        read.warnings.append(Problem("phone", "联系电话已脱敏，原样保存"))
    if email and "@" not in email:
        read.problems.append(Problem("email", f"“{email}”不是电子邮箱地址"))
    end = _conclusion(read, received_on, today)
    row = None
    if not read.problems and received_on is not None:
        row = LedgerRow(
            source_no=read.text("tracking_no"), applicant_name=name,
            applicant_type=applicant_type, id_type=id_type, id_number=id_number, phone=phone,
            address=address, email=email, channel=channel, received_on=received_on,
            content=content, extended=end.extended, concluded_on=end.concluded_on,
            outcome=end.outcome, legal_basis=end.legal_basis,
            delivery_method=end.delivery_method, archived_on=end.archived_on,
        )  # fmt: skip
    return RowCheck(row, tuple(read.problems), tuple(read.warnings))


def _received_on(read: _Reader, today: dt.date) -> dt.date | None:
    if not read.required("received_on"):
        return None
    day = read.date("received_on")
    if day is not None and day > today:
        read.problems.append(Problem("received_on", f"{day} 晚于今天"))
    if day is not None and day < EARLIEST:
        read.problems.append(Problem("received_on", f"{day} 早于条例施行之日（2008年5月1日）"))
    return day


def _identity(read: _Reader, applicant_type: str) -> tuple[str, str]:
    """证件类型 and 证件号码. A masked number (an export of this system) or none at all is kept as
    "其他证件" with a warning: the ledger cannot give more, and the number is not needed to reply."""
    number = normalize_id(read.text("id_number"))
    if len(number) > 40:
        read.problems.append(Problem("id_number", "证件号码过长（最多40个字符）"))
        return IdType.OTHER.value, ""
    if not number or "*" in number:
        what = (
            "证件号码已脱敏，原样保存" if number else f"台账未载证件号码，记为“{ID_NOT_RECORDED}”"
        )
        read.warnings.append(Problem("id_number", f"{what}，证件类型记为“其他证件”"))
        return IdType.OTHER.value, number or ID_NOT_RECORDED
    label = read.text("id_type")
    id_type = parse_id_type(label) if label else _infer_id_type(number, applicant_type)
    if id_type is None:
        read.warnings.append(Problem("id_type", f"不能识别的证件类型“{label}”，记为“其他证件”"))
        id_type = IdType.OTHER.value
    problem = validate_id(IdType(id_type), number)
    if problem:
        read.problems.append(Problem("id_number", problem))
    return id_type, number


_RESIDENT = re.compile(r"^\d{17}[\dX]$")


def _infer_id_type(number: str, applicant_type: str) -> str:
    """Without a 证件类型 column: 18 characters are a 居民身份证 or a 统一社会信用代码; whichever
    is valid, else the one the applicant type suggests (so a wrong check digit is reported)."""
    if len(number) != 18:
        return IdType.OTHER.value
    natural = applicant_type in ("", ApplicantType.NATURAL.value)
    order = [IdType.RESIDENT_ID, IdType.CREDIT_CODE]
    if not natural or not _RESIDENT.match(number):
        order.reverse()
    for id_type in order:
        if validate_id(id_type, number) is None:
            return id_type.value
    return order[0].value


@dataclass(frozen=True)
class _Conclusion:
    extended: bool
    concluded_on: dt.date | None
    outcome: str
    legal_basis: str
    delivery_method: str
    archived_on: dt.date | None


def _conclusion(read: _Reader, received_on: dt.date | None, today: dt.date) -> _Conclusion:
    """答复日期 and 答复类型 come together; 送达 and 归档 only after a reply, in that order."""
    concluded_on = read.date("concluded_on")
    outcome = read.parsed("outcome", parse_outcome)
    method = read.parsed("delivery_method", parse_delivery_method)
    archived_on = read.date("archived_on")
    extended = read.flag("extended")
    if outcome and concluded_on is None and not read.text("concluded_on"):
        read.problems.append(Problem("concluded_on", "有答复类型但没有答复日期"))
    if concluded_on is not None and not outcome and not read.text("outcome"):
        read.problems.append(Problem("outcome", "有答复日期但没有答复类型"))
    if concluded_on is None and not read.text("concluded_on") and (method or archived_on):
        read.problems.append(Problem(None, "没有答复日期，却有送达方式或归档日期"))
    if concluded_on is not None:
        _check_order(read, "concluded_on", concluded_on, received_on, "收到日期", today)
    if archived_on is not None and concluded_on is not None:
        _check_order(read, "archived_on", archived_on, concluded_on, "答复日期", today)
    if extended and concluded_on is None:
        read.warnings.append(Problem("extended", "未办结申请的延期未导入，请在系统中办理延期"))
        extended = False
    basis = read.text("legal_basis")
    return _Conclusion(extended, concluded_on, outcome, basis, method, archived_on)


def _check_order(
    read: _Reader, name: str, day: dt.date, earlier: dt.date | None, what: str, today: dt.date
) -> None:
    if earlier is not None and day < earlier:
        read.problems.append(Problem(name, f"{day} 早于{what} {earlier}"))
    if day > today:
        read.problems.append(Problem(name, f"{day} 晚于今天"))
