"""Deadline engine: every expected date is counted by hand from the holiday notices.

Notation in the comments: "1/21..1/24 = 4" means those days are counted and the running count
reaches 4; "上班" marks a weekend day designated a working day (调休); "hol" a holiday block.
"""

from __future__ import annotations

import ast
import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.deadlines import (
    Channel,
    ClockStatus,
    ConsultationAnswered,
    ConsultationStarted,
    Conventions,
    CorrectionNotice,
    CorrectionReceived,
    Deadlines,
    Event,
    EventError,
    ExtensionApproved,
    FeeNoticeSent,
    FeePaid,
    Party,
    Receipt,
    ReplySent,
    TrailKind,
    add_counted_days,
    compute_deadlines,
    counted_days,
    group_trail,
    merge_pauses,
    reply_due,
)
from gongkai.domain.workdays import default_calendar

D = dt.date
CAL = default_calendar()


def compute(*events: Event, today: dt.date | None = None, **conventions: bool) -> Deadlines:
    return compute_deadlines(events, CAL, today=today, conventions=Conventions(**conventions))


def reasons(result: Deadlines, day: dt.date) -> list[str]:
    return [e.reason for e in result.trail if e.date == day]


# -- spec §7 worked examples ----------------------------------------------------------------------


def test_spec_example_2025_spring_festival() -> None:
    # 1/21..1/24 = 4, 1/25 Sat, 1/26 Sun 上班 = 5, 1/27 = 6, 1/28–2/4 春节, 2/5 = 7
    # 2/6, 2/7 = 9, 2/8 Sat 上班 = 10, 2/10..14 = 15, 2/17..21 = 20
    # +20: 2/24..28 = 25, 3/3..7 = 30, 3/10..14 = 35, 3/17..21 = 40
    result = compute(Receipt(D(2025, 1, 20)), ExtensionApproved(D(2025, 2, 18)))
    assert result.correction_notice_due == D(2025, 2, 5)
    assert result.reply_due == D(2025, 2, 21)
    assert result.extended_reply_due == D(2025, 3, 21)


def test_spec_example_2025_national_day() -> None:
    # 9/23..26 = 4, 9/28 Sun 上班 = 5, 9/29, 9/30 = 7, 10/1–10/8 hol, 10/9, 10/10 = 9,
    # 10/11 Sat 上班 = 10, 10/13..17 = 15, 10/20..24 = 20
    assert compute(Receipt(D(2025, 9, 22))).reply_due == D(2025, 10, 24)


def test_spec_example_2026_spring_festival() -> None:
    # 2/10..13 = 4, 2/14 Sat 上班 = 5, 2/15–2/23 hol, 2/24, 2/25 = 7
    # 2/26, 2/27 = 9, 2/28 Sat 上班 = 10, 3/2..6 = 15, 3/9..13 = 20
    result = compute(Receipt(D(2026, 2, 9)))
    assert result.correction_notice_due == D(2026, 2, 25)
    assert result.reply_due == D(2026, 3, 13)


# -- around every holiday block of 2024–2026 ------------------------------------------------------

