"""整改 (rectification): a finding becomes a task for an organisation, which answers with what it
changed; the supervising office re-checks and closes it (销号) or sends it back (退回).

The loop follows the supervision practice issue 12 cites (KIROGOVCOMPARE's 发现 → 确认 → 交办 →
反馈 → 复核 → 归档) and the 督促整改 of the Wancheng report's 监督保障 section; statuses, actions,
who takes each action and the transitions are data here, so that the services, the pages and the
tests read one table. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping


class TaskStatus(enum.StrEnum):
    FOUND = "found"  # 待确认: opened by the supervising office, not yet sent to the organisation
    ASSIGNED = "assigned"  # 已交办: the organisation owes an answer by the deadline
    ANSWERED = "answered"  # 已反馈: the organisation said what it changed; the office re-checks
    RETURNED = "returned"  # 已退回: the re-check failed; the organisation owes a new answer
    CLOSED = "closed"  # 已销号: the re-check passed
    WITHDRAWN = "withdrawn"  # 已撤销: the finding did not hold

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def final(self) -> bool:
        return self in FINAL_STATUSES

    @property
    def awaits_organisation(self) -> bool:
        """The organisation owes an answer: the deadline runs against it."""
        return self in (TaskStatus.ASSIGNED, TaskStatus.RETURNED)


STATUS_LABELS: Mapping[TaskStatus, str] = {
    TaskStatus.FOUND: "待确认",
    TaskStatus.ASSIGNED: "已交办",
    TaskStatus.ANSWERED: "已反馈",
    TaskStatus.RETURNED: "已退回",
    TaskStatus.CLOSED: "已销号",
    TaskStatus.WITHDRAWN: "已撤销",
}
FINAL_STATUSES = frozenset({TaskStatus.CLOSED, TaskStatus.WITHDRAWN})


class TaskAction(enum.StrEnum):
    OPEN = "open"
    CONFIRM = "confirm"
    ANSWER = "answer"
    CLOSE = "close"
    RETURN = "return"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]

    @property
    def party(self) -> Party:
        return ACTION_PARTY[self]


ACTION_LABELS: Mapping[TaskAction, str] = {
    TaskAction.OPEN: "发现问题，登记整改任务",
    TaskAction.CONFIRM: "确认并交办",
    TaskAction.ANSWER: "反馈整改情况",
    TaskAction.CLOSE: "复核通过，销号",
    TaskAction.RETURN: "复核未通过，退回",
    TaskAction.WITHDRAW: "撤销",
}


class Party(enum.StrEnum):
    SUPERVISOR = "supervisor"  # the supervising office (监督 membership on the government)
    ORGANISATION = "organisation"  # the organisation's 经办人 / 审核人 / 管理员

    @property
    def label(self) -> str:
        return "监督机构" if self is Party.SUPERVISOR else "整改单位"


ACTION_PARTY: Mapping[TaskAction, Party] = {
    TaskAction.OPEN: Party.SUPERVISOR,
    TaskAction.CONFIRM: Party.SUPERVISOR,
    TaskAction.ANSWER: Party.ORGANISATION,
    TaskAction.CLOSE: Party.SUPERVISOR,
    TaskAction.RETURN: Party.SUPERVISOR,
    TaskAction.WITHDRAW: Party.SUPERVISOR,
}

# (from, action) → to. OPEN has no "from": it creates the task in FOUND.
TRANSITIONS: Mapping[tuple[TaskStatus, TaskAction], TaskStatus] = {
    (TaskStatus.FOUND, TaskAction.CONFIRM): TaskStatus.ASSIGNED,
    (TaskStatus.ASSIGNED, TaskAction.ANSWER): TaskStatus.ANSWERED,
    (TaskStatus.RETURNED, TaskAction.ANSWER): TaskStatus.ANSWERED,
    (TaskStatus.ANSWERED, TaskAction.CLOSE): TaskStatus.CLOSED,
    (TaskStatus.ANSWERED, TaskAction.RETURN): TaskStatus.RETURNED,
    (TaskStatus.FOUND, TaskAction.WITHDRAW): TaskStatus.WITHDRAWN,
    (TaskStatus.ASSIGNED, TaskAction.WITHDRAW): TaskStatus.WITHDRAWN,
    (TaskStatus.ANSWERED, TaskAction.WITHDRAW): TaskStatus.WITHDRAWN,
    (TaskStatus.RETURNED, TaskAction.WITHDRAW): TaskStatus.WITHDRAWN,
}

# Actions whose note must not be empty: what was changed, why it goes back, why withdrawn.
NOTE_REQUIRED: Mapping[TaskAction, str] = {
    TaskAction.ANSWER: "请写明整改措施和结果",
    TaskAction.RETURN: "请写明退回理由（复核意见）",
    TaskAction.WITHDRAW: "请写明撤销理由",
}


class TransitionError(ValueError):
    """The action is not open in this status, or not to this party; the message is Chinese."""


def next_status(status: TaskStatus, action: TaskAction, party: Party) -> TaskStatus:
    """The status after `action` taken by `party`, or TransitionError."""
    if action.party is not party:
        raise TransitionError(f"“{action.label}”只能由{action.party.label}办理")
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise TransitionError(f"整改任务{status.label}，不能“{action.label}”")
    return target


def allowed_actions(status: TaskStatus, party: Party) -> list[TaskAction]:
    """The actions `party` may take now, in the table's order (for the forms shown)."""
    return [a for (s, a) in TRANSITIONS if s is status and a.party is party]


def is_overdue(status: TaskStatus, deadline: dt.date | None, today: dt.date) -> bool:
    """Overdue: the organisation still owes an answer and the deadline has passed."""
    return status.awaits_organisation and deadline is not None and today > deadline


class SourceKind(enum.StrEnum):
    """Where the finding comes from (issue 12 §5)."""

    SCORECARD = "scorecard"
    NOTE = "note"
    REPORT_CHECK = "report_check"
    REPORT_AUDIT = "report_audit"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS: Mapping[SourceKind, str] = {
    SourceKind.SCORECARD: "考核扣分",
    SourceKind.NOTE: "督查发现",
    SourceKind.REPORT_CHECK: "年度报告检查问题",
    SourceKind.REPORT_AUDIT: "已发布年度报告抽查",
}
