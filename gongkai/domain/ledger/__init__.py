"""The 依申请公开 ledger (台账) as offices keep it in spreadsheets.

- `columns`: the columns of an export and the header spellings recognised on import;
- `values`: one cell read as a date, a channel, an applicant type, an outcome…;
- `rows`: one row read into an application, every problem named.

No spreadsheet library and no Django here: `gongkai.cases.ledger` reads and writes .xlsx and
passes plain cell values in. Sources: 条例第二十九条第二款 (what an application states: name,
身份证明, contact, content), 第三十一条 (channels), 第四十五条 (offices keep a record of each step),
国办公开办函〔2021〕30号 table 三 (the applicant types and outcome rows the ledger feeds).
"""

from gongkai.domain.ledger.columns import (
    COLUMNS,
    FIELD_LABELS,
    FIELDS,
    REQUIRED,
    Column,
    Field,
    guess_mapping,
    header_field,
)
from gongkai.domain.ledger.rows import ID_NOT_RECORDED, LedgerRow, Problem, RowCheck, check_row
from gongkai.domain.ledger.values import CellError, CellValue, cell_text

__all__ = [
    "COLUMNS",
    "FIELDS",
    "FIELD_LABELS",
    "ID_NOT_RECORDED",
    "REQUIRED",
    "CellError",
    "CellValue",
    "Column",
    "Field",
    "LedgerRow",
    "Problem",
    "RowCheck",
    "cell_text",
    "check_row",
    "guess_mapping",
    "header_field",
]
