"""`gongkai due`: JSON output, text output, and Chinese errors with exit status 2."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gongkai.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["due", *args])
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    status, out, err = run(capsys, *args, "--json")
    assert (status, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


def test_json_for_the_spec_example(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--received", "2025-01-20", "--today", "2025-02-05")
    assert {k: v for k, v in data.items() if k != "trail"} == {
        "receipt_date": "2025-01-20",
        "clock_start": "2025-01-20",
        "correction_notice_due": "2025-02-05",
        "reply_due": "2025-02-21",
        "extended_reply_due": None,
        "remaining_working_days": 13,  # 2/6, 2/7, 2/8 上班, 2/10..14, 2/17..21
        "overdue": False,
        "provisional": False,
    }
    assert {"date": "2025-01-28", "reason": "春节"} in data["trail"]
    assert {"date": "2025-01-26", "reason": "调休上班"} in data["trail"]


def test_extension(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--received", "2025-01-20", "--extend", "--today", "2025-03-21")
    assert data["extended_reply_due"] == "2025-03-21"
    assert (data["remaining_working_days"], data["overdue"]) == (0, False)


def test_extension_with_approval_date(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--received", "2025-01-20", "--extend", "2025-02-18")
    assert data["extended_reply_due"] == "2025-03-21"
    assert {
        "date": "2025-02-18",
        "reason": "经政府信息公开工作机构负责人同意并告知申请人，延长答复期限 20 个工作日（第三十三条第二款）",
    } in data["trail"]


def test_pause_excludes_the_working_days_after_start_up_to_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # spec example with extension, pause (2/28, 3/14] = 3/3..3/14 = 10 working days:
    # 3/21 + 10 = 3/24..28 = 5, 3/31..4/3 = 9, 4/4–4/6 清明, 4/7 = 10
    data = run_json(
        capsys, "--received", "2025-01-20", "--extend", "--pause", "2025-02-28", "2025-03-14"
    )
    assert data["extended_reply_due"] == "2025-04-07"
    trail = data["trail"]
    assert {"date": "2025-03-03", "reason": "征求第三方意见，不计入"} in trail
    assert {"date": "2025-03-01", "reason": "周末"} in trail


def test_pause_is_not_capped_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    # (2/10, 3/10] = 20 working days although the third party's 15 end on 3/3: 2/21 + 20 = 3/21
    data = run_json(capsys, "--received", "2025-01-20", "--pause", "2025-02-10", "2025-03-10")
    assert data["reply_due"] == "2025-03-21"


def test_restart_after_correction(capsys: pytest.CaptureFixture[str]) -> None:
    # restart from Mon 2/10: 2/11..14 = 4, 2/17..21 = 9, 2/24..28 = 14, 3/3..7 = 19, 3/10 = 20
    data = run_json(
        capsys,
        "--received",
        "2025-01-20",
        "--correction-notice",
        "2025-01-24",
        "--corrected",
        "2025-02-10",
    )
    assert (data["clock_start"], data["reply_due"]) == ("2025-02-10", "2025-03-10")


def test_awaiting_correction_gives_null_deadlines(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--received", "2025-01-20", "--correction-notice", "2025-01-24")
    assert (data["reply_due"], data["remaining_working_days"], data["overdue"]) == (
        None,
        None,
        None,
    )


def test_weekend_receipt_and_channel(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--received", "2025-01-18", "--channel", "mail")
    assert (data["receipt_date"], data["clock_start"]) == ("2025-01-18", "2025-01-20")
    first = data["trail"][0]
    assert first["reason"].startswith("收到申请（邮寄（需签收），以签收之日为收到申请之日")


def test_provisional_year(capsys: pytest.CaptureFixture[str]) -> None:
    # 12/22..25 = 4, 12/28..31 = 8, 2027-01-01 元旦 (statutory), 1/4..8 = 13, 1/11..15 = 18,
    # 1/18..19 = 20
    data = run_json(capsys, "--received", "2026-12-21", "--today", "2026-12-21")
    assert (data["reply_due"], data["provisional"]) == ("2027-01-19", True)


def test_the_issue_example_falls_after_new_year(capsys: pytest.CaptureFixture[str]) -> None:
    # 12/16..18 = 3, 12/21..25 = 8, 12/28..31 = 12, 2027-01-01 元旦, 1/4..8 = 17, 1/11..13 = 20
    data = run_json(capsys, "--received", "2026-12-15")
    assert (data["reply_due"], data["provisional"]) == ("2027-01-13", True)


def test_overdue(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--received", "2025-01-20", "--today", "2025-02-25")
    assert (data["remaining_working_days"], data["overdue"]) == (-2, True)


def test_text_output_shows_table_and_trail(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys,
        "--received",
        "2025-01-20",
        "--pause",
        "2025-02-28",
        "2025-03-14",
        "--today",
        "2025-02-05",
    )
    assert (status, err) == (0, "")
    for text in (
        "答复期限",
        "2025-02-21",
        "2025-01-28…02-04",
        "春节",
        "调休上班",
        "剩余 13 个工作日",
    ):
        assert text in out
    assert "2025-03-03…03-14" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "缺少 --received"),
        (["--received", "2025-02-30"], "--received 的日期“2025-02-30”无效"),
        (["--received", "20250120x"], "无效"),
        (["--received", "2025-01-20", "--channel", "pigeon"], "--channel 的值“pigeon”无效"),
        (
            ["--received", "2025-01-20", "--corrected", "2025-02-01"],
            "须同时给出 --correction-notice",
        ),
        (
            [
                "--received",
                "2025-01-20",
                "--correction-notice",
                "2025-02-03",
                "--corrected",
                "2025-02-01",
            ],
            "早于 --correction-notice",
        ),
        (
            ["--received", "2025-01-20", "--pause", "2025-02-10", "2025-02-01"],
            "结束日期早于开始日期",
        ),
        (["--received", "2025-01-20", "--pause", "2025-01-10", "2025-02-01"], "早于收到申请之日"),
        (["--received", "2025-01-20", "--today", "tomorrow"], "--today 的日期"),
        (["--received", "2025-01-20", "--correction-notice", "2025-01-24", "--extend"], "不能延长"),
    ],
)
def test_invalid_input_is_explained_in_chinese_with_status_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, out, err = run(capsys, *args)
    assert status == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
