"""Synthetic applications for benches and load tests: plausible timelines, no database.

Every timeline is walked through the lifecycle's own transition table (`find_transition`), and
its deadlines are computed by the deadline engine (`compute_deadlines`) from the same steps the
services would record, so a generated record is one the services could have produced
(docs/decisions.md GEN-1). The proportions below are a workload profile read off the corpus's
published reports (mostly natural persons, most replies 予以公开 or 无法提供, a few per cent of
补正, 延期 and 征求意见), not law.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.domain import deadline_model as dm
from gongkai.domain.deadline_model import Channel
from gongkai.domain.deadlines import compute_deadlines
from gongkai.domain.identity import IdType, credit_code_check_char, resident_id_check_digit
from gongkai.domain.lifecycle import (
    CLOSURE_OUTCOMES,
    Action,
    ApplicantType,
    Status,
    find_transition,
    needs_reasons,
    outcome,
)
from gongkai.domain.workdays import WorkdayCalendar

REGISTER = "register"  # the registration entry (not a step of the transition table)

CHANNELS = (
    (Channel.ONLINE, 55), (Channel.MAIL, 18), (Channel.IN_PERSON, 20),
    (Channel.LETTER, 4), (Channel.FAX, 1), (Channel.ORAL, 2),
)  # fmt: skip
APPLICANTS = (
    (ApplicantType.NATURAL, 86), (ApplicantType.BIZ, 7), (ApplicantType.RESEARCH, 1),
    (ApplicantType.NGO, 1), (ApplicantType.LEGAL, 3), (ApplicantType.OTHER_ORG, 2),
)  # fmt: skip
# Outcomes by reply (the closures come from their own steps below).
REPLIES = (
    ("r_open", 38), ("r_partial", 9), ("r_deny_3rd", 2), ("r_deny_internal", 2),
    ("r_deny_process", 3), ("r_deny_law", 1), ("r_deny_query", 2), ("r_na_notheld", 22),
    ("r_na_create", 5), ("r_na_unclear", 3), ("r_np_petition", 3), ("r_np_repeat", 2),
    ("r_np_publication", 3), ("r_np_excessive", 1), ("r_np_confirm", 1),
)  # fmt: skip

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰春梅海燕文波宁晨浩宇欣怡子涵雨轩思远佳琪嘉豪俊杰晓东"
PLACES = ("东城街道", "西湖镇", "南山村", "北关社区", "滨江新区", "城东工业园", "青石镇", "河口村",
          "高新区", "老城片区", "红星路", "解放大道", "长安街道", "花园小区", "幸福里")  # fmt: skip
SUBJECTS = ("征地补偿安置方案", "房屋征收决定", "建设项目环境影响评价批复", "规划许可证",
            "行政处罚决定书", "财政预算执行情况", "低保审批名单", "拆迁评估报告", "土地出让合同",
            "道路改造工程招标文件", "河道整治项目验收资料", "养老服务补贴发放明细",
            "学校划片招生方案", "企业排污许可证", "安置房分配方案", "农村集体土地征收公告",
            "食品安全抽检结果", "危房改造补助名单", "供水价格调整听证材料", "信访事项处理意见")  # fmt: skip
ASKS = ("申请公开{place}{subject}", "请求提供{year}年{place}{subject}及其附件",
        "申请获取{place}{subject}的批准文件", "要求公开涉及{place}的{subject}",
        "申请查阅{year}年度{subject}（{place}）")  # fmt: skip
ORG_KINDS = ("有限公司", "律师事务所", "研究院", "协会", "合作社", "物业服务中心")
COMPANY_WORDS = "华信达恒瑞通宏远鑫盛泰安德利隆丰源和新嘉鼎"
AREAS = ("110101", "310104", "320106", "330106", "420106", "440305", "510107", "610113")


@dataclass
class Step:
    action: str
    date: dt.date
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Synthetic:
    """One generated application: its fields and its timeline (dates never after `today`)."""

    received_on: dt.date
    channel: Channel
    applicant_type: ApplicantType
    applicant_name: str
    id_type: IdType
    id_number: str
    phone: str
    content: str
    steps: list[Step]
    status: Status = Status.REGISTERED
    outcome: str = ""
    legal_basis: str = ""
    concluded_on: dt.date | None = None
    archived_on: dt.date | None = None
    extended: bool = False
    deadlines: dm.Deadlines | None = None


class Generator:
    """Deterministic for a seed: the same arguments give the same applications."""

    def __init__(self, calendar: WorkdayCalendar, *, seed: int, today: dt.date) -> None:
        self.calendar, self.today = calendar, today
        self.rng = random.Random(seed)
        self._deadlines: dict[tuple[dm.Event, ...], dm.Deadlines] = {}

    def applications(self, year: int, count: int) -> Iterator[Synthetic]:
        """`count` applications received on working days of `year` up to today, in date order."""
        days = self._workdays(year)
        if not days:
            raise ValueError(f"{year}年在今天（{self.today}）之前没有工作日，无法生成")
        dates = sorted(self.rng.choice(days) for _ in range(count))
        for received in dates:
            yield self.one(received)

    def one(self, received: dt.date) -> Synthetic:
        rng = self.rng
        applicant = _weighted(rng, APPLICANTS)
        channel = _weighted(rng, CHANNELS)
        name, id_type, id_number = self._applicant(applicant)
        item = Synthetic(
            received_on=received,
            channel=channel,
            applicant_type=applicant,
            applicant_name=name,
            id_type=id_type,
            id_number=id_number,
            phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            content=self._content(received.year),
            steps=self._timeline(received, channel),
        )
        self._walk(item)
        return item

    # -- the timeline ----------------------------------------------------------------------------

    def _timeline(self, received: dt.date, channel: Channel) -> list[Step]:
        rng, add = self.rng, self.calendar.add_workdays
        steps = [Step(REGISTER, received, {"channel": channel.value})]
        day = received
        if rng.random() < 0.08:  # 第三十条: one 补正 notice within 7 working days
            day = add(day, rng.randint(1, 6))
            steps.append(Step(Action.REQUEST_CORRECTION, day))
            if rng.random() < 0.15:  # never corrected: closed as （六）1
                steps.append(Step(Action.CLOSE_NO_CORRECTION, add(day, rng.randint(16, 25))))
                return self._after_conclusion(steps)
            day = add(day, rng.randint(2, 12))
            steps.append(Step(Action.RECEIVE_CORRECTION, day))
        start = day
        if rng.random() < 0.03:  # 第三十二条: a third party's view
            day = add(day, rng.randint(2, 8))
            steps.append(Step(Action.START_CONSULTATION, day, {"party": "third_party"}))
            day = add(day, rng.randint(3, 15))
            steps.append(Step(Action.END_CONSULTATION, day))
        extended = rng.random() < 0.06
        if extended:  # 第三十三条第二款: before the 20 working days run out
            day = max(day, add(start, rng.randint(12, 18)))
            steps.append(Step(Action.EXTEND, day))
        if rng.random() < 0.02:  # 国办函〔2020〕109号 信息处理费
            day = add(day, rng.randint(1, 4))
            steps.append(Step(Action.NOTIFY_FEE, day, {"amount": rng.choice((100, 200, 400))}))
            if rng.random() < 0.2:
                steps.append(Step(Action.CLOSE_NO_FEE, add(day, rng.randint(21, 30))))
                return self._after_conclusion(steps)
            day = add(day, rng.randint(2, 10))
            steps.append(Step(Action.RECEIVE_FEE, day))
        if rng.random() < 0.02:
            steps.append(Step(Action.WITHDRAW, add(day, rng.randint(1, 8))))
            return self._after_conclusion(steps)
        # Most replies within the period; a few late, a few never concluded (stale carry-over).
        span = 38 if extended else 18
        late = rng.random() < 0.03
        reply_on = add(start, rng.randint(span + 3, span + 25) if late else rng.randint(3, span))
        reply_on = max(reply_on, add(day, 1))
        if rng.random() < 0.004:
            return steps
        proposal = add(day, 1) if add(day, 1) < reply_on else day
        key = _weighted(rng, REPLIES)
        reply = {"outcome": key, "legal_basis": outcome(key).basis}
        if needs_reasons(key):  # the services refuse such a proposal without them (第三十六条)
            reply["reasons"] = reasons_for(key)
        steps.append(Step(Action.PROPOSE_REPLY, proposal, dict(reply)))
        steps.append(Step(Action.REPLY, reply_on, reply))
        return self._after_conclusion(steps)

    def _after_conclusion(self, steps: list[Step]) -> list[Step]:
        rng, add = self.rng, self.calendar.add_workdays
        delivered = add(steps[-1].date, rng.randint(0, 3))
        steps.append(Step(Action.DELIVER, delivered, {"method": rng.choice(("mail", "email"))}))
        steps.append(Step(Action.ARCHIVE, add(delivered, rng.randint(5, 40))))
        return steps

    def _walk(self, item: Synthetic) -> None:
        """Keep the steps taken by today, then follow the transition table through them."""
        item.steps = [step for step in item.steps if step.date <= self.today]
        for step in item.steps[1:]:
            action = Action(step.action)
            transition = find_transition(item.status, action)
            if transition is None:
                raise AssertionError(f"no transition {item.status} --{action}")
            item.status = transition.target or item.status
            if action == Action.EXTEND:
                item.extended = True
            if action in CLOSURE_OUTCOMES:
                step.data = {"outcome": CLOSURE_OUTCOMES[action],
                             "legal_basis": outcome(CLOSURE_OUTCOMES[action]).basis}  # fmt: skip
            if action in (Action.REPLY, *CLOSURE_OUTCOMES):
                item.outcome, item.legal_basis = step.data["outcome"], step.data["legal_basis"]
                item.concluded_on = step.date
            if action == Action.ARCHIVE:
                item.archived_on = step.date
        events = tuple(_engine_events(item))
        found = self._deadlines.get(events)
        if found is None:  # timelines repeat: the same dates give the same deadlines
            found = self._deadlines[events] = compute_deadlines(
                events, self.calendar, today=self.today
            )
        item.deadlines = found

    # -- who and what ----------------------------------------------------------------------------

    def _applicant(self, kind: ApplicantType) -> tuple[str, IdType, str]:
        rng = self.rng
        if kind == ApplicantType.NATURAL:
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
            first17 = f"{rng.choice(AREAS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
            return name, IdType.RESIDENT_ID, first17 + resident_id_check_digit(first17)
        city = rng.choice(("北京", "上海", "南京", "杭州", "武汉", "深圳", "成都", "西安"))
        words = "".join(rng.choices(COMPANY_WORDS, k=2))
        name = f"{city}{words}{rng.choice(ORG_KINDS)}"
        chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        first17 = "91" + rng.choice(AREAS) + "".join(rng.choices(chars, k=9))
        return name, IdType.CREDIT_CODE, first17 + credit_code_check_char(first17)

    def _content(self, year: int) -> str:
        rng = self.rng
        ask = rng.choice(ASKS).format(
            place=rng.choice(PLACES), subject=rng.choice(SUBJECTS), year=year - rng.randint(0, 3)
        )
        return ask + rng.choice(("。", "，用于维护自身合法权益。", "，用于学术研究。", "。"))

    def _workdays(self, year: int) -> list[dt.date]:
        day, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), self.today)
        days = []
        while day <= last:
            if self.calendar.is_workday(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days


def _engine_events(item: Synthetic) -> Iterator[dm.Event]:
    """The timeline in the deadline engine's terms, as the services convert it."""
    party = dm.Party.THIRD_PARTY
    simple: dict[str, type] = {
        Action.REQUEST_CORRECTION: dm.CorrectionNotice,
        Action.RECEIVE_CORRECTION: dm.CorrectionReceived,
        Action.EXTEND: dm.ExtensionApproved,
        Action.NOTIFY_FEE: dm.FeeNoticeSent,
        Action.RECEIVE_FEE: dm.FeePaid,
        Action.REPLY: dm.ReplySent,
    }
    for step in item.steps:
        if step.action == REGISTER:
            yield dm.Receipt(item.received_on, item.channel)
        elif step.action == Action.START_CONSULTATION:
            yield dm.ConsultationStarted(step.date, party)
        elif step.action == Action.END_CONSULTATION:
            yield dm.ConsultationAnswered(step.date, party)
        elif step.action in simple:
            yield simple[step.action](step.date)


# The clerk's specific reasons, by the outcome's group of table 三 (as the demo writes them).
REASONS = {
    "r_partial": "申请公开的信息中涉及第三方个人信息（姓名、身份证号码、联系电话），该部分不予公开。",
    "r_deny_": "申请公开的信息属于上述规定的情形（{label}），不予公开。",
    "r_na_": "经检索本机关档案及业务系统，未查找到申请所述政府信息。",
    "r_np_": "申请事项不属于政府信息公开申请的处理范围，本机关不作为政府信息公开申请处理。",
}


def reasons_for(key: str) -> str:
    group = "r_partial" if key == "r_partial" else key[: key.index("_", 2) + 1]
    return REASONS[group].format(label=outcome(key).label)


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]
