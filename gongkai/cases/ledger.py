"""台账 exchange with .xlsx: export the ledger as offices keep it; read an office's own ledger,
check it row by row and import it in one transaction through the services.

The columns, the header spellings and the reading of one row are data and pure functions in
`gongkai.domain.ledger`; this module adds the spreadsheet (openpyxl) and the database.
Identity numbers and phones are exported masked (`mask_id`, `mask_phone`), for every user;
decisions L-1…L-4 and C-3 in docs/decisions.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import CharField, JSONField, Model, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from psycopg.types.json import Jsonb

from gongkai.accounts.access import roles_in
from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendar_for
from gongkai.cases.choices import DELIVERY_METHODS
from gongkai.cases.models import Application, Event, LedgerImport
from gongkai.cases.services import (
    IMPORT,
    Applicant,
    LedgerConclusion,
    Registration,
    ServiceError,
    deadlines_from,
    import_event,
    import_roles_check,
    new_application,
    register_event,
    registration_check,
    reserve_sequences,
    set_deadlines,
)
from gongkai.domain.deadline_model import Channel
from gongkai.domain.identity import IdType, mask_id, mask_phone
from gongkai.domain.ledger import (
    COLUMNS,
    FIELD_LABELS,
    ID_NOT_RECORDED,
    REQUIRED,
    CellValue,
    LedgerRow,
    Problem,
    cell_text,
    check_row,
    guess_mapping,
    header_field,
)
from gongkai.domain.lifecycle import Action, ApplicantType, Role, Status, outcomes
from gongkai.domain.workdays import WorkdayCalendar
from gongkai.domain.zipcheck import ZipLimits, zip_problem

__all__ = [
    "COLUMNS",
    "ImportResult",
    "LedgerFileError",
    "RowReport",
    "Sheet",
    "export_ledger",
    "export_ledger_counted",
    "guess_mapping",
    "import_rows",
    "read_ledger",
    "validate_rows",
]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------- export

# The values read per application, in this order; `delivery_method` is annotated.
_VALUES = (
    "tracking_no", "applicant_name", "applicant_type", "id_type", "id_number", "phone",
    "address", "email", "channel", "received_on", "content", "due_on", "extended",
    "concluded_on", "outcome", "delivery_method", "archived_on", "status",
)  # fmt: skip
_TEXT_COLUMNS = {"applicant_name", "phone", "address", "email", "content"}


def export_ledger(queryset: QuerySet[Application], *, title: str = "") -> bytes:
    """The applications of `queryset` as an .xlsx ledger, one row each in the order received."""
    return export_ledger_counted(queryset, title=title)[0]


def export_ledger_counted(queryset: QuerySet[Application], *, title: str = "") -> tuple[bytes, int]:
    """The .xlsx ledger and its number of rows (for the audit entry of the export)."""
    buffer = io.BytesIO()
    count = write_ledger_xlsx(queryset, buffer, title=title)
    return buffer.getvalue(), count


Progress = Callable[[int], None]


def write_ledger_xlsx(
    queryset: QuerySet[Application],
    target: IO[bytes],
    *,
    title: str = "",
    progress: Progress | None = None,
) -> int:
    """Write the .xlsx ledger of `queryset` to `target`; the number of rows. `progress` is told
    the rows written so far every PROGRESS_ROWS rows (the export job shows it).

    A write-only workbook streams rows to a temporary file, and the queryset is read in chunks
    of plain tuples, so memory stays flat whatever the number of rows."""
    workbook = Workbook(write_only=True)
    # Any: the openpyxl stubs lack the write-only sheet's column_dimensions and auto_filter.
    sheet: Any = workbook.create_sheet("依申请公开台账")
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header_row = 2 if title else 1
    # The sheet's header (views, column widths) is written with the first row: set it before.
    sheet.freeze_panes = f"C{header_row + 1}"
    if title:
        sheet.append([_bold(sheet, title)])
    sheet.append([_bold(sheet, column.header) for column in COLUMNS])
    count = 0
    for count, values in enumerate(_ledger_values(queryset), 1):
        sheet.append(_cells(sheet, count, values))
        if progress is not None and count % PROGRESS_ROWS == 0:
            progress(count)
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + count}"
    workbook.save(target)
    return count


PROGRESS_ROWS = 5_000
CSV_TYPE = "text/csv; charset=utf-8"
_CSV_BATCH = 2_000
# A cell starting with one of these is a formula to Excel when it opens a .csv (CWE-1236); the
# .xlsx marks such a cell as text instead (decision IM-3).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def ledger_csv(queryset: QuerySet[Application]) -> Iterator[bytes]:
    """The ledger of `queryset` as CSV, in pieces of _CSV_BATCH rows: UTF-8 with a byte-order
    mark (Excel reads a .csv without one in the system's code page and garbles Chinese), the
    header row and the rows of the .xlsx export with the same values (dates as 2025-03-03)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header for column in COLUMNS])
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    with _streaming_read():
        for count, values in enumerate(_ledger_values(queryset, chunk_size=_CSV_BATCH), 1):
            writer.writerow(_plain_row(count, values, _CSV_CONVERTERS))
            if count % _CSV_BATCH == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _streaming_read() -> AbstractContextManager[Any]:
    """On PostgreSQL, a transaction around the read: outside one, Django declares its
    server-side cursor WITH HOLD, which PostgreSQL runs to the end before the first row (26 s
    at 1M rows under load); inside, rows come as they are found. Not on SQLite, whose
    transactions here are IMMEDIATE and would hold the write lock while the file downloads."""
    return transaction.atomic() if connection.vendor == "postgresql" else nullcontext()


