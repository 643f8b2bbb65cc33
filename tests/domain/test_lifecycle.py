import pytest

from gongkai.domain.lifecycle import (
    CONCLUDED_STATUSES,
    REVIEWED_FIELDS,
    TRANSITIONS,
    Action,
    RecordChange,
    Role,
    Status,
    TransitionError,
    allowed_actions,
    allowed_record_changes,
    check_record_change,
    check_transition,
    needs_reasons,
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


ADMIN = frozenset({Role.ADMIN})


def test_voided_is_final_and_reachable_from_every_other_status() -> None:
    assert allowed_actions(Status.VOIDED, ADMIN) == []
    assert allowed_record_changes(Status.VOIDED, ADMIN) == []
    for status in Status:
        if status is not Status.VOIDED:
            assert check_record_change(status, RecordChange.VOID, REVIEWER) is Status.VOIDED
    assert not Status.VOIDED.is_open


@pytest.mark.parametrize("status", list(Status))
def test_a_clerk_may_not_void(status: Status) -> None:
    assert RecordChange.VOID not in allowed_record_changes(status, CLERK)


def test_a_clerk_corrects_open_cases_but_not_the_clock_or_the_column() -> None:
    assert check_record_change(Status.PROCESSING, RecordChange.CORRECT, CLERK,
                               frozenset({"applicant_name", "phone"})) is Status.PROCESSING  # fmt: skip
    for field in REVIEWED_FIELDS:
        with pytest.raises(TransitionError) as caught:
            check_record_change(Status.REGISTERED, RecordChange.CORRECT, CLERK, frozenset({field}))
        assert caught.value.forbidden and "审核人" in caught.value.message
        check_record_change(Status.REGISTERED, RecordChange.CORRECT, REVIEWER, frozenset({field}))


@pytest.mark.parametrize("status", sorted(CONCLUDED_STATUSES))
def test_a_concluded_case_is_corrected_by_a_reviewer_only(status: Status) -> None:
    assert allowed_record_changes(status, CLERK) == []
    assert allowed_record_changes(status, REVIEWER) == [RecordChange.CORRECT, RecordChange.VOID]
    with pytest.raises(TransitionError) as caught:
        check_record_change(status, RecordChange.CORRECT, CLERK, frozenset({"phone"}))
    assert caught.value.forbidden


def test_nothing_is_corrected_once_voided() -> None:
    with pytest.raises(TransitionError) as caught:
        check_record_change(Status.VOIDED, RecordChange.CORRECT, ADMIN, frozenset({"phone"}))
    assert not caught.value.forbidden and "已作废" in caught.value.message


def test_supervisors_change_no_record() -> None:
    supervisor = frozenset({Role.SUPERVISOR})
    assert all(allowed_record_changes(status, supervisor) == [] for status in Status)


def test_the_outcomes_whose_letters_state_reasons() -> None:
    """部分公开, 不予公开, 无法提供, 不予处理 (条例第三十六条、第三十七条); not 予以公开 or closures."""
    reasoned = {o.key for o in outcomes() if needs_reasons(o.key)}
    expected = {"r_partial"} | {
        o.key for o in outcomes() if o.key.split("_")[1] in ("deny", "na", "np")
    }
    assert reasoned == expected
    assert len(reasoned) == 1 + 8 + 3 + 5
    assert not needs_reasons("r_open") and not needs_reasons("r_other_other")