HOLIDAY_CASES = [
    # 2024 元旦 (1/1): 1/1 hol, 1/2..5 = 4, 1/8..10 = 7; 1/11, 1/12 = 9, 1/15..19 = 14,
    # 1/22..26 = 19, 1/29 = 20
    (D(2023, 12, 29), D(2024, 1, 10), D(2024, 1, 29)),
    # 2024 春节 (2/10–2/17, 上班 2/4 Sun, 2/18 Sun): 2/1, 2/2 = 2, 2/4 上班 = 3, 2/5..8 = 7;
    # 2/9 = 8, hol, 2/18 上班 = 9, 2/19..23 = 14, 2/26..3/1 = 19, 3/4 = 20
    (D(2024, 1, 31), D(2024, 2, 8), D(2024, 3, 4)),
    # received the last day before 春节: 2/10–17 hol, 2/18 上班 = 1, 2/19..23 = 6, 2/26 = 7;
    # 2/27..3/1 = 11, 3/4..8 = 16, 3/11..14 = 20
    (D(2024, 2, 9), D(2024, 2, 26), D(2024, 3, 14)),
    # 2024 清明 (4/4–4/6, 上班 4/7 Sun): 4/1..3 = 3, hol, 4/7 上班 = 4, 4/8..10 = 7;
    # 4/11, 4/12 = 9, 4/15..19 = 14, 4/22..26 = 19, 4/28 Sun 上班 = 20 (a Sunday deadline)
    (D(2024, 3, 29), D(2024, 4, 10), D(2024, 4, 28)),
    # 2024 劳动节 (5/1–5/5, 上班 4/28 Sun, 5/11 Sat): 4/25, 4/26 = 2, 4/28 上班 = 3,
    # 4/29, 4/30 = 5, hol, 5/6, 5/7 = 7; 5/8..10 = 10, 5/11 上班 = 11, 5/13..17 = 16, 5/20..23 = 20
    (D(2024, 4, 24), D(2024, 5, 7), D(2024, 5, 23)),
    # 2024 端午 (6/10 Mon): 6/6, 6/7 = 2, 6/10 hol, 6/11..14 = 6, 6/17 = 7; 6/18..21 = 11,
    # 6/24..28 = 16, 7/1..4 = 20
    (D(2024, 6, 5), D(2024, 6, 17), D(2024, 7, 4)),
    # 2024 中秋 (9/15–9/17, 上班 9/14 Sat) then 国庆 (10/1–10/7, 上班 9/29 Sun, 10/12 Sat):
    # 9/12, 9/13 = 2, 9/14 上班 = 3, hol, 9/18..20 = 6, 9/23 = 7; 9/24..27 = 11, 9/29 上班 = 12,
    # 9/30 = 13, hol, 10/8..11 = 17, 10/12 上班 = 18, 10/14, 10/15 = 20
    (D(2024, 9, 11), D(2024, 9, 23), D(2024, 10, 15)),
    # 2024 国庆: 9/24..27 = 4, 9/29 上班 = 5, 9/30 = 6, hol, 10/8 = 7; 10/9..11 = 10,
    # 10/12 上班 = 11, 10/14..18 = 16, 10/21..24 = 20
    (D(2024, 9, 23), D(2024, 10, 8), D(2024, 10, 24)),
    # 2025 元旦 (1/1 Wed), across two schedules: 12/31 = 1, hol, 1/2, 1/3 = 3, 1/6..9 = 7;
    # 1/10 = 8, 1/13..17 = 13, 1/20..24 = 18, 1/26 Sun 上班 = 19, 1/27 = 20
    (D(2024, 12, 30), D(2025, 1, 9), D(2025, 1, 27)),
    # 2025 春节 on the last working day before it: hol 1/28–2/4, 2/5..7 = 3, 2/8 上班 = 4,
    # 2/10 = 5, 2/11 = 6, 2/12 = 7; 2/13, 2/14 = 9, 2/17..21 = 14, 2/24..28 = 19, 3/3 = 20
    (D(2025, 1, 27), D(2025, 2, 12), D(2025, 3, 3)),
    # received on the Sunday 上班 1/26 (a working day, no roll-forward): 1/27 = 1, hol,
    # 2/5..7 = 4, 2/8 上班 = 5, 2/10, 2/11 = 7; 2/12..14 = 10, 2/17..21 = 15, 2/24..28 = 20
    (D(2025, 1, 26), D(2025, 2, 11), D(2025, 2, 28)),
    # 2025 清明 (4/4–4/6 Fri–Sun, no 上班): 4/2, 4/3 = 2, hol, 4/7..11 = 7; 4/14..18 = 12,
    # 4/21..25 = 17, 4/27 Sun 上班 = 18, 4/28, 4/29 = 20
    (D(2025, 4, 1), D(2025, 4, 11), D(2025, 4, 29)),
    # 2025 劳动节 (5/1–5/5, 上班 4/27 Sun): 4/27 上班 = 1, 4/28..30 = 4, hol, 5/6..8 = 7;
    # 5/9 = 8, 5/12..16 = 13, 5/19..23 = 18, 5/26, 5/27 = 20
    (D(2025, 4, 25), D(2025, 5, 8), D(2025, 5, 27)),
    # 2025 端午 (5/31–6/2 Sat–Mon): 5/29, 5/30 = 2, hol, 6/3..6 = 6, 6/9 = 7; 6/10..13 = 11,
    # 6/16..20 = 16, 6/23..26 = 20
    (D(2025, 5, 28), D(2025, 6, 9), D(2025, 6, 26)),
    # 2025 国庆·中秋 (10/1–10/8, 上班 10/11 Sat): hol, 10/9, 10/10 = 2, 10/11 上班 = 3,
    # 10/13..16 = 7; 10/17 = 8, 10/20..24 = 13, 10/27..31 = 18, 11/3, 11/4 = 20
    (D(2025, 9, 30), D(2025, 10, 16), D(2025, 11, 4)),
    # 2026 元旦 (1/1–1/3, 上班 1/4 Sun): hol, 1/4 上班 = 1, 1/5..9 = 6, 1/12 = 7;
    # 1/13..16 = 11, 1/19..23 = 16, 1/26..29 = 20
    (D(2025, 12, 31), D(2026, 1, 12), D(2026, 1, 29)),
    # received on the Saturday 上班 2/14 (a working day): hol 2/15–2/23, 2/24..27 = 4,
    # 2/28 上班 = 5, 3/2, 3/3 = 7; 3/4..6 = 10, 3/9..13 = 15, 3/16..20 = 20
    (D(2026, 2, 14), D(2026, 3, 3), D(2026, 3, 20)),
    # 2026 清明 (4/4–4/6 Sat–Mon): 4/3 = 1, hol, 4/7..10 = 5, 4/13, 4/14 = 7; 4/15..17 = 10,
    # 4/20..24 = 15, 4/27..30 = 19, 5/1–5/5 劳动节, 5/6 = 20
    (D(2026, 4, 2), D(2026, 4, 14), D(2026, 5, 6)),
    # 2026 劳动节 (5/1–5/5, 上班 5/9 Sat): 4/29, 4/30 = 2, hol, 5/6..8 = 5, 5/9 上班 = 6,
    # 5/11 = 7; 5/12..15 = 11, 5/18..22 = 16, 5/25..28 = 20
    (D(2026, 4, 28), D(2026, 5, 11), D(2026, 5, 28)),
    # 2026 端午 (6/19–6/21 Fri–Sun): 6/18 = 1, hol, 6/22..26 = 6, 6/29 = 7; 6/30 = 8,
    # 7/1..3 = 11, 7/6..10 = 16, 7/13..16 = 20
    (D(2026, 6, 17), D(2026, 6, 29), D(2026, 7, 16)),
    # 2026 中秋 (9/25–9/27) then 国庆 (10/1–10/7), 上班 9/20 Sun, 10/10 Sat: 9/20 上班 = 1,
    # 9/21..24 = 5, hol, 9/28, 9/29 = 7; 9/30 = 8, hol, 10/8, 10/9 = 10, 10/10 上班 = 11,
    # 10/12..16 = 16, 10/19..22 = 20
    (D(2026, 9, 18), D(2026, 9, 29), D(2026, 10, 22)),
]