def _ledger_values(
    queryset: QuerySet[Application], chunk_size: int = 2000
) -> Iterator[tuple[Any, ...]]:
    """Plain tuples in the order of `_VALUES`, with the 送达方式 of the latest delivery."""
    return ledger_query(queryset).iterator(chunk_size=chunk_size)


def ledger_query(queryset: QuerySet[Application]) -> QuerySet[Any]:
    """The SELECT of an export: the values of `_VALUES` in the order received."""
    delivered = (
        Event.objects.filter(
            application=OuterRef("pk"), action__in=[Action.DELIVER, IMPORT], data__has_key="method"
        )
        .order_by("-date", "-id")
        .values_list(KT("data__method"))[:1]
    )
    annotated = queryset.annotate(delivery_method=Subquery(delivered, output_field=CharField()))
    return annotated.order_by("received_on", "id").values_list(*_VALUES)


_LABELS: dict[str, dict[str, str]] = {
    "applicant_type": {t.value: t.label for t in ApplicantType},
    "id_type": {t.value: t.label for t in IdType},
    "channel": {c.value: c.label for c in Channel},
    "outcome": {o.key: o.label for o in outcomes()},
    "delivery_method": DELIVERY_METHODS,
    "status": {s.value: s.label for s in Status},
}


def _clean(value: str) -> str | None:
    """Text without the control characters Excel refuses; None when nothing is left."""
    if value.isprintable():  # nearly always: no need for the expression
        return value or None
    return ILLEGAL_CHARACTERS_RE.sub("", value) or None


def _label(labels: dict[str, str]) -> Callable[[Any], Any]:
    return lambda value: labels.get(value, value) if value else None


def _converter(key: str) -> Callable[[Any], Any] | None:
    """How the value of `key` is shown in a cell, the same in the .xlsx and the .csv."""
    if key in _LABELS:
        return _label(_LABELS[key])
    if key == "id_number":
        return lambda value: value if value == ID_NOT_RECORDED else mask_id(value)
    if key == "phone":
        return lambda value: _clean(mask_phone(value))
    if key == "extended":
        return lambda value: "是" if value else "否"
    if key in _TEXT_COLUMNS:
        return _clean
    return None  # tracking_no and the dates, written as they are (real Excel dates)


# (position in a row, conversion) of the columns shown otherwise than stored.
_CONVERTERS = tuple(
    (i + 1, convert) for i, key in enumerate(_VALUES) if (convert := _converter(key)) is not None
)
# Positions in a row (after 序号) of the free text an applicant typed.
_TEXT_POSITIONS = tuple(
    i + 1 for i, key in enumerate(_VALUES) if key in _TEXT_COLUMNS or key == "phone"
)


