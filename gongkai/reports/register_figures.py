"""执法和收费数据 (第二十条第（五）（六）（八）项) of an organisation per year: typed in, or
imported from an .xlsx sheet of one row per year, all rows or none; and the empty template.

The shared refusals and locks are those of `register_services` (R-7: 经办人, 审核人, 管理员 write).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.services import ServiceError
from gongkai.domain.zipcheck import zip_problem
from gongkai.reports.models import EnforcementFigures
from gongkai.reports.register_services import lock_organisation, register_audit, require_editor

FIRST_FIGURES_YEAR = 2008  # 条例 in force from 2008-05-01: no annual report before
MAX_COUNT = 2_147_483_647  # PositiveIntegerField
# 行政事业性收费 of one organisation in one year, in 万元: at most 10^8 万元 (1万亿元), above the
# whole country's 行政事业性收费收入 (a few thousand 亿元 a year in the national final accounts), so
# more is a unit error (元 typed as 万元) rather than a figure; the column holds up to 10^10.
MAX_FEES = Decimal("100000000")
FEES_PLACES = 4

# ---------------------------------------------------------------- 执法和收费数据


@dataclass(frozen=True)
class FiguresData:
    year: int
    licensing: int
    penalty: int
    coercion: int
    fees: Decimal  # 万元


FIGURE_LABELS = {
    "year": "年度",
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费（万元）",
}


def _figures_problems(data: FiguresData, today: dt.date) -> list[tuple[str, str]]:
    """(field, message) for each figure 表二 第二十条第（五）（六）（八）项 cannot print."""
    problems: list[tuple[str, str]] = []
    if not FIRST_FIGURES_YEAR <= data.year <= today.year:
        problems.append(("year", f"年度须在{FIRST_FIGURES_YEAR}年至{today.year}年之间"))
    for name in ("licensing", "penalty", "coercion"):
        value = getattr(data, name)
        if value < 0:
            problems.append((name, f"{FIGURE_LABELS[name]}处理决定数量不能为负数"))
        elif value > MAX_COUNT:
            problems.append((name, f"{FIGURE_LABELS[name]}处理决定数量过大"))
    fees = data.fees
    if not fees.is_finite() or fees < 0:
        problems.append(("fees", "行政事业性收费金额须为不小于0的数"))
    elif fees > MAX_FEES:
        problems.append(("fees", "行政事业性收费金额超过1亿万元（1万亿元），请核对单位是否为万元"))
    elif _places(fees) > FEES_PLACES:
        problems.append(("fees", "行政事业性收费金额以万元为单位，最多保留4位小数（即精确到元）"))
    return problems


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _figures_write(
    organisation: Organisation, data: FiguresData
) -> tuple[EnforcementFigures, dict[str, list[Any]] | None]:
    """Store the year's figures (the caller holds the organisation lock); returns the row and
    the changed figures as [old, new] (None for a new row)."""
    values = {
        "licensing": data.licensing,
        "penalty": data.penalty,
        "coercion": data.coercion,
        "fees": data.fees.quantize(Decimal(1).scaleb(-FEES_PLACES)),
    }
    existing = EnforcementFigures.objects.filter(organisation=organisation, year=data.year).first()
    if existing is None:
        created = EnforcementFigures.objects.create(
            organisation=organisation, year=data.year, **values
        )
        return created, None
    changed = {
        name: [str(getattr(existing, name)), str(value)]
        for name, value in values.items()
        if getattr(existing, name) != value
    }
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save(update_fields=list(values))
    return existing, changed


@transaction.atomic
def enforcement_figures_save(
    *,
    actor: User,
    organisation: Organisation,
    data: FiguresData,
    today: dt.date,
    request: HttpRequest | None = None,
) -> EnforcementFigures:
    """Enter or correct one year's 行政许可/行政处罚/行政强制 decisions and 行政事业性收费 (万元).

    Zero is a figure (the report prints 0); a year not entered stays blank in the report."""
    require_editor(actor, organisation)
    problems = _figures_problems(data, today)
    if problems:
        field, message = problems[0]
        raise ServiceError(message, field=field)
    lock_organisation(organisation)
    figures, changed = _figures_write(organisation, data)
    if changed is None:
        register_audit(AuditAction.CREATE, figures, actor=actor, request=request)
    elif changed:
        register_audit(AuditAction.CHANGE, figures, actor=actor, request=request, changed=changed)
    return figures


# ---------------------------------------------------------------- 执法和收费数据 from .xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_XLSX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED = 50 * 1024 * 1024
MAX_FIGURE_ROWS = 200  # one row per year: far more than any office has
HEADER_SCAN = 10  # title rows an office may put above its header row
EMPTY_RUN = 1_000
ORG_HEADER = "机构代码"
TEMPLATE_HEADERS = (ORG_HEADER, *FIGURE_LABELS.values())
# Header spellings (after removing spaces and making brackets full-width) → field.
_HEADERS = {
    "年度": "year",
    "年份": "year",
    "行政许可": "licensing",
    "行政许可处理决定数量": "licensing",
    "行政处罚": "penalty",
    "行政处罚处理决定数量": "penalty",
    "行政强制": "coercion",
    "行政强制处理决定数量": "coercion",
    "行政事业性收费（万元）": "fees",
    "行政事业性收费金额（万元）": "fees",
    ORG_HEADER: "org",
}
_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: Excel 97-2003 .xls
BROKEN_XLSX = "无法读取这个 .xlsx 文件，可能已损坏；请在 Excel 或 WPS 中打开并重新保存后再上传"
_EXPECTED = "、".join(FIGURE_LABELS.values())


@dataclass(frozen=True)
class FiguresImport:
    created: tuple[int, ...]  # years
    updated: tuple[int, ...]


class FiguresImportError(ServiceError):
    """Rows that cannot be imported; nothing was. `problems` name each row and column."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(
            f"表中有{len(problems)}处问题，未导入任何数据；请改正后重新上传", field="file"
        )
        self.problems = tuple(problems)


