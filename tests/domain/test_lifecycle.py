import pytest

from gongkai.domain.lifecycle import (
    TRANSITIONS,
    Action,
    Role,
    Status,
    TransitionError,
    allowed_actions,
    check_transition,
    outcomes,
)

CLERK = frozenset({Role.CLERK})
REVIEWER = frozenset({Role.REVIEWER})


def test_every_status_and_action_has_a_chinese_label() -> None:
    assert all(status.label for status in Status)
    assert all(action.label for action in Action)


def test_every_action_appears_in_the_table() -> None:
    assert {t.action for t in TRANSITIONS} == set(Action)


def test_archived_is_final() -> None:
    assert allowed_actions(Status.ARCHIVED) == []


def test_correction_restarts_processing() -> None:
    assert (
        check_transition(Status.REGISTERED, Action.REQUEST_CORRECTION, CLERK) is Status.CORRECTION
    )
    assert (
        check_transition(Status.CORRECTION, Action.RECEIVE_CORRECTION, CLERK) is Status.PROCESSING
    )


def test_an_extension_keeps_the_status() -> None:
    assert check_transition(Status.CONSULTING, Action.EXTEND, REVIEWER) is Status.CONSULTING


def test_an_illegal_step_says_the_status_and_the_action() -> None:
    with pytest.raises(TransitionError) as caught:
        check_transition(Status.ARCHIVED, Action.REPLY, REVIEWER)
    assert "已归档" in caught.value.message and "审核通过并答复" in caught.value.message
    assert not caught.value.forbidden


@pytest.mark.parametrize("action", [Action.EXTEND, Action.REPLY, Action.RETURN_REPLY])
def test_a_clerk_may_not_approve(action: Action) -> None:
    status = Status.REVIEW
    with pytest.raises(TransitionError) as caught:
        check_transition(status, action, CLERK)
    assert caught.value.forbidden


def test_supervisors_can_take_no_action() -> None:
    supervisor = frozenset({Role.SUPERVISOR})
    assert all(allowed_actions(status, supervisor) == [] for status in Status)


def test_there_is_one_outcome_per_result_row_of_the_2021_table() -> None:
    from gongkai.domain.report.schema import FormatVersion, layout

    leaves = [row.key for row in layout(FormatVersion.V2021).t3_leaves]
    assert [o.key for o in outcomes()] == leaves
    assert [o.key for o in outcomes() if not o.by_reply] == ["r_other_nocorrect", "r_other_nofee"]