@pytest.mark.parametrize(("received", "notice_due", "reply"), HOLIDAY_CASES)
def test_deadlines_around_holiday_blocks(
    received: dt.date, notice_due: dt.date, reply: dt.date
) -> None:
    result = compute(Receipt(received))
    assert result.correction_notice_due == notice_due
    assert result.reply_due == reply
    assert result.provisional is False


def test_extension_across_2024_national_day() -> None:
    # reply 10/15 (above); +20: 10/16..18 = 3, 10/21..25 = 8, 10/28..11/1 = 13, 11/4..8 = 18,
    # 11/11, 11/12 = 20
    result = compute(Receipt(D(2024, 9, 11)), ExtensionApproved(D(2024, 10, 10)))
    assert result.extended_reply_due == D(2024, 11, 12)


def test_shorter_extension() -> None:
    # 2/21 + 10: 2/24..28 = 5, 3/3..7 = 10
    result = compute(Receipt(D(2025, 1, 20)), ExtensionApproved(D(2025, 2, 18), working_days=10))
    assert result.extended_reply_due == D(2025, 3, 7)


# -- receipt conventions (条例第三十一条) ---------------------------------------------------------


def test_receipt_on_a_holiday_rolls_to_the_next_working_day() -> None:
    # 2024-02-12 is in 春节; the next working day is the Sunday 上班 2/18, not counted.
    # 2/19..23 = 5, 2/26..3/1 = 10, 3/4..8 = 15, 3/11..15 = 20
    result = compute(Receipt(D(2024, 2, 12), Channel.ONLINE))
    assert result.receipt_date == D(2024, 2, 12)
    assert result.clock_start == D(2024, 2, 18)
    assert result.reply_due == D(2024, 3, 15)
    assert reasons(result, D(2024, 2, 12)) == [
        "收到申请（互联网渠道，以双方确认之日为收到申请之日，第三十一条）；"
        "当日为春节，视为下一工作日收到"
    ]
    assert "视为收到申请之日，当日不计入，次日起算" in reasons(result, D(2024, 2, 18))


def test_receipt_on_a_holiday_without_the_roll_forward_convention() -> None:
    # anchor 2/12 itself: 2/18 上班 = 1, 2/19..23 = 6, 2/26..3/1 = 11, 3/4..8 = 16, 3/11..14 = 20
    result = compute(Receipt(D(2024, 2, 12)), next_workday_receipt=False)
    assert result.clock_start == D(2024, 2, 12)
    assert result.reply_due == D(2024, 3, 14)


def test_receipt_on_saturday() -> None:
    # rolled to Mon 1/20: same as the spec example. Without: 1/20 = 1, 1/21..24 = 5,
    # 1/26 上班 = 6, 1/27 = 7, hol, 2/5..7 = 10, 2/8 上班 = 11, 2/10..14 = 16, 2/17..20 = 20
    assert compute(Receipt(D(2025, 1, 18))).reply_due == D(2025, 2, 21)
    assert compute(Receipt(D(2025, 1, 18)), next_workday_receipt=False).reply_due == D(2025, 2, 20)


