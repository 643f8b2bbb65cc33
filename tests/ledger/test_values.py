"""One cell read as what it means (gongkai.domain.ledger.values); no database."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.domain.ledger.values import (
    CellError,
    parse_applicant_type,
    parse_bool,
    parse_channel,
    parse_date,
    parse_delivery_method,
    parse_outcome,
)


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2025, 3, 3),
        dt.datetime(2025, 3, 3, 9, 30),  # noqa: DTZ001  (what openpyxl gives for an Excel date)
        "2025-03-03",
        "2025/3/3",
        "2025.3.3",
        "2025年3月3日",
        "２０２５年３月３日",
        "2025-03-03 09:30",
        "20250303",
        20250303,
        45719,  # the Excel serial number, in a cell formatted as a number
        45719.375,
    ],
)
def test_it_reads_the_dates_offices_write(value: object) -> None:
    assert parse_date(value) == dt.date(2025, 3, 3)  # type: ignore[arg-type]


def test_an_empty_date_is_none() -> None:
    assert parse_date(None) is None
    assert parse_date("") is None


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30", "三月三日", "待定", 12, 20251340])
def test_it_names_a_bad_date(value: object) -> None:
    with pytest.raises(CellError, match="日期"):
        parse_date(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("网络", "online"),
        ("网上申请", "online"),
        ("互联网渠道", "online"),
        ("政府网站", "online"),
        ("电子邮件", "online"),
        ("当面", "in_person"),
        ("当面提交", "in_person"),
        ("现场申请", "in_person"),
        ("信函", "letter"),
        ("平常信函", "letter"),
        ("邮寄", "mail"),
        ("邮寄（需签收）", "mail"),
        ("EMS", "mail"),
        ("传真", "fax"),
        ("口头申请", "oral"),
        ("online", "online"),
    ],
)
def test_it_reads_channels(text: str, channel: str) -> None:
    assert parse_channel(text) == channel


def test_an_unknown_channel_lists_the_choices() -> None:
    with pytest.raises(CellError, match=r"不能识别的申请方式“电报”.*互联网渠道"):
        parse_channel("电报")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("自然人", "natural"),
        ("个人", "natural"),
        ("公民", "natural"),
        ("企业", "biz"),
        ("商业企业", "biz"),
        ("有限公司", "biz"),
        ("律师事务所", "legal"),
        ("法律服务机构", "legal"),
        ("科研机构", "research"),
        ("社会公益组织", "ngo"),
        ("其他组织", "other_org"),
        ("其他", "other_org"),
    ],
)
def test_it_reads_applicant_types(text: str, kind: str) -> None:
    assert parse_applicant_type(text) == kind


def test_the_2019_column_cannot_be_split_into_the_2021_ones() -> None:
    with pytest.raises(CellError, match=r"法人或其他组织.*不能确定"):
        parse_applicant_type("法人或其他组织")


def test_an_unknown_applicant_type_is_named() -> None:
    with pytest.raises(CellError, match="不能识别的申请人类型“外星人”"):
        parse_applicant_type("外星人")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("予以公开", "r_open"),
        ("公开", "r_open"),
        ("部分公开", "r_partial"),
        ("不予公开-国家秘密", "r_deny_secret"),
        ("不予公开：属于国家秘密", "r_deny_secret"),
        ("不予公开（过程性信息）", "r_deny_process"),
        ("不予公开：危及“三安全一稳定”", "r_deny_3s1s"),
        ("本机关不掌握", "r_na_notheld"),
        ("信息不存在", "r_na_notheld"),
        ("无法提供：本机关不掌握相关政府信息", "r_na_notheld"),
        ("无法提供-需另行制作", "r_na_create"),
        ("不予处理-重复申请", "r_np_repeat"),
        ("信访举报投诉类申请", "r_np_petition"),
        ("申请人撤回", "r_other_other"),
        ("逾期未补正", "r_other_nocorrect"),
        ("其他处理：申请人逾期未按收费通知要求缴纳费用", "r_other_nofee"),
        ("r_partial", "r_partial"),
    ],
)
def test_it_reads_outcome_labels(text: str, key: str) -> None:
    assert parse_outcome(text) == key


def test_a_group_without_its_kind_is_refused() -> None:
    with pytest.raises(CellError, match="没有写明是哪一种“不予公开”"):
        parse_outcome("不予公开")


def test_an_unknown_outcome_is_named() -> None:
    with pytest.raises(CellError, match="不能识别的答复类型“已办”"):
        parse_outcome("已办")


@pytest.mark.parametrize(
    ("text", "value"), [("是", True), ("否", False), ("√", True), ("已延期", True), (None, None)]
)
def test_it_reads_yes_and_no(text: str | None, value: bool | None) -> None:
    assert parse_bool(text) is value


def test_a_bad_yes_or_no_is_named() -> None:
    with pytest.raises(CellError, match="应为“是”或“否”"):
        parse_bool("也许")


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("当面送达", "in_person"),
        ("邮寄送达", "mail"),
        ("电子邮件送达", "email"),
        ("网上送达", "online"),
    ],
)
def test_it_reads_delivery_methods(text: str, method: str) -> None:
    assert parse_delivery_method(text) == method
