"""Bulk import of the 主动公开信息 (the catalogue) and 规章和规范性文件 registers from .xlsx, as
offices keep them in Excel today: a template to download, then all rows or none. Each row goes
through the register's own save service (the same checks as the form), inside one transaction;
any bad row refuses the file with every problem listed by row and column, and nothing is saved.
The zip checks of gongkai/domain/zipcheck.py run before openpyxl opens the file."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
from gongkai.domain import catalogue
from gongkai.reports.models import NormativeDocument, ProactiveItem
from gongkai.reports.register_figures import (
    BROKEN_XLSX,
    EMPTY_RUN,
    HEADER_SCAN,
    FiguresImportError,
    check_xlsx_container,
)
from gongkai.reports.register_services import (
    NormativeDocumentData,
    ProactiveItemData,
    normative_document_save,
    proactive_item_save,
    require_editor,
)

MAX_ROWS = 5_000  # a year's catalogue of a large department is a few thousand items


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    required: bool = False
    kind: str = "text"  # text, date, bool, topic, genre, validity, form, kind
    note: str = ""


PROACTIVE_COLUMNS = (
    Column("index_no", "索引号", note="不填则按本机构规则自动生成"),
    Column("title", "标题", required=True),
    Column("published_on", "发布日期", required=True, kind="date"),
    Column("written_on", "成文日期", kind="date"),
    Column("doc_number", "文号"),
    Column("publisher", "发布机构", note="不填即本机构"),
    Column("topic", "主题分类", kind="topic"),
    Column("genre", "体裁", kind="genre"),
    Column("validity", "有效性", kind="validity", note="有效、废止、失效、已修改；不填为有效"),
    Column("validity_changed_on", "有效性变更日期", kind="date"),
    Column("replacement", "替代或修改文件"),
    Column("summary", "内容概述"),
    Column("body", "正文"),
    Column("column", "栏目"),
    Column("article_item", "条例第二十条项目", note="例如（一）"),
    Column("url", "网址"),
    Column("is_interpretation", "政策解读", kind="bool", note="是或否"),
    Column("interpretation_form", "解读形式", kind="form", note="文字、图片、视频"),
    Column("interprets_index_no", "所解读文件的索引号"),
)
DOCUMENT_COLUMNS = (
    Column("kind", "类别", required=True, kind="kind", note="规章或行政规范性文件"),
    Column("title", "名称", required=True),
    Column("doc_number", "文号"),
    Column("issued_on", "制发日期", required=True, kind="date"),
    Column("abolished_on", "废止日期", kind="date"),
    Column("validity", "有效性", kind="validity", note="有效、废止、失效、已修改"),
    Column("amended_on", "修改日期", kind="date"),
    Column("replacement", "替代或修改文件"),
)


@dataclass(frozen=True)
class RegisterImport:
    register: str
    created: int


def proactive_items_import_xlsx(
    *,
    actor: User,
    organisation: Organisation,
    content: bytes,
    today: dt.date,
    request: HttpRequest | None = None,
) -> RegisterImport:
    """Add the catalogue entries of a sheet headed as the template (标题, 发布日期 …)."""

    def save(values: dict[str, Any]) -> None:
        data = ProactiveItemData(**values)
        proactive_item_save(actor=actor, organisation=organisation, data=data, today=today)

    return _import(
        actor,
        organisation,
        content,
        request,
        PROACTIVE_COLUMNS,
        save,
        ProactiveItem,
        "主动公开信息",
    )


def normative_documents_import_xlsx(
    *,
    actor: User,
    organisation: Organisation,
    content: bytes,
    today: dt.date,
    request: HttpRequest | None = None,
) -> RegisterImport:
    """Add the 规章 and 行政规范性文件 of a sheet headed as the template (类别, 名称, 制发日期 …)."""

    def save(values: dict[str, Any]) -> None:
        data = NormativeDocumentData(**values)
        normative_document_save(actor=actor, organisation=organisation, data=data, today=today)

    return _import(
        actor,
        organisation,
        content,
        request,
        DOCUMENT_COLUMNS,
        save,
        NormativeDocument,
        "规章和规范性文件",
    )


@transaction.atomic
def _import(
    actor: User,
    organisation: Organisation,
    content: bytes,
    request: HttpRequest | None,
    columns: Sequence[Column],
    save: Callable[[dict[str, Any]], None],
    model: type[ProactiveItem] | type[NormativeDocument],
    noun: str,
) -> RegisterImport:
    require_editor(actor, organisation)
    header, rows = _read(content, columns)
    positions, problems = _positions(header, columns)
    labels = {column.field: column.label for column in columns}
    created = 0
    if not problems:
        for number, cells in rows:
            values, row_problems = _values(number, cells, positions, columns)
            if not row_problems:
                try:
                    with transaction.atomic():  # a refused row leaves the others' writes intact
                        save(values)
                    created += 1
                except ServiceError as exc:
                    column = labels.get(exc.field or "", "")
                    where = f"“{column}”列" if column else ""
                    row_problems = [f"第{number}行{where}：{exc.message}"]
            problems.extend(row_problems)
    if not problems and not created:
        problems.append("表中没有数据行")
    if problems:
        raise FiguresImportError(problems)  # the outer transaction undoes every row saved
    audit_record(
        AuditAction.IMPORT,
        request=request,
        user=actor,
        object_type=model._meta.label,
        object_repr=f"{organisation.name} {noun}（.xlsx）",
        organisation=organisation.code,
        detail={
            "register": model._meta.model_name,
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
            "created": created,
        },
    )
    return RegisterImport(str(model._meta.model_name), created)


Row = tuple[int, tuple[Any, ...]]


def _read(content: bytes, columns: Sequence[Column]) -> tuple[Row, list[Row]]:
    """The header row and the non-empty rows below it, of the first sheet that has the header
    (zip checks first, then openpyxl read-only)."""
    check_xlsx_container(content)
    key = next(column.label for column in columns if column.field == "title")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, XML errors… on bad files
        raise ServiceError(BROKEN_XLSX, field="file") from exc
    try:
        for worksheet in workbook.worksheets:
            found = _sheet(worksheet, key)
            if found is not None:
                return found
    except ServiceError:
        raise
    except Exception as exc:  # damage shows while iterating the read-only reader
        raise ServiceError(BROKEN_XLSX, field="file") from exc
    finally:
        workbook.close()
    expected = "、".join(column.label for column in columns if column.required)
    raise ServiceError(f"没有找到表头行：表头至少应有 {expected}", field="file")


def _sheet(worksheet: Any, key: str) -> tuple[Row, list[Row]] | None:
    worksheet.reset_dimensions()
    header: Row | None = None
    rows: list[Row] = []
    empty_run = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
        cells = tuple(_cell(value) for value in values)
        if all(cell is None for cell in cells):
            empty_run += 1
            if empty_run >= EMPTY_RUN:
                break
            continue
        empty_run = 0
        if header is None:
            if any(_name(cell) == key for cell in cells):
                header = (number, cells)
            elif number > HEADER_SCAN:
                return None
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise ServiceError(f"行数过多（超过{MAX_ROWS}行），请分批导入", field="file")
    return None if header is None else (header, rows)


def _cell(value: object) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _name(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return "".join(value.split()).replace("(", "（").replace(")", "）").rstrip("*＊")


def _positions(header: Row, columns: Sequence[Column]) -> tuple[dict[str, int], list[str]]:
    number, cells = header
    by_label = {column.label: column.field for column in columns}
    positions: dict[str, int] = {}
    problems: list[str] = []
    for index, cell in enumerate(cells):
        field = by_label.get(_name(cell))
        if field is None:
            continue
        if field in positions:
            problems.append(f"第{number}行（表头）：列“{_name(cell)}”重复")
        positions[field] = index
    missing = [
        column.label for column in columns if column.required and column.field not in positions
    ]
    if missing:
        problems.append(f"第{number}行（表头）缺少列：{'、'.join(missing)}")
    return positions, problems


def _values(
    number: int, cells: tuple[Any, ...], positions: dict[str, int], columns: Sequence[Column]
) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    for column in columns:
        index = positions.get(column.field)
        raw = cells[index] if index is not None and index < len(cells) else None
        if raw is None:
            if column.required:
                problems.append(f"第{number}行“{column.label}”列：不能为空")
            continue
        try:
            values[column.field] = _convert(column, raw)
        except ValueError as exc:
            problems.append(f"第{number}行“{column.label}”列：{exc}")
    return values, problems


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _convert(column: Column, raw: Any) -> Any:
    if column.kind == "date":
        return _date(raw)
    text = str(raw).strip() if not isinstance(raw, float) or not raw.is_integer() else str(int(raw))
    if column.kind == "bool":
        if text in ("是", "Y", "y", "1", "TRUE", "True", "true"):
            return True
        if text in ("否", "N", "n", "0", "FALSE", "False", "false"):
            return False
        raise ValueError(f"“{text}”应填“是”或“否”")
    tables = {
        "topic": ("主题分类", catalogue.topics().items),
        "genre": ("体裁", catalogue.genres().items),
        "validity": ("有效性", catalogue.validity_table().items),
        "form": ("解读形式", tuple(ProactiveItem.Form.choices)),
        "kind": ("类别", tuple(NormativeDocument.Kind.choices)),
    }
    if column.kind in tables:
        name, items = tables[column.kind]
        for code, label in items:
            if text in (code, label) or (column.kind == "kind" and label.endswith(text)):
                return code
        raise ValueError(f"“{text}”不在{name}表中")
    return text


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    found = _DATE.fullmatch(str(raw).strip())
    if found:
        try:
            return dt.date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            pass
    raise ValueError(f"“{raw}”不是日期（例如 2024-03-15）")


def register_template_xlsx(organisation: Organisation, register: str) -> bytes:
    """An empty workbook for `register` ("proactive" or "documents"): the header row the import
    reads (required columns marked *), and a sheet of instructions with the code tables."""
    columns = PROACTIVE_COLUMNS if register == "proactive" else DOCUMENT_COLUMNS
    title = "主动公开信息" if register == "proactive" else "规章和规范性文件"
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = title
    sheet.append([f"{column.label}*" if column.required else column.label for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.append([f"{organisation.name}（机构代码 {organisation.code}）{title}导入模板"])
    notes.append(
        ["每条信息一行；带 * 的列必填；日期写成 2024-03-15。任何一行有误时整个文件不导入。"]
    )
    for column in columns:
        if column.note:
            notes.append([f"{column.label}：{column.note}"])
    if register == "proactive":
        topics = "、".join(label for _, label in catalogue.topics().items)
        genres = "、".join(label for _, label in catalogue.genres().items)
        notes.append([f"主题分类（{catalogue.topics().source}）：{topics}"])
        notes.append([f"体裁（{catalogue.genres().source}）：{genres}"])
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