def test_counting_the_day_of_receipt_is_configurable() -> None:
    # 1/20 = 1, 1/21..24 = 5, 1/26 上班 = 6, 1/27 = 7; reply one working day earlier: 2/20
    result = compute(Receipt(D(2025, 1, 20)), receipt_day_counted=True)
    assert result.correction_notice_due == D(2025, 1, 27)
    assert result.reply_due == D(2025, 2, 20)
    assert "当日计入" in reasons(result, D(2025, 1, 20))[0]


def test_fast_reply_due_matches_the_hand_counts() -> None:
    assert reply_due(CAL, D(2025, 1, 20)) == D(2025, 2, 21)
    assert reply_due(CAL, D(2024, 2, 12)) == D(2024, 3, 15)
    assert reply_due(CAL, D(2024, 2, 12), Conventions(next_workday_receipt=False)) == D(2024, 3, 14)
    assert reply_due(CAL, D(2025, 1, 20), Conventions(receipt_day_counted=True)) == D(2025, 2, 20)


@given(st.dates(min_value=D(2003, 1, 1), max_value=D(2028, 12, 31)), st.booleans(), st.booleans())
def test_fast_reply_due_matches_the_engine(received: dt.date, roll: bool, counted: bool) -> None:
    conventions = Conventions(next_workday_receipt=roll, receipt_day_counted=counted)
    full = compute_deadlines([Receipt(received)], CAL, conventions=conventions)
    assert reply_due(CAL, received, conventions) == full.reply_due


# -- 补正 and restart (第三十条) -------------------------------------------------------------------


def test_corrected_application_restarts_the_full_period() -> None:
    # notice due 2/5 (spec); restart from Mon 2/10: 2/11..14 = 4, 2/17..21 = 9,
    # 2/24..28 = 14, 3/3..7 = 19, 3/10 = 20
    result = compute(
        Receipt(D(2025, 1, 20)),
        CorrectionNotice(D(2025, 1, 24)),
        CorrectionReceived(D(2025, 2, 10)),
    )
    assert result.correction_notice_due == D(2025, 2, 5)
    assert result.clock_start == D(2025, 2, 10)
    assert result.reply_due == D(2025, 3, 10)
    assert reasons(result, D(2025, 1, 24)) == ["发出补正通知（第三十条，期限 2025-02-05，按期）"]
    assert reasons(result, D(2025, 2, 10)) == [
        "收到补正后的申请，答复期限重新起算（第三十条），当日不计入，次日起算"
    ]


def test_corrected_application_received_during_spring_festival() -> None:
    # notice due: 2/3..6 = 4, 2/9..11 = 7 → 2/11. Corrected on 2/16 (hol) → rolled to Tue 2/24;
    # 2/25..27 = 3, 2/28 上班 = 4, 3/2..6 = 9, 3/9..13 = 14, 3/16..20 = 19, 3/23 = 20
    result = compute(
        Receipt(D(2026, 2, 2)),
        CorrectionNotice(D(2026, 2, 6)),
        CorrectionReceived(D(2026, 2, 16)),
    )
    assert result.correction_notice_due == D(2026, 2, 11)
    assert result.clock_start == D(2026, 2, 24)
    assert result.reply_due == D(2026, 3, 23)
    assert reasons(result, D(2026, 2, 24)) == ["视为收到补正后的申请之日，当日不计入，次日起算"]


def test_a_late_correction_notice_is_flagged() -> None:
    # due: 9/24..27 = 4, 9/29 上班 = 5, 9/30 = 6, hol, 10/8 = 7. Sent 10/14: late by
    # 10/9, 10/10, 10/11, 10/12 上班, 10/14 = 5 working days
    result = compute(Receipt(D(2024, 9, 23)), CorrectionNotice(D(2024, 10, 14)))
    assert result.correction_notice_due == D(2024, 10, 8)
    assert reasons(result, D(2024, 10, 14))[0] == (
        "发出补正通知（第三十条，期限 2024-10-08，逾期 5 个工作日）"
    )


def test_while_awaiting_correction_there_is_no_reply_deadline() -> None:
    result = compute(Receipt(D(2025, 1, 20)), CorrectionNotice(D(2025, 1, 24)), today=D(2025, 3, 1))
    assert result.status is ClockStatus.AWAITING_CORRECTION
    assert result.reply_due is None
    assert result.remaining_working_days is None
    assert result.overdue is None
    assert result.to_json()["reply_due"] is None


def test_second_correction_round_counts_from_the_corrected_application() -> None:
    # second notice answers the application corrected on Mon 2/10: 2/11..14 = 4, 2/17..19 = 7
    result = compute(
        Receipt(D(2025, 1, 20)),
        CorrectionNotice(D(2025, 1, 24)),
        CorrectionReceived(D(2025, 2, 10)),
        CorrectionNotice(D(2025, 2, 12)),
    )
    assert result.correction_notice_due == D(2025, 2, 19)
    assert result.status is ClockStatus.AWAITING_CORRECTION


