"""What an applicant sees of his own application: the status in plain words, the receipt date,
the deadline, a public timeline (steps only: no internal notes, no staff names), the 补正 asked
for, and once replied the letters and released files.

Which timeline steps are public, and how they read, is data (PUBLIC_STEPS): a step not in the
table (a draft reply, a return for revision, a record correction) is never shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gongkai.cases.models import Application, Attachment, Event
from gongkai.cases.online import SUBMIT
from gongkai.domain.lifecycle import Action, Status

# Status in the applicant's words (what happens next, not the office's jargon).
PLAIN_STATUS = {
    Status.SUBMITTED: "已提交，等待工作人员签收",
    Status.NOT_ACCEPTED: "未予签收",
    Status.REGISTERED: "已签收，正在办理",
    Status.PROCESSING: "正在办理",
    Status.REVIEW: "正在办理",
    Status.SIGNOFF: "正在办理",
    Status.CORRECTION: "需要您补正申请",
    Status.CONSULTING: "正在征求意见（征求意见时间不计入答复期限）",
    Status.AWAITING_FEE: "等待缴纳信息处理费",
    Status.REPLIED: "已答复",
    Status.DELIVERED: "已答复并送达",
    Status.ARCHIVED: "已办结",
    Status.CLOSED: "已终止办理",
    Status.VOIDED: "已作废",
}

# Public timeline: the step's action → how the applicant reads it. Sources: 条例第三十条 (补正),
# 第三十一条 (receipt), 第三十二–三十三条 (consultation, extension), 第三十六条 (reply).
PUBLIC_STEPS = {
    SUBMIT: "通过网上渠道提交申请",
    "register": "登记申请",
    Action.CONFIRM_RECEIPT.value: "工作人员签收，即为收到申请之日",
    Action.REFUSE_SUBMISSION.value: "未予签收",
    Action.REQUEST_CORRECTION.value: "发出补正通知",
    Action.RECEIVE_CORRECTION.value: "收到补正材料，答复期限重新计算",
    Action.CLOSE_NO_CORRECTION.value: "逾期未补正，终止办理",
    Action.START_CONSULTATION.value: "征求意见",
    Action.END_CONSULTATION.value: "征求意见结束",
    Action.EXTEND.value: "延长答复期限",
    Action.NOTIFY_FEE.value: "发出收费通知",
    Action.RECEIVE_FEE.value: "已缴费",
    Action.CLOSE_NO_FEE.value: "逾期未缴费，终止办理",
    Action.REPLY.value: "作出答复",
    Action.TRANSFER.value: "告知负责公开的机关，并转交其办理",
    Action.DELIVER.value: "送达答复",
    Action.ARCHIVE.value: "办结归档",
    Action.WITHDRAW.value: "申请人撤回申请",
}
# The event data an applicant must read (the content of a notice addressed to him).
PUBLIC_DETAILS = {
    Action.REQUEST_CORRECTION.value: ("items", "period", "correct_by"),
    Action.TRANSFER.value: ("to_name", "transferred_to"),
    Action.REFUSE_SUBMISSION.value: ("reason",),
    Action.NOTIFY_FEE.value: ("amount",),
}
ANSWERED = frozenset({Status.REPLIED, Status.DELIVERED, Status.ARCHIVED, Status.CLOSED})
PUBLIC_FILE_KINDS = (Attachment.Kind.LETTER, Attachment.Kind.REPLY)


@dataclass(frozen=True)
class PublicStep:
    date: dt.date
    label: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicStatus:
    application: Application
    plain: str
    received_on: dt.date | None
    due_on: dt.date | None
    steps: list[PublicStep]
    files: list[Attachment] = field(default_factory=list)
    correction: PublicStep | None = None

    @property
    def can_correct(self) -> bool:
        return self.application.status == Status.CORRECTION


def public_status(application: Application) -> PublicStatus:
    status = application.status_enum
    events = list(application.events.order_by("date", "id"))
    steps = [_public_step(event) for event in events if event.action in PUBLIC_STEPS]
    received = (
        None if status in (Status.SUBMITTED, Status.NOT_ACCEPTED) else application.received_on
    )
    open_ = status.is_open and status not in (Status.CORRECTION, Status.AWAITING_FEE)
    files = []
    if status in ANSWERED:
        files = list(application.attachments.filter(kind__in=PUBLIC_FILE_KINDS))
    notices = [e for e in events if e.action == Action.REQUEST_CORRECTION]
    return PublicStatus(
        application=application,
        plain=PLAIN_STATUS[status],
        received_on=received,
        due_on=application.due_on if open_ else None,
        steps=steps,
        files=files,
        correction=_public_step(notices[-1]) if notices else None,
    )


def _public_step(event: Event) -> PublicStep:
    data = event.data or {}
    keys = PUBLIC_DETAILS.get(event.action, ())
    details = tuple(_detail(key, data[key]) for key in keys if data.get(key))
    return PublicStep(event.date, PUBLIC_STEPS[event.action], details)


def _detail(key: str, value: object) -> str:
    labels = {
        "items": "需补正事项",
        "period": "补正期限",
        "correct_by": "补正截止日期",
        "reason": "理由",
        "amount": "金额（元）",
        "to_name": "负责公开的机关",
        "transferred_to": "转办后的申请编号",
    }
    return f"{labels[key]}：{value}"
