"""Stalling patterns: each with an example that trips it and one that does not. Deadlines counted
by hand from the 2025 holiday notice (清明 4/4–4/6; 4/27 a Sunday worked, 劳动节 5/1–5/5).

Receipt Monday 2025-03-03 (the receipt day not counted):
- 补正 notice due: 3/4..3/7 = 4, 3/10..3/12 = 7 → 2025-03-12;
- reply due: 3/4..3/7 = 4, 3/10..14 = 9, 3/17..21 = 14, 3/24..28 = 19, 3/31 = 20 → 2025-03-31;
- extended by 20: 4/1..4/3 = 3, (4/4 清明), 4/7..11 = 8, 4/14..18 = 13, 4/21..25 = 18, 4/27 (上班)
  = 19, 4/28 = 20 → 2025-04-28.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.domain.deadlines import (
    ConsultationAnswered,
    ConsultationStarted,
    CorrectionNotice,
    CorrectionReceived,
    ExtensionApproved,
    Party,
    Receipt,
    ReplySent,
)
from gongkai.domain.stalling import PATTERNS, Finding, Pattern, find_stalling
from gongkai.domain.workdays import default_calendar

D = dt.date
CAL = default_calendar()
RECEIPT = Receipt(D(2025, 3, 3))


def patterns(*events: object, reasons: tuple[str, ...] = ("领导审批需要时间",), **kw: int) -> list:
    found = find_stalling(list(events), CAL, extension_reasons=reasons, **kw)  # type: ignore[arg-type]
    return [(f.pattern, f.date, f.due) for f in found]


def test_every_pattern_has_a_label_an_explanation_and_a_source() -> None:
    assert set(PATTERNS) == set(Pattern)
    for pattern in Pattern:
        assert pattern.label and pattern.explanation and "条例" in pattern.source


def test_a_correction_notice_on_the_seventh_working_day_is_in_time() -> None:
    assert patterns(RECEIPT, CorrectionNotice(D(2025, 3, 12))) == []


def test_a_correction_notice_on_the_eighth_working_day_is_late() -> None:
    assert patterns(RECEIPT, CorrectionNotice(D(2025, 3, 13))) == [
        (Pattern.LATE_CORRECTION, D(2025, 3, 13), D(2025, 3, 12))
    ]


def test_a_second_correction_notice_is_measured_from_the_corrected_application() -> None:
    # Corrected application received Friday 3/14: 3/17..21 = 5, 3/24, 3/25 = 7 → 3/25.
    events = [RECEIPT, CorrectionNotice(D(2025, 3, 5)), CorrectionReceived(D(2025, 3, 14))]
    assert patterns(*events, CorrectionNotice(D(2025, 3, 25))) == []
    assert patterns(*events, CorrectionNotice(D(2025, 3, 26))) == [
        (Pattern.LATE_CORRECTION, D(2025, 3, 26), D(2025, 3, 25))
    ]


def test_an_extension_three_working_days_before_the_due_date_is_last_minute() -> None:
    # 3/26 (Wed): 3/27, 3/28, 3/31 remain = 3.
    found = find_stalling(
        [RECEIPT, ExtensionApproved(D(2025, 3, 26))], CAL, extension_reasons=["需调取档案"]
    )
    assert found == [Finding(Pattern.LAST_MINUTE_EXTENSION, D(2025, 3, 26), D(2025, 3, 31), 3)]
    assert "2025-03-31" in found[0].dates_text and "3个工作日" in found[0].dates_text


def test_an_extension_four_working_days_before_is_not() -> None:
    assert patterns(RECEIPT, ExtensionApproved(D(2025, 3, 25))) == []


def test_the_window_is_configurable() -> None:
    assert patterns(RECEIPT, ExtensionApproved(D(2025, 3, 25)), window=4) == [
        (Pattern.LAST_MINUTE_EXTENSION, D(2025, 3, 25), D(2025, 3, 31))
    ]
    assert patterns(RECEIPT, ExtensionApproved(D(2025, 3, 26)), window=2) == []


def test_an_extension_on_the_due_date_itself_is_last_minute() -> None:
    assert patterns(RECEIPT, ExtensionApproved(D(2025, 3, 31))) == [
        (Pattern.LAST_MINUTE_EXTENSION, D(2025, 3, 31), D(2025, 3, 31))
    ]


def test_a_late_correction_near_the_due_date_is_both_late_and_last_minute() -> None:
    assert patterns(RECEIPT, CorrectionNotice(D(2025, 3, 27))) == [
        (Pattern.LATE_CORRECTION, D(2025, 3, 27), D(2025, 3, 12)),
        (Pattern.LAST_MINUTE_CORRECTION, D(2025, 3, 27), D(2025, 3, 31)),
    ]


def test_a_consultation_pause_moves_the_due_date_the_window_is_measured_against() -> None:
    # Consultation 3/10 → 3/14 (answered): 3/11..3/14 = 4 working days not counted, so the
    # reply is due 4 working days after 3/31: 4/1, 4/2, 4/3, 4/7 → 2025-04-07. An extension on
    # 3/27 leaves 3/28, 3/31, 4/1, 4/2, 4/3, 4/7 = 6: not last-minute; on 4/2, 2 left: it is.
    events = [
        RECEIPT,
        ConsultationStarted(D(2025, 3, 10), Party.OTHER_AGENCY),
        ConsultationAnswered(D(2025, 3, 14), Party.OTHER_AGENCY),
    ]
    assert patterns(*events, ExtensionApproved(D(2025, 3, 27))) == []
    assert patterns(*events, ExtensionApproved(D(2025, 4, 2))) == [
        (Pattern.LAST_MINUTE_EXTENSION, D(2025, 4, 2), D(2025, 4, 7))
    ]


def test_an_extension_without_a_reason() -> None:
    assert patterns(RECEIPT, ExtensionApproved(D(2025, 3, 10)), reasons=("  ",)) == [
        (Pattern.EXTENSION_WITHOUT_REASON, D(2025, 3, 10), None)
    ]
    assert patterns(RECEIPT, ExtensionApproved(D(2025, 3, 10)), reasons=()) == [
        (Pattern.EXTENSION_WITHOUT_REASON, D(2025, 3, 10), None)
    ]
    assert patterns(RECEIPT, ExtensionApproved(D(2025, 3, 10))) == []


def test_a_reply_on_the_due_date_is_in_time_the_day_after_is_late() -> None:
    assert patterns(RECEIPT, ReplySent(D(2025, 3, 31))) == []
    assert patterns(RECEIPT, ReplySent(D(2025, 4, 1))) == [
        (Pattern.LATE_REPLY, D(2025, 4, 1), D(2025, 3, 31))
    ]


def test_a_reply_is_measured_against_the_extended_deadline() -> None:
    extended = [RECEIPT, ExtensionApproved(D(2025, 3, 10))]
    assert patterns(*extended, ReplySent(D(2025, 4, 28))) == []
    assert patterns(*extended, ReplySent(D(2025, 4, 29))) == [
        (Pattern.LATE_REPLY, D(2025, 4, 29), D(2025, 4, 28))
    ]


def test_events_the_engine_rejects_yield_no_finding() -> None:
    # A reply before any receipt cannot describe a real case.
    assert patterns(ReplySent(D(2025, 3, 31))) == []


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError):
        find_stalling([RECEIPT], CAL, window=-1)