@transaction.atomic
def enforcement_figures_import_xlsx(
    *,
    actor: User,
    organisation: Organisation,
    content: bytes,
    today: dt.date,
    request: HttpRequest | None = None,
) -> FiguresImport:
    """Import one row per year from a sheet headed 年度/行政许可/行政处罚/行政强制/
    行政事业性收费（万元） (and 机构代码, which must then be this organisation's).

    All rows or none: a single bad row refuses the file with every problem listed. A year
    already entered is overwritten with the file's figures."""
    require_editor(actor, organisation)
    rows = _read_rows(content)
    parsed, problems = _parse_figure_rows(rows, organisation, today)
    if problems:
        raise FiguresImportError(problems)
    lock_organisation(organisation)
    created: list[int] = []
    updated: list[int] = []
    changes: dict[str, dict[str, list[Any]]] = {}
    for data in parsed:
        _, changed = _figures_write(organisation, data)
        (created if changed is None else updated).append(data.year)
        if changed:
            changes[str(data.year)] = changed
    # One entry for the file: which years it added or overwrote and what it changed.
    audit_record(
        AuditAction.IMPORT,
        request=request,
        user=actor,
        object_type=EnforcementFigures._meta.label,
        object_repr=f"{organisation.name} 执法和收费数据（.xlsx）",
        organisation=organisation.code,
        detail={
            "register": "enforcementfigures",
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
            "created": created,
            "updated": updated,
            "changed": changes,
        },
    )
    return FiguresImport(tuple(created), tuple(updated))


Row = tuple[int, tuple[Any, ...]]  # the sheet's own row number, the cell values