# -- consultation pauses (第三十二条, 第三十三条第三款) -------------------------------------------


def test_consultation_pause_shifts_the_deadline_by_its_working_days() -> None:
    # counted before the letter: 1/21..24 = 4, 1/26 上班 = 5, 1/27 = 6, 2/5..7 = 9, 2/8 = 10,
    # 2/10 = 11 (the letter's day counts); 2/11..14 excluded; 2/17..21 = 16, 2/24..27 = 20
    # third party: 2/11..14 = 4, 2/17..21 = 9, 2/24..28 = 14, 3/3 = 15
    result = compute(
        Receipt(D(2025, 1, 20)),
        ConsultationStarted(D(2025, 2, 10)),
        ConsultationAnswered(D(2025, 2, 14)),
    )
    assert result.reply_due == D(2025, 2, 27)
    assert result.third_party_answer_due == D(2025, 3, 3)
    assert reasons(result, D(2025, 2, 11)) == ["征求第三方意见，不计入"]


def test_consultation_pause_over_national_day_excludes_only_working_days() -> None:
    # 9/23..26 = 4, letter Fri 9/26; excluded (9/26, 10/10]: 9/28 上班, 9/29, 9/30, 10/9, 10/10
    # = 5 working days; 10/11 上班 = 5, 10/13..17 = 10, 10/20..24 = 15, 10/27..31 = 20
    result = compute(
        Receipt(D(2025, 9, 22)),
        ConsultationStarted(D(2025, 9, 26)),
        ConsultationAnswered(D(2025, 10, 10)),
    )
    assert result.reply_due == D(2025, 10, 31)
    # answer due: 9/28 = 1, 9/29, 9/30 = 3, 10/9..10 = 5, 10/11 = 6, 10/13..17 = 11, 10/20..23 = 15
    assert result.third_party_answer_due == D(2025, 10, 23)


def test_the_issue_trail_examples() -> None:
    result = compute(
        Receipt(D(2025, 1, 20)),
        ExtensionApproved(D(2025, 2, 18)),
        ConsultationStarted(D(2025, 2, 28)),
        ConsultationAnswered(D(2025, 3, 14)),
    )
    runs = {(run.dates, run.reason) for run in group_trail(result.trail)}
    assert ("2025-01-28…02-04", "春节") in runs
    assert ("2025-01-26", "调休上班") in runs
    assert ("2025-03-03…03-14", "征求第三方意见，不计入") in runs
    assert ("2025-03-01…03-02", "周末") in runs
    # 40 counted: 2/24..28 = 25, 3/3..14 excluded (10), 3/17..21 = 30, 3/24..28 = 35,
    # 3/31..4/3 = 39, 4/4–4/6 清明, 4/7 = 40
    assert result.extended_reply_due == D(2025, 4, 7)
    assert reasons(result, D(2025, 4, 7)) == [
        "延长后的答复期限（第三十三条第二款，20+20个工作日，另有 10 个工作日不计入）"
    ]


def test_open_consultation_is_projected_to_the_answer_deadline() -> None:
    # counted before the letter (Mon 5/6): 4/25, 4/26 = 2, 4/28 上班 = 3, 4/29, 4/30 = 5,
    # 5/6 = 6. Third party: 5/7..10 = 4, 5/11 上班 = 5, 5/13..17 = 10, 5/20..24 = 15 → 5/24.
    # Resume 5/27: 5/27..31 = 11, 6/3..7 = 16, 6/10 端午, 6/11..14 = 20
    events = (Receipt(D(2024, 4, 24)), ConsultationStarted(D(2024, 5, 6)))
    paused = compute(*events, today=D(2024, 5, 10))
    assert paused.third_party_answer_due == D(2024, 5, 24)
    assert paused.reply_due == D(2024, 6, 14)
    assert paused.status is ClockStatus.PAUSED
    assert paused.remaining_working_days == 14  # 20 - 6 used
    # After the 15 working days lapse without an answer the clock runs again: used 6 + 5/27.
    lapsed = compute(*events, today=D(2024, 5, 27))
    assert lapsed.status is ClockStatus.RUNNING
    assert lapsed.remaining_working_days == 13


def test_late_answer_is_capped_at_the_answer_deadline_by_default() -> None:
    # letter 2/10, due 3/3; capped pause (2/10, 3/3] = 15 working days: 2/21 + 15 = 3/14
    # (2/24..28 = 5, 3/3..7 = 10, 3/10..14 = 15). Uncapped (2/10, 3/10] = 20: 2/21 + 20 = 3/21.
    events = (
        Receipt(D(2025, 1, 20)),
        ConsultationStarted(D(2025, 2, 10)),
        ConsultationAnswered(D(2025, 3, 10)),
    )
    assert compute(*events).reply_due == D(2025, 3, 14)
    assert compute(*events, consultation_capped=False).reply_due == D(2025, 3, 21)
    assert reasons(compute(*events), D(2025, 3, 10)) == [
        "收到第三方意见（晚于答复期限 2025-03-03）"
    ]


