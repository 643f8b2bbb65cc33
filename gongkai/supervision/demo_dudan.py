"""Demo of 督办 and 整改 (issue 12 §3, §5), on top of the applications' demo (`gongkai.cases.demo`):

- a 督办通知 from 宛城区人民政府's supervisor to its office (WCBGS) about its overdue application,
  answered by the office's 经办人; a second one, about the application due within three working
  days, not yet answered — it stands on the office's 工作台;
- 整改 tasks in each state (待确认, 已交办 — overdue —, 已反馈, 已退回, 已销号, 已撤销), from the
  four sources.

Everything goes through the services; dates are relative to today. Idempotent: a part already
there (any notice of WCQ, any task of WCQ) is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendar_for
from gongkai.cases.models import Application
from gongkai.supervision.dudan import DudanRow, dudan_overview
from gongkai.supervision.models import RectificationTask, SupervisionNotice
from gongkai.supervision.notices import notice_answer, notice_send
from gongkai.supervision.rectification import (
    TaskInput,
    rectification_answer,
    rectification_close,
    rectification_open,
    rectification_return,
    rectification_withdraw,
)


def load_dudan_demo(today: dt.date | None = None) -> bool:
    """Load the 督办 and 整改 demo; False when the demo organisations are missing or both parts
    are there already."""
    today = today or timezone.localdate()
    orgs = {
        o.code: o for o in Organisation.objects.filter(code__in=["WCQ", "WCBGS", "WCCZJ", "WCHLZ"])
    }
    users = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    if len(orgs) < 4 or len(users) < len(_USERNAMES):
        return False
    loaded = False
    with transaction.atomic():
        if not SupervisionNotice.objects.filter(government=orgs["WCQ"]).exists():
            _notices(orgs, users, today)
            loaded = True
        if not RectificationTask.objects.filter(government=orgs["WCQ"]).exists():
            _tasks(orgs, users, today)
            loaded = True
    return loaded


_USERNAMES = ["supervisor", "clerk", "reviewer", "admin", "caizheng"]


def _notices(orgs: dict[str, Organisation], users: dict[str, User], today: dt.date) -> None:
    gov, office, supervisor = orgs["WCQ"], orgs["WCBGS"], users["supervisor"]
    rows = dudan_overview(user=supervisor, root=gov, today=today, organisation=office).rows
    overdue = [r for r in rows if r.remaining.overdue]
    soon = [r for r in rows if not r.remaining.overdue]
    cal = calendar_for(office)

    def apps(chosen: list[DudanRow]) -> list[Application]:
        return list(Application.objects.filter(pk__in=[r.application_id for r in chosen]))

    first = notice_send(
        by=supervisor,
        government=gov,
        organisation=office,
        subject="关于逾期未答复政府信息公开申请的督办通知",
        body=(
            "区政府办公室：\n经查，你单位"
            + "、".join(r.tracking_no for r in overdue)
            + "号政府信息公开申请已超过《政府信息公开条例》第三十三条规定的答复期限，尚未答复。"
            "请立即办理，并于回复期限前报告办理情况和逾期原因。"
        ),
        reply_by=cal.add_workdays(today, 3),
        applications=apps(overdue),
        today=today,
    )
    notice_answer(
        by=users["clerk"],
        notice=first,
        answer=(
            "经查，该申请因承办科室人员调整未及时转办，导致逾期。我办已于今日约谈承办科室负责人，"
            "正在抓紧办理，预计2个工作日内作出答复；同时已在系统中启用到期提醒，防止再次发生。"
        ),
    )
    notice_send(
        by=supervisor,
        government=gov,
        organisation=office,
        subject="关于即将到期政府信息公开申请的提醒督办",
        body=(
            "区政府办公室：\n你单位"
            + ("、".join(r.tracking_no for r in soon) or "部分")
            + "号政府信息公开申请将于3个工作日内到期，请按期答复；如确需延期，"
            "应在期限届满前经机构负责人同意并告知申请人（条例第三十三条第二款）。请回复办理安排。"
        ),
        reply_by=cal.add_workdays(today, 2),
        applications=apps(soon),
        today=today,
    )


def _tasks(orgs: dict[str, Organisation], users: dict[str, User], today: dt.date) -> None:
    gov, supervisor = orgs["WCQ"], users["supervisor"]
    cal = calendar_for(gov)
    base = cal.ordinal(today)

    def workday(offset: int) -> dt.date:
        return cal.nth_workday(base + offset)

    def task(code: str, kind: str, title: str, detail: str, ref: str, url: str, **kw: object):  # type: ignore[no-untyped-def]
        opened_on = kw.pop("opened_on", today)
        assert isinstance(opened_on, dt.date)
        created = rectification_open(
            by=supervisor,
            government=gov,
            data=TaskInput(
                organisation=orgs[code],
                source_kind=kind,
                title=title,
                detail=detail,
                source_ref=ref,
                source_url=url,
                deadline=kw.pop("deadline", None),  # type: ignore[arg-type]
            ),
            assign=bool(kw.pop("assign", True)),
            today=opened_on,
        )
        if opened_on != today:
            # A demo opened "weeks ago": its record says so (the services stamp the present).
            at = timezone.make_aware(dt.datetime.combine(opened_on, dt.time(9, 30)))
            RectificationTask.objects.filter(pk=created.pk).update(created_at=at)
            created.steps.update(at=at)
            created.refresh_from_db()
        return created

    year = today.year - 1
    # 待确认: found in an audit of a published report, not yet sent.
    task(
        "WCHLZ",
        "report_audit",
        f"{year}年度报告第五部分未说明上年问题的整改情况",
        "抽查已发布的年度报告发现：第五部分“存在的主要问题及改进情况”只列举了本年问题，"
        "未逐项说明上一年度报告所列问题的整改情况。",
        f"report:WCHLZ:{year}",
        "",
        assign=False,
    )
    # 已交办, overdue: a scorecard deduction, opened three weeks ago with a deadline now past.
    task(
        "WCBGS",
        "scorecard",
        f"{year}年度考核：依申请公开逾期答复扣分",
        f"{year}年度考核中，你单位有逾期答复的政府信息公开申请（每件扣6分）。请查明逾期原因，"
        "完善申请办理的转办、督办和到期提醒机制，并报送整改情况。",
        f"deduction:overdue_reply:{year}",
        "",
        opened_on=workday(-15),
        deadline=workday(-3),
    )
    # 已反馈: a finding of the report checks, answered by the finance bureau.
    answered = task(
        "WCCZJ",
        "report_check",
        f"{year}年度报告表三“本年新收政府信息公开申请数量”与登记簿不一致",
        "年度报告检查发现：表三第一行与依申请公开登记簿统计数不一致，请核对并更正。",
        f"finding:T3-01:{year}",
        "",
        deadline=workday(10),
    )
    rectification_answer(
        by=users["caizheng"],
        task=answered,
        answer="已逐件核对登记簿，发现1件网上申请漏登，已补登并更正年度报告表三，已重新发布。",
    )
    # 已退回: a supervisor's note, answered, sent back on re-check.
    returned = task(
        "WCBGS",
        "note",
        "部分答复书未告知申请人救济途径",
        "督查抽查发现：部分不予公开的答复书未告知申请人可以依法申请行政复议或者提起行政诉讼"
        "（复议60日、诉讼6个月）。请全面排查并规范答复书格式。",
        "note:答复书抽查",
        "",
        opened_on=workday(-10),
        deadline=workday(-2),
    )
    rectification_answer(
        by=users["clerk"],
        task=returned,
        answer="已修改答复书模板，增加救济途径告知内容。",
    )
    rectification_return(
        by=supervisor,
        task=returned,
        reason="整改反馈只涉及模板，未说明已发出的答复书如何补正，请补充对已发出答复书的排查和补告知情况。",
        deadline=workday(7),
        today=today,
    )
    # 已销号: a scorecard deduction, answered by the office's 管理员, closed on re-check.
    closed = task(
        "WCBGS",
        "scorecard",
        "政府信息公开指南未及时更新",
        "考核发现：机构联系电话变更后，政府信息公开指南未及时更新（条例第十二条）。",
        f"deduction:guide_outdated:{year}",
        "",
        deadline=workday(5),
    )
    rectification_answer(
        by=users["admin"],
        task=closed,
        answer="已更新指南中的联系电话和办公地址，并重新发布，同步更新了政府网站专栏。",
    )
    rectification_close(by=supervisor, task=closed, note="经复核，指南已更新发布，予以销号。")
    # 已撤销: the finding did not hold.
    withdrawn = task(
        "WCCZJ",
        "note",
        "政府信息公开目录中的预算公开事项缺少索引号",
        "督查发现目录中部分预算公开事项没有索引号。",
        "note:目录抽查",
        "",
        deadline=workday(10),
    )
    rectification_withdraw(
        by=supervisor,
        task=withdrawn,
        reason="经核实，相关事项已按规定编制索引号，系抽查时页面缓存未更新，问题不成立。",
    )
