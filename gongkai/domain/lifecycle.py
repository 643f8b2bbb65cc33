"""The procedure of an application for disclosure (依申请公开) as a transition table.

Statuses and actions are enums; which action is legal in which status, who may take it and what
it leads to is data (`TRANSITIONS`), read by the services, the screens (which buttons to show)
and the API (409 for an illegal step, 403 for a role that may not take it). Sources: 条例第三十条
(补正), 第三十二–三十四条 (consultation, extension), 第三十六–三十九条 (replies), 第四十二条 and
国办函〔2020〕109号 (fees), 第四十五条 (registration–review–reply–archive system).
"""

from __future__ import annotations

import enum
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


class Status(enum.StrEnum):
    REGISTERED = "registered"
    CORRECTION = "correction"
    PROCESSING = "processing"
    CONSULTING = "consulting"
    AWAITING_FEE = "awaiting_fee"
    REVIEW = "review"
    SIGNOFF = "signoff"  # approved by the 审核人, waiting for the 分管领导's 签批
    REPLIED = "replied"
    CLOSED = "closed"
    DELIVERED = "delivered"
    ARCHIVED = "archived"
    VOIDED = "voided"  # entered in error (a duplicate, a test record): kept, counted nowhere
    # An internet application before both sides confirmed it (条例第三十一条（三）): not yet
    # received, so no clock runs and no report counts it (docs/decisions.md PA-1, PA-2).
    SUBMITTED = "submitted"
    NOT_ACCEPTED = "not_accepted"  # refused at 签收 as obviously invalid: counted nowhere

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still to be concluded: counted in 结转下年度 if open on 12-31 (spec.md §4.9)."""
        return self in OPEN_STATUSES


STATUS_LABELS = {
    Status.REGISTERED: "已登记",
    Status.CORRECTION: "待补正",
    Status.PROCESSING: "办理中",
    Status.CONSULTING: "征求意见中",
    Status.AWAITING_FEE: "待缴费",
    Status.REVIEW: "待审核",
    Status.SIGNOFF: "待签批",
    Status.REPLIED: "已答复",
    Status.CLOSED: "已终止",
    Status.DELIVERED: "已送达",
    Status.ARCHIVED: "已归档",
    Status.VOIDED: "已作废",
    Status.SUBMITTED: "待签收",
    Status.NOT_ACCEPTED: "不予签收",
}
# Not yet received (条例第三十一条（三）): outside every figure of the annual report and every
# deadline list until the clerk's 签收.
UNRECEIVED_STATUSES = frozenset({Status.SUBMITTED, Status.NOT_ACCEPTED})
OPEN_STATUSES = frozenset(
    {
        Status.REGISTERED,
        Status.CORRECTION,
        Status.PROCESSING,
        Status.CONSULTING,
        Status.AWAITING_FEE,
        Status.REVIEW,
        Status.SIGNOFF,
    }
)


class Role(enum.StrEnum):
    CLERK = "clerk"  # 经办人
    REVIEWER = "reviewer"  # 审核人
    ADMIN = "admin"  # 管理员
    SUPERVISOR = "supervisor"  # 监督 (read-only over a subtree)
    LEADER = "leader"  # 分管领导: signs replies off where the organisation requires it

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.value]


ROLE_LABELS = {
    "clerk": "经办人",
    "reviewer": "审核人",
    "admin": "管理员",
    "supervisor": "监督",
    "leader": "分管领导",
}


class Action(enum.StrEnum):
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    CLOSE_NO_CORRECTION = "close_no_correction"
    START_CONSULTATION = "start_consultation"
    END_CONSULTATION = "end_consultation"
    EXTEND = "extend"
    NOTIFY_FEE = "notify_fee"
    RECEIVE_FEE = "receive_fee"
    CLOSE_NO_FEE = "close_no_fee"
    PROPOSE_REPLY = "propose_reply"
    RETURN_REPLY = "return_reply"
    REPLY = "reply"
    DELIVER = "deliver"
    ARCHIVE = "archive"
    WITHDRAW = "withdraw"
    CONFIRM_RECEIPT = "confirm_receipt"
    REFUSE_SUBMISSION = "refuse_submission"
    TRANSFER = "transfer"
    APPROVE = "approve"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


# The steps that send a letter out of the office, each under its own 文号 (发文字号): the notices of
# 补正 (条例第三十条), 征求意见 (第三十二条), 延期 (第三十三条第二款) and 收费 (国办函〔2020〕109号),
# and the reply or the notice that ends the procedure (第三十六条, 第三十条, 第三十七条).
LETTER_ACTIONS = frozenset(
    {
        Action.REQUEST_CORRECTION,
        Action.START_CONSULTATION,
        Action.EXTEND,
        Action.NOTIFY_FEE,
        Action.REPLY,
        Action.CLOSE_NO_CORRECTION,
        Action.CLOSE_NO_FEE,
        Action.WITHDRAW,
        Action.TRANSFER,
    }
)


def letter_number(code: str, year: int, number: int) -> str:
    """发文字号 as GB/T 9704-2012 §7.2.4 writes it: 机关代字, the year in 〔〕, the sequence number
    without leading zeros and without 第 — 宛政办公开〔2026〕12号."""
    return f"{code.strip()}〔{year}〕{number}号"


ACTION_LABELS = {
    Action.REQUEST_CORRECTION: "发出补正通知",
    Action.RECEIVE_CORRECTION: "收到补正材料",
    Action.CLOSE_NO_CORRECTION: "逾期未补正，终止办理",
    Action.START_CONSULTATION: "征求第三方或其他机关意见",
    Action.END_CONSULTATION: "收到意见（征求结束）",
    Action.EXTEND: "批准延期答复",
    Action.NOTIFY_FEE: "发出收费通知",
    Action.RECEIVE_FEE: "已缴费",
    Action.CLOSE_NO_FEE: "逾期未缴费，终止办理",
    Action.PROPOSE_REPLY: "拟定答复，提交审核",
    Action.RETURN_REPLY: "退回修改",
    Action.REPLY: "审核通过并答复",
    Action.DELIVER: "送达",
    Action.ARCHIVE: "归档",
    Action.WITHDRAW: "申请人撤回",
    Action.CONFIRM_RECEIPT: "签收网上申请",
    Action.REFUSE_SUBMISSION: "不予签收（明显无效的提交）",
    Action.TRANSFER: "转办（告知并转交负责公开的机关）",
    Action.APPROVE: "审核同意，呈分管领导签批",
}
# Steps on internet applications made on the 专栏, taken in the workbench only: the JSON API
# registers applications already received, so it never holds one awaiting 签收.
SIGNING_ACTIONS = frozenset({Action.CONFIRM_RECEIPT, Action.REFUSE_SUBMISSION})


@dataclass(frozen=True)
class Transition:
    action: Action
    source: Status
    target: Status | None  # None: the status does not change (an extension)
    roles: frozenset[Role]


_ANY_CLERK = frozenset({Role.CLERK, Role.REVIEWER, Role.ADMIN})
_REVIEWER = frozenset({Role.REVIEWER, Role.ADMIN})
_LEADER = frozenset({Role.LEADER, Role.ADMIN})
_WORKING = (Status.REGISTERED, Status.PROCESSING)


def _t(
    action: Action,
    sources: tuple[Status, ...],
    target: Status | None,
    roles: frozenset[Role] = _ANY_CLERK,
) -> list[Transition]:
    return [Transition(action, source, target, roles) for source in sources]


TRANSITIONS: tuple[Transition, ...] = tuple(
    [
        # 第三十一条（三）: an internet application is received on the day both sides confirm it;
        # the clerk's 签收 is that day (docs/decisions.md PA-1). An obviously invalid submission
        # (empty, abusive, a test) is not accepted, with a reason.
        *_t(Action.CONFIRM_RECEIPT, (Status.SUBMITTED,), Status.REGISTERED),
        *_t(Action.REFUSE_SUBMISSION, (Status.SUBMITTED,), Status.NOT_ACCEPTED),
        # 第三十条: one complete correction notice per round; a new round after a correction.
        *_t(Action.REQUEST_CORRECTION, _WORKING, Status.CORRECTION),
        *_t(Action.RECEIVE_CORRECTION, (Status.CORRECTION,), Status.PROCESSING),
        *_t(Action.CLOSE_NO_CORRECTION, (Status.CORRECTION,), Status.CLOSED),
        # 第三十二条、第三十三条第三款: consultation time is not counted.
        *_t(Action.START_CONSULTATION, _WORKING, Status.CONSULTING),
        *_t(Action.END_CONSULTATION, (Status.CONSULTING,), Status.PROCESSING),
        # 第三十三条第二款: extension with the consent of the head of the 工作机构.
        *_t(
            Action.EXTEND,
            (*_WORKING, Status.CONSULTING, Status.REVIEW, Status.SIGNOFF),
            None,
            _REVIEWER,
        ),
        # 国办函〔2020〕109号: fee notice within the period; unpaid after 20 working days → （六）2.
        *_t(Action.NOTIFY_FEE, _WORKING, Status.AWAITING_FEE),
        *_t(Action.RECEIVE_FEE, (Status.AWAITING_FEE,), Status.PROCESSING),
        *_t(Action.CLOSE_NO_FEE, (Status.AWAITING_FEE,), Status.CLOSED),
        # The reply is drafted by the clerk and approved by a reviewer (第四十五条 review step).
        *_t(Action.PROPOSE_REPLY, _WORKING, Status.REVIEW),
        *_t(Action.RETURN_REPLY, (Status.REVIEW,), Status.PROCESSING, _REVIEWER),
        *_t(Action.REPLY, (*_WORKING, Status.REVIEW), Status.REPLIED, _REVIEWER),
        # An organisation may require its 分管领导 to sign replies off (承办人拟办 → 审核人审核 →
        # 分管领导签批, docs/decisions.md RV-3): the reviewer approves, the leader signs and issues
        # or sends it back. Where it is required, the reviewer cannot reply directly (services).
        *_t(Action.APPROVE, (Status.REVIEW,), Status.SIGNOFF, _REVIEWER),
        *_t(Action.RETURN_REPLY, (Status.SIGNOFF,), Status.PROCESSING, _LEADER),
        *_t(Action.REPLY, (Status.SIGNOFF,), Status.REPLIED, _LEADER),
        # 第三十六条（五）: information another agency of the government is responsible for — the
        # applicant is told which, and the application is passed to it (转办, decision TR-1).
        *_t(Action.TRANSFER, (*_WORKING, Status.REVIEW), Status.REPLIED, _REVIEWER),
        *_t(Action.TRANSFER, (Status.SIGNOFF,), Status.REPLIED, _LEADER),
        *_t(Action.DELIVER, (Status.REPLIED, Status.CLOSED), Status.DELIVERED),
        *_t(Action.ARCHIVE, (Status.DELIVERED, Status.CLOSED), Status.ARCHIVED),
        *_t(
            Action.WITHDRAW,
            (
                *_WORKING,
                Status.CORRECTION,
                Status.CONSULTING,
                Status.AWAITING_FEE,
                Status.REVIEW,
                Status.SIGNOFF,
            ),
            Status.CLOSED,
        ),
    ]
)


# Where the organisation requires the 分管领导's 签批, a reply or transfer is issued only from
# 待签批; the reviewer's way on from 待审核 is APPROVE. Where it does not, APPROVE is not offered.
SIGNED_OFF_ACTIONS = frozenset({Action.REPLY, Action.TRANSFER})


def sign_off_allows(action: Action, status: Status, leader_required: bool) -> bool:
    """Whether the organisation's sign-off chain lets `action` be taken in `status`."""
    if action is Action.APPROVE:
        return leader_required
    if leader_required and action in SIGNED_OFF_ACTIONS:
        return status is Status.SIGNOFF
    return True


