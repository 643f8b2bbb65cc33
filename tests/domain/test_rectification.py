"""整改: the transition table, who takes each action, overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.domain.rectification import (
    ACTION_PARTY,
    NOTE_REQUIRED,
    STATUS_LABELS,
    TRANSITIONS,
    Party,
    SourceKind,
    TaskAction,
    TaskStatus,
    TransitionError,
    allowed_actions,
    is_overdue,
    next_status,
)

S, A = TaskStatus, TaskAction
SUP, ORG = Party.SUPERVISOR, Party.ORGANISATION


def test_the_loop_found_assigned_answered_closed() -> None:
    status = S.FOUND
    for action, party, expected in [
        (A.CONFIRM, SUP, S.ASSIGNED),
        (A.ANSWER, ORG, S.ANSWERED),
        (A.RETURN, SUP, S.RETURNED),
        (A.ANSWER, ORG, S.ANSWERED),
        (A.CLOSE, SUP, S.CLOSED),
    ]:
        status = next_status(status, action, party)
        assert status is expected


def test_the_table_is_complete_and_only_the_listed_pairs_are_open() -> None:
    expected = {
        (S.FOUND, A.CONFIRM): S.ASSIGNED,
        (S.ASSIGNED, A.ANSWER): S.ANSWERED,
        (S.RETURNED, A.ANSWER): S.ANSWERED,
        (S.ANSWERED, A.CLOSE): S.CLOSED,
        (S.ANSWERED, A.RETURN): S.RETURNED,
        (S.FOUND, A.WITHDRAW): S.WITHDRAWN,
        (S.ASSIGNED, A.WITHDRAW): S.WITHDRAWN,
        (S.ANSWERED, A.WITHDRAW): S.WITHDRAWN,
        (S.RETURNED, A.WITHDRAW): S.WITHDRAWN,
    }
    assert dict(TRANSITIONS) == expected
    for status in S:
        for action in A:
            party = ACTION_PARTY[action]
            if (status, action) in expected:
                assert next_status(status, action, party) is expected[(status, action)]
            else:
                with pytest.raises(TransitionError):
                    next_status(status, action, party)


def test_final_statuses_allow_nothing() -> None:
    for status in (S.CLOSED, S.WITHDRAWN):
        assert status.final
        assert allowed_actions(status, SUP) == [] and allowed_actions(status, ORG) == []


def test_only_the_organisation_answers_and_only_the_supervisor_decides() -> None:
    with pytest.raises(TransitionError, match="整改单位"):
        next_status(S.ASSIGNED, A.ANSWER, SUP)
    for action in (A.CONFIRM, A.CLOSE, A.RETURN, A.WITHDRAW):
        with pytest.raises(TransitionError, match="监督机构"):
            next_status(S.ANSWERED, action, ORG)


def test_allowed_actions_per_party() -> None:
    assert allowed_actions(S.FOUND, SUP) == [A.CONFIRM, A.WITHDRAW]
    assert allowed_actions(S.FOUND, ORG) == []
    assert allowed_actions(S.ASSIGNED, ORG) == [A.ANSWER]
    assert allowed_actions(S.RETURNED, ORG) == [A.ANSWER]
    assert allowed_actions(S.ANSWERED, SUP) == [A.CLOSE, A.RETURN, A.WITHDRAW]
    assert allowed_actions(S.ANSWERED, ORG) == []


def test_overdue_only_while_the_organisation_owes_an_answer() -> None:
    today = dt.date(2025, 6, 10)
    past, future = dt.date(2025, 6, 9), dt.date(2025, 6, 10)
    assert is_overdue(S.ASSIGNED, past, today)
    assert is_overdue(S.RETURNED, past, today)
    assert not is_overdue(S.ASSIGNED, future, today)  # the deadline day itself is in time
    assert not is_overdue(S.ASSIGNED, None, today)
    for status in (S.FOUND, S.ANSWERED, S.CLOSED, S.WITHDRAWN):
        assert not is_overdue(status, past, today)


def test_labels() -> None:
    assert [STATUS_LABELS[s] for s in S] == [
        "待确认",
        "已交办",
        "已反馈",
        "已退回",
        "已销号",
        "已撤销",
    ]
    assert {k.label for k in SourceKind} == {
        "考核扣分",
        "督查发现",
        "年度报告检查问题",
        "已发布年度报告抽查",
    }
    assert set(NOTE_REQUIRED) == {A.ANSWER, A.RETURN, A.WITHDRAW}
