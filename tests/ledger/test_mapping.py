"""Which column holds which field, guessed from the header spellings offices use."""

from __future__ import annotations

import pytest

from gongkai.domain.ledger import COLUMNS, FIELDS, guess_mapping, header_field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("申请人", "applicant_name"),
        ("申请人姓名", "applicant_name"),
        ("申请人（单位）名称", "applicant_name"),
        ("申请人(单位)名称", "applicant_name"),
        ("*申请人姓名或名称", "applicant_name"),
        ("收到日期", "received_on"),
        ("受理日期", "received_on"),
        ("申请日期", "received_on"),
        ("收到申请时间", "received_on"),
        ("申请方式", "channel"),
        ("申请渠道", "channel"),
        ("申请人类型", "applicant_type"),
        ("申请人类别", "applicant_type"),
        ("证件号码", "id_number"),
        ("身份证号", "id_number"),
        ("证件号码（脱敏）", "id_number"),
        ("联系电话", "phone"),
        ("电话", "phone"),
        ("申请人联系电话", "phone"),
        ("申请内容", "content"),
        ("申请公开内容", "content"),
        ("申请公开的政府信息内容描述", "content"),
        ("答复日期", "concluded_on"),
        ("办结日期", "concluded_on"),
        ("答复类型", "outcome"),
        ("答复结果", "outcome"),
        ("处理结果", "outcome"),
        ("是否延期", "extended"),
        ("送达方式", "delivery_method"),
        ("归档日期", "archived_on"),
        (" 申请 编号 ", "tracking_no"),
    ],
)
def test_a_known_spelling_names_its_field(header: str, field: str) -> None:
    assert header_field(header) == field


@pytest.mark.parametrize("header", ["", "序号", "备注", "答复期限", "状态", "经办人"])
def test_other_headers_name_no_field(header: str) -> None:
    assert header_field(header) is None


def test_it_maps_a_typical_office_ledger() -> None:
    headers = ["序号", "申请人姓名", "申请人类别", "身份证号", "电话", "申请渠道", "受理日期",
               "申请公开内容", "办结日期", "处理结果", "备注"]  # fmt: skip
    assert guess_mapping(headers) == {
        "applicant_name": 1, "applicant_type": 2, "id_number": 3, "phone": 4, "channel": 5,
        "received_on": 6, "content": 7, "concluded_on": 8, "outcome": 9,
    }  # fmt: skip


def test_exact_spellings_win_over_contained_ones() -> None:
    # "申请人类型" contains "申请人"; the exact "申请人" column is still the applicant's name.
    assert guess_mapping(["申请人类型", "申请人"]) == {"applicant_type": 0, "applicant_name": 1}


def test_the_leftmost_of_two_columns_for_one_field_wins() -> None:
    assert guess_mapping(["申请日期", "收到日期"]) == {"received_on": 0}


def test_every_exported_header_maps_back_except_the_computed_ones() -> None:
    mapping = guess_mapping([column.header for column in COLUMNS])
    unmapped = {c.key for i, c in enumerate(COLUMNS) if i not in mapping.values()}
    assert unmapped == {"seq", "due_on", "status"}
    assert set(mapping) == {f.key for f in FIELDS} - {"legal_basis"}
