"""The 待签收 state of internet applications in the transition table (条例第三十一条（三）)."""

from __future__ import annotations

import pytest

from gongkai.domain.lifecycle import (
    CONCLUDED_STATUSES,
    UNRECEIVED_STATUSES,
    Action,
    RecordChange,
    Role,
    Status,
    TransitionError,
    allowed_actions,
    allowed_record_changes,
    check_transition,
)

CLERK = frozenset({Role.CLERK})
REVIEWER = frozenset({Role.REVIEWER})


def test_a_submission_can_only_be_signed_for_or_refused() -> None:
    assert allowed_actions(Status.SUBMITTED) == [Action.CONFIRM_RECEIPT, Action.REFUSE_SUBMISSION]
    assert check_transition(Status.SUBMITTED, Action.CONFIRM_RECEIPT, CLERK) is Status.REGISTERED
    assert (
        check_transition(Status.SUBMITTED, Action.REFUSE_SUBMISSION, CLERK) is Status.NOT_ACCEPTED
    )


@pytest.mark.parametrize("action", [Action.REQUEST_CORRECTION, Action.REPLY, Action.WITHDRAW])
def test_no_step_of_the_procedure_before_the_signing(action: Action) -> None:
    with pytest.raises(TransitionError):
        check_transition(Status.SUBMITTED, action, REVIEWER)


def test_signing_is_once_and_a_refusal_is_final() -> None:
    for status in Status:
        if status is not Status.SUBMITTED:
            assert Action.CONFIRM_RECEIPT not in allowed_actions(status)
            assert Action.REFUSE_SUBMISSION not in allowed_actions(status)
    assert allowed_actions(Status.NOT_ACCEPTED) == []
    assert allowed_record_changes(Status.NOT_ACCEPTED, REVIEWER) == [RecordChange.VOID]


def test_unreceived_applications_are_neither_open_nor_concluded() -> None:
    for status in UNRECEIVED_STATUSES:
        assert not status.is_open  # not carried over into the next year (结转)
        assert status not in CONCLUDED_STATUSES
    assert Status.SUBMITTED.label == "待签收"
    # A clerk may fix a typo while it waits; a reviewer may void a duplicate.
    assert allowed_record_changes(Status.SUBMITTED, CLERK) == [RecordChange.CORRECT]
    assert RecordChange.VOID in allowed_record_changes(Status.SUBMITTED, REVIEWER)