def _csv_text(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def shown(value: Any) -> Any:
        text = convert(value)
        return "'" + text if text and text.startswith(_FORMULA_START) else text

    return shown


# The same conversions, the applicant's text kept from being read as a formula (IM-4).
_CSV_CONVERTERS = tuple(
    (position, _csv_text(convert) if position in _TEXT_POSITIONS else convert)
    for position, convert in _CONVERTERS
)


def _plain_row(
    index: int, values: Sequence[Any], converters: Sequence[tuple[int, Any]] = _CONVERTERS
) -> list[Any]:
    """序号 and the shown value of every column."""
    row = [index, *values]
    for position, convert in converters:
        row[position] = convert(row[position])
    return row


def _cells(sheet: WriteOnlyWorksheet, index: int, values: Sequence[Any]) -> list[Any]:
    """A row of the .xlsx: text as text, so that an applicant's "=HYPERLINK(…)" never becomes a
    formula."""
    row = _plain_row(index, values)
    for position in _TEXT_POSITIONS:
        text = row[position]
        if text and text.startswith("="):
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            row[position] = cell
    return row


def _bold(sheet: WriteOnlyWorksheet, value: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


# ---------------------------------------------------------------- reading a file

MAX_ROWS = 100_000  # one transaction in bulk: see decisions L-4 and IM-1
MAX_UNZIPPED = 512 * 1024 * 1024
# A sheet of 100,000 rows is some 60 MB of XML: larger members than an attachment may hold.
_ZIP_LIMITS = ZipLimits(max_member_bytes=MAX_UNZIPPED, max_total_bytes=MAX_UNZIPPED)
HEAD_ROWS = 10  # data rows read below the header to show the mapping of a large file
HEADER_SCAN = 20  # title rows an office may put above its header row
EMPTY_RUN = 1_000  # so many empty rows in a row end the data (sheets formatted to row 1048576)
_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: Excel 97-2003 .xls (and old .doc)
_BROKEN = "无法读取这个 .xlsx 文件，可能已损坏；请在 Excel 或 WPS 中打开并重新保存后再上传"


class LedgerFileError(Exception):
    """A file that cannot be read as a ledger; the message is Chinese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SheetRow:
    number: int  # the spreadsheet's own row number, as the user sees it
    cells: tuple[CellValue, ...]

    def get(self, index: int | None) -> CellValue:
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]


@dataclass(frozen=True)
class Sheet:
    name: str
    sheet_names: tuple[str, ...]
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[SheetRow, ...]

    def column_name(self, index: int) -> str:
        """ "C列「受理日期」", as a problem names it."""
        header = self.headers[index] if index < len(self.headers) else ""
        return f"{get_column_letter(index + 1)}列「{header or '无列名'}」"


def read_ledger(data: bytes, *, sheet: str | None = None, head: bool = False) -> Sheet:
    """The header row and data rows of an .xlsx ledger (the sheet named `sheet`, else the active
    one, else the first with content). Anything unreadable raises `LedgerFileError` with a
    Chinese message: an old .xls, another format, a truncated or damaged file, an empty sheet.
    With `head`, only the header and the first HEAD_ROWS data rows (the mapping step of a file
    imported by a job, which reads the whole file once, later)."""
    _check_container(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, XML errors… on bad files
        raise LedgerFileError(_BROKEN) from exc
    try:
        return _read_workbook(workbook, sheet, HEADER_SCAN + HEAD_ROWS if head else None)
    except LedgerFileError:
        raise
    except Exception as exc:  # the read-only reader parses lazily: damage shows while iterating
        raise LedgerFileError(_BROKEN) from exc
    finally:
        workbook.close()


def _check_container(data: bytes) -> None:
    if not data:
        raise LedgerFileError("文件是空的")
    if data.startswith(_XLS):
        raise LedgerFileError(
            "这是旧版 Excel 97-2003 工作簿（.xls），请在 Excel 或 WPS 中“另存为”Excel 工作簿"
            "（.xlsx）后再上传"
        )
    if not data.startswith(b"PK\x03\x04"):
        raise LedgerFileError("这不是 Excel 工作簿（.xlsx）文件，请确认文件格式")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise LedgerFileError(
            "文件不完整或已损坏（可能上传或保存时中断），请重新保存后上传"
        ) from None
    names = {member.filename for member in members}
    problem = zip_problem(data, _ZIP_LIMITS)
    if problem:
        raise LedgerFileError(problem)
    if "xl/workbook.bin" in names:
        raise LedgerFileError("这是二进制工作簿（.xlsb），请“另存为”Excel 工作簿（.xlsx）后再上传")
    if not any(name.startswith("xl/") for name in names):
        raise LedgerFileError("这个文件不是 Excel 工作簿（可能是 Word 文档或其他压缩包）")
    if sum(member.file_size for member in members) > MAX_UNZIPPED:
        raise LedgerFileError("文件内容过大，请拆分后分批导入")


def _read_workbook(workbook: Any, requested: str | None, limit: int | None) -> Sheet:
    names = tuple(workbook.sheetnames)
    if requested and requested not in names:
        raise LedgerFileError(f"工作簿中没有名为“{requested}”的工作表")
    active = workbook.active.title if workbook.active is not None else names[0]
    order = [requested] if requested else [active, *(n for n in names if n != active)]
    for name in order:
        worksheet = workbook[name]
        rows = _sheet_rows(worksheet, limit) if hasattr(worksheet, "iter_rows") else []
        if rows:
            return _sheet(name, names, rows)
    if requested:
        raise LedgerFileError(f"工作表“{requested}”是空的")
    raise LedgerFileError("工作簿是空的：没有任何有内容的工作表")


def _sheet_rows(worksheet: Any, limit: int | None = None) -> list[SheetRow]:
    """The non-empty rows, with their own numbers; at most MAX_ROWS data rows plus a header
    (the first `limit` rows only, when given)."""
    worksheet.reset_dimensions()  # some writers record a wrong size; read what is there
    rows: list[SheetRow] = []
    empty_run = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
        cells = _trimmed(_cell(value) for value in values)
        if not cells:
            empty_run += 1
            if empty_run >= EMPTY_RUN:
                break
            continue
        empty_run = 0
        rows.append(SheetRow(number, cells))
        if limit is not None and len(rows) >= limit:
            break
        if len(rows) > MAX_ROWS + HEADER_SCAN:
            raise LedgerFileError(f"行数过多（超过{MAX_ROWS}行），请拆分后分批导入")
    return rows


def _cell(value: object) -> CellValue:
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, int | float | bool | dt.date):
        return value
    return str(value)  # a time or a duration: shown as written


def _trimmed(values: Iterable[CellValue]) -> tuple[CellValue, ...]:
    cells = list(values)
    while cells and cells[-1] is None:
        cells.pop()
    return tuple(cells)


def _sheet(name: str, names: tuple[str, ...], rows: list[SheetRow]) -> Sheet:
    header_at = _header_index(rows)
    header, data = rows[header_at], rows[header_at + 1 :]
    if not data:
        raise LedgerFileError(f"工作表“{name}”第{header.number}行是表头，但下面没有数据行")
    if len(data) > MAX_ROWS:
        raise LedgerFileError(f"行数过多（{len(data)}行，上限{MAX_ROWS}行），请拆分后分批导入")
    width = max(len(row.cells) for row in rows[header_at:])
    headers = tuple(cell_text(header.get(i)) for i in range(width))
    return Sheet(name, names, header.number, headers, tuple(data))


def _header_index(rows: list[SheetRow]) -> int:
    """The row naming the most known fields among the first HEADER_SCAN (a title row above it
    names one at most); else the first row with two cells or more."""
    scores = [
        len({header_field(cell_text(cell)) for cell in row.cells} - {None})
        for row in rows[:HEADER_SCAN]
    ]
    best = max(scores)
    if best >= 2:
        return scores.index(best)
    for index, row in enumerate(rows[:HEADER_SCAN]):
        if sum(cell is not None for cell in row.cells) >= 2:
            return index
    raise LedgerFileError("没有找到表头行：第一行应为列名，如申请人、收到日期、申请内容")


# ---------------------------------------------------------------- checking the rows


@dataclass(frozen=True)
class RowReport:
    """The check of one spreadsheet row: `row` is what would be imported (None when invalid)."""

    number: int
    row: LedgerRow | None
    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    applicant: str  # as written, for the report table
    received: str

    @property
    def ok(self) -> bool:
        return not self.problems


def mapping_problems(mapping: dict[str, int]) -> list[str]:
    """The required fields no column was chosen for."""
    return [f"请指定“{FIELD_LABELS[key]}”在哪一列" for key in REQUIRED if key not in mapping]


def validate_rows(
    sheet: Sheet,
    mapping: dict[str, int],
    organisation: Organisation,
    *,
    today: dt.date | None = None,
) -> list[RowReport]:
    """Check every row against the mapping (field → column index): a report per row, each
    problem naming its column. A row that repeats an earlier row, or an application already
    registered in `organisation` (same applicant, receipt date and content), is refused, so that
    importing the same file twice imports nothing twice."""
    today = today or timezone.localdate()
    missing = tuple(mapping_problems(mapping))
    checks = []
    for sheet_row in sheet.rows:
        cells = {key: sheet_row.get(index) for key, index in mapping.items()}
        checks.append((sheet_row.number, cells, check_row(cells, today=today)))
    existing = _existing(organisation, [_row_key(c.row) for _, _, c in checks if c.row])
    seen: dict[_Key, int] = {}
    reports = []
    for number, cells, check in checks:
        # An unmapped required field is said once, not again as an empty cell.
        named = (p for p in check.problems if p.field is None or p.field in mapping)
        problems = [*missing, *(_where(sheet, mapping, p) for p in named)]
        if check.row is not None:
            problems += _duplicate(check.row, number, seen, existing)
        reports.append(
            RowReport(
                number=number,
                row=None if problems else check.row,
                problems=tuple(problems),
                warnings=tuple(_where(sheet, mapping, w) for w in check.warnings),
                applicant=cell_text(cells.get("applicant_name")),
                received=cell_text(cells.get("received_on")),
            )
        )
    return reports


def _where(sheet: Sheet, mapping: dict[str, int], problem: Problem) -> str:
    if problem.field is None or problem.field not in mapping:
        return problem.message
    return f"{sheet.column_name(mapping[problem.field])}：{problem.message}"


_Key = tuple[str, dt.date, str]


def _key(name: str, received_on: dt.date, content: str) -> _Key:
    return (name.strip(), received_on, " ".join(content.split()))


def _row_key(row: LedgerRow) -> _Key:
    return _key(row.applicant_name, row.received_on, row.content)


_KEY_CHUNK = 500  # (receipt date, applicant) pairs a query asks for


def _existing(organisation: Organisation, keys: Iterable[_Key]) -> dict[_Key, str]:
    """The organisation's applications with the same duplicate key as one of `keys`: asked for
    by the file's own (receipt date, applicant) pairs, a chunk at a time, never the whole span
    of dates the file covers (an office's ledger of ten years is most of its applications)."""
    wanted = set(keys)
    pairs = sorted({(day, name) for name, day, _ in wanted})
    found: dict[_Key, str] = {}
    for start in range(0, len(pairs), _KEY_CHUNK):
        chunk = pairs[start : start + _KEY_CHUNK]
        # Dates and names of the chunk: a few pairs more than asked, dropped below by the key.
        # Unordered and fetched at once: a server-side cursor over the model's ordering made
        # PostgreSQL walk the organisation's whole ledger index for a fast start (2 s a chunk
        # at 1M applications instead of 30 ms).
        rows = (
            Application.objects.filter(
                organisation=organisation,
                received_on__in={day for day, _ in chunk},
                applicant_name__in={name for _, name in chunk},
            )
            .order_by()
            .values_list("applicant_name", "received_on", "content", "tracking_no")
        )
        for name, day, content, no in rows:
            key = _key(name, day, content)
            if key in wanted:
                found[key] = no
    return found


def _duplicate(
    row: LedgerRow, number: int, seen: dict[_Key, int], existing: dict[_Key, str]
) -> list[str]:
    key = _row_key(row)
    if key in existing:
        return [
            f"与已登记的申请 {existing[key]} 重复（申请人、收到日期、申请内容相同），可能已经导入过"
        ]
    if key in seen:
        return [f"与第{seen[key]}行重复（申请人、收到日期、申请内容相同）"]
    seen[key] = number
    return []


# ---------------------------------------------------------------- importing


@dataclass(frozen=True)
class ImportResult:
    imported: tuple[tuple[int, Application], ...]  # (spreadsheet row, the new application)
    skipped: tuple[int, ...]  # rows left out because they did not pass the check
    concluded: int  # of the imported, how many the ledger shows concluded
    record: LedgerImport


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def previous_import(organisation: Organisation, sha256: str) -> LedgerImport | None:
    """The latest import of the same file (by its SHA-256) into `organisation`, if any."""
    found = LedgerImport.objects.filter(organisation=organisation, sha256=sha256)
    return found.order_by("-created_at", "-id").first()


def already_imported(earlier: LedgerImport) -> str:
    """What the user is told when the file has been imported before."""
    when = timezone.localtime(earlier.created_at).strftime("%Y年%m月%d日 %H:%M")
    return (
        f"这个文件已于{when}由 {earlier.username} 导入本机关（导入{earlier.rows}行）。"
        "再次导入时，已登记过的申请仍会被判为重复而不导入；如确需再次导入（例如上次只导入了"
        "部分行），请勾选“仍要再次导入”"
    )


CONCLUDING_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})


def import_rows(
    *,
    actor: User,
    organisation: Organisation,
    rows: Sequence[RowReport],
    only_valid: bool,
    source: str = "",
    sha256: str = "",
    repeat: bool = False,
    today: dt.date | None = None,
) -> ImportResult:
    """Register every valid row, in the order received, and record where it came from and how the
    ledger says it ended — all in one transaction, so a refusal anywhere imports nothing.
    With an invalid row, nothing is imported unless `only_valid`. A file whose `sha256` was
    imported into the organisation before is refused unless `repeat` (the user confirmed).

    The rows are built by the services' own functions (`new_application`, `register_event`,
    `import_event`, `deadlines_from`) and inserted in bulk: the same records, checks and
    messages as `application_register` and `application_import_conclusion` one row at a time,
    with a few queries per thousand rows instead of some 25 per row (decision IM-1).

    Imports of one organisation run one at a time: the transaction first locks the organisation's
    row, then checks again, under the lock, what the rows were checked against before it (the
    file's earlier imports, the applications already registered), so two imports of one file at
    the same moment cannot both pass."""
    invalid = tuple(report.number for report in rows if not report.ok)
    if invalid and not only_valid:
        raise ServiceError(
            f"有{len(invalid)}行未通过检查（第{_numbers(invalid)}行），没有导入任何数据；"
            "请修改文件后重新上传，或选择“仅导入有效行”"
        )
    valid = sorted(
        ((report.number, report.row) for report in rows if report.ok and report.row),
        key=lambda item: (item[1].received_on, item[0]),
    )
    if not valid:
        raise ServiceError("没有可以导入的有效行")
    concluded = sum(1 for _, row in valid if row.concluded)
    if concluded and not roles_in(actor, organisation) & CONCLUDING_ROLES:
        raise ServiceError(
            f"文件中有{concluded}件已办结的申请（有答复日期和答复类型），导入已办结的申请需要"
            "审核人或管理员角色；请由审核人导入，或删去这些行后再导入",
            kind="forbidden",
        )
    import_roles_check(actor, organisation, concluded=bool(concluded))
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock(organisation)
        earlier = previous_import(organisation, sha256) if sha256 else None
        if earlier is not None and not repeat:
            raise ServiceError(already_imported(earlier), kind="conflict")
        _refuse_registered(organisation, valid)
        built = _build(actor, organisation, valid, source, today)
        insert_rows(Application, [app for _, app, _ in built])
        for _, app, pair in built:
            for event in pair:
                event.application_id = app.pk
        insert_rows(Event, [event for _, _, pair in built for event in pair])
        record = LedgerImport.objects.create(
            organisation=organisation, sha256=sha256, name=source[:200], user=actor,
            username=actor.get_username(), rows=len(built), skipped=len(invalid),
            repeated=earlier is not None,
        )  # fmt: skip
    imported = tuple((number, app) for number, app, _ in built)
    return ImportResult(imported, invalid, concluded, record)


_INSERT_BATCH = 2_000


def insert_rows(model: type[Model], objects: Sequence[Model]) -> None:
    """Insert `objects` and give them their primary keys. On PostgreSQL by COPY, with the keys
    drawn from the table's own sequence first (`bulk_create` spends most of its time composing
    the INSERT: bench/ledger_import_export.py); elsewhere by `bulk_create`. Either way every
    column is the object's own attribute, as `save` would write it (auto_now filled)."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=_INSERT_BATCH)  # type: ignore[attr-defined]
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None and pk.column is not None
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objects)],
        )
        for obj, (key,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = key
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in [pk, *fields])
        statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for obj in objects:
                copy.write_row([obj.pk, *(_copy_value(f, obj) for f in fields)])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def _copy_value(field: Any, obj: Model) -> Any:

    value = field.pre_save(obj, add=True)  # auto_now(_add) set here, as by save()
    return Jsonb(value) if isinstance(field, JSONField) else value


_Built = tuple[int, Application, tuple[Event, Event]]


def _build(
    actor: User, organisation: Organisation, valid: Sequence[tuple[int, LedgerRow]],
    source: str, today: dt.date,
) -> list[_Built]:  # fmt: skip
    """Each row's application with its two timeline entries and its deadlines, unsaved, numbered
    as registrations one after another in the order received would be."""
    first = {
        year: reserve_sequences(organisation, year, count)
        for year, count in sorted(Counter(row.received_on.year for _, row in valid).items())
    }
    calendar = calendar_for(organisation)
    memo: dict[Any, Any] = {}
    built = []
    for number, row in valid:
        try:
            built.append(
                _build_one(actor, organisation, row, number, source, today, first, calendar, memo)
            )
        except ServiceError as exc:
            raise ServiceError(f"第{number}行：{exc.message}", kind=exc.kind) from exc
    return built


def _build_one(
    actor: User, organisation: Organisation, row: LedgerRow, number: int, source: str,
    today: dt.date, first: dict[int, int], calendar: WorkdayCalendar, memo: dict[Any, Any],
) -> _Built:  # fmt: skip
    data = _registration(row)
    registration_check(data, today)
    year = row.received_on.year
    application = new_application(organisation, year, first[year], data)
    first[year] += 1
    registered = register_event(application, actor, data)
    imported = import_event(
        application, actor, source=source, row=number, source_no=row.source_no,
        conclusion=_conclusion(row), today=today, last_step=row.received_on,
    )  # fmt: skip
    timeline = [registered, imported]
    set_deadlines(application, deadlines_from(application, timeline, calendar, today, memo))
    return number, application, (registered, imported)


def _lock(organisation: Organisation) -> None:
    """Wait for any other import of `organisation` to end (PostgreSQL; on SQLite the IMMEDIATE
    transaction already admits one writer at a time, and select_for_update does nothing).

    FOR NO KEY UPDATE, not FOR UPDATE: inserting an application takes FOR KEY SHARE on its
    organisation, which FOR UPDATE would block, so a registration holding its tracking counter
    would deadlock against an import waiting for that counter."""
    list(Organisation.objects.select_for_update(no_key=True).filter(pk=organisation.pk))


def _refuse_registered(organisation: Organisation, valid: Sequence[tuple[int, LedgerRow]]) -> None:
    """Refuse the import if a row was registered since the rows were checked (by an import or a
    registration that committed in between)."""
    existing = _existing(organisation, [_row_key(row) for _, row in valid])
    for number, row in valid:
        key = _row_key(row)
        if key in existing:
            raise ServiceError(
                f"第{number}行与刚刚登记的申请 {existing[key]} 重复（可能有人同时导入了相同的"
                "数据），没有导入任何数据；请重新核对后再导入",
                kind="conflict",
            )


def _numbers(numbers: Sequence[int], limit: int = 10) -> str:
    shown = "、".join(str(n) for n in numbers[:limit])
    return shown + ("等" if len(numbers) > limit else "")


def _conclusion(row: LedgerRow) -> LedgerConclusion | None:
    if row.concluded_on is None:
        return None
    return LedgerConclusion(
        outcome=row.outcome, concluded_on=row.concluded_on, legal_basis=row.legal_basis,
        extended=row.extended, delivery_method=row.delivery_method, archived_on=row.archived_on,
    )  # fmt: skip


def _registration(row: LedgerRow) -> Registration:
    """The ledger does not say how the applicant wanted the information (载体形式, 获取方式): the
    form follows the contact details it gives (decision L-3)."""
    return Registration(
        applicant=Applicant(
            type=row.applicant_type,
            name=row.applicant_name,
            id_type=row.id_type,
            id_number=row.id_number,
            phone=row.phone,
            address=row.address,
            email=row.email,
        ),
        channel=row.channel,
        received_on=row.received_on,
        content=row.content,
        form="electronic" if row.email else "paper",
        delivery="email" if row.email else ("mail" if row.address else "pickup"),
    )