class TransitionError(Exception):
    """An action that is not legal now (HTTP 409) or not for this role (HTTP 403)."""

    def __init__(self, message: str, *, forbidden: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.forbidden = forbidden


def find_transition(status: Status, action: Action) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source is status and transition.action is action:
            return transition
    return None


def allowed_actions(status: Status, roles: frozenset[Role] | None = None) -> list[Action]:
    """Actions legal in `status` (for `roles`, when given), in the table's order."""
    seen: list[Action] = []
    for transition in TRANSITIONS:
        if transition.source is not status or transition.action in seen:
            continue
        if roles is None or roles & transition.roles:
            seen.append(transition.action)
    return seen


def check_transition(status: Status, action: Action, roles: frozenset[Role]) -> Status:
    """The status after `action`, or TransitionError saying why it cannot be taken."""
    transition = find_transition(status, action)
    if transition is None:
        raise TransitionError(f"当前状态为“{status.label}”，不能执行“{action.label}”")
    if not roles & transition.roles:
        needed = "、".join(sorted(role.label for role in transition.roles))
        raise TransitionError(f"“{action.label}”须由{needed}办理", forbidden=True)
    return transition.target or status


# ---------------------------------------------------------------- corrections and voiding


class RecordChange(enum.StrEnum):
    """Changes to the record itself rather than steps of the procedure: correcting what was
    registered, or voiding an application entered in error. Each keeps a timeline entry with its
    reason and an audit entry (GB/T 22239-2019 8.1.4.7 数据完整性; docs/decisions.md I-1)."""

    CORRECT = "correct"
    VOID = "void"

    @property
    def label(self) -> str:
        return {"correct": "更正登记信息", "void": "作废"}[self.value]


@dataclass(frozen=True)
class RecordRule:
    change: RecordChange
    source: Status
    target: Status | None  # None: the status does not change
    roles: frozenset[Role]


CONCLUDED_STATUSES = frozenset(
    status
    for status in Status
    if not status.is_open and status is not Status.VOIDED and status not in UNRECEIVED_STATUSES
)

# Registered facts that move the statutory clock (收到申请之日 and the channel that fixes it,
# 条例第三十一条、第三十三条) or a column of table 三 (the applicant type): correcting them
# needs the reviewer even while the case is open, so that a clerk cannot move his own deadline.
REVIEWED_FIELDS = frozenset({"received_on", "channel", "applicant_type"})

RECORD_RULES: tuple[RecordRule, ...] = (
    # While the case is open the clerk who registered it may fix a typo (the reply must carry the
    # applicant's right name and address), except REVIEWED_FIELDS.
    *(
        RecordRule(RecordChange.CORRECT, s, None, _ANY_CLERK)
        for s in Status
        if s.is_open or s is Status.SUBMITTED
    ),
    # Once concluded the record is what the office did and what the annual report counts: only
    # 审核人 and 管理员, who approve replies (第四十五条 registration–review system).
    *(
        RecordRule(RecordChange.CORRECT, s, None, _REVIEWER)
        for s in Status
        if s in CONCLUDED_STATUSES
    ),
    # Voiding takes an application out of every figure: 审核人 and 管理员 only, from any status but
    # 已作废 itself; nothing leads out of 已作废 (a voided record is kept, never revived or reused).
    *(
        RecordRule(RecordChange.VOID, s, Status.VOIDED, _REVIEWER)
        for s in Status
        if s is not Status.VOIDED
    ),
)


def allowed_record_changes(status: Status, roles: frozenset[Role]) -> list[RecordChange]:
    """The record changes `roles` may make in `status`, in the table's order."""
    changes: list[RecordChange] = []
    for rule in RECORD_RULES:
        if rule.source is status and roles & rule.roles and rule.change not in changes:
            changes.append(rule.change)
    return changes


def check_record_change(
    status: Status,
    change: RecordChange,
    roles: frozenset[Role],
    fields: frozenset[str] = frozenset(),
) -> Status:
    """The status after `change`, or TransitionError saying why it cannot be made. `fields`: the
    fields a correction changes (REVIEWED_FIELDS among them need 审核人 or 管理员)."""
    rule = next((r for r in RECORD_RULES if r.source is status and r.change is change), None)
    if rule is None:
        raise TransitionError(f"当前状态为“{status.label}”，不能{change.label}")
    needed = rule.roles
    if change is RecordChange.CORRECT and fields & REVIEWED_FIELDS:
        needed = needed & _REVIEWER
    if not roles & needed:
        names = "、".join(sorted(role.label for role in needed))
        what = change.label
        if needed != rule.roles:
            what = "更正" + "、".join(
                REVIEWED_FIELD_LABELS[f] for f in sorted(fields & REVIEWED_FIELDS)
            )
        raise TransitionError(f"“{what}”须由{names}办理", forbidden=True)
    return rule.target or status


REVIEWED_FIELD_LABELS = {
    "received_on": "收到申请日期",
    "channel": "申请方式",
    "applicant_type": "申请人类型",
}


# ---------------------------------------------------------------- outcomes (table 三 rows)


@dataclass(frozen=True)
class Outcome:
    key: str  # the row key of table 三 (2021 format)
    label: str
    basis: str
    status: str
    closure: str | None = None

    @property
    def by_reply(self) -> bool:
        """Outcomes reached by a reply; （六）1 and （六）2 come only from closing the case."""
        return self.closure in (None, "withdrawn")


@cache
def outcomes() -> tuple[Outcome, ...]:
    text = resources.files("gongkai.domain").joinpath("data", "outcomes.toml").read_text("utf-8")
    return tuple(Outcome(**item) for item in tomllib.loads(text)["outcomes"])


def outcome(key: str) -> Outcome:
    for item in outcomes():
        if item.key == key:
            return item
    raise KeyError(key)


# Outcomes whose letter must state the specific reasons: 部分公开 (条例第三十七条: 对不予公开的内容
# 说明理由), 不予公开 / 无法提供 / 不予处理 (条例第三十六条第三项至第七项 require 告知/说明理由).
REASONED_GROUPS = ("r_partial", "r_deny_", "r_na_", "r_np_")


def needs_reasons(key: str) -> bool:
    """Whether a reply of this outcome must state the clerk's specific reasons (条例第三十六条)."""
    return key == "r_partial" or key.startswith(REASONED_GROUPS[1:])


CLOSURE_OUTCOMES = {
    Action.CLOSE_NO_CORRECTION: "r_other_nocorrect",
    Action.CLOSE_NO_FEE: "r_other_nofee",
    Action.WITHDRAW: "r_other_other",
}


class ApplicantType(enum.StrEnum):
    """The six applicant columns of table 三 (国办公开办函〔2021〕30号)."""

    NATURAL = "natural"
    BIZ = "biz"
    RESEARCH = "research"
    NGO = "ngo"
    LEGAL = "legal"
    OTHER_ORG = "other_org"

    @property
    def label(self) -> str:
        return {
            "natural": "自然人",
            "biz": "商业企业",
            "research": "科研机构",
            "ngo": "社会公益组织",
            "legal": "法律服务机构",
            "other_org": "其他组织",
        }[self.value]