def test_overlapping_consultations_are_not_counted_twice() -> None:
    # third party (2/10, 2/14] and other agency (2/12, 2/19]: union (2/10, 2/19] = 2/11..14,
    # 2/17..19 = 7 working days; 2/21 + 7: 2/24..28 = 5, 3/3, 3/4 = 7
    result = compute(
        Receipt(D(2025, 1, 20)),
        ConsultationStarted(D(2025, 2, 10)),
        ConsultationAnswered(D(2025, 2, 14)),
        ConsultationStarted(D(2025, 2, 12), Party.OTHER_AGENCY),
        ConsultationAnswered(D(2025, 2, 19), Party.OTHER_AGENCY),
    )
    assert result.reply_due == D(2025, 3, 4)
    assert reasons(result, D(2025, 2, 13)) == ["征求第三方意见，不计入；征求其他机关意见，不计入"]


def test_third_party_deadline_counts_from_delivery() -> None:
    # delivered Wed 2/12: 2/13, 2/14 = 2, 2/17..21 = 7, 2/24..28 = 12, 3/3..5 = 15
    result = compute(
        Receipt(D(2025, 1, 20)),
        ConsultationStarted(D(2025, 2, 10), delivered=D(2025, 2, 12)),
    )
    assert result.third_party_answer_due == D(2025, 3, 5)


# -- fees (国办函〔2020〕109号) --------------------------------------------------------------------


FEE_EVENTS = (Receipt(D(2025, 3, 3)), FeeNoticeSent(D(2025, 3, 10)))


def test_fee_wait_pauses_the_clock_by_default() -> None:
    # no pause: 3/4..7 = 4, 3/10..14 = 9, 3/17..21 = 14, 3/24..28 = 19, 3/31 = 20.
    # paid 3/17: excluded (3/10, 3/17] = 3/11..14, 3/17 = 5; 3/31 + 5: 4/1..3 = 3, 4/4–4/6 清明,
    # 4/7, 4/8 = 5. Payment due: 3/11..14 = 4, 3/17..21 = 9, 3/24..28 = 14, 3/31..4/3 = 18,
    # 4/7, 4/8 = 20
    result = compute(*FEE_EVENTS, FeePaid(D(2025, 3, 17)))
    assert result.reply_due == D(2025, 4, 8)
    assert result.fee_payment_due == D(2025, 4, 8)
    assert compute(*FEE_EVENTS, FeePaid(D(2025, 3, 17)), fee_wait_pauses_clock=False).reply_due == (
        D(2025, 3, 31)
    )


def test_unpaid_fee_is_projected_then_abandoned() -> None:
    # pause projected to the payment due 4/8, i.e. 20 working days added to 3/31:
    # 4/1..3 = 3, 4/7..11 = 8, 4/14..18 = 13, 4/21..25 = 18, 4/27 Sun 上班 = 19, 4/28 = 20
    waiting = compute(*FEE_EVENTS, today=D(2025, 3, 20))
    assert waiting.status is ClockStatus.PAUSED
    assert waiting.reply_due == D(2025, 4, 28)
    abandoned = compute(*FEE_EVENTS, today=D(2025, 4, 9))
    assert abandoned.status is ClockStatus.ABANDONED
    assert abandoned.remaining_working_days is None
    assert any("视为放弃申请" in reason for reason in reasons(abandoned, D(2025, 4, 8)))
    paid_late = compute(*FEE_EVENTS, FeePaid(D(2025, 4, 9)))
    assert paid_late.status is ClockStatus.ABANDONED


# -- remaining, overdue, reply --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "remaining", "overdue"),
    [
        # (2/5, 2/21]: 2/6, 2/7 = 2, 2/8 上班 = 3, 2/10..14 = 8, 2/17..21 = 13
        (D(2025, 2, 5), 13, False),
        (D(2025, 1, 29), 14, False),  # in 春节: 2/5..2/21 = 14 (above + 2/5)
        (D(2025, 2, 21), 0, False),
        (D(2025, 2, 22), 0, True),  # Saturday after the deadline: past it, no working day yet
        (D(2025, 2, 25), -2, True),  # 2/24, 2/25
    ],
)
def test_remaining_working_days(today: dt.date, remaining: int, overdue: bool) -> None:
    result = compute(Receipt(D(2025, 1, 20)), today=today)
    assert result.remaining_working_days == remaining
    assert result.overdue is overdue
    assert result.status is ClockStatus.RUNNING