def _read_rows(content: bytes) -> list[Row]:
    """The non-empty rows of the first sheet with a 年度 header, header row first."""
    check_xlsx_container(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, XML errors… on bad files
        raise ServiceError(BROKEN_XLSX, field="file") from exc
    try:
        for worksheet in workbook.worksheets:
            rows = _sheet_rows(worksheet)
            if rows is not None:
                return rows
    except ServiceError:
        raise
    except Exception as exc:  # the read-only reader parses lazily: damage shows while iterating
        raise ServiceError(BROKEN_XLSX, field="file") from exc
    finally:
        workbook.close()
    raise ServiceError(f"没有找到表头行：表头应为 {_EXPECTED}（可另加“机构代码”列）", field="file")


def check_xlsx_container(content: bytes) -> None:
    if not content:
        raise ServiceError("文件是空的", field="file")
    if len(content) > MAX_XLSX_BYTES:
        raise ServiceError("文件过大（上限5MB）", field="file")
    if content.startswith(_XLS):
        raise ServiceError(
            "这是旧版 Excel 97-2003 工作簿（.xls），请“另存为”Excel 工作簿（.xlsx）后再上传",
            field="file",
        )
    if not content.startswith(b"PK\x03\x04"):
        raise ServiceError("这不是 Excel 工作簿（.xlsx）文件，请确认文件格式", field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise ServiceError(
            "文件不完整或已损坏（可能上传或保存时中断），请重新保存后上传", field="file"
        ) from None
    problem = zip_problem(content)
    if problem:
        raise ServiceError(problem, field="file")
    if not any(member.filename.startswith("xl/") for member in members):
        raise ServiceError(
            "这个文件不是 Excel 工作簿（可能是 Word 文档或其他压缩包）", field="file"
        )
    if sum(member.file_size for member in members) > MAX_UNZIPPED:
        raise ServiceError("文件内容过大，请只保留要导入的数据后再上传", field="file")


def _sheet_rows(worksheet: Any) -> list[Row] | None:
    """The header row and the rows below it, or None when no 年度 header opens the sheet."""
    worksheet.reset_dimensions()  # some writers record a wrong size; read what is there
    rows: list[Row] = []
    header_at: int | None = None
    empty_run = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
        cells = tuple(_cell(value) for value in values)
        if all(cell is None for cell in cells):
            empty_run += 1
            if empty_run >= EMPTY_RUN:  # a sheet formatted down to row 1048576
                break
            continue
        empty_run = 0
        if header_at is None:
            if any(_header(cell) == "year" for cell in cells):
                header_at = len(rows)
            elif len(rows) >= HEADER_SCAN:
                return None
        rows.append((number, cells))
        if header_at is not None and len(rows) - header_at > MAX_FIGURE_ROWS + 1:
            raise ServiceError(f"行数过多（超过{MAX_FIGURE_ROWS}行）", field="file")
    return None if header_at is None else rows[header_at:]


def _cell(value: object) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _header(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    name = "".join(value.split()).replace("(", "（").replace(")", "）")
    return _HEADERS.get(name)


def _columns(header: Row) -> tuple[dict[str, int], list[str]]:
    """Column index of each field, and the problems of the header row."""
    number, cells = header
    columns: dict[str, int] = {}
    problems: list[str] = []
    for index, cell in enumerate(cells):
        field = _header(cell)
        if field is None:
            if isinstance(cell, str) and cell.startswith("行政事业性收费"):
                problems.append(
                    f"第{number}行：列“{cell}”——收费金额须以万元填写，列名应为“行政事业性收费（万元）”"
                )
            continue
        if field in columns:
            problems.append(f"第{number}行：列“{cell}”重复")
        columns[field] = index
    missing = [label for name, label in FIGURE_LABELS.items() if name not in columns]
    if missing and not problems:
        problems.append(f"第{number}行（表头）缺少列：{'、'.join(missing)}")
    return columns, problems


def _parse_figure_rows(
    rows: list[Row], organisation: Organisation, today: dt.date
) -> tuple[list[FiguresData], list[str]]:
    columns, problems = _columns(rows[0])
    if problems:
        return [], problems
    parsed: list[FiguresData] = []
    seen: dict[int, int] = {}
    for number, cells in rows[1:]:
        data, row_problems = _parse_figure_row(cells, columns, organisation, today)
        if data is not None and data.year in seen:
            row_problems.append(f"年度{data.year}与第{seen[data.year]}行重复")
        problems.extend(f"第{number}行：{problem}" for problem in row_problems)
        if data is not None and not row_problems:
            seen[data.year] = number
            parsed.append(data)
    if not parsed and not problems:
        problems.append("表头下面没有数据行")
    return parsed, problems


def _parse_figure_row(
    cells: tuple[Any, ...], columns: dict[str, int], organisation: Organisation, today: dt.date
) -> tuple[FiguresData | None, list[str]]:
    def value(field: str) -> Any:
        index = columns[field]
        return cells[index] if index < len(cells) else None

    problems: list[str] = []
    if "org" in columns:
        code = str(value("org") or "").strip()
        if code.upper() != organisation.code.upper():
            problems.append(
                f"机构代码“{code or '（空）'}”与导入的机构不符（应为{organisation.code}，{organisation.name}）"
            )
    numbers: dict[str, Any] = {}
    for field, label in FIGURE_LABELS.items():
        try:
            numbers[field] = _fees(value(field)) if field == "fees" else _whole(value(field))
        except ValueError as exc:
            problems.append(f"{label}{exc}")
    # Fields that could not be read are stood in for, so the others are still checked.
    stand_ins: dict[str, Any] = {
        "year": today.year,
        "licensing": 0,
        "penalty": 0,
        "coercion": 0,
        "fees": Decimal(0),
    }
    data = FiguresData(**(stand_ins | numbers))
    problems.extend(m for field, m in _figures_problems(data, today) if field in numbers)
    return (data if len(numbers) == len(FIGURE_LABELS) else None), problems


_YEAR_SUFFIX = re.compile(r"^(\d{4})年度?$")


def _whole(value: Any) -> int:
    """A count or a year as a spreadsheet holds it: a number, or text such as “12” or “2024年”."""
    if value is None:
        raise ValueError("为空（没有的请填0）")
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"“{value:g}”不是整数")
    text = str(value).replace(",", "").replace("，", "").strip()
    matched = _YEAR_SUFFIX.match(text)
    if matched:
        return int(matched.group(1))
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise ValueError(f"“{value}”不是整数")


def _fees(value: Any) -> Decimal:
    if value is None:
        raise ValueError("为空（没有的请填0）")
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是数字")
    if isinstance(value, float):
        # A value computed in the sheet (=B2/10000) carries binary noise such as
        # 0.30000000000000004; nine places keep every real digit and drop the noise.
        return Decimal(repr(round(value, 9)))
    if isinstance(value, int):
        return Decimal(value)
    text = str(value).replace(",", "").replace("，", "").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{value}”不是数字") from None


def figures_template_xlsx(organisation: Organisation, years: Sequence[int]) -> bytes:
    """An empty workbook to fill in: the header row the import reads, the organisation's code
    and the `years` already filled in, and a sheet of instructions."""
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "执法和收费数据"
    sheet.append(list(TEMPLATE_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for year in years:
        sheet.append([organisation.code, year])
    for letter, width in zip("ABCDEF", (12, 8, 12, 12, 12, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    for line in _template_notes(organisation):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _template_notes(organisation: Organisation) -> Iterator[str]:
    yield f"{organisation.name}（机构代码 {organisation.code}）执法和收费数据"
    yield "每个年度一行；行政许可、行政处罚、行政强制填写本年度作出的处理决定数量（整数），没有的填0。"
    yield "行政事业性收费填写本年度收费金额，单位为万元，最多保留4位小数；没有的填0。"
    yield "机构代码列可删除；保留时须与导入的机构一致。"
    yield "任何一行有误时整个文件不导入；已登记的年度将被文件中的数据覆盖。"