def test_without_today_position_is_unknown() -> None:
    result = compute(Receipt(D(2025, 1, 20)))
    assert result.remaining_working_days is None
    assert result.overdue is None


def test_reply_stops_the_clock() -> None:
    on_time = compute(Receipt(D(2025, 1, 20)), ReplySent(D(2025, 2, 20)), today=D(2025, 6, 1))
    assert on_time.status is ClockStatus.REPLIED
    assert (on_time.remaining_working_days, on_time.overdue) == (1, False)
    late = compute(Receipt(D(2025, 1, 20)), ReplySent(D(2025, 2, 25)))
    assert (late.remaining_working_days, late.overdue) == (-2, True)
    assert reasons(late, D(2025, 2, 25)) == ["作出答复（答复期限 2025-02-21，逾期 2 个工作日）"]


def test_extension_after_the_deadline_is_flagged() -> None:
    result = compute(Receipt(D(2025, 1, 20)), ExtensionApproved(D(2025, 2, 24)))
    assert reasons(result, D(2025, 2, 24))[0].endswith("；延长决定晚于原答复期限 2025-02-21")


# -- provisional years (spec §7) ------------------------------------------------------------------


def test_deadline_in_a_year_without_schedule_is_provisional() -> None:
    # Sun 12/20 rolled to Mon 12/21: 12/22..25 = 4, 12/28..31 = 8, 2027-01-01 Fri is 元旦 (a
    # statutory holiday, certain without the notice), 1/4..8 = 13, 1/11..15 = 18, 1/18..19 = 20
    result = compute(Receipt(D(2026, 12, 20)))
    assert result.reply_due == D(2027, 1, 19)
    assert result.provisional is True
    assert reasons(result, D(2027, 1, 1)) == [
        "元旦",
        "2027年节假日调休安排尚未公布，已扣除法定节假日，其余按周一至周五计算，"
        "结果为暂定，公布后须重新计算",
    ]


def test_receipt_in_a_year_without_schedule() -> None:
    # Mon 2027-03-01: 3/2..5 = 4, 3/8..12 = 9, 3/15..19 = 14, 3/22..26 = 19, 3/29 = 20
    result = compute(Receipt(D(2027, 3, 1)), today=D(2027, 3, 2))
    assert result.reply_due == D(2027, 3, 29)
    assert result.provisional is True
    assert result.remaining_working_days == 19


def test_today_in_a_later_unknown_year_makes_the_count_provisional() -> None:
    assert compute(Receipt(D(2026, 11, 2)), today=D(2027, 1, 4)).provisional is True
    assert compute(Receipt(D(2026, 11, 2)), today=D(2026, 12, 1)).provisional is False


# -- trail ----------------------------------------------------------------------------------------


def test_trail_is_sorted_and_lists_every_rest_day_in_the_window() -> None:
    result = compute(Receipt(D(2025, 1, 20)))
    assert [e.date for e in result.trail] == sorted(e.date for e in result.trail)
    skipped = [e.date for e in result.trail if e.kind is TrailKind.SKIPPED]
    # 1/25 Sat; 1/28–2/4 春节 (8 days); 2/9 Sun; 2/15, 2/16
    assert len(skipped) == 12
    assert reasons(result, D(2025, 1, 28)) == ["春节"]
    assert reasons(result, D(2025, 1, 26)) == ["调休上班"]


def test_trail_lets_the_reader_recount_the_period() -> None:
    # Every day in the window that is neither listed as skipped nor paused counts.
    result = compute(
        Receipt(D(2025, 9, 22)),
        ConsultationStarted(D(2025, 9, 26)),
        ConsultationAnswered(D(2025, 10, 10)),
    )
    assert result.reply_due is not None
    listed = {e.date for e in result.trail if e.kind in (TrailKind.SKIPPED, TrailKind.PAUSED)}
    window = [D(2025, 9, 22) + dt.timedelta(i) for i in range(1, 40)]
    counted = [d for d in window if d <= result.reply_due and d not in listed]
    assert len(counted) == 20


def test_json_has_exactly_the_documented_keys() -> None:
    data = compute(Receipt(D(2025, 1, 20)), today=D(2025, 2, 5)).to_json()
    assert list(data) == [
        "receipt_date",
        "clock_start",
        "correction_notice_due",
        "reply_due",
        "extended_reply_due",
        "remaining_working_days",
        "overdue",
        "provisional",
        "trail",
    ]
    assert data["reply_due"] == "2025-02-21"
    assert data["extended_reply_due"] is None
    trail = data["trail"]
    assert isinstance(trail, list)
    assert trail[0] == {
        "date": "2025-01-20",
        "reason": "收到申请（当面提交，以提交之日为收到申请之日，第三十一条），当日不计入，次日起算",
    }


# -- invalid events -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ((), "收到申请"),
        ((Receipt(D(2025, 1, 20)), Receipt(D(2025, 1, 21))), "收到申请"),
        ((Receipt(D(2025, 1, 20)), CorrectionReceived(D(2025, 2, 1))), "没有发出补正通知"),
        (
            (
                Receipt(D(2025, 1, 20)),
                CorrectionNotice(D(2025, 1, 22)),
                CorrectionNotice(D(2025, 1, 23)),
            ),
            "一次性告知",
        ),
        ((Receipt(D(2025, 1, 20)), CorrectionNotice(D(2025, 1, 10))), "早于收到申请之日"),
        ((Receipt(D(2025, 1, 20)), ConsultationAnswered(D(2025, 2, 1))), "没有对应的征求意见"),
        ((Receipt(D(2025, 1, 20)), ExtensionApproved(D(2025, 2, 1), 21)), "不得超过20个工作日"),
        (
            (
                Receipt(D(2025, 1, 20)),
                ExtensionApproved(D(2025, 2, 1), 15),
                ExtensionApproved(D(2025, 2, 3), 10),
            ),
            "不得超过20个工作日",
        ),
        ((Receipt(D(2025, 1, 20)), FeePaid(D(2025, 2, 1))), "没有发出收费通知"),
        ((Receipt(D(2025, 1, 20)), ReplySent(D(2025, 2, 1)), FeePaid(D(2025, 2, 3))), "晚于答复"),
    ],
)
def test_contradictory_events_raise_event_error(events: tuple[Event, ...], message: str) -> None:
    with pytest.raises(EventError, match=message):
        compute_deadlines(events, CAL)


# -- properties -----------------------------------------------------------------------------------

receipts = st.dates(min_value=D(2004, 1, 1), max_value=D(2028, 12, 31))
offsets = st.integers(min_value=0, max_value=80)
lengths = st.integers(min_value=0, max_value=40)
pause_lists = st.lists(st.tuples(offsets, lengths), max_size=3)


def pauses_after(received: dt.date, spec: list[tuple[int, int]]) -> list[Event]:
    events: list[Event] = []
    for i, (offset, length) in enumerate(spec):
        start = received + dt.timedelta(offset)
        ref = str(i)
        events += [
            ConsultationStarted(start, ref=ref),
            ConsultationAnswered(start + dt.timedelta(length), ref=ref),
        ]
    return events


@given(receipts, pause_lists, st.booleans())
def test_deadlines_are_always_working_days(
    received: dt.date, spec: list[tuple[int, int]], extended: bool
) -> None:
    events = [Receipt(received), *pauses_after(received, spec)]
    if extended:
        events.append(ExtensionApproved(received))
    result = compute_deadlines(events, CAL)
    due = [result.correction_notice_due, result.reply_due, result.extended_reply_due]
    assert all(CAL.is_workday(d) for d in due if d is not None)


@given(receipts, pause_lists, st.tuples(offsets, lengths))
def test_pauses_never_shorten_a_deadline(
    received: dt.date, spec: list[tuple[int, int]], extra: tuple[int, int]
) -> None:
    before = compute_deadlines([Receipt(received), *pauses_after(received, spec)], CAL)
    after = compute_deadlines([Receipt(received), *pauses_after(received, [*spec, extra])], CAL)
    plain = compute_deadlines([Receipt(received)], CAL)
    assert before.reply_due and after.reply_due and plain.reply_due
    assert plain.reply_due <= before.reply_due <= after.reply_due


@given(receipts, st.integers(min_value=1, max_value=60), pause_lists)
def test_counting_with_pauses_agrees_with_a_day_by_day_loop(
    anchor: dt.date, n: int, spec: list[tuple[int, int]]
) -> None:
    raw = [(anchor + dt.timedelta(o), anchor + dt.timedelta(o + length)) for o, length in spec]
    pauses = merge_pauses(raw)
    day, counted = anchor, 0
    while counted < n:
        day += dt.timedelta(1)
        paused = any(start < day <= end for start, end in raw)
        counted += CAL.is_workday(day) and not paused
    assert add_counted_days(CAL, anchor, n, pauses) == day
    assert counted_days(CAL, anchor, day, pauses) == n


# -- architecture ---------------------------------------------------------------------------------

DOMAIN = Path(__file__).parents[2] / "gongkai" / "domain"
ALLOWED_THIRD_PARTY = {"chinese_calendar"}


@pytest.mark.parametrize(
    "module",
    ["workdays.py", "deadlines.py", "deadline_model.py", "deadline_trail.py", "fees.py"],
)
def test_clock_modules_import_only_stdlib_domain_and_chinesecalendar(module: str) -> None:
    tree = ast.parse((DOMAIN / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            allowed = top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY
            assert allowed or name.startswith("gongkai.domain."), name
